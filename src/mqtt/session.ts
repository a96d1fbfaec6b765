/**
 * Session: the MQTT 3.1.1 client state machine over the transport seam (board/link.ts).
 *
 * It connects (fresh credentials on every attempt), waits for CONNACK, keeps the link alive,
 * sends and retries QoS 1 publishes, answers the broker's QoS 1 (and, minimally, QoS 2) messages,
 * remembers subscriptions and re-sends them after every reconnect, queues what is published while
 * offline, and reconnects by itself with capped, jittered exponential backoff.
 *
 * States: Idle (before start) -> Dialing (link asked for, CONNECT sent on open, CONNACK awaited)
 * -> Up -> Waiting (backoff, or the network is down) -> Dialing ... ; Ended after end() or after
 * repeated authentication refusals. There is one timer, whose meaning follows the state: the
 * CONNACK deadline while Dialing, the keep-alive check while Up, the backoff while Waiting.
 *
 * Every way a connection can fail goes through fail(code): it drops the link, reports the code
 * (onDisconnect if onConnect was delivered for this connection, otherwise onError), and
 * schedules the next attempt.
 *
 * Layout: Session() makes the state object, whose prototype is sessionMethods (the public
 * methods); the machinery is plain functions of the session (fail, pump, ...), which keeps the
 * minified code small (`s.` instead of `this.` for every field). Fields end in `_`: they are
 * internal, and renamed by the minifier.
 *
 * Decisions a caller can rely on:
 * - publish/subscribe/unsubscribe return 0 when accepted (sent now or kept for later) and a
 *   negative Err otherwise; when they return non-zero, `cb` is never called. When they return 0,
 *   `cb` is called exactly once: QoS 0 right after the bytes are handed to the link (this may be
 *   before publish returns), QoS 1 on PUBACK, subscribe on SUBACK, unsubscribe on UNSUBACK, or
 *   with an error code when the request is dropped or the session ends.
 * - publish refuses with Err.TooLarge what MQTT cannot encode (a topic over 65,535 bytes) and what
 *   the platform refuses: a payload over 256 KB, a packet over 263,168 bytes.
 * - Unacknowledged QoS 1 publishes are re-sent with DUP after every reconnect, before anything
 *   queued, whatever cleanSession says (at-least-once).
 * - At most 16 QoS 1 publishes are in flight; the rest wait in the queue. Each connection starts
 *   with a window of one: it grows by one per PUBACK (doubling every round trip) up to 16, so a
 *   link that passes one packet before it breaks still makes progress.
 * - A poison message does not block the queue: a QoS 1 message that was the oldest unacknowledged
 *   one sent on a connection the server closed, 3 times, is dropped (after a reconnect it is sent
 *   alone, so the close follows it): its cb gets Err.MessageRefused, onError(Err.MessageRefused)
 *   fires, and the messages after it go on. A link lost with an error or a timeout does not count.
 * - All outgoing buffering is bounded. While the link has more than 4 KB not yet sent (or the
 *   session is offline) messages wait in the queue, which holds at most `queueLimit` messages (plus,
 *   while connected, the room left in the in-flight window) and 8 KB (a single larger message when
 *   it is alone); past that publish returns Err.QueueFull and keeps nothing: what was already
 *   accepted is never dropped to make room.
 * - A refused CONNECT is reported as onError(Err.ConnackRefused - rc) and retried with backoff.
 *   After 5 refusals in a row for bad credentials (rc 4) or authorisation (rc 5), the session
 *   stops as if end() had been called (pending callbacks get the refusal code); start() resumes.
 * - A failed connection attempt (dial refused, link closed or CONNACK deadline passed before
 *   CONNACK) is reported through onError; onDisconnect only follows an onConnect.
 * - Keep-alive: a PINGREQ goes out when nothing was sent, or nothing was received, for
 *   keepaliveSec; if nothing at all arrives within keepaliveSec / 2 after it, the link is dropped
 *   with Err.KeepaliveTimeout. A silent (half-open) link is thus dropped at most 1.5 x keepalive
 *   after the last byte received.
 * - An incoming message over maxPacketBytes is never held whole: acknowledged, dropped, reported.
 * - A malformed packet closes the link (Err.ProtocolError) after the good packets before it are handled.
 * - With `network`, the session dials only while it reports up; going down drops the link
 *   (Err.WifiDown), coming up dials at once.
 */
