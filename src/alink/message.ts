/**
 * The Alink JSON envelope (alink-protocol.md 3): requests the device sends, replies it sends
 * to the cloud's requests, and parsing of what the cloud sends (replies and requests alike).
 */
import { stringify, parse } from './json';

/** params/data given as a string are JSON text inserted verbatim; anything else is serialised. */
function text(v: any): string {
  return typeof v == 'string' ? v : v === undefined ? '{}' : stringify(v);
}

/**
 * A request: {"id":"<id>","version":"1.0","params":<params>,"sys":{"ack":<ack>},"method":"<m>"}.
 * `ack` defaults to 1 (the cloud replies). An empty `method` gives the bare {"id","params"}
 * envelope that the upload and OTA messages use.
 */
export function request(id: string, method: string, params: any, ack?: number): string {
  var p = text(params);
  if (!method) return '{"id":"' + id + '","params":' + p + '}';
  return '{"id":"' + id + '","version":"1.0","params":' + p + ',"sys":{"ack":' + (ack === 0 ? 0 : 1) + '},"method":"' + method + '"}';
}

/**
 * The device's reply to a cloud request: {"id":"<id>","code":<code>,"data":<data>}; '' when
 * `data` cannot be written as JSON (circular, nested too deep, a throwing toJSON).
 */
export function reply(id: string, code: number, data?: any): string {
  var d = text(data);
  return d === undefined ? '' : '{"id":"' + id + '","code":' + code + ',"data":' + d + '}';
}

/** A parsed message. Keys are the Alink JSON keys; `id` is always a string, `code` a number when present. */
export interface Msg {
  id: string;
  code?: number;
  data?: any;
  params?: any;
  method?: string;
  message?: string;
  [k: string]: any;
}

/**
 * Parses a reply or request from the cloud. The id is normalised to a string (some senders use
 * numbers) and a string code ("1000") to a number. Not a JSON object -> undefined.
 */
export function parseMsg(t: string): Msg | undefined {
  var m = parse(t);
  if (!m || typeof m != 'object' || Array.isArray(m)) return undefined;
  if (m.id !== undefined && m.id !== null) m.id = '' + m.id;
  if (typeof m.code == 'string' && m.code !== '' && !isNaN(+m.code)) m.code = +m.code;
  return m;
}
