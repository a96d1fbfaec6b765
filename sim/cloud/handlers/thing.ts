/** Thing-model traffic under `/sys/${pk}/${dn}/thing/...`: property post (single and batch),
 *  event post, device info, and the device's replies to property set / service calls. The
 *  cloud→device side (setProperties, invokeService async) lives here too. */
import { Code } from '../codes';
import { buildRequest, nextRequestId, parseDeviceReply, wantsReply, type AlinkRequest } from '../alink';
import { PROPERTY_HISTORY, type CloudCore, type DownlinkResult } from '../core';
import { checkEvent, checkReportedProperties, checkService, checkSetProperties, unwrapValue } from '../tsl';
import { isVerdict, readRequest, type Uplink, type Verdict } from '../uplink';
import { isObject } from '../is-object';

const MAX_EVENTS_KEPT = 50;

function answer(up: Uplink, req: AlinkRequest, code: number, data?: unknown, message?: string): Verdict {
  if (!wantsReply(req)) return code === Code.Ok ? { verdict: 'ok' } : { verdict: 'rejected', code, detail: message };
  return up.core.replyAlink(up, req, code, data, message);
}

/** Accepts either the form a device posted or the batch form and stores the newest values. */
function storeProps(core: CloudCore, pk: string, dn: string, params: Record<string, unknown>, now: number): void {
  const state = core.stateOf(pk, dn);
  for (const id in params) {
    const { value, time } = unwrapValue(params[id]);
    state.props[id] = { value, time: time ?? now };
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const samples = (state.history[id] ??= []);
    samples.push({ value, time: time ?? now });
    if (samples.length > PROPERTY_HISTORY) samples.shift();
  }
}

/** Validates (TSL) and stores reported properties; shared with the raw path. */
export function applyProperties(core: CloudCore, pk: string, dn: string, params: unknown): { code: number; message?: string } {
  if (!isObject(params)) return { code: Code.ParamsNotObject, message: 'params must be a JSON object' };
  const tsl = core.registry.product(pk)?.tsl;
  if (tsl) {
    const v = checkReportedProperties(tsl, params);
    if (v.code !== Code.Ok) return v;
  }
  storeProps(core, pk, dn, params, Date.now());
  if (core.listenerCount('properties') > 0) core.emit('properties', { productKey: pk, deviceName: dn, params });
  return { code: Code.Ok };
}

/** Validates (TSL) and stores an event; params `{"value":{...},"time":..}` (DOC-89301) or the
 *  bare outputs. Shared with the raw path. */
export function applyEvent(core: CloudCore, pk: string, dn: string, eventId: string, params: unknown): { code: number; message?: string } {
  if (!isObject(params)) return { code: Code.ParamsNotObject, message: 'params must be a JSON object' };
  const wrapped = isObject(params.value) ? params : undefined;
  const value = (wrapped ? wrapped.value : params) as Record<string, unknown>;
  const time = wrapped && typeof wrapped.time === 'number' ? wrapped.time : Date.now();
  const tsl = core.registry.product(pk)?.tsl;
  if (tsl) {
    const v = checkEvent(tsl, eventId, value);
    if (v.code !== Code.Ok) return v;
  }
  const st = core.stateOf(pk, dn);
  st.events.push({ id: eventId, value, time });
  if (st.events.length > MAX_EVENTS_KEPT) st.events.shift();
  if (core.listenerCount('event') > 0) core.emit('event', { productKey: pk, deviceName: dn, eventId, value, time });
  return { code: Code.Ok };
}

export function propertyPost(up: Uplink): Verdict {
  const req = readRequest(up);
  if (isVerdict(req)) return req;
  const r = applyProperties(up.core, up.productKey, up.deviceName, req.params);
  return answer(up, req, r.code, {}, r.message);
}

/** Batch post: `params.properties.{id: [{value,time}...]}`, `params.events.{id: [...]}`. */
export function batchPost(up: Uplink): Verdict {
  const req = readRequest(up);
  if (isVerdict(req)) return req;
  const p = req.params;
  if (!isObject(p)) return answer(up, req, Code.BadParams, {}, 'params must be an object');
  const props = p.properties === undefined ? {} : p.properties;
  const events = p.events === undefined ? {} : p.events;
  if (!isObject(props) || !isObject(events)) return answer(up, req, Code.BadParams, {}, 'properties/events must be objects');
  const latest: Record<string, unknown> = {};
  for (const id in props) {
    const list = props[id];
    if (!Array.isArray(list) || list.length === 0) return answer(up, req, Code.BadParams, {}, 'property ' + id + ' must be a non-empty list');
    let best: { value: unknown; time?: number } | undefined;
    for (const item of list) {
      const u = unwrapValue(item);
      if (!best || (u.time ?? 0) >= (best.time ?? 0)) best = u;
    }
    latest[id] = best;
  }
  const tsl = up.core.registry.product(up.productKey)?.tsl;
  if (tsl) {
    const v = checkReportedProperties(tsl, latest);
    if (v.code !== Code.Ok) return answer(up, req, v.code, {}, v.message);
    for (const id in events) {
      const list = events[id];
      for (const item of Array.isArray(list) ? list : []) {
        const value = unwrapValue(item).value;
        const ev = checkEvent(tsl, id, isObject(value) ? value : {});
        if (ev.code !== Code.Ok) return answer(up, req, ev.code, {}, ev.message);
      }
    }
  }
  storeProps(up.core, up.productKey, up.deviceName, latest, Date.now());
  const st = up.core.stateOf(up.productKey, up.deviceName);
  for (const id in events) {
    for (const item of Array.isArray(events[id]) ? (events[id] as unknown[]) : []) {
      const u = unwrapValue(item);
      st.events.push({ id, value: u.value, time: u.time ?? Date.now() });
    }
  }
  if (st.events.length > MAX_EVENTS_KEPT) st.events.splice(0, st.events.length - MAX_EVENTS_KEPT);
  return answer(up, req, Code.Ok, {});
}

