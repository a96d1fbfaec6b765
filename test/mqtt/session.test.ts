/**
 * Session unit tests: the real state machine against a scripted broker (fake Links) and jest's
 * fake clock. Time here is the fake clock's, never the wall clock.
 */
import { Err } from '../../src/errors';
import { PacketType, Packet, PublishPacket, SubscribePacket, UnsubscribePacket } from '../../src/mqtt/packets';
import { encode } from '../../src/mqtt/codec';
import { Harness } from './support/fake-link';

const KA = 60_000;

beforeEach(() => {
  jest.useFakeTimers({ now: 1_700_000_000_000 });
  // Jitter at the middle of its range: a backoff step d waits 0.75 d.
  jest.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

const cmds = (ps: Packet[]) => ps.map((p) => p.cmd);

/** Opens a fresh connection's in-flight window to 16: 15 messages, each acknowledged. */
function widen(h: Harness, l: ReturnType<Harness['connect']>): void {
  for (let i = 0; i < 15; i++) {
    h.session.publish('t', 'w', 1);
    l.send({ cmd: PacketType.Puback, id: l.publishes[l.publishes.length - 1].id });
  }
}

describe('connect', () => {
  it('dials, sends CONNECT with the credentials, keepalive and clean flag, and reports onConnect on CONNACK 0', () => {
    const h = new Harness({ keepaliveSec: 120, cleanSession: false, tls: true, ca: 'CA' });
    h.session.start();
    expect(h.link.opts).toEqual({ host: 'broker.test', port: 1883, tls: true, ca: 'CA' });
    expect(h.link.sent).toEqual([]); // nothing before the link is open
    h.link.open();
    expect(h.link.connect).toEqual({ cmd: PacketType.Connect, clientId: 'dev1', username: 'user', password: 'pw1', keepalive: 120, clean: false });
    expect(h.session.isConnected()).toBe(false);
    h.link.connack(0, true);
    expect(h.session.isConnected()).toBe(true);
    expect(h.fresh()).toEqual([['connect', true]]);
  });

  it('a refused CONNACK is reported as -300 - rc, never as connected, and retried after a backoff', () => {
    const h = new Harness();
    h.session.start();
    h.link.open();
    h.link.connack(5);
    expect(h.session.isConnected()).toBe(false);
    expect(h.fresh()).toEqual([['error', -305]]);
    expect(h.link.closed).toBe(true);
    expect(h.dials).toBe(1);
    jest.advanceTimersByTime(750);
    expect(h.dials).toBe(2);
    h.connect();
    expect(h.fresh()).toEqual([['connect', false]]);
  });

  it('stops after 5 authentication refusals in a row and fails what is pending with the refusal code', () => {
    const h = new Harness();
    const cb = jest.fn();
    h.session.publish('t', 'x', 1, cb);
    h.session.start();
    for (let i = 0; i < 5; i++) {
      if (i) h.retry();
      h.link.open();
      h.link.connack(4);
    }
    expect(h.fresh()).toEqual([['error', -304], ['error', -304], ['error', -304], ['error', -304], ['error', -304]]);
    expect(h.dials).toBe(5);
    expect(cb).toHaveBeenCalledWith(-304);
    jest.advanceTimersByTime(3_600_000);
    expect(h.dials).toBe(5);
    expect(h.session.publish('t', 'x', 0)).toBe(Err.Ended);
    // start() resumes
    h.session.start();
    expect(h.dials).toBe(6);
  });

  it('other refusals (server unavailable) are retried indefinitely', () => {
    const h = new Harness();
    h.session.start();
    for (let i = 0; i < 8; i++) {
      h.link.open();
      h.link.connack(3);
      h.retry();
    }
    expect(h.dials).toBe(9);
    expect(h.fresh()).toEqual(Array(8).fill(['error', -303]));
  });

  it('no CONNACK within connectTimeoutMs: the attempt fails with ConnackTimeout and is retried', () => {
    const h = new Harness({ connectTimeoutMs: 5000 });
    h.session.start();
    h.link.open();
    jest.advanceTimersByTime(4999);
    expect(h.fresh()).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(h.fresh()).toEqual([['error', Err.ConnackTimeout]]);
    expect(h.links[0].closed).toBe(true);
    jest.advanceTimersByTime(750);
    expect(h.dials).toBe(2);
  });

  it('a dial refused at once is reported and retried', () => {
    const h = new Harness();
    h.refuse = Err.DialFailed;
    h.session.start();
    expect(h.fresh()).toEqual([['error', Err.DialFailed]]);
    h.refuse = 0;
    jest.advanceTimersByTime(750);
    expect(h.dials).toBe(2);
    h.connect();
    expect(h.session.isConnected()).toBe(true);
  });

  it('a first packet other than CONNACK, or a second CONNACK, is a protocol error', () => {
    const h = new Harness();
    h.session.start();
    h.link.open();
    h.link.send({ cmd: PacketType.Pingresp });
    expect(h.fresh()).toEqual([['error', Err.ProtocolError]]);
    jest.advanceTimersByTime(750);
    h.connect();
    h.link.connack();
    expect(h.fresh()).toEqual([['connect', false], ['disconnect', Err.ProtocolError]]);
  });

  it('malformed bytes from the broker drop the link with ProtocolError, then it reconnects', () => {
    const h = new Harness();
    h.connect();
    h.link.ev.onData('\xf0\x00');
    expect(h.fresh()).toEqual([['connect', false], ['disconnect', Err.ProtocolError]]);
    expect(h.session.isConnected()).toBe(false);
    jest.advanceTimersByTime(750);
    expect(h.dials).toBe(2);
  });

  it('the packets before malformed bytes in the same chunk are handled first', () => {
    const h = new Harness();
    const l = h.connect();
    h.fresh();
    l.fresh();
    const pub: PublishPacket = { cmd: PacketType.Publish, topic: 't', payload: 'kept', qos: 1, dup: false, retain: false, id: 9 };
    l.ev.onData(encode(pub) + '\xf0\x00');
    expect(h.fresh()).toEqual([['message', 't', 'kept', 1], ['disconnect', Err.ProtocolError]]);
    expect(l.fresh()).toEqual([{ cmd: PacketType.Puback, id: 9 }]);
  });

  it('a link closed by the peer after CONNACK gives onDisconnect, and the close code', () => {
    const h = new Harness();
    h.connect();
    h.link.lose(0);
    expect(h.fresh()).toEqual([['connect', false], ['disconnect', Err.LinkClosed]]);
  });

  it('fresh credentials are asked for on every attempt, once per attempt', () => {
    const h = new Harness();
    h.session.start();
    for (let i = 0; i < 3; i++) {
      h.link.open();
      h.link.lose();
      h.retry();
    }
    h.link.open();
    expect(h.links.map((l) => l.connect.password)).toEqual(['pw1', 'pw2', 'pw3', 'pw4']);
    expect(h.creds).toBe(4);
  });
});

describe('backoff', () => {
  /** Fake-clock gaps between consecutive dials while every dial is refused. */
  function gaps(h: Harness, n: number): number[] {
    h.refuse = Err.DialFailed;
    h.session.start();
    const out: number[] = [];
    while (out.length < n) out.push(h.retry());
    return out;
  }

  it('doubles from backoffMinMs up to backoffMaxMs, with jitter in [d/2, d]', () => {
    expect(gaps(new Harness(), 9)).toEqual([750, 1500, 3000, 6000, 12000, 24000, 45000, 45000, 45000]);
    (Math.random as jest.Mock).mockReturnValue(0);
    expect(gaps(new Harness({ backoffMinMs: 200, backoffMaxMs: 1000 }), 5)).toEqual([100, 200, 400, 500, 500]);
    (Math.random as jest.Mock).mockReturnValue(0.999999);
    expect(gaps(new Harness({ backoffMinMs: 200, backoffMaxMs: 1000 }), 5)).toEqual([199, 399, 799, 999, 999]);
  });

  it('starts again from the minimum after a successful connection', () => {
    const h = new Harness();
    h.session.start();
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      h.link.open();
      h.link.lose();
      waits.push(h.retry());
    }
    expect(waits).toEqual([750, 1500, 3000, 6000]);
    h.link.open();
    h.link.connack();
    h.link.lose();
    expect(h.retry()).toBe(750);
  });
});

describe('keepalive', () => {
  it('sends PINGREQ after keepalive of silence, and a PINGRESP keeps the link', () => {
    const h = new Harness();
    const l = h.connect();
    l.fresh();
    jest.advanceTimersByTime(KA - 1);
    expect(l.fresh()).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(cmds(l.fresh())).toEqual([PacketType.Pingreq]);
    for (let i = 0; i < 10; i++) {
      jest.advanceTimersByTime(5000);
      l.send({ cmd: PacketType.Pingresp });
      jest.advanceTimersByTime(KA - 5000);
    }
    expect(h.session.isConnected()).toBe(true);
    expect(l.of(PacketType.Pingreq).length).toBe(11);
  });

  it('a half-open link (nothing comes back) is dropped 1.5 x keepalive after the last byte received', () => {
    const h = new Harness();
    h.connect();
    h.fresh();
    jest.advanceTimersByTime(1.5 * KA - 1);
    expect(h.session.isConnected()).toBe(true);
    jest.advanceTimersByTime(1);
    expect(h.session.isConnected()).toBe(false);
    expect(h.fresh()).toEqual([['disconnect', Err.KeepaliveTimeout]]);
    expect(h.links[0].closed).toBe(true);
  });

  it('still detected within 1.5 x keepalive while the client keeps publishing (QoS 0)', () => {
    const h = new Harness();
    const l = h.connect();
    h.fresh();
    for (let t = 0; t < 1.5 * KA - 10_000; t += 10_000) {
      jest.advanceTimersByTime(10_000);
      h.session.publish('t', 'x', 0);
    }
    expect(l.of(PacketType.Pingreq).length).toBe(1);
    expect(h.session.isConnected()).toBe(true);
    jest.advanceTimersByTime(10_000);
    expect(h.fresh()).toEqual([['disconnect', Err.KeepaliveTimeout]]);
  });

  it('pings to satisfy the broker while only receiving', () => {
    const h = new Harness();
    const l = h.connect();
    for (let t = 0; t < KA; t += 10_000) {
      jest.advanceTimersByTime(10_000);
      l.send({ cmd: PacketType.Publish, topic: 'in', payload: 'x', qos: 0, dup: false, retain: false, id: 0 });
    }
    expect(l.of(PacketType.Pingreq).length).toBe(1);
  });

  it('no PINGREQ while traffic flows both ways', () => {
    const h = new Harness();
    const l = h.connect();
    for (let t = 0; t < 5 * KA; t += 20_000) {
      jest.advanceTimersByTime(20_000);
      h.session.publish('out', 'x', 0);
      l.send({ cmd: PacketType.Publish, topic: 'in', payload: 'x', qos: 0, dup: false, retain: false, id: 0 });
    }
    expect(l.of(PacketType.Pingreq)).toEqual([]);
    expect(h.session.isConnected()).toBe(true);
  });

  it('keepaliveSec 0 turns pinging off', () => {
    const h = new Harness({ keepaliveSec: 0 });
    const l = h.connect();
    jest.advanceTimersByTime(3_600_000);
    expect(l.of(PacketType.Pingreq)).toEqual([]);
    expect(h.session.isConnected()).toBe(true);
  });
});

describe('publish', () => {
  it('QoS 0: written at once, cb(0) after the write', () => {
    const h = new Harness();
    const l = h.connect();
    const cb = jest.fn();
    expect(h.session.publish('a/b', '\xe4\xb8\xad', 0, cb)).toBe(0);
    expect(l.publishes).toEqual([{ cmd: PacketType.Publish, topic: 'a/b', payload: '\xe4\xb8\xad', qos: 0, dup: false, retain: false, id: 0 }]);
    expect(cb).toHaveBeenCalledWith(0);
  });

  it('QoS 1: cb(0) only on PUBACK for its packet id', () => {
    const h = new Harness();
    const l = h.connect();
    const a = jest.fn();
    const b = jest.fn();
    const c = jest.fn();
    h.session.publish('t', 'a', 1, a);
    h.session.publish('t', 'b', 1, b);
    h.session.publish('t', 'c', 1, c);
    // The window starts at one; the PUBACK of a lets b and c go.
    expect(l.publishes.map((p) => [p.id, p.qos, p.dup])).toEqual([[1, 1, false]]);
    l.send({ cmd: PacketType.Puback, id: 1 });
    expect(a).toHaveBeenCalledWith(0);
    const [, pb, pc] = l.publishes;
    expect([pb.id, pc.id]).toEqual([2, 3]);
    l.send({ cmd: PacketType.Puback, id: pc.id });
    expect(c).toHaveBeenCalledWith(0);
    expect(b).not.toHaveBeenCalled();
    l.send({ cmd: PacketType.Puback, id: 999 }); // unknown id: ignored
    l.send({ cmd: PacketType.Puback, id: pb.id });
    expect(b).toHaveBeenCalledWith(0);
    expect([a, b, c].map((f) => f.mock.calls.length)).toEqual([1, 1, 1]);
  });

  it('unacknowledged QoS 1 is re-sent with DUP and the same id after a reconnect, before newer messages', () => {
    const h = new Harness();
    const l1 = h.connect();
    const cb = jest.fn();
    h.session.publish('t', 'first', 1, cb);
    const id = l1.publishes[0].id;
    l1.lose();
    h.session.publish('t', 'second', 1);
    expect(cb).not.toHaveBeenCalled();
    jest.advanceTimersByTime(750);
    const l2 = h.connect();
    expect(l2.publishes.map((p) => [p.payload, p.dup, p.id])).toEqual([['first', true, id]]);
    l2.send({ cmd: PacketType.Puback, id });
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cb).toHaveBeenCalledWith(0);
    expect(l2.publishes.map((p) => [p.payload, p.dup])).toEqual([
      ['first', true],
      ['second', false],
    ]);
    expect(l2.publishes[1].id).not.toBe(id);
  });

  it('packet ids wrap from 65535 to 1, skipping ids still in flight', () => {
    const h = new Harness();
    const l = h.connect();
    h.session.publish('t', 'opens the window', 1); // id 1
    l.send({ cmd: PacketType.Puback, id: 1 });
    h.session.publish('t', 'held', 1); // id 2, never acknowledged
    h.session.subscribe('s', 1); // id 3, not acknowledged yet
    for (let i = 4; i <= 65535; i++) {
      h.session.publish('t', '', 1);
      const p = l.sent.pop() as PublishPacket;
      expect(p.id).toBe(i);
      l.send({ cmd: PacketType.Puback, id: p.id });
    }
    l.sent.length = 0;
    h.session.publish('t', 'wrapped', 1);
    expect(l.publishes[0].id).toBe(1);
    l.send({ cmd: PacketType.Puback, id: 1 });
    h.session.publish('t', 'next', 1);
    expect(l.publishes[1].id).toBe(4);
  });

  it('the window starts at 1 and grows by one per PUBACK up to 16 in flight; the rest go out as PUBACKs come back, in order', () => {
    const h = new Harness();
    const l = h.connect();
    for (let i = 0; i < 60; i++) h.session.publish('t', String(i), 1);
    const outstanding: number[] = [];
    for (let acks = 0; acks < 24; acks++) {
      outstanding.push(l.publishes.length - acks);
      l.send({ cmd: PacketType.Puback, id: l.publishes[acks].id });
    }
    expect(outstanding).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16]);
    expect(l.publishes.map((p) => p.payload)).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
  });

  it('a callback that throws does not stall the in-flight window', () => {
    const h = new Harness();
    const l = h.connect();
    widen(h, l);
    l.sent.length = 0;
    h.session.publish('t', 'first', 1, () => {
      throw new Error('app bug');
    });
    for (let i = 1; i < 17; i++) h.session.publish('t', String(i), 1);
    expect(l.publishes.length).toBe(16);
    expect(() => l.send({ cmd: PacketType.Puback, id: l.publishes[0].id })).toThrow('app bug');
    expect(l.publishes.length).toBe(17);
    expect(h.session.isConnected()).toBe(true);
  });

  it('bad arguments are refused with a code, and their cb is not called', () => {
    const h = new Harness();
    const cb = jest.fn();
    expect(h.session.publish('', 'x', 0, cb)).toBe(Err.BadArgument);
    expect(h.session.publish('t', 5 as any, 0, cb)).toBe(Err.BadArgument);
    expect(h.session.publish('t', 'x', 2 as any, cb)).toBe(Err.BadArgument);
    expect(h.session.subscribe('t', 2 as any, cb)).toBe(Err.BadArgument);
    expect(h.session.unsubscribe('', cb)).toBe(Err.BadArgument);
    expect(cb).not.toHaveBeenCalled();
  });
});

