/**
 * MQTT 3.1.1 codec: packet objects <-> binary strings. Pure functions, no state.
 *
 * Encoders return a whole packet (fixed header, remaining length, body). Decoders take the first
 * byte and the complete body (the framer finds the boundaries) and return a packet object or
 * Err.ProtocolError; they never throw. Lengths are byte counts: every string is one char per byte.
 *
 * The device needs only the client's half (encode what a client sends, decode what a server
 * sends). The other half (encodeConnack, encodeSuback, decodeAny for CONNECT/SUBSCRIBE/...) is
 * kept in separate functions so that the bundler drops it from the device build; the tests use
 * it to check both directions against mqtt-packet.
 */
import { Err } from '../errors';
import {
  AckPacket,
  ConnackPacket,
  ConnectPacket,
  EmptyPacket,
  Packet,
  PacketType,
  PublishPacket,
  SubackPacket,
  SubscribePacket,
  Subscription,
  UnsubscribePacket,
  SubackFailure,
} from './packets';

/** Largest remaining length that fits in 4 bytes [MQTT-2.2.3]. */
export const MaxRemaining = 268435455;

/** Longest topic (or any length-prefixed field) MQTT can carry: its length is 2 bytes [MQTT-1.5.3]. */
export const MaxField = 65535;

function u16(n: number): string {
  return String.fromCharCode((n >> 8) & 255, n & 255);
}

/** A length-prefixed field (UTF-8 string or binary data) [MQTT-1.5.3]. */
function field(s: string): string {
  return u16(s.length) + s;
}

function u16at(s: string, i: number): number {
  return (s.charCodeAt(i) << 8) | s.charCodeAt(i + 1);
}

/** Reads the length-prefixed field at i, or null when it runs past the end of s. */
function fieldAt(s: string, i: number): string | null {
  if (i + 2 > s.length) return null;
  const end = i + 2 + u16at(s, i);
  return end > s.length ? null : s.substring(i + 2, end);
}

/** Fixed header (first byte, remaining length in 1..4 bytes of 7 bits each) and body. */
export function frame(first: number, body: string): string {
  let n = body.length;
  let head = String.fromCharCode(first);
  do {
    // low 7 bits first; the top bit says another length byte follows
    head += String.fromCharCode((n & 127) | (n > 127 ? 128 : 0));
    n >>= 7;
  } while (n);
  return head + body;
}

// ---- client -> server --------------------------------------------------------------------

type Credentials = Pick<ConnectPacket, 'clientId' | 'username' | 'password'>;

/** CONNECT with the credentials in `c` and no will (what the device sends). */
export function encodeConnect(c: Credentials, keepalive: number, clean: boolean): string {
  return connect(c, keepalive, clean ? 2 : 0, '');
}

/** CONNECT; `flags` has the clean-session and will bits, `will` the will's fields. */
function connect(c: Credentials, keepalive: number, flags: number, will: string): string {
  let tail = field(c.clientId) + will;
  if (c.username != null) {
    flags |= 128;
    tail += field(c.username);
  }
  if (c.password != null) {
    flags |= 64;
    tail += field(c.password);
  }
  // Protocol name "MQTT", level 4 [MQTT-3.1.2-1, -2]; built from numbers, not a literal with NUL.
  return frame(0x10, String.fromCharCode(0, 4, 77, 81, 84, 84, 4, flags) + u16(keepalive) + tail);
}

/** What encodePublish needs: dup, retain and (for QoS 0) id may be left out. */
export interface Outgoing {
  topic: string;
  payload: string;
  qos: number;
  id?: number;
  dup?: boolean;
  retain?: boolean;
}

/**
 * The remaining length (all but the 2..5 header bytes) of the PUBLISH encodePublish makes for
 * `topic` and a payload of `payloadLen` bytes, or Err.TooLarge when MQTT cannot encode it (a
 * topic over MaxField bytes, a body over MaxRemaining): what a sender checks before it accepts one.
 */
export function publishSize(topic: string, payloadLen: number, qos: number): number {
  const n = 2 + topic.length + (qos ? 2 : 0) + payloadLen;
  return topic.length > MaxField || n > MaxRemaining ? Err.TooLarge : n;
}

/** The PUBLISH packet, or '' (nothing to send) when MQTT cannot encode it (see publishSize). */
export function encodePublish(p: Outgoing): string {
  if (publishSize(p.topic, p.payload.length, p.qos) < 0) return '';
  const first = 0x30 | (p.dup ? 8 : 0) | (p.qos << 1) | (p.retain ? 1 : 0);
  return frame(first, field(p.topic) + (p.qos ? u16(p.id!) : '') + p.payload);
}

