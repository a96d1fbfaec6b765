/** The topic families the emulator serves, installed in route order. Extensions add theirs
 *  here (or pass `install` to start()): file upload → handlers/upload.ts routing
 *  `/sys/:pk/:dn/thing/file/upload/mqtt/:op`; gateways → handlers/gateway.ts routing
 *  `/sys/:pk/:dn/thing/topo/:op`, `/sys/:pk/:dn/thing/sub/register`,
 *  `/ext/session/:pk/:dn/combine/:op` and filling core.proxies / session.proxied on login;
 *  OTA → handlers/ota.ts (inform, progress, firmware/get, and the package downloads over HTTPS). */
import type { CloudCore } from '../core';
import { installThing } from './thing';
import { installRaw } from './raw';
import { installNtp } from './ntp';
import { installRrpc } from './rrpc';
import { installShadow } from './shadow';
import { installCustom } from './custom';
import { installUpload } from './upload';
import { installGateway } from './gateway';
import { installOta } from './ota';

export function installHandlers(core: CloudCore): void {
  installRaw(core);
  installThing(core);
  installRrpc(core);
  installNtp(core);
  installShadow(core);
  installCustom(core);
  installUpload(core);
  installGateway(core);
  installOta(core);
}