describe('offline queue', () => {
  it('keeps what is published offline and sends it, in order, after CONNACK', () => {
    const h = new Harness();
    const cbs = [jest.fn(), jest.fn()];
    expect(h.session.publish('t', 'q0', 0, cbs[0])).toBe(0);
    expect(h.session.publish('t', 'q1', 1, cbs[1])).toBe(0);
    expect(cbs[0]).not.toHaveBeenCalled();
    const l = h.connect();
    expect(l.publishes.map((p) => [p.payload, p.qos])).toEqual([['q0', 0], ['q1', 1]]);
    expect(cbs[0]).toHaveBeenCalledWith(0);
    expect(cbs[1]).not.toHaveBeenCalled();
  });

  it('is bounded: past queueLimit publish is refused with QueueFull, and nothing accepted is dropped', () => {
    const h = new Harness({ queueLimit: 32 });
    const cbs = Array.from({ length: 40 }, () => jest.fn());
    const codes = cbs.map((cb, i) => h.session.publish('t', String(i), (i % 2) as 0 | 1, cb));
    expect(codes).toEqual([...Array(32).fill(0), ...Array(8).fill(Err.QueueFull)]);
    for (const cb of cbs) expect(cb).not.toHaveBeenCalled();
    expect(h.fresh()).toEqual([]);
    const l = h.connect();
    // QoS 0 go out at once, QoS 1 as the window (1, growing with each PUBACK) allows.
    const sent = () => l.publishes.map((p) => Number(p.payload));
    expect(sent()).toEqual([0, 1, 2]);
    for (let acked = 0; acked < l.publishes.length; acked++) if (l.publishes[acked].qos) l.send({ cmd: PacketType.Puback, id: l.publishes[acked].id });
    expect(sent()).toEqual(Array.from({ length: 32 }, (_, i) => i));
    for (let i = 0; i < 32; i++) expect(cbs[i]).toHaveBeenCalledWith(0);
  });

  it('is bounded in bytes: a message that would take the queue past 8 KB is refused; a lone large one is taken', () => {
    const h = new Harness();
    const big = 'x'.repeat(5000);
    expect(h.session.publish('t', big, 1)).toBe(0);
    expect(h.session.publish('t', big, 1)).toBe(Err.QueueFull);
    expect(h.session.publish('t', 'small', 1)).toBe(0);
    const l = h.connect();
    l.send({ cmd: PacketType.Puback, id: l.publishes[0].id! });
    expect(l.publishes.map((p) => p.payload.length)).toEqual([5000, 5]);
  });

  it('queueLimit 0: nothing is kept offline: publish is refused, nothing is reported later', () => {
    const h = new Harness({ queueLimit: 0 });
    const cb = jest.fn();
    expect(h.session.publish('t', 'x', 1, cb)).toBe(Err.QueueFull);
    h.connect();
    expect(cb).not.toHaveBeenCalled();
    expect(h.fresh()).toEqual([['connect', false]]);
  });
});

