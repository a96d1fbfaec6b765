/** A gateway's topology requests: thing/topo/add, delete, get, and sub/register (dynamic
 *  registration of sub-devices). Each is all or nothing. */
import { Code, messageOf } from '../codes';
import type { AlinkRequest } from '../alink';
import { gatewaysOf } from '../gateways';
import { deviceKey, randomSecret } from '../registry';
import type { Uplink, Verdict } from '../uplink';
import { answer, checkAll, checkSigned, fail, gatewayOfUplink, isFailure, listParam, MAX_PER_REQUEST, MAX_TOPOLOGY, refOf, refuse } from './gateway-checks';


export function topoAdd(up: Uplink, req: AlinkRequest): Verdict {
  const gw = gatewayOfUplink(up);
  if (isFailure(gw)) return refuse(up, req, gw);
  const items = listParam(req.params, MAX_PER_REQUEST, 'sub-devices');
  if (isFailure(items)) return refuse(up, req, items);
  const subs = checkAll(items, (item) => checkSigned(up, gw, item, undefined, false));
  if (isFailure(subs)) return refuse(up, req, subs);
  const gateways = gatewaysOf(up.core);
  const present = new Set(gateways.topology(gw.productKey, gw.deviceName).map((s) => deviceKey(s.productKey, s.deviceName)));
  const fresh = new Set(subs.map((s) => deviceKey(s.productKey, s.deviceName)).filter((k) => !present.has(k)));
  if (present.size + fresh.size > MAX_TOPOLOGY) {
    return refuse(up, req, fail(Code.TopoCountExceeded, 'a gateway holds at most ' + MAX_TOPOLOGY + ' sub-devices (' + present.size + ' now)', subs));
  }
  gateways.attach(gw, subs);
  return answer(up, req, Code.Ok, subs);
}

export function topoDelete(up: Uplink, req: AlinkRequest): Verdict {
  const gw = gatewayOfUplink(up);
  if (isFailure(gw)) return refuse(up, req, gw);
  const items = listParam(req.params, MAX_TOPOLOGY, 'sub-devices');
  if (isFailure(items)) return refuse(up, req, items);
  const gateways = gatewaysOf(up.core);
  const gwKey = deviceKey(gw.productKey, gw.deviceName);
  const subs = checkAll(items, (item) => {
    const ref = refOf(item);
    if (!ref) return fail(Code.BadParams, 'each entry needs productKey and deviceName');
    return gateways.gatewayKeyOf(ref.productKey, ref.deviceName) === gwKey ? ref : fail(Code.TopoNotExist, messageOf(Code.TopoNotExist), [ref]);
  });
  if (isFailure(subs)) return refuse(up, req, subs);
  gateways.detachFrom(gwKey, subs);
  return answer(up, req, Code.Ok, subs);
}

export function topoGet(up: Uplink, req: AlinkRequest): Verdict {
  const gw = gatewayOfUplink(up);
  if (isFailure(gw)) return refuse(up, req, gw);
  // params: {} (NODE, CV3) or the JSON string "{}" (LSDK); nothing in it matters. Each entry
  // carries the sub-device's deviceSecret: the HaaS seed's getTopo output shows it, and HaaS
  // passes the reply's data through unchanged (module_aiot_gateway.c, ON_TOPOGET). The log masks it (log.ts).
  const reg = up.core.registry;
  const list = gatewaysOf(up.core).topology(gw.productKey, gw.deviceName).map((s) => ({ deviceSecret: reg.device(s.productKey, s.deviceName)?.deviceSecret ?? '', productKey: s.productKey, deviceName: s.deviceName }));
  return answer(up, req, Code.Ok, list);
}

/** Dynamic registration of sub-devices through the gateway: needs a sub-device product with
 *  dynamic registration on; creates missing devices; answers with the secrets (masked in
 *  the log). Does not add the topo relation (that is topo/add). */
export function subRegister(up: Uplink, req: AlinkRequest): Verdict {
  const gw = gatewayOfUplink(up);
  if (isFailure(gw)) return refuse(up, req, gw);
  const items = listParam(req.params, MAX_PER_REQUEST, 'sub-devices');
  if (isFailure(items)) return refuse(up, req, items);
  const reg = up.core.registry;
  const subs = checkAll(items, (item) => {
    const ref = refOf(item);
    if (!ref) return fail(Code.BadParams, 'each entry needs productKey and deviceName');
    const product = reg.product(ref.productKey);
    if (!product) return fail(Code.ProductNotFound, messageOf(Code.ProductNotFound), [ref]);
    if (product.nodeType !== 'subdevice') return fail(Code.BadParams, 'product ' + ref.productKey + ' is not a sub-device product', [ref]);
    if (!product.dynamicRegistration) return fail(Code.RegisterDisabled, messageOf(Code.RegisterDisabled), [ref]);
    if (reg.device(ref.productKey, ref.deviceName)?.disabled) return fail(Code.DeviceDisabled, messageOf(Code.DeviceDisabled), [ref]);
    // Another gateway's sub-device: its secret is not handed out (that would let this gateway log it in).
    if (gatewaysOf(up.core).boundElsewhere(ref.productKey, ref.deviceName, deviceKey(gw.productKey, gw.deviceName))) return fail(Code.SubdevBoundElsewhere, messageOf(Code.SubdevBoundElsewhere), [ref]);
    return ref;
  });
  if (isFailure(subs)) return refuse(up, req, subs);
  const out = subs.map((s) => {
    const d = reg.device(s.productKey, s.deviceName) ?? reg.addDevice({ productKey: s.productKey, deviceName: s.deviceName });
    if (!d.deviceSecret) d.deviceSecret = randomSecret();
    return { productKey: s.productKey, deviceName: s.deviceName, deviceSecret: d.deviceSecret };
  });
  reg.changed();
  return answer(up, req, Code.Ok, out);
}