import { Err } from '../errors';
import { Dial, Link } from '../board/link';
import { nowMs } from '../board/clock';
import { encodeAck, encodeConnect, encodeEmpty, encodePublish, encodeSubscription, MaxField, Outgoing, publishSize } from './codec';
import { Framer } from './framer';
import { ConnackCode, Packet, PacketType, SubackFailure } from './packets';

export interface SessionOptions {
  dial: Dial;
  host: string;
  port: number;
  tls?: boolean;
  ca?: string;
  /** Called on every connection attempt, so a signature can carry a fresh timestamp. */
  credentials: () => { clientId: string; username: string; password: string };
  keepaliveSec: number;
  cleanSession: boolean;
  /** Messages kept while offline (default 32). */
  queueLimit?: number;
  /** Reconnect delay bounds (defaults 1000 / 60000 ms). */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** CONNACK deadline, from dialing (default 10000 ms). */
  connectTimeoutMs?: number;
  /**
   * The largest packet taken in whole (default 263168: the platform's 256 KB message and room for
   * its topic). A larger incoming PUBLISH is acknowledged and dropped with onError(Err.MessageTooLarge),
   * holding only its first bytes meanwhile: set it to what the board's memory can hold.
   */
  maxPacketBytes?: number;
  /** Dial only while the network is up, and react to its changes. */
  network?: { isUp(): boolean; onChange(cb: (up: boolean) => void): void };
}

export interface SessionEvents {
  /** Every (re)connection; sessionPresent as the broker said. */
  onConnect(sessionPresent: boolean): void;
  /** An established connection was lost; the session reconnects by itself. */
  onDisconnect(code: number): void;
  /** A message arrived on a subscribed topic (topic and payload are byte strings). */
  onMessage(topic: string, payload: string, qos: number): void;
  /** A connection attempt failed (incl. CONNACK refused: -300 - rc), a queued message was dropped, a subscription was refused. */
  onError(code: number): void;
}

type Cb = (code: number) => void;

/** A request the caller gets a callback for; `id` is the packet id of the ack it awaits, or 0. */
interface Pending {
  id: number;
  cb_?: Cb;
}

/** An outgoing message (the PUBLISH fields) and the caller's callback. */
interface Msg extends Outgoing {
  id: number;
  cb_?: Cb;
  /** Times the server closed the connection while this message was the oldest one unacknowledged on it. */
  closes_?: number;
}

/** A remembered subscription; qos_ -1 means an UNSUBSCRIBE is still to be acknowledged. */
interface Sub extends Pending {
  topic_: string;
  qos_: number;
}

/** Idle and Ended are "not running" (start() acts only then); Dialing and Up have a link. */
const enum St {
  Idle,
  Ended,
  Waiting,
  Dialing,
  Up,
}

const InflightMax = 16;
/** The platform's largest packet: 256 KB of payload and room for its topic (both directions). */
const MaxPacketDefault = 263168;
/** The platform's largest message (payload). */
const MaxPayload = 262144;
const AuthRefusalsMax = 5;
/** Closes of the connection right after a message that make it a poison message. */
const PoisonCloses = 3;
/** Bytes written but not yet sent by the link past which messages wait in the queue. */
const LinkBacklogMax = 4096;
/** Bytes of topics and payloads the queue may hold (a single message of any size when alone). */
const QueueBytesMax = 8192;

