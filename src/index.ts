/**
 * require("aliyunIoT"): the public entry of the on-device module.
 *
 *   var aliyunIoT = require("aliyunIoT");
 *   var device = new aliyunIoT.Device();    // or aliyunIoT.Device(), as in HaaS
 *   var gateway = new aliyunIoT.Gateway();
 */
import { createGateway } from './gateway';

export { Device } from './device';

/** The module body's own exports object (Espruino's, or CommonJS's under Node). */
declare var exports: any;

/** aliyunIoT.Gateway, once read. */
var gateway: any;

// Optional part: the Gateway class and its sub-device code are built the first time an app
// reads aliyunIoT.Gateway (gateway.ts createGateway), so a Device app never creates them.
Object.defineProperty(exports, 'Gateway', {
  enumerable: true,
  get: function () {
    return gateway || (gateway = createGateway());
  },
});