export function eventPost(up: Uplink): Verdict {
  const req = readRequest(up);
  if (isVerdict(req)) return req;
  const r = applyEvent(up.core, up.productKey, up.deviceName, up.vars.eventId, req.params);
  return answer(up, req, r.code, {}, r.message);
}

/** Requests the platform simply acknowledges (tags, etc.). */
export function acknowledge(up: Uplink): Verdict {
  const req = readRequest(up);
  if (isVerdict(req)) return req;
  return answer(up, req, Code.Ok, {});
}

export function replyKey(pk: string, dn: string, replyTopic: string, id: string): string {
  return 'alink:' + pk + '/' + dn + ':' + replyTopic + ':' + id;
}

/** A device's `..._reply` to a cloud request: settles the waiter with the same id, if any. */
export function deviceReply(up: Uplink): Verdict {
  const r = parseDeviceReply(up.payload);
  if (!r) return { verdict: 'rejected', detail: 'reply is not a JSON object' };
  const settled = up.core.settle(replyKey(up.productKey, up.deviceName, up.topic, r.id), { status: 'reply', code: r.code, data: r.data, message: r.message, id: r.id });
  return settled ? { verdict: 'ok', code: r.code } : { verdict: 'unmatched', code: r.code, detail: 'no pending request with id ' + JSON.stringify(r.id) };
}

/** `/sys/pk/dn/thing/service/<x>`: only `<id>_reply` is an uplink. */
export function serviceTopic(up: Uplink): Verdict {
  if (up.vars.name.endsWith('_reply')) return deviceReply(up);
  return { verdict: 'unhandled', detail: 'service requests go cloud → device' };
}

/** Sends an Alink request down and waits for `<topic>_reply` with the same id. */
export function requestDown(core: CloudCore, pk: string, dn: string, topic: string, method: string, params: unknown, timeoutMs?: number): Promise<DownlinkResult> {
  if (!core.sessionFor(pk, dn)) {
    core.log.add({ direction: 'down', productKey: pk, deviceName: dn, topic, payload: JSON.stringify(params), verdict: 'offline' });
    return Promise.resolve({ status: 'offline' });
  }
  const id = nextRequestId();
  const wait = core.expect(replyKey(pk, dn, topic + '_reply', id), timeoutMs);
  core.sendDown(pk, dn, topic, buildRequest(id, method, params), { qos: 1 });
  return wait;
}

/** Cloud sets properties (`thing.service.property.set`), checked against the TSL first. */
export function setProperties(core: CloudCore, pk: string, dn: string, params: Record<string, unknown>, timeoutMs?: number): Promise<DownlinkResult> {
  const tsl = core.registry.product(pk)?.tsl;
  if (tsl) {
    const v = checkSetProperties(tsl, params);
    if (v.code !== Code.Ok) return Promise.resolve({ status: 'refused', code: v.code, message: v.message });
  }
  return requestDown(core, pk, dn, '/sys/' + pk + '/' + dn + '/thing/service/property/set', 'thing.service.property.set', params, timeoutMs);
}

/** TSL check for a service call, shared by the async and sync paths. */
export function checkServiceCall(core: CloudCore, pk: string, serviceId: string, params: Record<string, unknown>): DownlinkResult | null {
  const tsl = core.registry.product(pk)?.tsl;
  if (!tsl) return null;
  const v = checkService(tsl, serviceId, params);
  return v.code === Code.Ok ? null : { status: 'refused', code: v.code, message: v.message };
}

/** Asynchronous service call: `/thing/service/<id>` → `<id>_reply`. */
export function invokeAsync(core: CloudCore, pk: string, dn: string, serviceId: string, params: Record<string, unknown>, timeoutMs?: number): Promise<DownlinkResult> {
  const refused = checkServiceCall(core, pk, serviceId, params);
  if (refused) return Promise.resolve(refused);
  return requestDown(core, pk, dn, '/sys/' + pk + '/' + dn + '/thing/service/' + serviceId, 'thing.service.' + serviceId, params, timeoutMs);
}

export function installThing(core: CloudCore): void {
  const r = core.router;
  r.add('/sys/:pk/:dn/thing/event/property/post', propertyPost);
  r.add('/sys/:pk/:dn/thing/event/property/batch/post', batchPost);
  r.add('/sys/:pk/:dn/thing/event/:eventId/post', eventPost);
  r.add('/sys/:pk/:dn/thing/service/property/set_reply', deviceReply);
  r.add('/sys/:pk/:dn/thing/service/:name', serviceTopic);
  r.add('/sys/:pk/:dn/thing/deviceinfo/update', acknowledge);
  r.add('/sys/:pk/:dn/thing/deviceinfo/delete', acknowledge);
}
