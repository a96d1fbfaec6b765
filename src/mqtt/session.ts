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
 * Every way a connection can fail goes through fail_(code): it drops the link, reports the code
 * (onDisconnect if onConnect was delivered for this connection, otherwise onError), and
 * schedules the next attempt.
 *
 * Decisions a caller can rely on:
 * - publish/subscribe/unsubscribe return 0 when accepted (sent now or kept for later) and a
 *   negative Err otherwise; when they return non-zero, `cb` is never called. When they return 0,
 *   `cb` is called exactly once: QoS 0 right after the bytes are handed to the link (this may be
 *   before publish returns), QoS 1 on PUBACK, subscribe on SUBACK, unsubscribe on UNSUBACK, or
 *   with an error code when the request is dropped or the session ends.
 * - Unacknowledged QoS 1 publishes are re-sent with DUP after every reconnect, before anything
 *   queued, whatever cleanSession says (at-least-once).
 * - At most 16 QoS 1 publishes are in flight; the rest wait in the queue. The queue holds at most
 *   `queueLimit` messages; on overflow the OLDEST queued message is dropped, its cb gets
 *   Err.QueueDropped and onError(Err.QueueDropped) fires.
 * - A refused CONNECT is reported as onError(Err.ConnackRefused - rc) and retried with backoff.
 *   After 5 refusals in a row for bad credentials (rc 4) or authorisation (rc 5), the session
 *   stops as if end() had been called (pending callbacks get the refusal code); start() resumes.
 * - A failed connection attempt (dial refused, link closed or CONNACK deadline passed before
 *   CONNACK) is reported through onError; onDisconnect only follows an onConnect.
 * - Keep-alive: a PINGREQ goes out when nothing was sent, or nothing was received, for
 *   keepaliveSec; if nothing at all arrives within keepaliveSec / 2 after it, the link is dropped
 *   with Err.KeepaliveTimeout. A silent (half-open) link is thus dropped at most 1.5 x keepalive
 *   after the last byte received.
 * - With `network`, the session dials only while it reports up; going down drops the link
 *   (Err.WifiDown), coming up dials at once.
 */
import { Err } from '../errors';
import { Dial, Link, LinkEvents } from '../board/link';
import { nowMs } from '../board/clock';
import { encodeAck, encodeConnect, encodeEmpty, encodePublish, encodeSubscribe, encodeUnsubscribe, MaxRemaining } from './codec';
import { Framer } from './framer';
import { ConnackCode, Packet, PacketType, PublishPacket, SubackFailure } from './packets';

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

/** An outgoing message: the PUBLISH packet itself, plus the caller's callback. */
interface Msg extends PublishPacket {
  cb_?: Cb;
}

/** A remembered subscription; qos_ -1 means an UNSUBSCRIBE is still to be acknowledged. */
interface Sub {
  topic_: string;
  qos_: number;
  /** Packet id of the SUBSCRIBE/UNSUBSCRIBE awaiting its ack, or 0. */
  id_: number;
  cb_?: Cb;
}

const enum St {
  Idle,
  Dialing,
  Up,
  Waiting,
  Ended,
}

const InflightMax = 16;
const AuthRefusalsMax = 5;

export class Session {
  private o_: SessionOptions;
  private ev_: SessionEvents;
  private st_ = St.Idle;
  private link_: Link | null = null;
  private framer_ = new Framer();
  /** Connection attempt number: events from an older link are ignored. */
  private gen_ = 0;
  private timer_: any = null;
  private tries_ = 0;
  private authFails_ = 0;
  /** onConnect was delivered for the current connection (so a failure is a disconnect). */
  private told_ = false;
  private watching_ = false;
  private lastId_ = 0;
  private lastRx_ = 0;
  private lastTx_ = 0;
  /** When the outstanding PINGREQ was sent, or 0. */
  private pingAt_ = 0;
  private inflight_: Msg[] = [];
  private queue_: Msg[] = [];
  private subs_: Sub[] = [];

  constructor(opts: SessionOptions, events: SessionEvents) {
    this.o_ = opts;
    this.ev_ = events;
  }

