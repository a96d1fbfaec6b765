/**
 * The Alink connection of one board: one MQTT session, request/reply correlation by Alink id,
 * and the routing of downlink messages to the features. Device and Gateway each own one;
 * sub-devices of a gateway share their gateway's.
 *
 * Replies are matched by id alone (ids are unique per connection), so every `_reply` topic,
 * whatever its family, ends the request that carries its id.
 */
import { Err } from '../errors';
import { Session, SessionOptions } from '../mqtt/session';
import { Rpc, Done } from '../alink/rpc';
import { request, reply, parseMsg, Msg } from '../alink/message';
import { parse, Parsed } from '../alink/topics';

/**
 * The owner of a connection (the Device or Gateway). Methods rather than callbacks, so a
 * connection costs no closures on the board.
 */
export interface ConnectionOwner {
  onConnect_(): void;
  onDisconnect_(code: number): void;
  onError_(code: number): void;
  /** A downlink message for the features; true when one of them took it. */
  route_(p: Parsed, topic: string, payload: string): boolean;
  /** A message on a topic no feature claimed: a custom topic the app subscribed to. */
  onCustom_(topic: string, payload: string): void;
}

/** The platform's deadline for a reply to a device request, counted from its PUBACK (see Rpc.track's `held`). */
var REPLY_MS = 10000;

/**
 * A connection is its session's SessionEvents (onConnect...) and passes them on to its owner.
 * Its methods live in one object, the prototype of every connection (connect()), rather than
 * in a class, which would cost each method a scope chain on the board.
 */
export interface Connection extends ConnectionMethods {
  session_: Session;
  rpc_: Rpc;
  owner_: ConnectionOwner;
  /** Callbacks waiting for the next (re)connection (e.g. an NTP request made while offline). */
  waiting_: (() => void)[];
}
type ConnectionMethods = typeof connectionMethods;

/** A new connection for `owner`; its session starts with session_.start(). */
export function connection(opts: SessionOptions, owner: ConnectionOwner): Connection {
  var c: Connection = Object.create(connectionMethods);
  c.owner_ = owner;
  c.waiting_ = [];
  c.rpc_ = Rpc(32);
  c.session_ = Session(opts, c);
  return c;
}

var connectionMethods = {
  onConnect(this: Connection): void {
    var w = this.waiting_;
    this.waiting_ = [];
    for (var i = 0; i < w.length; i++) w[i]();
    this.owner_.onConnect_();
  },

  onDisconnect(this: Connection, code: number): void {
    this.owner_.onDisconnect_(code);
  },

  onError(this: Connection, code: number): void {
    this.owner_.onError_(code);
  },

  onMessage(this: Connection, topic: string, payload: string): void {
    // Replies are most of the traffic: match them by id before taking the topic apart.
    var reply = topic.substring(topic.length - 6) == '_reply';
    if (reply) {
      var m = parseMsg(payload);
      if (m && this.rpc_.resolve(m.id, m.code, m)) return;
    }
    if (!this.owner_.route_(parse(topic), topic, payload) && !reply) this.owner_.onCustom_(topic, payload);
  },

  /**
   * Publishes an Alink request and calls `cb(code, msg)` once: 0 when the cloud answered 200,
   * its code otherwise, or a negative Err (timeout, dropped, closed). Returns 0 or an Err.
   * `method` "" sends the bare {"id","params"} envelope (upload). QoS 1 unless told otherwise
   * (sub-device login and logout must be QoS 0).
   */
  request_(this: Connection, topic: string, method: string, params: any, cb?: Done, qos?: 0 | 1): number {
    return this.ask_(
      topic,
      function (id) {
        return request(id, method, params);
      },
      cb,
      qos,
    );
  },

  /**
   * Publishes the payload `build` makes for a fresh id and, with `cb`, waits for the reply
   * carrying that id: REPLY_MS from when the broker has the message, however long it waited in
   * the queue or across reconnects. Returns 0 or an Err; after an Err, `cb` is not called.
   */
  ask_(this: Connection, topic: string, build: (id: string) => string, cb?: Done, qos?: 0 | 1): number {
    var rpc = this.rpc_;
    var id = rpc.next();
    if (cb) {
      var r = rpc.track(id, REPLY_MS, cb, true);
      if (r) return r;
    }
    var sent = this.send_(topic, build(id), qos === 0 ? 0 : 1, cb && rpc.lost(id));
    if (sent && cb) rpc.drop(id);
    return sent;
  },

  /** Answers a cloud request with {"id","code","data"} (QoS 0, as RRPC requires); Err.BadArgument when `data` cannot be written. */
  reply_(this: Connection, topic: string, id: string, code: number, data?: any): number {
    var p = reply(id, code, data);
    return p ? this.send_(topic, p, 0) : Err.BadArgument;
  },

  /** Publishes bytes as they are. */
  send_(this: Connection, topic: string, payload: string, qos: 0 | 1, cb?: (code: number) => void): number {
    return this.session_.publish(topic, payload, qos, cb);
  },

  /** Runs `fn` now if connected, else at the next connection. */
  whenUp_(this: Connection, fn: () => void): void {
    if (this.session_.isConnected()) fn();
    else this.waiting_.push(fn);
  },

  end_(this: Connection, cb?: () => void): void {
    this.waiting_ = [];
    this.rpc_.failAll(Err.Ended);
    this.session_.end(cb);
  },
};

export type { Msg };
