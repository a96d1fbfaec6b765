/** The Alink JSON envelope (alink-protocol.md §3): parse a device request once, decide whether
 *  a reply is wanted, infer the method from the topic, and build replies with the platform's
 *  key order `{"code","data","id","message","method","version"}`. */
import { Code, messageOf } from './codes';

export interface AlinkRequest {
  /** Echoed verbatim in the reply (NODE's `1|exp-topic|...` ids included). */
  id: string;
  version?: string;
  method?: string;
  params: unknown;
  sys?: { ack?: unknown };
  /** The whole parsed object, for handlers that read extra fields. */
  raw: Record<string, unknown>;
}

export type ParseResult =
  | { ok: true; req: AlinkRequest }
  | { ok: false; code: number; message: string; id: string };

/** Parses a request payload; failures carry the code the platform answers with
 *  (6207 not JSON, 460 JSON of the wrong shape) and whatever id could be read. */
export function parseRequest(payload: Buffer): ParseResult {
  let obj: unknown;
  try {
    obj = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, code: Code.NotJson, message: messageOf(Code.NotJson), id: '' };
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return { ok: false, code: Code.NotJson, message: messageOf(Code.NotJson), id: '' };
  }
  const o = obj as Record<string, unknown>;
  const id = typeof o.id === 'string' ? o.id : typeof o.id === 'number' ? String(o.id) : undefined;
  if (id === undefined) return { ok: false, code: Code.BadParams, message: 'id is missing', id: '' };
  if (!('params' in o)) return { ok: false, code: Code.BadParams, message: 'params is missing', id };
  const sys = o.sys !== null && typeof o.sys === 'object' ? (o.sys as { ack?: unknown }) : undefined;
  return {
    ok: true,
    req: {
      id,
      version: typeof o.version === 'string' ? o.version : undefined,
      method: typeof o.method === 'string' ? o.method : undefined,
      params: o.params,
      sys,
      raw: o,
    },
  };
}

/** `sys.ack` 0 (number or string) means "no reply"; absent or 1 means reply. */
export function wantsReply(req: AlinkRequest): boolean {
  const ack = req.sys?.ack;
  return !(ack === 0 || ack === '0');
}

/** `/sys/pk/dn/thing/event/property/post` → `thing.event.property.post`: the levels after
 *  productKey/deviceName joined by dots (LSDK omits `method`; the cloud derives it). */
export function methodFromTopic(topic: string): string {
  const l = topic.split('/');
  // /sys/pk/dn/... and /ext/session/pk/dn/... : skip the owner levels
  const from = l[1] === 'sys' ? 4 : l[1] === 'ext' ? 5 : 1;
  return l.slice(from).join('.');
}

/** Reply text in the platform's key order. `method` is the request's, or inferred. */
export function buildReply(id: string, code: number, data: unknown, method: string, message?: string): string {
  return JSON.stringify({
    code,
    data: data === undefined ? {} : data,
    id,
    message: message ?? messageOf(code),
    method,
    version: '1.0',
  });
}

// Starts at a random point, as platform ids are not small counters (a client that answers
// with its own counter must not match by accident).
let downId = 100000000 + Math.floor(Math.random() * 900000000);

/** A cloud-chosen request id: decimal string 0..4294967295 (§3.1). */
export function nextRequestId(): string {
  downId = (downId + 1) % 4294967295;
  return String(downId);
}

/** A cloud → device request. */
export function buildRequest(id: string, method: string, params: unknown): string {
  return JSON.stringify({ id, version: '1.0', params, method });
}

/** Device → cloud reply fields (`{"id","code","data"}`, message optional). */
export interface DeviceReply {
  id: string;
  code: number;
  data: unknown;
  message?: string;
}

/** Reads a device's reply; null when it is not a JSON object with an id. */
export function parseDeviceReply(payload: Buffer): DeviceReply | null {
  let o: unknown;
  try {
    o = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return null;
  const r = o as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : typeof r.id === 'number' ? String(r.id) : '';
  const code = typeof r.code === 'number' ? r.code : Number(r.code);
  return { id, code: Number.isFinite(code) ? code : Code.Ok, data: r.data ?? {}, message: typeof r.message === 'string' ? r.message : undefined };
}