  /** Starts connecting (again, after end()). Does nothing while already running. */
  start(): void {
    const net = this.o_.network;
    if (this.st_ !== St.Idle && this.st_ !== St.Ended) return;
    if (net && !this.watching_) {
      this.watching_ = true;
      const self = this;
      net.onChange(function (up) {
        self.network_(up);
      });
    }
    this.st_ = St.Waiting;
    this.tries_ = 0;
    this.authFails_ = 0;
    this.dial_();
  }

  isConnected(): boolean {
    return this.st_ === St.Up;
  }

  publish(topic: string, payload: string, qos: 0 | 1, cb?: Cb): number {
    if (this.st_ === St.Ended) return Err.Ended;
    if (typeof topic !== 'string' || !topic || typeof payload !== 'string' || (qos !== 0 && qos !== 1)) return Err.BadArgument;
    if (topic.length + payload.length + 4 > MaxRemaining) return Err.TooLarge;
    const m: Msg = { cmd: PacketType.Publish, topic: topic, payload: payload, qos: qos, dup: false, retain: false, id: 0, cb_: cb };
    const q = this.queue_;
    q.push(m);
    this.pump_();
    const limit = this.o_.queueLimit;
    while (q.length > (limit == null ? 32 : limit)) {
      const dropped = q.shift()!;
      if (dropped.cb_) dropped.cb_(Err.QueueDropped);
      this.ev_.onError(Err.QueueDropped);
    }
    return 0;
  }

  subscribe(topic: string, qos: 0 | 1, cb?: Cb): number {
    return qos === 0 || qos === 1 ? this.want_(topic, qos, cb) : Err.BadArgument;
  }

  unsubscribe(topic: string, cb?: Cb): number {
    return this.want_(topic, -1, cb);
  }

  /** Sends DISCONNECT if connected, stops reconnecting, fails what is pending with Err.LinkClosed. */
  end(cb?: () => void): void {
    if (this.st_ === St.Up) this.write_(encodeEmpty(PacketType.Disconnect));
    this.stop_(Err.LinkClosed);
    if (cb) cb();
  }

  // ---- connection ------------------------------------------------------------------------

  private dial_(): void {
    const o = this.o_;
    this.clear_();
    if (o.network && !o.network.isUp()) {
      // Wait for network_(true); no timer.
      this.st_ = St.Waiting;
      return;
    }
    this.st_ = St.Dialing;
    this.told_ = false;
    this.framer_ = new Framer();
    const gen = ++this.gen_;
    const self = this;
    const events: LinkEvents = {
      onOpen: function () {
        if (gen === self.gen_) self.open_();
      },
      onData: function (chunk) {
        if (gen === self.gen_) self.data_(chunk, gen);
      },
      onClose: function (code) {
        if (gen === self.gen_) self.fail_(code || Err.LinkClosed);
      },
    };
    const link = o.dial({ host: o.host, port: o.port, tls: o.tls, ca: o.ca }, events);
    if (typeof link === 'number') return this.fail_(link);
    this.link_ = link;
    this.at_(o.connectTimeoutMs || 10000, function () {
      self.fail_(Err.ConnackTimeout);
    });
  }

  private open_(): void {
    const c = this.o_.credentials();
    this.write_(
      encodeConnect({
        cmd: PacketType.Connect,
        clientId: c.clientId,
        username: c.username,
        password: c.password,
        keepalive: this.o_.keepaliveSec,
        clean: this.o_.cleanSession,
      }),
    );
  }

  private data_(chunk: string, gen: number): void {
    // Any byte proves the link alive.
    this.lastRx_ = nowMs();
    this.pingAt_ = 0;
    const packets = this.framer_.feed(chunk);
    if (typeof packets === 'number') return this.fail_(packets);
    // A packet may end this connection (refused CONNACK, a callback calling end()): stop there.
    for (let i = 0; i < packets.length && gen === this.gen_; i++) this.packet_(packets[i]);
  }

