/** Sub-device sessions through a gateway: combine/login, batch_login, logout, batch_logout,
 *  and the 520 a gateway hears when it publishes for a sub-device that is not logged in. */
import { Code, messageOf } from '../codes';
import { buildReply, methodFromTopic, parseRequest, wantsReply, type AlinkRequest } from '../alink';
import { ownerOf } from '../acl';
import type { CloudCore, Session } from '../core';
import { gatewaysOf, type SubRef } from '../gateways';
import { isObject } from '../is-object';
import type { Uplink, Verdict } from '../uplink';
import { answer, BATCH_LOGIN_ITEM, checkAll, checkSigned, fail, gatewayOfUplink, isFailure, listParam, MAX_BATCH_LOGIN, refOf, refuse, type Failure } from './gateway-checks';

function loginAll(up: Uplink, items: unknown[], batchMethod: unknown): SubRef[] | Failure {
  const gw = gatewayOfUplink(up);
  if (isFailure(gw)) return gw;
  const subs = checkAll(items, (item) => checkSigned(up, gw, item, batchMethod, true));
  if (isFailure(subs)) return subs;
  const gateways = gatewaysOf(up.core);
  for (const s of subs) gateways.login(up.session, s);
  return subs;
}

/** combine/login: one sub-device, params flat (NODE/CV3). */
export function combineLogin(up: Uplink, req: AlinkRequest): Verdict {
  if (!isObject(req.params)) return refuse(up, req, fail(Code.BadParams, 'params must be an object'));
  const r = loginAll(up, [req.params], undefined);
  if (isFailure(r)) return answer(up, req, r.code, r.failed[0] ?? {}, r.message);
  return answer(up, req, Code.Ok, r[0]);
}

/** combine/batch_login: {signMethod, deviceList} (LSDK) or a bare list; all or nothing. */
export function combineBatchLogin(up: Uplink, req: AlinkRequest): Verdict {
  const p = req.params;
  const list = Array.isArray(p) ? p : isObject(p) ? p.deviceList : undefined;
  const items = listParam(list, MAX_BATCH_LOGIN, 'sub-devices');
  if (isFailure(items)) return refuse(up, req, items);
  for (const item of items) {
    const extra = isObject(item) ? Object.keys(item).filter((k) => !BATCH_LOGIN_ITEM.has(k)) : [];
    if (extra.length) return refuse(up, req, fail(Code.BadParams, 'deviceList items carry ' + extra.join(', ') + ', which the platform does not define (the sign method goes beside deviceList)', [refOf(item) ?? { productKey: '', deviceName: '' }]));
  }
  const r = loginAll(up, items, isObject(p) ? p.signMethod ?? p.signmethod : undefined);
  if (isFailure(r)) return refuse(up, req, r);
  return answer(up, req, Code.Ok, r);
}

/** combine/logout and batch_logout: {productKey, deviceName} (NODE passes the caller's object),
 *  a list of them (LSDK), or {deviceList}. Logging out a device that is not logged in is fine. */
export function combineLogout(up: Uplink, req: AlinkRequest): Verdict {
  const p = req.params;
  const single = refOf(p);
  const list = single ? [p] : Array.isArray(p) ? p : isObject(p) ? p.deviceList : undefined;
  const items = listParam(list, MAX_BATCH_LOGIN, 'sub-devices');
  if (isFailure(items)) return refuse(up, req, items);
  const gateways = gatewaysOf(up.core);
  const subs = checkAll(items, (item) => {
    const ref = refOf(item);
    if (!ref) return fail(Code.BadParams, 'each entry needs productKey and deviceName');
    return up.core.registry.device(ref.productKey, ref.deviceName) ? ref : fail(Code.DeviceNotFound, messageOf(Code.DeviceNotFound), [ref]);
  });
  if (isFailure(subs)) return refuse(up, req, subs);
  for (const s of subs) if (gateways.isLoggedIn(s.productKey, s.deviceName, up.session)) gateways.logout(s.productKey, s.deviceName);
  return answer(up, req, Code.Ok, single ? subs[0] : subs);
}

/** A gateway published for a sub-device of its topology that is not logged in: the ACL has
 *  dropped and logged it; the gateway hears 520 "no active session" on the request's `_reply`
 *  (Alink requests under /sys/, so the SDK's callback fails at once) and on
 *  `/ext/error/${gwPk}/${gwDn}` {"id","code":520,"message","data":{productKey, deviceName, topic}}
 *  (where CV3 listens to re-login the sub-device; payload layout UNCONFIRMED). */
export function noActiveSession(core: CloudCore, session: Session, topic: string, payload: Buffer): void {
  const o = ownerOf(topic);
  if (!o || o.family === 'broadcast' || !o.deviceName) return;
  if (gatewaysOf(core).gatewayKeyOf(o.productKey, o.deviceName) !== session.key) return;
  const code = Code.SubdevNoActiveSession;
  const parsed = parseRequest(payload);
  const id = parsed.ok ? parsed.req.id : parsed.id;
  if (o.family === 'sys' && parsed.ok && !topic.endsWith('_reply') && wantsReply(parsed.req)) {
    core.sendToSession(session, topic + '_reply', buildReply(id, code, {}, parsed.req.method || methodFromTopic(topic), messageOf(code)), {}, o.productKey, o.deviceName);
  }
  const body = { id, code, message: messageOf(code), data: { productKey: o.productKey, deviceName: o.deviceName, topic } };
  core.sendToSession(session, '/ext/error/' + session.productKey + '/' + session.deviceName, JSON.stringify(body));
}
