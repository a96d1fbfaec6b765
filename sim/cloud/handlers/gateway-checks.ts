/** What the gateway handlers share: the all-or-nothing refusal (Failure, with the sub-devices
 *  that failed), list and reference checks, the sub-device sign check, and the reply. */
import { Code, messageOf } from '../codes';
import { buildReply, methodFromTopic, wantsReply, type AlinkRequest } from '../alink';
import { hashOf, hmacHex, sameHex } from '../auth';
import { gatewaysOf, type SubRef } from '../gateways';
import { isObject } from '../is-object';
import { deviceKey, type DeviceRecord } from '../registry';
import type { Uplink, Verdict } from '../uplink';

export const MAX_PER_REQUEST = 30;
export const MAX_BATCH_LOGIN = 50;
export const MAX_TOPOLOGY = 2000;
/** A sub-device sign that does not verify: 401 "request auth error" (sub-device documentation). */
export const SUBDEV_SIGN_INVALID = Code.SubdevAuthFailed;

/** Keys outside the sign content. topo/add (DOC-89299): "all parameters except sign and
 *  signMethod" (Link SDK 4.x spells it `signmethod` there, `aiot_subdev_api.c`, so either
 *  spelling); login (DOC-89300): "except sign, signMethod and cleanSession". Every other
 *  submitted key is signed, so a field the device adds without signing it fails. */
const UNSIGNED_TOPO_ADD = new Set(['sign', 'signmethod']);
const UNSIGNED_LOGIN = new Set(['sign', 'signmethod', 'cleansession']);
/** The fields of a batch_login deviceList item (DOC-89300; Link SDK 4.x sends these). */
export const BATCH_LOGIN_ITEM = new Set(['productKey', 'deviceName', 'clientId', 'timestamp', 'sign', 'cleanSession']);

export interface Failure {
  code: number;
  message: string;
  failed: SubRef[];
}

export function refOf(v: unknown): SubRef | null {
  if (!isObject(v) || typeof v.productKey !== 'string' || typeof v.deviceName !== 'string' || !v.productKey || !v.deviceName) return null;
  return { productKey: v.productKey, deviceName: v.deviceName };
}

export function fail(code: number, message: string, failed: SubRef[] = []): Failure {
  return { code, message, failed };
}

export function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** The sign content of a topo/add (`login` false) or login item: every submitted key but the
 *  unsigned ones, sorted by name, name + value concatenated. */
export function signContent(item: Record<string, unknown>, login: boolean): string {
  const unsigned = login ? UNSIGNED_LOGIN : UNSIGNED_TOPO_ADD;
  return Object.keys(item)
    .filter((k) => !unsigned.has(k.toLowerCase()))
    .sort()
    .map((k) => k + (isPrimitive(item[k]) ? String(item[k]) : JSON.stringify(item[k])))
    .join('');
}

export function answer(up: Uplink, req: AlinkRequest, code: number, data: unknown, message?: string): Verdict {
  const verdict: Verdict = code === Code.Ok ? { verdict: 'replied', code } : { verdict: 'rejected', code, detail: message };
  if (!wantsReply(req)) return code === Code.Ok ? { verdict: 'ok' } : verdict;
  const method = req.method || methodFromTopic(up.topic);
  up.core.sendDown(up.productKey, up.deviceName, up.topic + '_reply', buildReply(req.id, code, data, method, message ?? messageOf(code)));
  return verdict;
}

export function refuse(up: Uplink, req: AlinkRequest, f: Failure): Verdict {
  return answer(up, req, f.code, f.failed, f.message);
}

