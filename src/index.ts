/**
 * require("aliyunIoT"): the public entry of the on-device module.
 *
 *   var aliyunIoT = require("aliyunIoT");
 *   var device = new aliyunIoT.Device();    // or aliyunIoT.Device(), as in HaaS
 *   var gateway = new aliyunIoT.Gateway();
 */
export { Device } from './device';
export { Gateway } from './gateway';
