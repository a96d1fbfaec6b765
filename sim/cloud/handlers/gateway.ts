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
 *  The topology persists in the gateway's `DeviceRecord.ext.gatewayTopology`. */
import { Code, messageOf } from '../codes';
import { buildReply, methodFromTopic, nextRequestId, parseRequest, wantsReply, type AlinkRequest } from '../alink';
import { ownerOf } from '../acl';
import { hashOf, hmacHex, sameHex } from '../auth';
import type { CloudCore, Session } from '../core';
import { deviceKey, randomSecret, type DeviceRecord } from '../registry';
import type { Uplink, Verdict } from '../uplink';

export const MAX_PER_REQUEST = 30;
export const MAX_BATCH_LOGIN = 50;
export const MAX_TOPOLOGY = 2000;
/** A sub-device sign that does not verify: 401 "request auth error" (sub-device documentation). */
export const SUBDEV_SIGN_INVALID = Code.SubdevAuthFailed;

/** `status` of thing.topo.change (DOC-89299 as remembered: 0 created, 1 deleted, 2 enabled
 *  again, 8 disabled — UNCONFIRMED, §6.2). */
export const TopoChange = { Created: 0, Deleted: 1, Enabled: 2, Disabled: 8 } as const;

const TOPOLOGY_EXT = 'gatewayTopology';
/** Keys outside the sign content. topo/add (DOC-89299): "all parameters except sign and
 *  signMethod" (Link SDK 4.x spells it `signmethod` there, `aiot_subdev_api.c`, so either
 *  spelling); login (DOC-89300): "except sign, signMethod and cleanSession". Every other
 *  submitted key is signed, so a field the device adds without signing it fails. */
const UNSIGNED_TOPO_ADD = new Set(['sign', 'signmethod']);
const UNSIGNED_LOGIN = new Set(['sign', 'signmethod', 'cleansession']);
/** The fields of a batch_login deviceList item (DOC-89300; Link SDK 4.x sends these). */
const BATCH_LOGIN_ITEM = new Set(['productKey', 'deviceName', 'clientId', 'timestamp', 'sign', 'cleanSession']);

export interface SubRef {
  productKey: string;
  deviceName: string;
}