/** One MQTT session: its state; its methods live in one shared prototype object (sessionMethods). */
export interface Session extends SessionMethods {
  options_: SessionOptions;
  events_: SessionEvents;
  state_: St;
  /** The current connection's link, while Dialing or Up. */
  link_?: Link;
  framer_: Framer;
  /** Connection attempt number: events from an older link are ignored. */
  generation_: number;
  /** The one timer; what it means follows state_ (see timeout()). */
  timer_: any;
  /** Failed attempts since the last CONNACK accepted: the backoff's exponent. */
  attempts_: number;
  /** CONNECTs refused in a row for bad credentials or authorisation. */
  authRefusals_: number;
  /** onConnect was delivered for the current connection (so a failure is a disconnect). */
  connectReported_?: boolean;
  lastPacketId_: number;
  /** Packet ids have wrapped past 65535 at least once: a new id may then be in use. */
  idsWrapped_?: boolean;
  lastReceivedAt_: number;
  lastSentAt_: number;
  /** When the outstanding PINGREQ was sent, or 0 / undefined. */
  pingSentAt_?: number;
  /** QoS 1 messages handed out, oldest first, until their PUBACK. */
  inflight_: Msg[];
  /** Messages waiting to be sent. */
  queue_: Msg[];
  /** Subscriptions remembered (and re-sent after every reconnect). */
  subscriptions_: Sub[];
  /** Bytes of topics and payloads in queue_. */
  queuedBytes_: number;
  /** The in-flight window of this connection: how many QoS 1 messages may be sent on it unacknowledged. */
  window_: number;
  /** How many of inflight_ (a prefix) were sent on this connection. */
  inflightSent_: number;
  /** Bytes the link has not sent yet, as its last write said (0 after a drain). */
  linkBacklog_: number;
}
type SessionMethods = typeof sessionMethods;

/**
 * A new session, Idle until start(). Callable with or without `new`: it returns an object whose
 * prototype is sessionMethods, so the methods cost no class scope on the board.
 */
export var Session = function (opts: SessionOptions, events: SessionEvents): Session {
  var s: Session = Object.create(sessionMethods);
  s.options_ = opts;
  s.events_ = events;
  s.state_ = St.Idle;
  s.generation_ = 0;
  s.lastPacketId_ = 0;
  s.inflight_ = [];
  s.queue_ = [];
  s.subscriptions_ = [];
  s.queuedBytes_ = 0;
  s.window_ = 1;
  s.inflightSent_ = 0;
  s.linkBacklog_ = 0;
  // Changes before start() find the session Idle, and are ignored.
  if (opts.network) {
    opts.network.onChange(function (up) {
      if (up && s.state_ === St.Waiting) dial(s);
      else if (!up && s.state_ >= St.Dialing) fail(s, Err.WifiDown);
    });
  }
  return s;
} as any as { new (opts: SessionOptions, events: SessionEvents): Session; (opts: SessionOptions, events: SessionEvents): Session };

var sessionMethods = {
  /** Starts connecting (again, after end()). Does nothing while already running. */
  start(this: Session): void {
    if (this.state_ > St.Ended) return;
    this.attempts_ = 0;
    this.authRefusals_ = 0;
    dial(this);
  },

  isConnected(this: Session): boolean {
    return this.state_ === St.Up;
  },

  publish(this: Session, topic: string, payload: string, qos: 0 | 1, cb?: Cb): number {
    const q = this.queue_;
    const limit = this.options_.queueLimit;
    if (this.state_ === St.Ended) return Err.Ended;
    if (typeof topic !== 'string' || !topic || typeof payload !== 'string' || (qos !== 0 && qos !== 1)) return Err.BadArgument;
    const n = publishSize(topic, payload.length, qos);
    if (n < 0 || n > MaxPacketDefault || payload.length > MaxPayload) return Err.TooLarge;
    const m: Msg = { topic: topic, payload: payload, qos: qos, id: 0, cb_: cb };
    const size = topic.length + payload.length;
    q.push(m);
    this.queuedBytes_ += size;
    pump(this);
    // Left waiting: kept only within the queue's bounds, else refused (nothing else is dropped).
    // While connected, a QoS 1 message that waits only for the window to grow takes the window's room.
    const room = (limit == null ? 32 : limit) + (qos && this.state_ === St.Up ? InflightMax - this.inflight_.length : 0);
    if (q[q.length - 1] === m && (q.length > room || (q.length > 1 && this.queuedBytes_ > QueueBytesMax))) {
      q.pop();
      this.queuedBytes_ -= size;
      return Err.QueueFull;
    }
    return 0;
  },

  subscribe(this: Session, topic: string, qos: 0 | 1, cb?: Cb): number {
    return qos === 0 || qos === 1 ? want(this, topic, qos, cb) : Err.BadArgument;
  },

  unsubscribe(this: Session, topic: string, cb?: Cb): number {
    return want(this, topic, -1, cb);
  },

  /** Sends DISCONNECT if connected, stops reconnecting, fails what is pending with Err.LinkClosed. */
  end(this: Session, cb?: () => void): void {
    if (this.state_ === St.Up) write(this, encodeEmpty(PacketType.Disconnect));
    stop(this, Err.LinkClosed);
    if (cb) cb();
  },
};

