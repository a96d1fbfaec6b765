/**
 * A scripted broker on the far side of fake Links, for session unit tests under jest's fake
 * timers. Each dial makes a FakeLink; the test opens it, answers CONNECT, delivers packets and
 * breaks it at will, and reads what the session wrote as decoded packets.
 */
import { Dial, DialOptions, Link, LinkEvents } from '../../../src/board/link';
import { decodeAny, encode } from '../../../src/mqtt/codec';
import { Framer } from '../../../src/mqtt/framer';
import { ConnectPacket, Packet, PacketType, PublishPacket } from '../../../src/mqtt/packets';
import { Session, SessionEvents, SessionOptions } from '../../../src/mqtt/session';

export class FakeLink implements Link {
  sent: Packet[] = [];
  closed = false;
  private framer = new Framer(decodeAny);
  /** When set, the next write fails the way board/net.ts reports it: onClose at once. */
  failWrites = false;
  /** When set, writes pile up unsent (as in a backed-up socket) until drain(); write() returns the backlog. */
  holding = false;
  private backlog = 0;

  constructor(readonly opts: DialOptions, readonly ev: LinkEvents) {}

  write(bytes: string): number | void {
    if (this.closed) throw new Error('write after close');
    if (this.failWrites) {
      this.closed = true;
      this.ev.onClose(-202);
      return;
    }
    const r = this.framer.feed(bytes);
    if (this.framer.bad_) throw new Error('the session wrote malformed bytes');
    this.sent.push(...r);
    if (this.holding) return (this.backlog += bytes.length);
  }

  /** The socket sent everything it held. */
  drain(): void {
    this.backlog = 0;
    this.ev.onDrain?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    setTimeout(() => this.ev.onClose(0), 0);
  }

  /** The broker's side. */
  open(): void {
    this.ev.onOpen();
  }
  send(...packets: Packet[]): void {
    this.ev.onData(packets.map(encode).join(''));
  }
  connack(rc = 0, present = false): void {
    this.send({ cmd: PacketType.Connack, rc, present });
  }
  /** The server closes the connection (an orderly close). */
  shut(): void {
    this.closed = true;
    this.ev.onClose(0);
  }
  /** The connection breaks (socket error, peer gone). */
  lose(code = -202): void {
    this.closed = true;
    this.ev.onClose(code);
  }

  get connect(): ConnectPacket {
    const c = this.sent.find((p) => p.cmd === PacketType.Connect);
    if (!c) throw new Error('no CONNECT sent');
    return c as ConnectPacket;
  }
  of<T extends Packet>(cmd: PacketType): T[] {
    return this.sent.filter((p) => p.cmd === cmd) as T[];
  }
  get publishes(): PublishPacket[] {
    return this.of<PublishPacket>(PacketType.Publish);
  }
  /** Packets sent since the last call. */
  private seen = 0;
  fresh(): Packet[] {
    const out = this.sent.slice(this.seen);
    this.seen = this.sent.length;
    return out;
  }
}

export type Event = ['connect', boolean] | ['disconnect', number] | ['message', string, string, number] | ['error', number];

export class Harness {
  links: FakeLink[] = [];
  events: Event[] = [];
  /** When set, dial refuses synchronously with this code. */
  refuse = 0;
  dials = 0;
  session: Session;
  creds = 0;

  constructor(opts: Partial<SessionOptions> = {}) {
    const dial: Dial = (o, ev) => {
      this.dials++;
      if (this.refuse) return this.refuse;
      const l = new FakeLink(o, ev);
      this.links.push(l);
      return l;
    };
    const events: SessionEvents = {
      onConnect: (p) => this.events.push(['connect', p]),
      onDisconnect: (c) => this.events.push(['disconnect', c]),
      onMessage: (t, p, q) => this.events.push(['message', t, p, q]),
      onError: (c) => this.events.push(['error', c]),
    };
    this.session = new Session(
      {
        dial,
        host: 'broker.test',
        port: 1883,
        keepaliveSec: 60,
        cleanSession: true,
        credentials: () => {
          this.creds++;
          return { clientId: 'dev1', username: 'user', password: `pw${this.creds}` };
        },
        ...opts,
      },
      events,
    );
  }

  get link(): FakeLink {
    return this.links[this.links.length - 1];
  }

  /** Starts (if needed), opens the newest link and accepts it. */
  connect(present = false): FakeLink {
    if (!this.links.length && !this.refuse) this.session.start();
    const l = this.link;
    l.open();
    l.connack(0, present);
    return l;
  }

  /** Runs the fake clock until the session dials again; returns the fake milliseconds that took. */
  retry(): number {
    const start = Date.now();
    const dials = this.dials;
    for (let i = 0; i < 20 && this.dials === dials; i++) jest.advanceTimersToNextTimer();
    if (this.dials === dials) throw new Error('the session did not dial again');
    return Date.now() - start;
  }

  /** The events since the last call. */
  private seen = 0;
  fresh(): Event[] {
    const out = this.events.slice(this.seen);
    this.seen = this.events.length;
    return out;
  }
}