describe('what the platform cannot take is refused at once', () => {
  it('a topic over 65,535 bytes, a payload over 256 KB or a packet over 263,168 bytes: TooLarge, nothing queued or sent, cb never called', () => {
    const h = new Harness();
    const l = h.connect();
    widen(h, l);
    l.sent.length = 0;
    const cb = jest.fn();
    expect(h.session.publish('t'.repeat(65536), 'x', 1, cb)).toBe(Err.TooLarge);
    expect(h.session.publish('t', 'x'.repeat(263168), 1, cb)).toBe(Err.TooLarge);
    expect(h.session.publish('t', 'x'.repeat(262145), 1, cb)).toBe(Err.TooLarge);
    expect(h.session.publish('t'.repeat(1000), 'x'.repeat(262144), 0, cb)).toBe(0);
    expect(h.session.subscribe('t'.repeat(65536), 1, cb)).toBe(Err.TooLarge);
    expect(h.session.unsubscribe('t'.repeat(65536), cb)).toBe(Err.TooLarge);
    expect(l.sent.map((p) => [p.cmd, (p as PublishPacket).payload.length])).toEqual([[PacketType.Publish, 262144]]);
    expect(cb).toHaveBeenCalledTimes(1);
    expect(h.fresh()).toEqual([['connect', false]]);
  });
});

