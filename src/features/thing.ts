/**
 * The thing model (物模型) over Alink: property post, event post and raw data up; property set,
 * service calls (asynchronous, classic RRPC and ext RRPC) and raw data down, with their replies.
 * Works for any pk/dn the connection may speak for: the device itself or a gateway's sub-device.
 *
 * Callback data keeps the HaaS shapes (alink-protocol.md 7.3): params arrive as JSON text with
 * their byte length; msg_id is the Alink id as a number.
 */
import { Err } from '../errors';
import { T, topic, replyOf, Parsed } from '../alink/topics';
import { parse, stringify, repairText } from '../alink/json';
import { Done } from '../alink/rpc';
import { Connection } from './connection';

/** The platform's commonly cited ceiling for one message. */
export var MAX_PAYLOAD = 262144;

/**
 * The app's side of downlink traffic: `kind` is T.PropSet, T.Service (also for RRPC) or
 * T.DownRaw; returns what the app's callback returned.
 */
export interface ThingHandler {
  thing_(kind: T, data: any): any;
  /** Reports a refused call (ON_ERROR {code, message: method}) and returns the code. */
  fail_(code: number, method: string): number;
}

/**
 * JSON text for `params` given either as text (HaaS style, usually from JSON.stringify, whose
 * \u00XX escapes of UTF-8 bytes are undone) or as an object. A negative Err when unusable.
 */
export function paramsText(params: any): string | number {
  var text = typeof params == 'string';
  var t = text ? repairText(params) : params && typeof params == 'object' ? stringify(params) : '';
  if (!t) return Err.BadArgument;
  if (t.length > MAX_PAYLOAD) return Err.TooLarge;
  // Only the app's text can be malformed (what stringify writes is JSON); the interpreter's own
  // parser checks it, since only validity matters here.
  if (text) {
    try {
      JSON.parse(t);
    } catch (e) {
      return Err.BadArgument;
    }
  }
  return t;
}

/** Bytes (Uint8Array, array of numbers, or a binary string) as a binary string. */
export function byteString(b: any): string | number {
  if (typeof b == 'string') return b;
  if (!b || typeof b.length != 'number') return Err.BadArgument;
  var s = '';
  for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i] & 255);
  return s;
}

export function postProps(c: Connection, pk: string, dn: string, params: any, cb?: Done): number {
  var t = paramsText(params);
  if (typeof t == 'number') return t;
  return c.request_(topic(T.PropPost, pk, dn), 'thing.event.property.post', t, cb);
}

export function postEvent(c: Connection, pk: string, dn: string, id: any, params: any, cb?: Done): number {
  var t = paramsText(params);
  if (typeof t == 'number') return t;
  if (typeof id != 'string' || !id) return Err.BadArgument;
  return c.request_(topic(T.EventPost, pk, dn, id), 'thing.event.' + id + '.post', t, cb);
}

/** Raw bytes for the product's parsing script; `cb` fires when the broker has them (QoS 1). */
export function postRaw(c: Connection, pk: string, dn: string, bytes: any, cb?: (code: number) => void): number {
  var b = byteString(bytes);
  if (typeof b == 'number') return b;
  // (over 256 KB: the session refuses it, Err.TooLarge)
  return c.send_(topic(T.UpRaw, pk, dn), b, 1, cb);
}

/** An app's reply(bytes) for a call that arrived on a topic: publishes the bytes on `to` (QoS 0,
 *  as RRPC answers must be). Returns 0 or an Err. */
export function answerBytes(c: Connection, to: string) {
  return function (bytes: any): number {
    var b = byteString(bytes);
    return typeof b == 'number' ? b : c.send_(to, b, 0);
  };
}

function toBytes(s: string): Uint8Array {
  var u = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

/** The downlink side: takes (returns true for) a message of the thing model, calls `h` and sends the replies. */
export function thingDown(c: Connection, h: ThingHandler, p: Parsed, t: string, payload: string): boolean {
  if (p.reply) return false;
  var k = p.kind;
  if (k == T.DownRaw) {
    // data.reply(bytes) answers: on the same topic for a synchronous call (/ext/rrpc/<id>/...,
    // the cloud waits for it), on down_raw_reply otherwise.
    var to = p.rrpc ? t : replyOf(t);
    h.thing_(T.DownRaw, { productKey: p.pk, deviceName: p.dn, params_len: payload.length, params: toBytes(payload), sync: !!p.rrpc, reply: answerBytes(c, to) });
    return true;
  }
  if (k != T.PropSet && k != T.Service && k != T.RrpcReq) return false;
  var m = parse(payload);
  // A classic RRPC request is any bytes (the RRpc API); only a thing.service call is a service,
  // the rest reaches the app as a message it answers with bytes (Core.onCustom_).
  if (k == T.RrpcReq && !(m && typeof m.method == 'string' && m.method.indexOf('thing.service.') == 0)) return false;
  if (!m || typeof m != 'object') return true;
  var id = '' + m.id;
  var replyTopic = p.rrpc ? t : k == T.RrpcReq ? topic(T.RrpcResp, p.pk, p.dn, p.id) : replyOf(t);
  var params = stringify(m.params === undefined ? {} : m.params);
  // Params nested deeper than the module writes back as JSON: refused to the cloud as a bad
  // parameter (460), not handed to the app.
  if (params === undefined) {
    c.reply_(k == T.PropSet ? replyOf(t) : replyTopic, id, 460);
    return true;
  }
  var d: any = { code: 0, msg_id: +id, productKey: p.pk, deviceName: p.dn, params_len: params.length, params: params };

  if (k == T.PropSet) {
    var code = h.thing_(T.PropSet, d);
    // Answered for the app unless its handler returned another code (HaaS apps never answer).
    c.reply_(replyOf(t), id, typeof code == 'number' ? code : 200);
    return true;
  }

  // A service: asynchronous on .../thing/service/<id>, synchronous through classic RRPC
  // (/sys/pk/dn/rrpc/request/<msgId>, answered on rrpc/response/<msgId>) or ext RRPC
  // (/ext/rrpc/<rrpcId>/sys/..., answered on the same topic).
  var method = '' + (m.method || '');
  d.service_id = k == T.RrpcReq ? method.substring(method.lastIndexOf('.') + 1) : p.id;
  d.sync = k == T.RrpcReq || !!p.rrpc;
  var answered = false;
  d.reply = function (output?: any, rcode?: number): number {
    if (answered) return Err.Busy;
    var r = c.reply_(replyTopic, id, typeof rcode == 'number' ? rcode : 200, output);
    // Outputs that cannot be written as JSON: reported, and the call may still be answered.
    if (r == Err.BadArgument) return h.fail_(r, 'reply');
    answered = true;
    return r;
  };
  var out = h.thing_(T.Service, d);
  // A handler that returns its outputs (or a code) is answered at once; one that returns
  // nothing answers later with data.reply(output, code) within the platform's 8 s.
  if (typeof out == 'number') d.reply(undefined, out);
  else if (out !== undefined) d.reply(out);
  return true;
}
