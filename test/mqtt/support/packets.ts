/**
 * Test support for the MQTT codec: a seeded PRNG, random valid packets of every type, and the
 * translation between our packet objects (binary strings) and mqtt-packet's (JS strings for
 * UTF-8 text, Buffers for binary data).
 */
import * as mp from 'mqtt-packet';
import {
  ConnectPacket,
  Packet,
  PacketType,
  PublishPacket,
  SubackFailure,
} from '../../../src/mqtt/packets';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: MQTT_SEED if set (to replay a failure), else a fresh one. */
export function runSeed(): number {
  const env = process.env.MQTT_SEED;
  return env ? Number(env) >>> 0 : (Math.random() * 4294967296) >>> 0;
}

/** JS (UTF-16) text -> UTF-8 bytes as a binary string, as the alink layer hands them to us. */
export const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
/** UTF-8 bytes as a binary string -> JS text. */
export const text = (b: string) => Buffer.from(b, 'latin1').toString('utf8');
export const buf = (b: string) => Buffer.from(b, 'latin1');
export const str = (b: Buffer) => b.toString('latin1');

export const NAMES = ['', 'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect'];

export class Gen {
  constructor(readonly r: () => number) {}

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  pick<T>(xs: T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }

  /** A length that is usually small but sometimes crosses the 1/2/3-byte remaining-length steps. */
  size(): number {
    const x = this.r();
    if (x < 0.6) return this.int(0, 24);
    if (x < 0.85) return this.int(100, 140);
    if (x < 0.97) return this.int(0, 2000);
    return this.int(16300, 17000);
  }

  /** Random bytes (0..255), as a binary string. */
  bytes(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.int(0, 255));
    return s;
  }

  /** Random text mixing ASCII, Latin-1, CJK and astral characters (emoji), as UTF-8 bytes. */
  utf8(maxChars: number, minChars = 0): string {
    const n = this.int(minChars, maxChars);
    let s = '';
    for (let i = 0; i < n; i++) {
      const k = this.r();
      if (k < 0.55) s += String.fromCharCode(this.int(0x20, 0x7e));
      else if (k < 0.7) s += String.fromCharCode(this.int(0xa0, 0x17f));
      else if (k < 0.92) s += String.fromCharCode(this.int(0x4e00, 0x9fff));
      else s += String.fromCodePoint(this.int(0x1f300, 0x1faff));
    }
    return utf8(s);
  }

  id(): number {
    const x = this.r();
    return x < 0.1 ? 1 : x < 0.2 ? 65535 : this.int(1, 65535);
  }

  packet(cmd: PacketType): Packet {
    switch (cmd) {
      case PacketType.Connect: {
        const clean = this.r() < 0.5;
        const p: ConnectPacket = { cmd, clientId: this.utf8(30, clean ? 0 : 1), keepalive: this.pick([0, 30, 60, 1200, 65535, this.int(0, 65535)]), clean };
        if (this.r() < 0.5) p.will = { topic: this.utf8(20, 1), payload: this.bytes(this.size()), qos: this.int(0, 2), retain: this.r() < 0.5 };
        if (this.r() < 0.7) {
          p.username = this.utf8(80);
          if (this.r() < 0.8) p.password = this.bytes(this.int(0, 200));
        }
        return p;
      }
      case PacketType.Connack:
        return { cmd, present: this.r() < 0.5, rc: this.int(0, 5) };
      case PacketType.Publish: {
        const qos = this.int(0, 2);
        return { cmd, topic: this.utf8(40, 1), payload: this.bytes(this.size()), qos, dup: qos > 0 && this.r() < 0.5, retain: this.r() < 0.5, id: qos ? this.id() : 0 };
      }
      case PacketType.Subscribe: {
        const subs = [];
        for (let i = this.int(1, 5); i > 0; i--) subs.push({ topic: this.utf8(30, 1), qos: this.int(0, 2) });
        return { cmd, id: this.id(), subs };
      }
      case PacketType.Suback: {
        const granted = [];
        for (let i = this.int(1, 8); i > 0; i--) granted.push(this.pick([0, 1, 2, SubackFailure]));
        return { cmd, id: this.id(), granted };
      }
      case PacketType.Unsubscribe: {
        const topics = [];
        for (let i = this.int(1, 5); i > 0; i--) topics.push(this.utf8(30, 1));
        return { cmd, id: this.id(), topics };
      }
      case PacketType.Pingreq:
      case PacketType.Pingresp:
      case PacketType.Disconnect:
        return { cmd };
      default:
        return { cmd, id: this.id() } as Packet;
    }
  }
}

