/**
 * The framer over every way a socket can cut the stream: split at each byte, many packets per
 * chunk, Espruino's 536-byte chunks of a 256 KB publish, and garbage.
 */
import { encode, decodeAny } from '../../src/mqtt/codec';
import { Framer } from '../../src/mqtt/framer';
import { Packet, PacketType } from '../../src/mqtt/packets';
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
    out.push(...f.feed(c));
    if (f.bad_) throw new Error('framer: malformed stream');
  }
  return out;
}

/** Cuts a stream as Espruino's socket does: 536 bytes at a time. */
function espruinoChunks(stream: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < stream.length; i += 536) chunks.push(stream.substring(i, i + 536));
  return chunks;
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
    const chunks = espruinoChunks(packets.map(encode).join(''));
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

  it('waits with the body of a publish just within max, and gathers it whole', () => {
    const p: Packet = { cmd: PacketType.Publish, topic: 'a/b', payload: 'x'.repeat(995), qos: 0, dup: false, retain: false, id: 0 };
    // Remaining length: 2 + 3 (topic) + 995 = 1000.
    expect(feedAll(new Framer(undefined, 1000), espruinoChunks(encode(p)))).toEqual([p]);
  });

  it('the packet pointer and every later packet stay right around oversized publishes, at every chunking', () => {
    const over: Packet = { cmd: PacketType.Publish, topic: '/pk/dn/user/get', payload: 'y'.repeat(20000), qos: 1, dup: false, retain: false, id: 77 };
    const small: Packet = { cmd: PacketType.Publish, topic: 't', payload: 'ok', qos: 0, dup: false, retain: false, id: 0 };
    const ack: Packet = { cmd: PacketType.Puback, id: 5 };
    const stream = [small, over, ack, over, small].map(encode).join('');
    for (const size of [1, 7, 536, 1460, stream.length]) {
      const chunks: string[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.substring(i, i + size));
      const f = new Framer(undefined, 1000);
      const got = feedAll(f, chunks) as any[];
      expect(got.map((p) => p.cmd)).toEqual([PacketType.Publish, PacketType.Publish, PacketType.Puback, PacketType.Publish, PacketType.Publish]);
      expect(got[0]).toEqual(small);
      expect(got[4]).toEqual(small);
      for (const big of [got[1], got[3]]) {
        // Enough of the head to acknowledge and name it; the payload was never held whole.
        expect(big).toMatchObject({ big_: true, topic: '/pk/dn/user/get', qos: 1, id: 77 });
        expect(big.payload.length).toBeLessThanOrEqual(512);
      }
      expect(got[0].big_).toBeUndefined();
      // Nothing of the 20 KB bodies is kept once they have passed.
      expect(f.parts_).toEqual([]);
    }
  });

  it('a custom decoder reads what a server receives', () => {
    const c: Packet = { cmd: PacketType.Connect, clientId: 'c', keepalive: 60, clean: true, username: 'u', password: 'p' };
    const s: Packet = { cmd: PacketType.Subscribe, id: 5, subs: [{ topic: 'x/#', qos: 1 }] };
    expect(feedAll(new Framer(decodeAny), [encode(c) + encode(s) + encode({ cmd: PacketType.Pingreq })])).toEqual([c, s, { cmd: PacketType.Pingreq }]);
  });
});

describe('framer on a malformed stream: bad_ is set for good, never a throw', () => {
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
      expect(f.feed(bytes)).toEqual([]);
      expect(f.bad_).toBe(true);
      // The stream cannot be resynchronised: a good packet afterwards is not read.
      expect(f.feed(encode({ cmd: PacketType.Pingresp }))).toEqual([]);
      expect(f.bad_).toBe(true);
    });
  }

  it('the good packets before a bad one in the same chunk are still returned', () => {
    const f = new Framer();
    const ack: Packet = { cmd: PacketType.Puback, id: 3 };
    expect(f.feed(encode({ cmd: PacketType.Pingresp }) + encode(ack) + '\xd0\x01\x00' + encode(ack))).toEqual([{ cmd: PacketType.Pingresp }, ack]);
    expect(f.bad_).toBe(true);
  });

  it(`random garbage, in random chunks, never throws (seed ${seed})`, () => {
    const gen = new Gen(prng(seed ^ 0xbad));
    let errors = 0;
    for (let run = 0; run < 2000; run++) {
      const f = new Framer(undefined, gen.int(1, 64));
      for (let k = gen.int(1, 5); k > 0; k--) {
        const r = f.feed(gen.bytes(gen.int(0, 40)));
        expect(Array.isArray(r)).toBe(true);
        if (f.bad_) {
          errors++;
          break;
        }
      }
    }
    // Many random streams announce a long body and wait for it; the rest must be refused.
    expect(errors).toBeGreaterThan(500);
  });
});