// ---- connection --------------------------------------------------------------------------

function dial(s: Session): void {
  const o = s.options_;
  if (o.network && !o.network.isUp()) {
    // Wait for the network to come up; no timer.
    s.state_ = St.Waiting;
    return;
  }
  s.state_ = St.Dialing;
  s.connectReported_ = false;
  s.linkBacklog_ = 0;
  s.framer_ = Framer(undefined, o.maxPacketBytes || MaxPacketDefault);
  const gen = ++s.generation_;
  const link = o.dial(
    { host: o.host, port: o.port, tls: o.tls, ca: o.ca },
    {
      onOpen: function () {
        if (gen === s.generation_) write(s, encodeConnect(o.credentials(), o.keepaliveSec, o.cleanSession));
      },
      onData: function (chunk) {
        if (gen === s.generation_) receive(s, chunk);
      },
      onClose: function (code) {
        if (gen === s.generation_) fail(s, code || Err.LinkClosed);
      },
      onDrain: function () {
        if (gen !== s.generation_) return;
        s.linkBacklog_ = 0;
        pump(s);
      },
    },
  );
  if (typeof link === 'number') return fail(s, link);
  s.link_ = link;
  at(s, o.connectTimeoutMs || 10000);
}

function receive(s: Session, chunk: string): void {
  const gen = s.generation_;
  // Any byte proves the link alive.
  s.lastReceivedAt_ = nowMs();
  s.pingSentAt_ = 0;
  const f = s.framer_;
  const packets = f.feed(chunk);
  // A packet may end this connection (refused CONNACK, a callback calling end()): stop there.
  for (let i = 0; i < packets.length && gen === s.generation_; i++) handle(s, packets[i]);
  // Malformed bytes after those packets: MQTT cannot resynchronise.
  if (f.bad_ && gen === s.generation_) fail(s, Err.ProtocolError);
}

function handle(s: Session, p: Packet): void {
  const up = s.state_ === St.Up;
  let i;
  if (p.cmd === PacketType.Connack) {
    // The first packet from the server, and only then [MQTT-3.2.0-1].
    if (up) return fail(s, Err.ProtocolError);
    return p.rc ? fail(s, Err.ConnackRefused - p.rc) : connected(s, p.present);
  }
  if (!up) return fail(s, Err.ProtocolError);
  switch (p.cmd) {
    case PacketType.Publish:
      // Acknowledge first: a throwing handler must not leave the broker re-sending forever.
      // QoS 2 (never asked for, but a broker may send it): PUBREC, not de-duplicated.
      if (p.qos) write(s, encodeAck(p.qos === 1 ? PacketType.Puback : PacketType.Pubrec, p.id));
      // Over maxPacketBytes: acknowledged all the same (a re-send would be just as large), reported, not delivered.
      if (p.big_) s.events_.onError(Err.MessageTooLarge);
      else s.events_.onMessage(p.topic, p.payload, p.qos);
      break;
    case PacketType.Pubrel:
      write(s, encodeAck(PacketType.Pubcomp, p.id));
      break;
    case PacketType.Puback:
      i = waiting(s.inflight_, p.id);
      if (i >= 0) {
        const m = s.inflight_.splice(i, 1)[0];
        if (i < s.inflightSent_) s.inflightSent_--;
        if (s.window_ < InflightMax) s.window_++;
        // Refill the window before the callback, so a throwing callback cannot stall the queue.
        pump(s);
        if (m.cb_) m.cb_(0);
      }
      break;
    case PacketType.Suback:
    case PacketType.Unsuback:
      i = waiting(s.subscriptions_, p.id);
      if (i >= 0) {
        const sub = s.subscriptions_[i];
        // One filter per SUBSCRIBE, so the first return code is the answer.
        const code = p.cmd === PacketType.Suback && p.granted[0] === SubackFailure ? Err.SubscribeRefused : 0;
        const cb = sub.cb_;
        sub.id = 0;
        sub.cb_ = undefined;
        if (code || sub.qos_ < 0) s.subscriptions_.splice(i, 1);
        if (code) s.events_.onError(code);
        if (cb) cb(code);
      }
    // PINGRESP: lastReceivedAt_ is already updated. PUBREC/PUBCOMP: we never send QoS 2.
  }
}