/** Our packet -> the object mqtt-packet generates from (and should parse back to). */
export function toMp(p: Packet): any {
  const cmd = NAMES[p.cmd];
  switch (p.cmd) {
    case PacketType.Connect: {
      const o: any = { cmd, protocolId: 'MQTT', protocolVersion: 4, clientId: text(p.clientId), clean: p.clean, keepalive: p.keepalive };
      if (p.will) o.will = { topic: text(p.will.topic), payload: buf(p.will.payload), qos: p.will.qos, retain: p.will.retain };
      if (p.username != null) o.username = text(p.username);
      if (p.password != null) o.password = buf(p.password);
      return o;
    }
    case PacketType.Connack:
      return { cmd, sessionPresent: p.present, returnCode: p.rc };
    case PacketType.Publish: {
      const o: any = { cmd, topic: text(p.topic), payload: buf(p.payload), qos: p.qos, dup: p.dup, retain: p.retain };
      if (p.qos) o.messageId = p.id;
      return o;
    }
    case PacketType.Subscribe:
      return { cmd, messageId: p.id, subscriptions: p.subs.map((s) => ({ topic: text(s.topic), qos: s.qos })) };
    case PacketType.Suback:
      return { cmd, messageId: p.id, granted: p.granted.slice() };
    case PacketType.Unsubscribe:
      return { cmd, messageId: p.id, unsubscriptions: p.topics.map(text) };
    case PacketType.Pingreq:
    case PacketType.Pingresp:
    case PacketType.Disconnect:
      return { cmd };
    default:
      return { cmd, messageId: p.id };
  }
}

/** A packet mqtt-packet parsed -> our packet object. */
export function fromMp(o: any): Packet {
  const cmd = NAMES.indexOf(o.cmd) as PacketType;
  switch (cmd) {
    case PacketType.Connect: {
      if (o.protocolId !== 'MQTT' || o.protocolVersion !== 4) throw new Error(`protocol ${o.protocolId} ${o.protocolVersion}`);
      const p: ConnectPacket = { cmd, clientId: utf8(o.clientId), keepalive: o.keepalive, clean: o.clean };
      if (o.will) p.will = { topic: utf8(o.will.topic), payload: str(o.will.payload), qos: o.will.qos, retain: o.will.retain };
      if (o.username !== undefined) p.username = utf8(o.username);
      if (o.password !== undefined) p.password = str(o.password);
      return p;
    }
    case PacketType.Connack:
      return { cmd, present: o.sessionPresent, rc: o.returnCode };
    case PacketType.Publish:
      return { cmd, topic: utf8(o.topic), payload: str(o.payload), qos: o.qos, dup: o.dup, retain: o.retain, id: o.qos ? o.messageId : 0 } as PublishPacket;
    case PacketType.Subscribe:
      return { cmd, id: o.messageId, subs: o.subscriptions.map((s: any) => ({ topic: utf8(s.topic), qos: s.qos })) };
    case PacketType.Suback:
      return { cmd, id: o.messageId, granted: o.granted };
    case PacketType.Unsubscribe:
      return { cmd, id: o.messageId, topics: o.unsubscriptions.map(utf8) };
    case PacketType.Pingreq:
    case PacketType.Pingresp:
    case PacketType.Disconnect:
      return { cmd };
    default:
      return { cmd, id: o.messageId } as Packet;
  }
}

/** mqtt-packet's bytes for our packet, as a binary string (throws if it refuses the packet). */
export function mpGenerate(p: Packet): string {
  return str(mp.generate(toMp(p), { protocolVersion: 4 }));
}

/** Every packet mqtt-packet parses out of `bytes` (throws on its parse errors). */
export function mpParse(bytes: string): any[] {
  const parser = mp.parser({ protocolVersion: 4 });
  const out: any[] = [];
  let err: Error | null = null;
  parser.on('packet', (p: any) => out.push(p));
  parser.on('error', (e: Error) => (err = err || e));
  parser.parse(buf(bytes));
  if (err) throw err;
  return out;
}
