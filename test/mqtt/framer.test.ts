/**
 * The framer over every way a socket can cut the stream: split at each byte, many packets per
 * chunk, Espruino's 536-byte chunks of a 256 KB publish, and garbage.
 */
import { encode, decodeAny } from '../../src/mqtt/codec';
import { Framer } from '../../src/mqtt/framer';
import { Packet, PacketType } from '../../src/mqtt/packets';
import { Err } from '../../src/errors';
import { Gen, prng, runSeed, utf8 } from './support/packets';

const seed = runSeed();

/** Packets a broker sends, with every remaining-length width up to 3 bytes. */
const SERVER_PACKETS: Packet[] = [
  { cmd: PacketType.Connack, present: true, rc: 0 },
  { cmd: PacketType.Publish, topic: utf8('/pk/dn/user/温度'), payload: utf8('{"t":"二十"}'), qos: 1, dup: false, retain: false, id: 7 },
  { cmd: PacketType.Publish, topic: 't', payload: '', qos: 0, dup: false, retain: false, id: 0 },
  { cmd: PacketType.Puback, id: 65535 },
  { cmd: PacketType.Publish, topic: 'big', payload: 'p'.repeat(300), qos: 0, dup: false, retain: true, id: 0 },
  { cmd: PacketType.Suback, id: 2, granted: [1, 0x80] },
  { cmd: PacketType.Pingresp },
  { cmd: PacketType.Unsuback, id: 3 },
  { cmd: PacketType.Pubrel, id: 9 },
  { cmd: PacketType.Publish, topic: 'huge', payload: 'h'.repeat(17000), qos: 2, dup: true, retain: false, id: 1 },
];
const STREAM = SERVER_PACKETS.map(encode).join('');

function feedAll(f: Framer, chunks: string[]): Packet[] {
  const out: Packet[] = [];
  for (const c of chunks) {
    const r = f.feed(c);
    if (typeof r === 'number') throw new Error(`framer error ${r}`);
    out.push(...r);
  }
  return out;
}