  private packet_(p: Packet): void {
    const up = this.st_ === St.Up;
    if (p.cmd === PacketType.Connack) {
      // The first packet from the server, and only then [MQTT-3.2.0-1].
      if (up) return this.fail_(Err.ProtocolError);
      return p.rc ? this.fail_(Err.ConnackRefused - p.rc) : this.up_(p.present);
    }
    if (!up) return this.fail_(Err.ProtocolError);
    switch (p.cmd) {
      case PacketType.Publish:
        // Acknowledge first: a throwing handler must not leave the broker re-sending forever.
        if (p.qos === 1) this.write_(encodeAck(PacketType.Puback, p.id));
        // QoS 2 (never asked for, but a broker may send it): acknowledged, not de-duplicated.
        if (p.qos === 2) this.write_(encodeAck(PacketType.Pubrec, p.id));
        this.ev_.onMessage(p.topic, p.payload, p.qos);
        break;
      case PacketType.Pubrel:
        this.write_(encodeAck(PacketType.Pubcomp, p.id));
        break;
      case PacketType.Puback: {
        const fly = this.inflight_;
        for (let i = 0; i < fly.length; i++) {
          if (fly[i].id === p.id) {
            const m = fly.splice(i, 1)[0];
            // Refill the window before the callback, so a throwing callback cannot stall the queue.
            this.pump_();
            if (m.cb_) m.cb_(0);
            break;
          }
        }
        break;
      }
      case PacketType.Suback:
      case PacketType.Unsuback: {
        const subs = this.subs_;
        for (let i = 0; i < subs.length; i++) {
          const s = subs[i];
          if (s.id_ !== p.id) continue;
          // One filter per SUBSCRIBE, so the first return code is the answer.
          const code = p.cmd === PacketType.Suback && p.granted[0] === SubackFailure ? Err.SubscribeRefused : 0;
          const cb = s.cb_;
          s.id_ = 0;
          s.cb_ = undefined;
          if (code || s.qos_ < 0) subs.splice(i, 1);
          if (code) this.ev_.onError(code);
          if (cb) cb(code);
          break;
        }
        break;
      }
      // PINGRESP: lastRx_ is already updated. PUBREC/PUBCOMP: we never send QoS 2.
    }
  }

  private up_(present: boolean): void {
    const gen = this.gen_;
    this.st_ = St.Up;
    this.tries_ = 0;
    this.authFails_ = 0;
    this.lastRx_ = this.lastTx_ = nowMs();
    this.keepalive_();
    // Restore the session: subscriptions, then unacknowledged QoS 1 (DUP), then the queue.
    // A failing write ends this connection (gen changes): stop there, the rest waits.
    const subs = this.subs_.slice();
    for (let i = 0; i < subs.length && gen === this.gen_; i++) this.sendSub_(subs[i]);
    const fly = this.inflight_.slice();
    for (let i = 0; i < fly.length && gen === this.gen_; i++) {
      fly[i].dup = true;
      this.write_(encodePublish(fly[i]));
    }
    this.pump_();
    if (gen !== this.gen_) return;
    this.told_ = true;
    this.ev_.onConnect(present);
  }

  /** The keep-alive timer (see the header comment for the rule). */
  private keepalive_(): void {
    const ka = this.o_.keepaliveSec * 1000;
    const self = this;
    const tick = function () {
      self.keepalive_();
    };
    if (!ka) return this.clear_();
    const now = nowMs();
    if (this.pingAt_) {
      const deadline = this.pingAt_ + ka / 2;
      if (now >= deadline) return this.fail_(Err.KeepaliveTimeout);
      return this.at_(deadline - now, tick);
    }
    const due = (this.lastRx_ < this.lastTx_ ? this.lastRx_ : this.lastTx_) + ka;
    if (now < due) return this.at_(due - now, tick);
    this.write_(encodeEmpty(PacketType.Pingreq));
    this.pingAt_ = now;
    if (this.st_ === St.Up) this.at_(ka / 2, tick);
  }

  /** The one failure path of a connection (see the header comment). */
  private fail_(code: number): void {
    const link = this.link_;
    if (this.st_ === St.Ended) return;
    this.gen_++;
    this.link_ = null;
    this.pingAt_ = 0;
    this.clear_();
    this.st_ = St.Waiting;
    if (link) link.close();
    if (code === Err.ConnackRefused - ConnackCode.BadAuth || code === Err.ConnackRefused - ConnackCode.NotAuthorized) {
      if (++this.authFails_ >= AuthRefusalsMax) {
        this.ev_.onError(code);
        return this.stop_(code);
      }
    }
    if (this.told_) this.ev_.onDisconnect(code);
    else this.ev_.onError(code);
    this.told_ = false;
    // A handler may have called end() or start(): then it decided what comes next.
    if (this.st_ !== St.Waiting || this.timer_) return;
    const min = this.o_.backoffMinMs || 1000;
    const max = this.o_.backoffMaxMs || 60000;
    let d = min * Math.pow(2, this.tries_++);
    if (d > max) d = max;
    const self = this;
    // "Equal jitter": between half the step and the whole step.
    this.at_(Math.floor(d / 2 + (Math.random() * d) / 2), function () {
      self.dial_();
    });
  }