describe('a poison message (the server closes the connection right after it)', () => {
  it('is dropped after the 3rd close in a row, reported to its cb and onError; the messages after it go through', () => {
    const h = new Harness();
    const bad = jest.fn();
    const good = jest.fn();
    let l = h.connect();
    h.session.publish('t', 'poison', 1, bad);
    h.session.publish('t', 'after', 1, good);
    for (let i = 0; i < 3; i++) {
      // (Re)sent alone, first of its connection; the server closes at once.
      expect(l.publishes.map((p) => p.payload)).toEqual(['poison']);
      l.shut();
      h.retry();
      l = h.connect();
    }
    expect(bad).toHaveBeenCalledTimes(1);
    expect(bad).toHaveBeenCalledWith(Err.MessageRefused);
    expect(h.fresh()).toEqual([
      ['connect', false],
      ['disconnect', Err.LinkClosed],
      ['connect', false],
      ['disconnect', Err.LinkClosed],
      ['connect', false],
      ['disconnect', Err.LinkClosed],
      ['error', Err.MessageRefused],
      ['connect', false],
    ]);
    expect(l.publishes.map((p) => [p.payload, p.dup])).toEqual([['after', false]]);
    l.send({ cmd: PacketType.Puback, id: l.publishes[0].id });
    expect(good).toHaveBeenCalledWith(0);
  });

  it('a link lost with an error, a keepalive timeout or a close before the message was re-sent is not held against it', () => {
    const h = new Harness({ connectTimeoutMs: 5000 });
    const cb = jest.fn();
    let l = h.connect();
    h.session.publish('t', 'slow', 1, cb);
    for (let i = 0; i < 3; i++) {
      l.lose(-202);
      h.retry();
      l = h.connect();
      // half-open: nothing comes back, the keepalive gives up
      jest.advanceTimersByTime(90_000);
      h.retry();
      l = h.link;
      l.open();
      l.shut(); // before CONNACK: nothing was re-sent on it
      h.retry();
      l = h.connect();
    }
    expect(cb).not.toHaveBeenCalled();
    expect(h.fresh().filter((e) => e[0] === 'error' && e[1] === Err.MessageRefused)).toEqual([]);
    expect(l.publishes.map((p) => p.payload)).toEqual(['slow']);
    l.send({ cmd: PacketType.Puback, id: l.publishes[0].id });
    expect(cb).toHaveBeenCalledWith(0);
  });
});