/** The gateway itself must send these (not a sub-device through it), from a gateway product. */
export function gatewayOfUplink(up: Uplink): DeviceRecord | Failure {
  if (up.session.key !== deviceKey(up.productKey, up.deviceName)) return fail(Code.BadParams, 'only the gateway itself manages its sub-devices');
  const gw = up.core.registry.device(up.productKey, up.deviceName);
  if (!gw) return fail(Code.DeviceNotFound, 'gateway not found');
  const nodeType = up.core.registry.product(up.productKey)?.nodeType;
  if (nodeType !== undefined && nodeType !== 'gateway') return fail(Code.BadParams, 'product ' + up.productKey + ' is not a gateway product');
  return gw;
}

export function isFailure(x: unknown): x is Failure {
  return isObject(x) && typeof x.code === 'number' && Array.isArray(x.failed);
}

/** A list of 1..max items, or a refusal. */
export function listParam(v: unknown, max: number, what: string): unknown[] | Failure {
  if (!Array.isArray(v) || v.length === 0) return fail(Code.BadParams, what + ' must be a non-empty list');
  if (v.length > max) return fail(Code.BadParams, 'at most ' + max + ' ' + what + ' per request, got ' + v.length);
  return v;
}

/** A sub-device of a sub-device product that the gateway may act for, its sign checked
 *  against the sub-device's own secret. `needTopo`: login requires the topo relation. */
export function checkSigned(up: Uplink, gw: DeviceRecord, item: unknown, batchMethod: unknown, login: boolean): SubRef | Failure {
  const ref = refOf(item);
  if (!ref || !isObject(item)) return fail(Code.BadParams, 'each entry needs productKey and deviceName');
  const reg = up.core.registry;
  if (ref.productKey === gw.productKey && ref.deviceName === gw.deviceName) return fail(Code.TopoCannotAddSelf, messageOf(Code.TopoCannotAddSelf), [ref]);
  const sub = reg.device(ref.productKey, ref.deviceName);
  if (!sub) return fail(Code.DeviceNotFound, 'sub-device ' + ref.productKey + '/' + ref.deviceName + ' not found', [ref]);
  if (reg.product(ref.productKey)?.nodeType !== 'subdevice') return fail(Code.BadParams, 'product ' + ref.productKey + ' is not a sub-device product', [ref]);
  const gwKey = deviceKey(gw.productKey, gw.deviceName);
  if (login && gatewaysOf(up.core).gatewayKeyOf(ref.productKey, ref.deviceName) !== gwKey) return fail(Code.TopoNotExist, messageOf(Code.TopoNotExist), [ref]);
  if (!login && gatewaysOf(up.core).boundElsewhere(ref.productKey, ref.deviceName, gwKey)) return fail(Code.SubdevBoundElsewhere, messageOf(Code.SubdevBoundElsewhere), [ref]);
  const method = item.signMethod ?? item.signmethod ?? batchMethod;
  const hash = typeof method === 'string' ? hashOf(method) : null;
  if (!hash) return fail(Code.BadParams, 'signMethod must be hmacSha1, hmacSha256 or hmacMd5', [ref]);
  if (typeof item.sign !== 'string' || !sub.deviceSecret) return fail(SUBDEV_SIGN_INVALID, messageOf(SUBDEV_SIGN_INVALID), [ref]);
  const sign = item.sign;
  const secret = sub.deviceSecret;
  if (!sameHex(hmacHex(hash, secret, signContent(item, login)), sign)) return fail(SUBDEV_SIGN_INVALID, messageOf(SUBDEV_SIGN_INVALID), [ref]);
  if (sub.disabled) return fail(Code.DeviceDisabled, messageOf(Code.DeviceDisabled), [ref]);
  return ref;
}

/** Checks every item; the first refusal (with all failed refs) or the refs. */
export function checkAll(items: unknown[], check: (item: unknown) => SubRef | Failure): SubRef[] | Failure {
  const ok: SubRef[] = [];
  let first: Failure | null = null;
  const failed: SubRef[] = [];
  for (const item of items) {
    const r = check(item);
    if (isFailure(r)) {
      first ??= r;
      failed.push(...r.failed);
    } else ok.push(r);
  }
  return first ? { ...first, failed } : ok;
}