/** PUBACK, PUBREC, PUBREL (flags 0010 [MQTT-3.6.1-1]), PUBCOMP, UNSUBACK. */
export function encodeAck(cmd: AckPacket['cmd'], id: number): string {
  return frame((cmd << 4) | (cmd === PacketType.Pubrel ? 2 : 0), u16(id));
}

/** What the session sends: SUBSCRIBE of one filter with `qos`, or UNSUBSCRIBE of it when qos < 0. */
export function encodeSubscription(id: number, topic: string, qos: number): string {
  if (topic.length > MaxField) return '';
  return frame(qos < 0 ? 0xa2 : 0x82, u16(id) + field(topic) + (qos < 0 ? '' : String.fromCharCode(qos)));
}

export function encodeSubscribe(p: SubscribePacket): string {
  let body = u16(p.id);
  for (let i = 0; i < p.subs.length; i++) body += field(p.subs[i].topic) + String.fromCharCode(p.subs[i].qos);
  return frame(0x82, body);
}

export function encodeUnsubscribe(p: UnsubscribePacket): string {
  let body = u16(p.id);
  for (let i = 0; i < p.topics.length; i++) body += field(p.topics[i]);
  return frame(0xa2, body);
}

/** PINGREQ, PINGRESP, DISCONNECT. */
export function encodeEmpty(cmd: EmptyPacket['cmd']): string {
  return String.fromCharCode(cmd << 4, 0);
}

// ---- server -> client (for tests and simulations; not used on the device) ---------------

export function encodeConnack(p: ConnackPacket): string {
  return frame(0x20, String.fromCharCode(p.present ? 1 : 0, p.rc));
}

export function encodeSuback(p: SubackPacket): string {
  return frame(0x90, u16(p.id) + String.fromCharCode.apply(null, p.granted));
}

/** Any packet, by its `cmd`. */
export function encode(p: Packet): string {
  switch (p.cmd) {
    case PacketType.Connect: {
      const w = p.will;
      const flags = p.clean ? 2 : 0;
      return w
        ? connect(p, p.keepalive, flags | 4 | (w.qos << 3) | (w.retain ? 32 : 0), field(w.topic) + field(w.payload))
        : connect(p, p.keepalive, flags, '');
    }
    case PacketType.Connack:
      return encodeConnack(p);
    case PacketType.Publish:
      return encodePublish(p);
    case PacketType.Subscribe:
      return encodeSubscribe(p);
    case PacketType.Suback:
      return encodeSuback(p);
    case PacketType.Unsubscribe:
      return encodeUnsubscribe(p);
    case PacketType.Pingreq:
    case PacketType.Pingresp:
    case PacketType.Disconnect:
      return encodeEmpty(p.cmd);
    default:
      return encodeAck(p.cmd, p.id);
  }
}

// ---- decoding ----------------------------------------------------------------------------

/** Decodes what a server may send a client; anything else is a protocol error. */
export function decode(first: number, body: string): Packet | number {
  const t = first >> 4;
  const n = body.length;
  if (t === PacketType.Publish) return decodePublish(first, body);
  // Reserved flag bits must be as listed in Table 2.2 [MQTT-2.2.2-1, -2].
  if ((first & 15) !== (t === PacketType.Pubrel ? 2 : 0)) return Err.ProtocolError;
  switch (t) {
    case PacketType.Connack: {
      // Bits 7-1 of the acknowledge flags are reserved [MQTT-3.2.2-1]; codes above 5 are reserved.
      const flags = body.charCodeAt(0);
      const rc = body.charCodeAt(1);
      if (n !== 2 || flags > 1 || rc > 5) return Err.ProtocolError;
      return { cmd: t, present: flags === 1, rc: rc } as ConnackPacket;
    }
    case PacketType.Puback:
    case PacketType.Pubrec:
    case PacketType.Pubrel:
    case PacketType.Pubcomp:
    case PacketType.Unsuback:
      if (n !== 2) return Err.ProtocolError;
      return { cmd: t, id: u16at(body, 0) } as AckPacket;
    case PacketType.Suback: {
      if (n < 3) return Err.ProtocolError;
      const granted: number[] = [];
      for (let i = 2; i < n; i++) {
        const c = body.charCodeAt(i);
        if (c > 2 && c !== SubackFailure) return Err.ProtocolError;
        granted.push(c);
      }
      return { cmd: t, id: u16at(body, 0), granted: granted } as SubackPacket;
    }
    case PacketType.Pingresp:
      return n ? Err.ProtocolError : ({ cmd: t } as EmptyPacket);
  }
  return Err.ProtocolError;
}