describe('a link that is backed up', () => {
  it('a QoS 0 burst: past 4 KB unsent and a full queue, publish is refused with QueueFull; every accepted message goes out after the drain', () => {
    const h = new Harness();
    const l = h.connect();
    l.holding = true;
    const cbs: jest.Mock[] = [];
    const codes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const cb = jest.fn();
      cbs.push(cb);
      codes.push(h.session.publish('t', String(i).padStart(100, '.'), 0, cb));
    }
    const accepted = codes.filter((c) => c === 0).length;
    // Packets of 105 bytes: written until the link holds 4 KB (40 of them), then 32 queued; the rest refused.
    expect(accepted).toBe(72);
    expect(codes.slice(accepted)).toEqual(Array(1000 - accepted).fill(Err.QueueFull));
    expect(l.publishes.length).toBe(40);
    for (let i = 0; i < 1000; i++) expect(cbs[i]).toHaveBeenCalledTimes(i < 40 ? 1 : 0);
    l.drain();
    l.drain();
    expect(l.publishes.map((p) => Number(p.payload.replace(/\./g, '')))).toEqual(Array.from({ length: accepted }, (_, i) => i));
    for (let i = 0; i < 1000; i++) expect(cbs[i].mock.calls).toEqual(i < accepted ? [[0]] : []);
    expect(h.fresh()).toEqual([['connect', false]]);
  });
});