/** CONNACK accepted: restore the session, then tell the caller. */
function connected(s: Session, present: boolean): void {
  const gen = s.generation_;
  const subs = s.subscriptions_;
  s.state_ = St.Up;
  s.attempts_ = 0;
  s.authRefusals_ = 0;
  s.window_ = 1;
  s.inflightSent_ = 0;
  s.lastReceivedAt_ = s.lastSentAt_ = nowMs();
  keepalive(s);
  // Subscriptions, then unacknowledged QoS 1 (DUP, same id), then the queue (pump). A failing
  // write ends this connection (gen changes): stop there, the rest waits for the next one.
  for (let i = 0; i < subs.length && gen === s.generation_; i++) sendSub(s, subs[i]);
  pump(s);
  if (gen !== s.generation_) return;
  s.connectReported_ = true;
  s.events_.onConnect(present);
}

/** The keep-alive timer (see the header comment for the rule). */
function keepalive(s: Session): void {
  const ka = s.options_.keepaliveSec * 1000;
  const now = nowMs();
  if (!ka) return clear(s);
  // Before a PINGREQ: due when nothing was sent or nothing received for ka; after: its deadline.
  const due = s.pingSentAt_ ? s.pingSentAt_ + ka / 2 : Math.min(s.lastReceivedAt_, s.lastSentAt_) + ka;
  if (now < due) return at(s, due - now);
  if (s.pingSentAt_) return fail(s, Err.KeepaliveTimeout);
  write(s, encodeEmpty(PacketType.Pingreq));
  s.pingSentAt_ = now;
  if (s.state_ === St.Up) at(s, ka / 2);
}

/** The one failure path of a connection (see the header comment). */
function fail(s: Session, code: number): void {
  const o = s.options_;
  const ev = s.events_;
  // The server closed the connection with the oldest message sent on it unacknowledged: one
  // more strike against that message (after a reconnect it goes alone, so the blame is exact).
  const m = s.state_ === St.Up && code === Err.LinkClosed && s.inflightSent_ ? s.inflight_[0] : undefined;
  const poison = m && (m.closes_ = (m.closes_ || 0) + 1) >= PoisonCloses;
  if (s.state_ === St.Ended) return;
  drop(s, St.Waiting);
  // Out of the queue before anything is reported, so that nothing can send it again.
  if (poison) s.inflight_.splice(s.inflight_.indexOf(m!), 1);
  if (code === Err.ConnackRefused - ConnackCode.BadAuth || code === Err.ConnackRefused - ConnackCode.NotAuthorized) {
    if (++s.authRefusals_ >= AuthRefusalsMax) {
      ev.onError(code);
      return stop(s, code);
    }
  }
  if (s.connectReported_) ev.onDisconnect(code);
  else ev.onError(code);
  s.connectReported_ = false;
  if (poison) {
    if (m!.cb_) m!.cb_(Err.MessageRefused);
    ev.onError(Err.MessageRefused);
  }
  // A handler may have called end() or start(): then it decided what comes next.
  if (s.state_ !== St.Waiting || s.timer_) return;
  const d = Math.min((o.backoffMinMs || 1000) * Math.pow(2, s.attempts_++), o.backoffMaxMs || 60000);
  // "Equal jitter": between half the step and the whole step.
  at(s, Math.floor(d / 2 + (Math.random() * d) / 2));
}

/** Ends the session: no more attempts; everything pending gets `code`. */
function stop(s: Session, code: number): void {
  const pending: Pending[] = s.inflight_.concat(s.queue_);
  const all = pending.concat(s.subscriptions_);
  drop(s, St.Ended);
  s.inflight_ = [];
  s.queue_ = [];
  s.queuedBytes_ = 0;
  for (let i = 0; i < all.length; i++) {
    const cb = all[i].cb_;
    // A subscription stays remembered, but no longer awaits its ack.
    all[i].cb_ = undefined;
    all[i].id = 0;
    if (cb) cb(code);
  }
}

/** Leaves the current connection for state `st`: closes its link, stops its timer and ping. */
function drop(s: Session, st: St): void {
  const link = s.link_;
  s.state_ = st;
  s.generation_++;
  s.link_ = undefined;
  s.pingSentAt_ = 0;
  clear(s);
  if (link) link.close();
}