function decodePublish(first: number, body: string): PublishPacket | number {
  const qos = (first >> 1) & 3;
  // Past the end charCodeAt gives NaN, and u16at 0: a short body fails the length check below.
  const end = 2 + u16at(body, 0);
  const id = qos ? u16at(body, end) : 0;
  const start = qos ? end + 2 : end;
  // QoS 3 is malformed [MQTT-3.3.1-4]; a QoS>0 packet needs a non-zero packet id [MQTT-2.3.1-1].
  if (qos > 2 || start > body.length || (qos && !id)) return Err.ProtocolError;
  return {
    cmd: PacketType.Publish,
    topic: body.substring(2, end),
    payload: body.substring(start),
    qos: qos,
    dup: (first & 8) !== 0,
    retain: (first & 1) !== 0,
    id: id,
  };
}

/** Decodes any packet type, including those only a server receives (CONNECT, SUBSCRIBE, ...). */
export function decodeAny(first: number, body: string): Packet | number {
  const t = first >> 4;
  if (t !== PacketType.Connect && t !== PacketType.Subscribe && t !== PacketType.Unsubscribe && t !== PacketType.Pingreq && t !== PacketType.Disconnect) {
    return decode(first, body);
  }
  if ((first & 15) !== (t === PacketType.Subscribe || t === PacketType.Unsubscribe ? 2 : 0)) return Err.ProtocolError;
  if (t === PacketType.Connect) return decodeConnect(body);
  if (t === PacketType.Pingreq || t === PacketType.Disconnect) {
    return body.length ? Err.ProtocolError : ({ cmd: t } as EmptyPacket);
  }
  // SUBSCRIBE and UNSUBSCRIBE: a packet id, then at least one filter [MQTT-3.8.3-3, 3.10.3-2].
  if (body.length < 5) return Err.ProtocolError;
  const subs: Subscription[] = [];
  const topics: string[] = [];
  let i = 2;
  while (i < body.length) {
    const topic = fieldAt(body, i);
    if (topic === null) return Err.ProtocolError;
    i += 2 + topic.length;
    if (t === PacketType.Subscribe) {
      // Requested QoS: bits 7-2 reserved, 3 is malformed [MQTT-3.8.3-4].
      const qos = body.charCodeAt(i++);
      if (!(qos <= 2)) return Err.ProtocolError;
      subs.push({ topic: topic, qos: qos });
    } else {
      topics.push(topic);
    }
  }
  const id = u16at(body, 0);
  return t === PacketType.Subscribe
    ? ({ cmd: t, id: id, subs: subs } as SubscribePacket)
    : ({ cmd: t, id: id, topics: topics } as UnsubscribePacket);
}

function decodeConnect(body: string): ConnectPacket | number {
  // "MQTT", level 4 only [MQTT-3.1.2-1, -2]; the reserved flag bit must be 0 [MQTT-3.1.2-3].
  if (fieldAt(body, 0) !== 'MQTT' || body.charCodeAt(6) !== 4 || body.length < 10) return Err.ProtocolError;
  const flags = body.charCodeAt(7);
  const willFlag = flags & 4;
  // Will QoS and retain must be 0 without a will, and the will QoS must not be 3 [MQTT-3.1.2-11..14].
  if (flags & 1 || (!willFlag && flags & 0x38) || (flags & 0x18) === 0x18) return Err.ProtocolError;
  // Fields in order: client id, will topic, will message, user name, password [MQTT-3.1.3-1].
  const values: string[] = [];
  const present = [1, willFlag, willFlag, flags & 128, flags & 64];
  let i = 10;
  for (let k = 0; k < 5; k++) {
    if (!present[k]) continue;
    const v = fieldAt(body, i);
    if (v === null) return Err.ProtocolError;
    values[k] = v;
    i += 2 + v.length;
  }
  if (i !== body.length) return Err.ProtocolError;
  const p: ConnectPacket = { cmd: PacketType.Connect, clientId: values[0], keepalive: u16at(body, 8), clean: (flags & 2) !== 0 };
  if (willFlag) p.will = { topic: values[1], payload: values[2], qos: (flags >> 3) & 3, retain: (flags & 32) !== 0 };
  if (flags & 128) p.username = values[3];
  if (flags & 64) p.password = values[4];
  return p;
}