describe('subscriptions', () => {
  it('subscribe: SUBSCRIBE with the QoS, cb(0) on SUBACK', () => {
    const h = new Harness();
    const l = h.connect();
    const cb = jest.fn();
    expect(h.session.subscribe('/a/+', 1, cb)).toBe(0);
    const s = l.of<SubscribePacket>(PacketType.Subscribe)[0];
    expect(s.subs).toEqual([{ topic: '/a/+', qos: 1 }]);
    expect(cb).not.toHaveBeenCalled();
    l.send({ cmd: PacketType.Suback, id: s.id, granted: [1] });
    expect(cb).toHaveBeenCalledWith(0);
  });

  it('SUBACK 0x80: cb(SubscribeRefused), onError, and the topic is not re-sent on reconnect', () => {
    const h = new Harness();
    const l = h.connect();
    const cb = jest.fn();
    h.session.subscribe('forbidden', 0, cb);
    l.send({ cmd: PacketType.Suback, id: l.of<SubscribePacket>(PacketType.Subscribe)[0].id, granted: [0x80] });
    expect(cb).toHaveBeenCalledWith(Err.SubscribeRefused);
    expect(h.fresh()).toEqual([['connect', false], ['error', Err.SubscribeRefused]]);
    l.lose();
    jest.advanceTimersByTime(750);
    expect(h.connect().of(PacketType.Subscribe)).toEqual([]);
  });

  it('every remembered subscription is re-sent after a reconnect; unsubscribed ones are not', () => {
    const h = new Harness();
    const l1 = h.connect();
    h.session.subscribe('a', 0);
    h.session.subscribe('b', 1);
    h.session.subscribe('c', 1);
    for (const s of l1.of<SubscribePacket>(PacketType.Subscribe)) l1.send({ cmd: PacketType.Suback, id: s.id, granted: [s.subs[0].qos] });
    const ucb = jest.fn();
    h.session.unsubscribe('b', ucb);
    const u = l1.of<UnsubscribePacket>(PacketType.Unsubscribe)[0];
    expect(u.topics).toEqual(['b']);
    l1.send({ cmd: PacketType.Unsuback, id: u.id });
    expect(ucb).toHaveBeenCalledWith(0);
    l1.lose();
    jest.advanceTimersByTime(750);
    const l2 = h.connect();
    expect(l2.of<SubscribePacket>(PacketType.Subscribe).map((s) => s.subs)).toEqual([[{ topic: 'a', qos: 0 }], [{ topic: 'c', qos: 1 }]]);
  });

  it('subscribe while offline: sent after CONNACK, cb on its SUBACK', () => {
    const h = new Harness();
    const cb = jest.fn();
    h.session.subscribe('x', 1, cb);
    const l = h.connect();
    const s = l.of<SubscribePacket>(PacketType.Subscribe)[0];
    expect(s.subs).toEqual([{ topic: 'x', qos: 1 }]);
    l.send({ cmd: PacketType.Suback, id: s.id, granted: [1] });
    expect(cb).toHaveBeenCalledWith(0);
  });

  it('a subscribe cut off by a lost link completes on the SUBACK after the reconnect', () => {
    const h = new Harness();
    const l1 = h.connect();
    const cb = jest.fn();
    h.session.subscribe('x', 1, cb);
    l1.lose();
    jest.advanceTimersByTime(750);
    const l2 = h.connect();
    const s = l2.of<SubscribePacket>(PacketType.Subscribe)[0];
    l2.send({ cmd: PacketType.Suback, id: s.id, granted: [1] });
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cb).toHaveBeenCalledWith(0);
  });
});