interface Failure {
  code: number;
  message: string;
  failed: SubRef[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function refOf(v: unknown): SubRef | null {
  if (!isObject(v) || typeof v.productKey !== 'string' || typeof v.deviceName !== 'string' || !v.productKey || !v.deviceName) return null;
  return { productKey: v.productKey, deviceName: v.deviceName };
}

function fail(code: number, message: string, failed: SubRef[] = []): Failure {
  return { code, message, failed };
}

function isPrimitive(v: unknown): v is string | number | boolean {
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

/** Topologies, their reverse index and sub-device sessions of one emulator. */
export class Gateways {
  /** Sub-device key → key of the gateway whose topology holds it. */
  private readonly gatewayOf = new Map<string, string>();

  constructor(private readonly core: CloudCore) {
    for (const d of core.registry.allDevices()) {
      for (const s of this.listOf(d)) this.gatewayOf.set(deviceKey(s.productKey, s.deviceName), deviceKey(d.productKey, d.deviceName));
    }
  }

  topology(gwPk: string, gwDn: string): SubRef[] {
    const d = this.core.registry.device(gwPk, gwDn);
    return d ? this.listOf(d).map((s) => ({ ...s })) : [];
  }

  gatewayKeyOf(pk: string, dn: string): string | undefined {
    return this.gatewayOf.get(deviceKey(pk, dn));
  }

  /** Sub-devices logged in through the gateway's live connection. */
  online(gwPk: string, gwDn: string): SubRef[] {
    const gwKey = deviceKey(gwPk, gwDn);
    const out: SubRef[] = [];
    for (const [key, s] of this.core.proxies) {
      if (s.key !== gwKey) continue;
      const slash = key.indexOf('/');
      out.push({ productKey: key.slice(0, slash), deviceName: key.slice(slash + 1) });
    }
    return out;
  }

  isLoggedIn(pk: string, dn: string, via?: Session): boolean {
    const s = this.core.proxies.get(deviceKey(pk, dn));
    return !!s && (!via || s === via);
  }

  /** Whether pk/dn is in the topology of a gateway other than `gwKey`: the platform then
   *  hands it to nobody else (sub/register, topo/add) until that gateway removes it. */
  boundElsewhere(pk: string, dn: string, gwKey: string): boolean {
    const owner = this.gatewayOf.get(deviceKey(pk, dn));
    return owner !== undefined && owner !== gwKey;
  }

  /** Adds to the gateway's topology (callers have refused sub-devices bound elsewhere). */
  attach(gw: DeviceRecord, subs: SubRef[]): void {
    const gwKey = deviceKey(gw.productKey, gw.deviceName);
    const list = this.listOf(gw);
    const have = new Set(list.map((s) => deviceKey(s.productKey, s.deviceName)));
    for (const s of subs) {
      const key = deviceKey(s.productKey, s.deviceName);
      if (have.has(key)) continue;
      list.push({ productKey: s.productKey, deviceName: s.deviceName });
      have.add(key);
      this.gatewayOf.set(key, gwKey);
    }
    this.store(gw, list);
  }

  /** Removes from a gateway's topology, logs the sub-devices out and, with `notify`, tells the
   *  gateway on thing/topo/change. */
  detachFrom(gwKey: string, subs: SubRef[], notify?: number): void {
    const slash = gwKey.indexOf('/');
    const gw = this.core.registry.device(gwKey.slice(0, slash), gwKey.slice(slash + 1));
    const drop = new Set(subs.map((s) => deviceKey(s.productKey, s.deviceName)));
    for (const key of drop) {
      if (this.gatewayOf.get(key) === gwKey) this.gatewayOf.delete(key);
    }
    for (const s of subs) this.logout(s.productKey, s.deviceName);
    if (gw) this.store(gw, this.listOf(gw).filter((s) => !drop.has(deviceKey(s.productKey, s.deviceName))));
    if (notify !== undefined) this.notifyChange(gwKey, notify, subs);
  }

  /** Forgets a deleted gateway's topology (its sub-devices become free to attach elsewhere). */
  forgetGateway(gwKey: string): void {
    for (const [sub, gw] of this.gatewayOf) if (gw === gwKey) this.gatewayOf.delete(sub);
  }

  login(session: Session, s: SubRef): void {
    const key = deviceKey(s.productKey, s.deviceName);
    const previous = this.core.proxies.get(key);
    if (previous && previous !== session) previous.proxied.delete(key);
    this.core.proxies.set(key, session);
    session.proxied.add(key);
  }

  logout(pk: string, dn: string): boolean {
    const key = deviceKey(pk, dn);
    const s = this.core.proxies.get(key);
    if (!s) return false;
    s.proxied.delete(key);
    this.core.proxies.delete(key);
    return true;
  }

  notifyChange(gwKey: string, status: number, subs: SubRef[]): void {
    const slash = gwKey.indexOf('/');
    const pk = gwKey.slice(0, slash);
    const dn = gwKey.slice(slash + 1);
    const body = { id: nextRequestId(), version: '1.0', params: { status, subList: subs.map((s) => ({ productKey: s.productKey, deviceName: s.deviceName })) }, method: 'thing.topo.change' };
    this.core.sendDown(pk, dn, `/sys/${pk}/${dn}/thing/topo/change`, JSON.stringify(body), { qos: 1 });
  }

  private listOf(d: DeviceRecord): SubRef[] {
    const v = d.ext?.[TOPOLOGY_EXT];
    return Array.isArray(v) ? (v as SubRef[]) : [];
  }

  private store(gw: DeviceRecord, list: SubRef[]): void {
    gw.ext = { ...(gw.ext ?? {}), [TOPOLOGY_EXT]: list };
    this.core.registry.changed();
  }
}

const services = new WeakMap<CloudCore, Gateways>();

export function gatewaysOf(core: CloudCore): Gateways {
  let g = services.get(core);
  if (!g) services.set(core, (g = new Gateways(core)));
  return g;
}

// ---------------------------------------------------------------------------------------
// Request plumbing

type Parsed = { req: AlinkRequest } | { verdict: Verdict };

function read(up: Uplink): Parsed {
  const r = parseRequest(up.payload);
  if (r.ok) return { req: r.req };
  return { verdict: up.core.replyAlink(up, { id: r.id }, r.code, {}, r.message) };
}

function answer(up: Uplink, req: AlinkRequest, code: number, data: unknown, message?: string): Verdict {
  const verdict: Verdict = code === Code.Ok ? { verdict: 'replied', code } : { verdict: 'rejected', code, detail: message };
  if (!wantsReply(req)) return code === Code.Ok ? { verdict: 'ok' } : verdict;
  const method = req.method || methodFromTopic(up.topic);
  up.core.sendDown(up.productKey, up.deviceName, up.topic + '_reply', buildReply(req.id, code, data, method, message ?? messageOf(code)));
  return verdict;
}

function refuse(up: Uplink, req: AlinkRequest, f: Failure): Verdict {
  return answer(up, req, f.code, f.failed, f.message);
}

/** The gateway itself must send these (not a sub-device through it), from a gateway product. */
function gatewayOfUplink(up: Uplink): DeviceRecord | Failure {
  if (up.session.key !== deviceKey(up.productKey, up.deviceName)) return fail(Code.BadParams, 'only the gateway itself manages its sub-devices');
  const gw = up.core.registry.device(up.productKey, up.deviceName);
  if (!gw) return fail(Code.DeviceNotFound, 'gateway not found');
  const nodeType = up.core.registry.product(up.productKey)?.nodeType;
  if (nodeType !== undefined && nodeType !== 'gateway') return fail(Code.BadParams, 'product ' + up.productKey + ' is not a gateway product');
  return gw;
}

function isFailure(x: unknown): x is Failure {
  return isObject(x) && typeof x.code === 'number' && Array.isArray(x.failed);
}

/** A list of 1..max items, or a refusal. */
function listParam(v: unknown, max: number, what: string): unknown[] | Failure {
  if (!Array.isArray(v) || v.length === 0) return fail(Code.BadParams, what + ' must be a non-empty list');
  if (v.length > max) return fail(Code.BadParams, 'at most ' + max + ' ' + what + ' per request, got ' + v.length);
  return v;
}

/** A sub-device of a sub-device product that the gateway may act for, its sign checked
 *  against the sub-device's own secret. `needTopo`: login requires the topo relation. */
function checkSigned(up: Uplink, gw: DeviceRecord, item: unknown, batchMethod: unknown, login: boolean): SubRef | Failure {
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
function checkAll(items: unknown[], check: (item: unknown) => SubRef | Failure): SubRef[] | Failure {
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

// ---------------------------------------------------------------------------------------
// Handlers

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

function withRequest(handler: (up: Uplink, req: AlinkRequest) => Verdict): (up: Uplink) => Verdict {
  return (up) => {
    const r = read(up);
    return 'verdict' in r ? r.verdict : handler(up, r.req);
  };
}

function topoTopic(up: Uplink): Verdict {
  switch (up.vars.op) {
    case 'add':
      return withRequest(topoAdd)(up);
    case 'delete':
      return withRequest(topoDelete)(up);
    case 'get':
      return withRequest(topoGet)(up);
    case 'change_reply':
      return { verdict: 'ok', detail: 'gateway acknowledged a topo change' };
    default:
      return { verdict: 'unhandled', detail: 'unknown topo operation' };
  }
}

function combineTopic(up: Uplink): Verdict {
  switch (up.vars.op) {
    case 'login':
      return withRequest(combineLogin)(up);
    case 'batch_login':
      return withRequest(combineBatchLogin)(up);
    case 'logout':
    case 'batch_logout':
      return withRequest(combineLogout)(up);
    default:
      return { verdict: 'unhandled', detail: 'session replies go cloud → device' };
  }
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

/** Console-side lifecycle (called by the API). */
export function onDeviceDisabled(core: CloudCore, pk: string, dn: string): void {
  const g = gatewaysOf(core);
  const gwKey = g.gatewayKeyOf(pk, dn);
  if (!gwKey) return;
  g.logout(pk, dn);
  g.notifyChange(gwKey, TopoChange.Disabled, [{ productKey: pk, deviceName: dn }]);
}

export function onDeviceEnabled(core: CloudCore, pk: string, dn: string): void {
  const g = gatewaysOf(core);
  const gwKey = g.gatewayKeyOf(pk, dn);
  if (gwKey) g.notifyChange(gwKey, TopoChange.Enabled, [{ productKey: pk, deviceName: dn }]);
}

export function onDeviceDeleted(core: CloudCore, pk: string, dn: string): void {
  const g = gatewaysOf(core);
  g.forgetGateway(deviceKey(pk, dn));
  const gwKey = g.gatewayKeyOf(pk, dn);
  if (gwKey) g.detachFrom(gwKey, [{ productKey: pk, deviceName: dn }], TopoChange.Deleted);
}

export function installGateway(core: CloudCore): void {
  gatewaysOf(core);
  core.router.add('/sys/:pk/:dn/thing/topo/:op', topoTopic);
  core.router.add('/sys/:pk/:dn/thing/sub/register', withRequest(subRegister));
  core.router.add('/ext/session/:pk/:dn/combine/:op', combineTopic);
  core.deniedPublishHooks.push((session, topic, payload) => noActiveSession(core, session, topic, payload));
}
