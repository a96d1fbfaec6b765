/** Gateways and sub-devices (alink-protocol.md §6). Everything travels over the gateway's own
 *  connection; topics carry the gateway's pk/dn, payloads the sub-device's.
 *
 *  /sys/gw/thing/topo/add        [{productKey, deviceName, clientId, timestamp, signmethod|signMethod, sign}] ≤ 30,
 *                                signed over every field but sign and signMethod (DOC-89299)
 *  /sys/gw/thing/topo/delete     [{productKey, deviceName}]
 *  /sys/gw/thing/topo/get        {} or the string "{}"           → data [{deviceSecret, productKey, deviceName}]
 *  /sys/gw/thing/sub/register    [{productKey, deviceName}] ≤ 30 → data [{productKey, deviceName, deviceSecret}]
 *  /ext/session/gw/combine/login        {productKey, deviceName, clientId, timestamp, signMethod, sign, cleanSession},
 *                                       signed over every field but sign, signMethod, cleanSession (DOC-89300)
 *  /ext/session/gw/combine/batch_login  {signMethod, deviceList: [{productKey, deviceName, clientId, timestamp,
 *                                       cleanSession, sign}]} ≤ 50, all or nothing; no other item fields
 *  A sub-device in another gateway's topology is handed to nobody else (sub/register, topo/add: 6619).
 *  /ext/session/gw/combine/logout | batch_logout   {productKey, deviceName} or a list of them
 *  ↓ /sys/gw/thing/topo/change  {"params":{"status","subList"}} when the console deletes,
 *    disables or enables a sub-device (TopoChange below).
 *
 *  Requests are all or nothing: on a refusal `data` lists the sub-devices that failed.
 *  A logged-in sub-device is reachable through core.proxies / session.proxied (the ACL and
 *  sendDown already honour them); a gateway publishing for a sub-device of its topology that is
 *  not logged in is dropped by the ACL and answered with 520 (see noActiveSession()).
 *  The topology persists in the gateway's `DeviceRecord.ext.gatewayTopology` (gateways.ts holds
 *  that state; gateway-topo.ts and gateway-session.ts the handlers). */
import type { CloudCore } from '../core';
import { gatewaysOf } from '../gateways';
import { withRequest } from '../uplink';
import { subRegister, topoAdd, topoDelete, topoGet } from './gateway-topo';
import { combineBatchLogin, combineLogin, combineLogout, noActiveSession } from './gateway-session';

export function installGateway(core: CloudCore): void {
  gatewaysOf(core);
  const r = core.router;
  r.add('/sys/:pk/:dn/thing/topo/add', withRequest(topoAdd));
  r.add('/sys/:pk/:dn/thing/topo/delete', withRequest(topoDelete));
  r.add('/sys/:pk/:dn/thing/topo/get', withRequest(topoGet));
  r.add('/sys/:pk/:dn/thing/topo/change_reply', () => ({ verdict: 'ok', detail: 'gateway acknowledged a topo change' }));
  r.add('/sys/:pk/:dn/thing/topo/:op', () => ({ verdict: 'unhandled', detail: 'unknown topo operation' }));
  r.add('/sys/:pk/:dn/thing/sub/register', withRequest(subRegister));
  r.add('/ext/session/:pk/:dn/combine/login', withRequest(combineLogin));
  r.add('/ext/session/:pk/:dn/combine/batch_login', withRequest(combineBatchLogin));
  r.add('/ext/session/:pk/:dn/combine/logout', withRequest(combineLogout));
  r.add('/ext/session/:pk/:dn/combine/batch_logout', withRequest(combineLogout));
  r.add('/ext/session/:pk/:dn/combine/:op', () => ({ verdict: 'unhandled', detail: 'session replies go cloud → device' }));
  core.deniedPublishHooks.push((session, topic, payload) => noActiveSession(core, session, topic, payload));
}