describe('incoming messages', () => {
  it('QoS 0 is delivered; QoS 1 is delivered and PUBACKed with its id; QoS 2 gets PUBREC then PUBCOMP', () => {
    const h = new Harness();
    const l = h.connect();
    h.fresh();
    l.fresh();
    l.send(
      { cmd: PacketType.Publish, topic: 't0', payload: 'p0', qos: 0, dup: false, retain: false, id: 0 },
      { cmd: PacketType.Publish, topic: 't1', payload: 'p1', qos: 1, dup: false, retain: false, id: 77 },
      { cmd: PacketType.Publish, topic: 't2', payload: 'p2', qos: 2, dup: false, retain: false, id: 78 },
    );
    expect(h.fresh()).toEqual([['message', 't0', 'p0', 0], ['message', 't1', 'p1', 1], ['message', 't2', 'p2', 2]]);
    expect(l.fresh()).toEqual([{ cmd: PacketType.Puback, id: 77 }, { cmd: PacketType.Pubrec, id: 78 }]);
    l.send({ cmd: PacketType.Pubrel, id: 78 });
    expect(l.fresh()).toEqual([{ cmd: PacketType.Pubcomp, id: 78 }]);
    expect(h.session.isConnected()).toBe(true);
  });
});

describe('an incoming message over maxPacketBytes', () => {
  it('is acknowledged, reported as MessageTooLarge and not delivered; the link and later messages carry on', () => {
    const h = new Harness({ maxPacketBytes: 4096 });
    const l = h.connect();
    h.fresh();
    l.fresh();
    const big: PublishPacket = { cmd: PacketType.Publish, topic: '/pk/dn/user/get', payload: 'x'.repeat(100_000), qos: 1, dup: false, retain: false, id: 31 };
    const fits: PublishPacket = { cmd: PacketType.Publish, topic: '/pk/dn/user/get', payload: 'y'.repeat(4000), qos: 1, dup: false, retain: false, id: 32 };
    const bytes = encode(big) + encode(fits);
    for (let i = 0; i < bytes.length; i += 536) l.ev.onData(bytes.substring(i, i + 536));
    expect(h.fresh()).toEqual([['error', Err.MessageTooLarge], ['message', fits.topic, fits.payload, 1]]);
    expect(l.fresh()).toEqual([{ cmd: PacketType.Puback, id: 31 }, { cmd: PacketType.Puback, id: 32 }]);
    expect(h.session.isConnected()).toBe(true);
  });

  it('defaults to the platform limit: a 256 KB payload is delivered whole', () => {
    const h = new Harness();
    const l = h.connect();
    h.fresh();
    const payload = 'z'.repeat(256 * 1024);
    l.send({ cmd: PacketType.Publish, topic: '/pk/dn/user/get', payload, qos: 0, dup: false, retain: false, id: 0 });
    expect(h.fresh()).toEqual([['message', '/pk/dn/user/get', payload, 0]]);
  });
});

