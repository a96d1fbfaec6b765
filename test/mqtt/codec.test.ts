/**
 * The codec against its oracle, mqtt-packet 9 (what aedes, the emulator's broker, is built on).
 *
 * For every packet: our bytes equal mqtt-packet's bytes; mqtt-packet parses our bytes back to the
 * same packet; we decode mqtt-packet's bytes back to the same packet. Random packets come from a
 * seeded PRNG; the seed is in the test names, and MQTT_SEED=<seed> replays a run.
 */
import { decode, decodeAny, encode, encodePublish, encodeSubscription, frame, publishSize } from '../../src/mqtt/codec';
import { Packet, PacketType } from '../../src/mqtt/packets';
import { Err } from '../../src/errors';
import { Gen, NAMES, fromMp, mpGenerate, mpParse, prng, runSeed, utf8 } from './support/packets';

const seed = runSeed();
const CASES_PER_TYPE = 800; // x 14 packet types = 11,200 random cases per run
const ALL_TYPES: PacketType[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
/** Types a server sends: the client's `decode` must accept them. */
const SERVER_TO_CLIENT = [PacketType.Connack, PacketType.Publish, PacketType.Puback, PacketType.Pubrec, PacketType.Pubrel, PacketType.Pubcomp, PacketType.Suback, PacketType.Unsuback, PacketType.Pingresp];

/** Splits a whole packet into its first byte and body (the framer's job, done simply here). */
function split(bytes: string): [number, string] {
  let i = 1;
  while (bytes.charCodeAt(i) & 128) i++;
  return [bytes.charCodeAt(0), bytes.substring(i + 1)];
}

/** The three checks for one packet; returns a description of the first mismatch, or ''. */
function check(p: Packet): string {
  const ours = encode(p);
  const theirs = mpGenerate(p);
  if (ours !== theirs) return `bytes differ: ours ${hex(ours, 40)} mqtt-packet ${hex(theirs, 40)}`;
  const parsed = mpParse(ours);
  if (parsed.length !== 1) return `mqtt-packet parsed ${parsed.length} packets`;
  const back = fromMp(parsed[0]);
  if (!same(back, p)) return `mqtt-packet parsed ${brief(back)}`;
  const [first, body] = split(theirs);
  const decoded = decodeAny(first, body);
  if (!same(decoded, p)) return `we decoded ${brief(decoded)}`;
  if (SERVER_TO_CLIENT.indexOf(p.cmd) >= 0 && !same(decode(first, body), p)) return 'client decode differs';
  return '';
}

function brief(x: unknown): string {
  return JSON.stringify(x).substring(0, 300);
}

function same(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

function hex(s: string, max = 64): string {
  return Buffer.from(s.substring(0, max), 'latin1').toString('hex') + (s.length > max ? '...' : '');
}

describe(`codec vs mqtt-packet, random packets (seed ${seed}, MQTT_SEED=${seed} to replay)`, () => {
  const gen = new Gen(prng(seed));
  for (const t of ALL_TYPES) {
    it(`${NAMES[t]}: ${CASES_PER_TYPE} random packets agree in both directions`, () => {
      for (let i = 0; i < CASES_PER_TYPE; i++) {
        const p = gen.packet(t);
        const problem = check(p);
        if (problem) throw new Error(`seed ${seed}, ${NAMES[t]} case ${i}: ${problem}\npacket ${brief(p)}`);
      }
    });
  }
});

describe('remaining length', () => {
  // A QoS 0 PUBLISH to "a/b" has 5 bytes of header fields, so payload = length - 5.
  const cases: [number, number][] = [
    [5, 1], [127, 1], [128, 2], [16383, 2], [16384, 3], [2097151, 3], [2097152, 4],
  ];
  for (const [len, lengthBytes] of cases) {
    it(`publish with remaining length ${len} -> ${lengthBytes} length byte(s), same as mqtt-packet`, () => {
      const p: Packet = { cmd: PacketType.Publish, topic: 'a/b', payload: 'x'.repeat(len - 5), qos: 0, dup: false, retain: false, id: 0 };
      const bytes = encode(p);
      expect(bytes.length).toBe(1 + lengthBytes + len);
      expect(check(p)).toBe('');
    });
  }

  it('remaining length 0 (PINGREQ, PINGRESP, DISCONNECT) is one zero byte', () => {
    expect(hex(encode({ cmd: PacketType.Pingreq }))).toBe('c000');
    expect(hex(encode({ cmd: PacketType.Pingresp }))).toBe('d000');
    expect(hex(encode({ cmd: PacketType.Disconnect }))).toBe('e000');
  });

  it('frame() writes the 4-byte maximum as ff ff ff 7f', () => {
    // Checked with a stand-in body whose length is all that frame() reads.
    const body = { length: 268435455 } as unknown as string;
    expect(hex(frame(0x30, body).substring(0, 5))).toBe('30ffffff7f');
  });
});

describe('what MQTT cannot encode is refused, never written truncated', () => {
  const topic65535 = 't'.repeat(65535);
  const topic65536 = 't'.repeat(65536);

  it('a topic of 65,535 bytes is encoded whole (mqtt-packet agrees); 65,536 is refused', () => {
    const p: Packet = { cmd: PacketType.Publish, topic: topic65535, payload: 'p', qos: 1, dup: false, retain: false, id: 7 };
    expect(check(p)).toBe('');
    expect(publishSize(topic65535, 1, 1)).toBe(2 + 65535 + 2 + 1);
    expect(publishSize(topic65536, 1, 1)).toBe(Err.TooLarge);
    // Before: the length was written modulo 65,536 and the rest of the topic became payload.
    expect(encodePublish({ topic: topic65536, payload: 'p', qos: 0 })).toBe('');
    expect(encodeSubscription(1, topic65536, 1)).toBe('');
    expect(encodeSubscription(1, topic65536, -1)).toBe('');
  });

  it('a body over 268,435,455 bytes (4 length bytes) is refused', () => {
    // publishSize reads only the payload's length: no 256 MB string is built.
    expect(publishSize('a/b', 268435455 - 5, 0)).toBe(268435455);
    expect(publishSize('a/b', 268435455 - 4, 0)).toBe(Err.TooLarge);
    expect(publishSize('a/b', 268435455 - 5, 1)).toBe(Err.TooLarge);
    const payload = { length: 268435455 - 4 } as unknown as string;
    expect(encodePublish({ topic: 'a/b', payload, qos: 0 })).toBe('');
  });
});

describe('fixed vectors (annotated)', () => {
  it('CONNECT with will, clean session, user name and password', () => {
    const p: Packet = {
      cmd: PacketType.Connect, clientId: 'c1', keepalive: 60, clean: true, username: 'u', password: 'pw',
      will: { topic: 'w', payload: 'bye', qos: 1, retain: true },
    };
    expect(hex(encode(p))).toBe(
      '10' + '1d' + // CONNECT, remaining length 29
      '00044d515454' + '04' + // "MQTT", level 4
      'ee' + // flags: user, password, will retain, will QoS 1, will, clean
      '003c' + // keepalive 60
      '00026331' + // client id "c1"
      '000177' + '0003627965' + // will topic "w", will message "bye"
      '000175' + '00027077', // user name "u", password "pw"
    );
    expect(check(p)).toBe('');
  });

  it('PUBLISH QoS 1, DUP, retain, UTF-8 topic', () => {
    const p: Packet = { cmd: PacketType.Publish, topic: utf8('温度'), payload: '{}', qos: 1, dup: true, retain: true, id: 0x1234 };
    expect(hex(encode(p))).toBe(
      '3b' + // PUBLISH, DUP, QoS 1, retain
      '0c' + // remaining length 12
      '0006e6b8a9e5baa6' + // topic: 6 UTF-8 bytes
      '1234' + // packet id
      '7b7d', // payload "{}"
    );
    expect(check(p)).toBe('');
  });

  it('SUBSCRIBE has the reserved flags 0010 and a QoS byte per filter', () => {
    const p: Packet = { cmd: PacketType.Subscribe, id: 1, subs: [{ topic: 'a', qos: 1 }] };
    expect(hex(encode(p))).toBe('82' + '06' + '0001' + '000161' + '01');
  });

  it('PUBREL has the reserved flags 0010', () => {
    expect(hex(encode({ cmd: PacketType.Pubrel, id: 7 }))).toBe('62020007');
  });

  it('an empty payload and a CONNECT with no user name, password or will', () => {
    expect(check({ cmd: PacketType.Publish, topic: 't', payload: '', qos: 0, dup: false, retain: false, id: 0 })).toBe('');
    expect(check({ cmd: PacketType.Connect, clientId: '', keepalive: 0, clean: true })).toBe('');
  });
});

describe('decoding malformed packets gives Err.ProtocolError, never a throw', () => {
  const bad: [string, number, string][] = [
    ['CONNACK with 3 body bytes', 0x20, '\x00\x00\x00'],
    ['CONNACK with reserved acknowledge flags', 0x20, '\x02\x00'],
    ['CONNACK with return code 6', 0x20, '\x00\x06'],
    ['CONNACK with header flags set', 0x21, '\x00\x00'],
    ['PUBLISH with QoS 3', 0x36, '\x00\x01a\x00\x01'],
    ['PUBLISH whose topic runs past the end', 0x30, '\x00\x09ab'],
    ['PUBLISH QoS 1 without a packet id', 0x32, '\x00\x01a'],
    ['PUBLISH QoS 1 with packet id 0', 0x32, '\x00\x01a\x00\x00'],
    ['PUBLISH with a 1-byte body', 0x30, '\x00'],
    ['PUBACK with 3 bytes', 0x40, '\x00\x01\x00'],
    ['PUBREL with flags 0000', 0x60, '\x00\x01'],
    ['SUBACK with no return codes', 0x90, '\x00\x01'],
    ['SUBACK with return code 3', 0x90, '\x00\x01\x03'],
    ['UNSUBACK with 1 byte', 0xb0, '\x00'],
    ['PINGRESP with a body', 0xd0, '\x00'],
  ];
  for (const [name, first, body] of bad) {
    it(name, () => {
      expect(decode(first, body)).toBe(Err.ProtocolError);
    });
  }

  it('a client refuses packets only a server may receive', () => {
    for (const t of [PacketType.Connect, PacketType.Subscribe, PacketType.Unsubscribe, PacketType.Pingreq, PacketType.Disconnect]) {
      const [first, body] = split(encode(new Gen(prng(t)).packet(t)));
      expect(decode(first, body)).toBe(Err.ProtocolError);
      expect(decodeAny(first, body)).not.toBe(Err.ProtocolError);
    }
  });

  it('decodeAny refuses a malformed CONNECT, SUBSCRIBE, UNSUBSCRIBE', () => {
    const connect = split(encode({ cmd: PacketType.Connect, clientId: 'c', keepalive: 1, clean: true }));
    expect(decodeAny(connect[0], connect[1] + 'x')).toBe(Err.ProtocolError); // trailing byte
    expect(decodeAny(connect[0], connect[1].replace('MQTT', 'MQTX'))).toBe(Err.ProtocolError);
    expect(decodeAny(0x10, connect[1].substring(0, 9))).toBe(Err.ProtocolError); // truncated
    expect(decodeAny(0x82, '\x00\x01\x00\x01a\x03')).toBe(Err.ProtocolError); // requested QoS 3
    expect(decodeAny(0x82, '\x00\x01\x00\x01a')).toBe(Err.ProtocolError); // QoS byte missing
    expect(decodeAny(0x80, '\x00\x01\x00\x01a\x00')).toBe(Err.ProtocolError); // flags 0000
    expect(decodeAny(0xa2, '\x00\x01')).toBe(Err.ProtocolError); // no topic
  });

  it(`random bodies for every first byte never throw (seed ${seed})`, () => {
    const gen = new Gen(prng(seed ^ 0x5eed));
    for (let i = 0; i < 3000; i++) {
      const first = gen.int(0, 255);
      const body = gen.bytes(gen.int(0, 12));
      for (const f of [decode, decodeAny]) {
        const r = f(first, body);
        expect(typeof r === 'number' ? r === Err.ProtocolError : typeof r.cmd === 'number').toBe(true);
      }
    }
  });
});