// ---- sending -----------------------------------------------------------------------------

function write(s: Session, bytes: string): void {
  // The link may report a failed write at once (onClose -> fail), so link_ can vanish here.
  if (!s.link_) return;
  s.lastSentAt_ = nowMs();
  s.linkBacklog_ = s.link_.write(bytes) || 0;
}

/**
 * Sends, in order, while connected and the link is not backed up: first what is in flight but
 * not yet sent on this connection (DUP, same id), then the queue; QoS 1 only within the window.
 */
function pump(s: Session): void {
  const q = s.queue_;
  const fly = s.inflight_;
  let m: Msg;
  while (s.state_ === St.Up && s.linkBacklog_ < LinkBacklogMax) {
    if (s.inflightSent_ < fly.length) {
      if (s.inflightSent_ >= s.window_) break;
      m = fly[s.inflightSent_];
      m.dup = true;
    } else if (q.length && (!q[0].qos || s.inflightSent_ < s.window_)) {
      m = q.shift()!;
      s.queuedBytes_ -= m.topic.length + m.payload.length;
      if (m.qos) {
        m.id = nextId(s);
        fly.push(m);
      }
    } else break;
    if (m.qos) s.inflightSent_++;
    write(s, encodePublish(m));
    if (!m.qos && m.cb_) m.cb_(0);
  }
}

/** Records a subscription (qos 0/1) or an unsubscription (-1) and sends it if connected. */
function want(s: Session, topic: string, qos: number, cb?: Cb): number {
  const subs = s.subscriptions_;
  let sub: Sub | undefined;
  if (s.state_ === St.Ended) return Err.Ended;
  if (typeof topic !== 'string' || !topic) return Err.BadArgument;
  if (topic.length > MaxField) return Err.TooLarge;
  for (let i = 0; i < subs.length; i++) if (subs[i].topic_ === topic) sub = subs[i];
  if (!sub) subs.push((sub = { topic_: topic, qos_: qos, id: 0 }));
  sub.qos_ = qos;
  // A request superseding one still unanswered: both callbacks get the new answer.
  const old = sub.cb_;
  sub.cb_ =
    old && cb
      ? function (code: number) {
          old(code);
          cb(code);
        }
      : old || cb;
  if (s.state_ === St.Up) sendSub(s, sub);
  return 0;
}

function sendSub(s: Session, sub: Sub): void {
  write(s, encodeSubscription((sub.id = nextId(s)), sub.topic_, sub.qos_));
}

/** Index of the entry of `list` awaiting the ack with packet id `id`, or -1. */
function waiting(list: Pending[], id: number): number {
  for (let i = 0; i < list.length; i++) if (list[i].id === id) return i;
  return -1;
}

/** The next packet id, 1..65535 then 1 again, skipping ids still awaiting an ack [MQTT-2.3.1-2]. */
function nextId(s: Session): number {
  const busy: Pending[] = s.inflight_;
  let id = (s.lastPacketId_ % 65535) + 1;
  if (id === 1 && s.lastPacketId_) s.idsWrapped_ = true;
  // Before the first wrap every id is above all ids handed out so far, so none is in use: no
  // search (a loop over every request awaiting an ack, for each id handed out).
  if (s.idsWrapped_) {
    const all = busy.concat(s.subscriptions_);
    while (waiting(all, id) >= 0) id = (id % 65535) + 1;
  }
  return (s.lastPacketId_ = id);
}

// ---- the timer ---------------------------------------------------------------------------

/** (Re)arms the timer; when it fires, timeout() acts by the state at that moment. */
function at(s: Session, ms: number): void {
  clear(s);
  s.timer_ = setTimeout(function () {
    timeout(s);
  }, ms);
}

/** The timer fired: the CONNACK deadline while Dialing, the keep-alive check while Up, the backoff while Waiting. */
function timeout(s: Session): void {
  if (s.state_ === St.Dialing) fail(s, Err.ConnackTimeout);
  else if (s.state_ === St.Up) keepalive(s);
  else dial(s);
}

function clear(s: Session): void {
  if (s.timer_) clearTimeout(s.timer_);
  s.timer_ = undefined;
}
