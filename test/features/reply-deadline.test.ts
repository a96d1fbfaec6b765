/**
 * The reply deadline of an Alink post (issue #11 item 5): it runs from the moment the broker has
 * the message (PUBACK), never while the post waits in the queue or crosses a reconnect. So a post
 * that was delivered and answered is reported as a success, once; one whose answer never comes
 * fails once, 10 s after its PUBACK; one that is lost fails once, at once.
 * The real connection (features/connection.ts) and session over fake links, jest's fake clock.
 */
import { connection, Connection, ConnectionOwner } from '../../src/features/connection';
import { Dial } from '../../src/board/link';
import { PacketType, PublishPacket } from '../../src/mqtt/packets';
import { FakeLink } from '../mqtt/support/fake-link';

const Timeout = -401, DialFailed = -201, Ended = -105;
const TOPIC = '/sys/pk/dn/thing/event/property/post';

beforeEach(() => {
  jest.useFakeTimers({ now: 1_700_000_000_000 });
  jest.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

class Rig {
  links: FakeLink[] = [];
  /** While set, every dial is refused: the network is out. */
  outage = false;
  c: Connection;
  constructor() {
    const dial: Dial = (o, ev) => {
      if (this.outage) return DialFailed;
      const l = new FakeLink(o, ev);
      this.links.push(l);
      return l;
    };
    const owner: ConnectionOwner = { onConnect_() {}, onDisconnect_() {}, onError_() {}, route_: () => false, onCustom_() {} };
    this.c = connection(
      { dial, host: 'broker.test', port: 1883, keepaliveSec: 60, cleanSession: true, backoffMinMs: 1000, backoffMaxMs: 4000, credentials: () => ({ clientId: 'c', username: 'u', password: 'p' }) },
      owner,
    );
    this.c.session_.start();
  }
  get link(): FakeLink {
    return this.links[this.links.length - 1];
  }
  /** Runs the fake clock until the session has dialed again, then accepts the connection. */
  reconnect(): FakeLink {
    const n = this.links.length;
    for (let i = 0; i < 50 && this.links.length === n; i++) jest.advanceTimersToNextTimer();
    const l = this.link;
    l.open();
    l.connack();
    return l;
  }
  /** A post with a callback; returns its calls. */
  post(value: number): jest.Mock {
    const cb = jest.fn();
    expect(this.c.request_(TOPIC, 'thing.event.property.post', { v: value }, cb)).toBe(0);
    return cb;
  }
  /** The broker acknowledges every PUBLISH it has not acknowledged yet on link `l`, and returns their Alink ids. */
  ack(l: FakeLink, seen: Set<number>): string[] {
    const ids: string[] = [];
    for (const p of l.publishes) {
      if (seen.has(p.id!)) continue;
      seen.add(p.id!);
      ids.push(JSON.parse(p.payload).id);
      l.send({ cmd: PacketType.Puback, id: p.id! });
    }
    return ids;
  }
  answer(l: FakeLink, id: string): void {
    const reply: PublishPacket = { cmd: PacketType.Publish, topic: TOPIC + '_reply', payload: `{"id":"${id}","code":200,"data":{}}`, qos: 0, dup: false, retain: false, id: 0 };
    l.send(reply);
  }
}

test('posts queued or in flight across a 60 s outage are answered after it and reported as successes, once', () => {
  const r = new Rig();
  let l = r.link;
  l.open();
  l.connack();
  const sentBefore = r.post(1);
  // the link dies before the PUBACK; the network stays out for a minute
  r.outage = true;
  l.lose();
  const queued = r.post(2);
  for (let t = 0; t < 60; t++) jest.advanceTimersByTime(1000);
  r.outage = false;
  l = r.reconnect();
  const acked = new Set<number>();
  const ids: string[] = [];
  // the window grows from one: acknowledge round by round until both went out
  for (let i = 0; i < 3; i++) ids.push(...r.ack(l, acked));
  expect(ids).toEqual(['1', '2']);
  jest.advanceTimersByTime(5000);
  for (const id of ids) r.answer(l, id);
  jest.advanceTimersByTime(60_000);
  expect(sentBefore.mock.calls.map((c) => c[0])).toEqual([0]);
  expect(queued.mock.calls.map((c) => c[0])).toEqual([0]);
});

test('a post whose answer never comes fails once, 10 s after its PUBACK; one lost with the session fails at once', () => {
  const r = new Rig();
  const l = r.link;
  l.open();
  l.connack();
  const unanswered = r.post(1);
  jest.advanceTimersByTime(30_000);
  expect(unanswered).not.toHaveBeenCalled();
  r.ack(l, new Set());
  jest.advanceTimersByTime(9_000);
  expect(unanswered).not.toHaveBeenCalled();
  jest.advanceTimersByTime(2_000);
  expect(unanswered.mock.calls.map((c) => c[0])).toEqual([Timeout]);
  // a late answer changes nothing
  r.answer(l, '1');
  r.outage = true;
  l.lose();
  const lost = r.post(2);
  r.c.end_();
  jest.advanceTimersByTime(60_000);
  expect(unanswered).toHaveBeenCalledTimes(1);
  expect(lost.mock.calls.map((c) => c[0])).toEqual([Ended]);
});