  /** Ends the session: no more attempts; pending callbacks get `code`. */
  private stop_(code: number): void {
    const link = this.link_;
    const pending = this.inflight_.concat(this.queue_);
    this.st_ = St.Ended;
    this.gen_++;
    this.link_ = null;
    this.pingAt_ = 0;
    this.clear_();
    this.inflight_ = [];
    this.queue_ = [];
    if (link) link.close();
    for (let i = 0; i < pending.length; i++) if (pending[i].cb_) pending[i].cb_!(code);
    const subs = this.subs_;
    for (let i = 0; i < subs.length; i++) {
      const cb = subs[i].cb_;
      subs[i].cb_ = undefined;
      subs[i].id_ = 0;
      if (cb) cb(code);
    }
  }

  private network_(up: boolean): void {
    if (up && this.st_ === St.Waiting) this.dial_();
    else if (!up && (this.st_ === St.Up || this.st_ === St.Dialing)) this.fail_(Err.WifiDown);
  }

  // ---- sending ---------------------------------------------------------------------------

  private write_(bytes: string): void {
    // The link may report a failed write at once (onClose -> fail_), so link_ can vanish here.
    if (!this.link_) return;
    this.lastTx_ = nowMs();
    this.link_.write(bytes);
  }

  /** Sends queued messages while connected and the in-flight window allows, in order. */
  private pump_(): void {
    const q = this.queue_;
    while (this.st_ === St.Up && q.length && (!q[0].qos || this.inflight_.length < InflightMax)) {
      const m = q.shift()!;
      if (m.qos) {
        m.id = this.nextId_();
        this.inflight_.push(m);
        this.write_(encodePublish(m));
      } else {
        this.write_(encodePublish(m));
        if (m.cb_) m.cb_(0);
      }
    }
  }

  /** Records a subscription (qos 0/1) or an unsubscription (-1) and sends it if connected. */
  private want_(topic: string, qos: number, cb?: Cb): number {
    if (this.st_ === St.Ended) return Err.Ended;
    if (typeof topic !== 'string' || !topic) return Err.BadArgument;
    const subs = this.subs_;
    let s: Sub | null = null;
    for (let i = 0; i < subs.length; i++) if (subs[i].topic_ === topic) s = subs[i];
    if (!s) subs.push((s = { topic_: topic, qos_: qos, id_: 0 }));
    s.qos_ = qos;
    // A request superseding one still unanswered: both callbacks get the new answer.
    const old = s.cb_;
    s.cb_ =
      old && cb
        ? function (code: number) {
            old(code);
            cb(code);
          }
        : old || cb;
    if (this.st_ === St.Up) this.sendSub_(s);
    return 0;
  }

  private sendSub_(s: Sub): void {
    const id = (s.id_ = this.nextId_());
    this.write_(
      s.qos_ < 0
        ? encodeUnsubscribe({ cmd: PacketType.Unsubscribe, id: id, topics: [s.topic_] })
        : encodeSubscribe({ cmd: PacketType.Subscribe, id: id, subs: [{ topic: s.topic_, qos: s.qos_ }] }),
    );
  }

  /** The next packet id, 1..65535 then 1 again, skipping ids still awaiting an ack [MQTT-2.3.1-2]. */
  private nextId_(): number {
    let id = this.lastId_;
    for (;;) {
      id = (id % 65535) + 1;
      let used = false;
      for (let i = 0; i < this.inflight_.length; i++) if (this.inflight_[i].id === id) used = true;
      for (let i = 0; i < this.subs_.length; i++) if (this.subs_[i].id_ === id) used = true;
      if (!used) return (this.lastId_ = id);
    }
  }

  // ---- the timer -------------------------------------------------------------------------

  private at_(ms: number, fn: () => void): void {
    this.clear_();
    this.timer_ = setTimeout(fn, ms);
  }

  private clear_(): void {
    if (this.timer_) clearTimeout(this.timer_);
    this.timer_ = null;
  }
}