describe('end', () => {
  it('sends DISCONNECT, closes the link, fails pending callbacks with LinkClosed, and stops reconnecting', () => {
    const h = new Harness();
    const l = h.connect();
    const inflight = jest.fn();
    const sub = jest.fn();
    h.session.publish('t', 'x', 1, inflight);
    h.session.subscribe('s', 1, sub);
    const done = jest.fn();
    h.session.end(done);
    expect(cmds(l.fresh()).slice(-1)).toEqual([PacketType.Disconnect]);
    expect(l.closed).toBe(true);
    expect(inflight).toHaveBeenCalledWith(Err.LinkClosed);
    expect(sub).toHaveBeenCalledWith(Err.LinkClosed);
    expect(done).toHaveBeenCalled();
    expect(h.session.isConnected()).toBe(false);
    jest.advanceTimersByTime(3_600_000);
    expect(h.dials).toBe(1);
    expect(h.fresh()).toEqual([['connect', false]]);
    const late = jest.fn();
    expect(h.session.publish('t', 'x', 0, late)).toBe(Err.Ended);
    expect(late).not.toHaveBeenCalled();
  });

  it('end() while offline fails the queue and cancels the retry', () => {
    const h = new Harness();
    h.session.start();
    h.link.lose();
    const q = jest.fn();
    h.session.publish('t', 'x', 0, q);
    h.session.end();
    expect(q).toHaveBeenCalledWith(Err.LinkClosed);
    jest.advanceTimersByTime(3_600_000);
    expect(h.dials).toBe(1);
  });

  it('end() from inside onConnect is honoured', () => {
    const h = new Harness();
    h.session.publish('t', 'queued', 1);
    (h.session as any).events_.onConnect = () => h.session.end();
    const l = h.connect();
    expect(l.closed).toBe(true);
    jest.advanceTimersByTime(3_600_000);
    expect(h.dials).toBe(1);
  });
});

describe('network gating', () => {
  function net(up: boolean) {
    const n = { up, cbs: [] as ((up: boolean) => void)[], isUp: () => n.up, onChange: (cb: (up: boolean) => void) => n.cbs.push(cb) };
    const set = (v: boolean) => {
      n.up = v;
      n.cbs.forEach((cb) => cb(v));
    };
    return { n, set };
  }

  it('dials only while the network is up, and at once when it comes up', () => {
    const { n, set } = net(false);
    const h = new Harness({ network: n });
    h.session.start();
    jest.advanceTimersByTime(600_000);
    expect(h.dials).toBe(0);
    set(true);
    expect(h.dials).toBe(1);
    h.connect();
    expect(h.session.isConnected()).toBe(true);
  });

  it('the network going down drops the link (WifiDown) and nothing is dialed until it is back', () => {
    const { n, set } = net(true);
    const h = new Harness({ network: n });
    const l = h.connect();
    set(false);
    expect(l.closed).toBe(true);
    expect(h.fresh()).toEqual([['connect', false], ['disconnect', Err.WifiDown]]);
    h.session.publish('t', 'while down', 1);
    jest.advanceTimersByTime(600_000);
    expect(h.dials).toBe(1);
    set(true);
    expect(h.dials).toBe(2);
    expect(h.connect().publishes.map((p) => p.payload)).toEqual(['while down']);
  });
});

describe('a link that fails while being written to', () => {
  it('a write failing during the post-CONNACK resend ends that connection cleanly and retries', () => {
    const h = new Harness();
    const l1 = h.connect();
    h.session.publish('t', 'a', 1);
    h.session.publish('t', 'b', 1);
    l1.lose();
    jest.advanceTimersByTime(750);
    const l2 = h.link;
    l2.open();
    l2.failWrites = true;
    expect(() => l2.connack()).not.toThrow();
    expect(h.session.isConnected()).toBe(false);
    // The second connection never reached onConnect, so its failure is an error, not a disconnect.
    expect(h.fresh()).toEqual([['connect', false], ['disconnect', -202], ['error', -202]]);
    jest.advanceTimersByTime(1500);
    const l3 = h.connect();
    expect(l3.publishes.map((p) => [p.payload, p.dup])).toEqual([['a', true]]);
    l3.send({ cmd: PacketType.Puback, id: l3.publishes[0].id });
    // b never left in the first connection (the window was one): it goes now, for the first time.
    expect(l3.publishes.map((p) => [p.payload, p.dup])).toEqual([['a', true], ['b', false]]);
  });
});