describe('framer', () => {
  it('all packets in one chunk', () => {
    expect(feedAll(new Framer(), [STREAM])).toEqual(SERVER_PACKETS);
  });

  it('one byte at a time', () => {
    expect(feedAll(new Framer(), STREAM.split(''))).toEqual(SERVER_PACKETS);
  });

  it('split in two at every byte position', () => {
    const small = SERVER_PACKETS.slice(0, 9);
    const stream = small.map(encode).join('');
    for (let k = 0; k <= stream.length; k++) {
      const got = feedAll(new Framer(), [stream.substring(0, k), stream.substring(k)]);
      if (got.length !== small.length) throw new Error(`split at ${k}: ${got.length} packets`);
      expect(got).toEqual(small);
    }
  });

  it('an empty chunk changes nothing', () => {
    const f = new Framer();
    expect(f.feed('')).toEqual([]);
    expect(feedAll(f, [STREAM.substring(0, 1), '', STREAM.substring(1)])).toEqual(SERVER_PACKETS);
  });

  it(`random packet streams cut at random places (seed ${seed})`, () => {
    const gen = new Gen(prng(seed));
    const types = [PacketType.Connack, PacketType.Publish, PacketType.Puback, PacketType.Pubrec, PacketType.Pubrel, PacketType.Pubcomp, PacketType.Suback, PacketType.Unsuback, PacketType.Pingresp];
    for (let run = 0; run < 200; run++) {
      const packets: Packet[] = [];
      for (let i = gen.int(1, 12); i > 0; i--) packets.push(gen.packet(gen.pick(types)));
      const stream = packets.map(encode).join('');
      const chunks: string[] = [];
      for (let i = 0; i < stream.length; ) {
        const n = gen.int(0, 600);
        chunks.push(stream.substring(i, i + n));
        i += n;
      }
      expect(feedAll(new Framer(), chunks)).toEqual(packets);
    }
  });

  it('a 256 KB publish in 536-byte chunks (as Espruino delivers it), with packets around it', () => {
    const payload = new Gen(prng(seed)).bytes(256 * 1024);
    const big: Packet = { cmd: PacketType.Publish, topic: 'a/b', payload, qos: 1, dup: false, retain: false, id: 42 };
    const packets: Packet[] = [{ cmd: PacketType.Puback, id: 1 }, big, { cmd: PacketType.Pingresp }];
    const stream = packets.map(encode).join('');
    const chunks: string[] = [];
    for (let i = 0; i < stream.length; i += 536) chunks.push(stream.substring(i, i + 536));
    expect(chunks.length).toBeGreaterThan(489);
    const got = feedAll(new Framer(), chunks);
    expect(got.length).toBe(3);
    expect((got[1] as any).payload.length).toBe(payload.length);
    expect((got[1] as any).payload === payload).toBe(true);
    expect(got).toEqual(packets);
  });

  it('a packet is returned from the chunk that completes it, not before', () => {
    const bytes = encode(SERVER_PACKETS[1]);
    const f = new Framer();
    expect(f.feed(bytes.substring(0, bytes.length - 1))).toEqual([]);
    expect(f.feed(bytes.substring(bytes.length - 1))).toEqual([SERVER_PACKETS[1]]);
  });

  it('waits (without error) for the body of a 4-byte maximum remaining length', () => {
    const f = new Framer();
    expect(f.feed('\x30\xff\xff\xff\x7f\x00\x01a')).toEqual([]);
  });

  it('a custom decoder reads what a server receives', () => {
    const c: Packet = { cmd: PacketType.Connect, clientId: 'c', keepalive: 60, clean: true, username: 'u', password: 'p' };
    const s: Packet = { cmd: PacketType.Subscribe, id: 5, subs: [{ topic: 'x/#', qos: 1 }] };
    expect(feedAll(new Framer(decodeAny), [encode(c) + encode(s) + encode({ cmd: PacketType.Pingreq })])).toEqual([c, s, { cmd: PacketType.Pingreq }]);
  });
});

describe('framer on a malformed stream: Err.ProtocolError, never a throw', () => {
  const cases: [string, string][] = [
    ['reserved packet type 0', '\x00\x00'],
    ['reserved packet type 15', '\xf0\x00'],
    ['a 5-byte remaining length', '\x30\xff\xff\xff\xff\x01'],
    ['a CONNECT sent to a client', encode({ cmd: PacketType.Connect, clientId: 'c', keepalive: 1, clean: true })],
    ['a CONNACK with a 3-byte body', '\x20\x03\x00\x00\x00'],
    ['a PUBLISH with QoS 3', '\x36\x05\x00\x01a\x00\x01'],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      const f = new Framer();
      expect(f.feed(bytes)).toBe(Err.ProtocolError);
      // The stream cannot be resynchronised: a good packet afterwards still gives the error.
      expect(f.feed(encode({ cmd: PacketType.Pingresp }))).toBe(Err.ProtocolError);
    });
  }

  it('a bad packet after good ones in the same chunk', () => {
    const f = new Framer();
    expect(f.feed(encode({ cmd: PacketType.Pingresp }) + '\xd0\x01\x00')).toBe(Err.ProtocolError);
  });

  it(`random garbage, in random chunks, never throws (seed ${seed})`, () => {
    const gen = new Gen(prng(seed ^ 0xbad));
    let errors = 0;
    for (let run = 0; run < 2000; run++) {
      const f = new Framer();
      for (let k = gen.int(1, 5); k > 0; k--) {
        const r = f.feed(gen.bytes(gen.int(0, 40)));
        if (typeof r === 'number') {
          expect(r).toBe(Err.ProtocolError);
          errors++;
          break;
        }
        expect(Array.isArray(r)).toBe(true);
      }
    }
    // Many random streams announce a long body and wait for it; the rest must be refused.
    expect(errors).toBeGreaterThan(500);
  });
});
