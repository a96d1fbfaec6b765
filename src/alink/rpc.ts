/**
 * Request/reply correlation for Alink requests: every tracked request ends exactly once, by
 * its reply, by its timeout (Err.Timeout) or by failAll() when the connection closes.
 * A plain object keyed by id (no Map on Espruino); the table is bounded.
 *
 * Deadlines are counted in ticks of one shared timer, which runs only while a deadline runs
 * (the tick that finds none does not re-arm). A request tracked `held` has its deadline paused
 * until its message has left (lost(id) called with 0: the broker took it), so a request that
 * waits in the queue or crosses a reconnect is never reported failed while it can still be
 * answered.
 * One shared tick instead of a timer and a closure per request keeps each request down to its
 * table entry; and counting ticks, unlike comparing Date.now(), is not fooled when NTP sets the
 * clock. A request times out between its `ms` and `ms` + one tick after it was tracked, never
 * before.
 */
import { Err } from '../errors';

/** The completion callback: 0 on success (cloud code 200), a cloud code > 0, or Err < 0. */
export type Done = (code: number, data?: any) => void;

interface Entry {
  cb_: Done;
  /** ticks left */
  left_: number;
}

const TICK_MS = 1000;

var has = Object.prototype.hasOwnProperty;

/** The request table of one connection; its methods live in one shared prototype object. */
export interface Rpc extends RpcMethods {
  /** last id handed out */
  n_: number;
  /** open requests */
  c_: number;
  t_: { [id: string]: Entry };
  max_: number;
  /** the tick timer, while it runs */
  timer_: any;
}
type RpcMethods = typeof rpcMethods;

/**
 * A new table; `max` is how many requests may be open at once (default 16). Callable with or
 * without `new`: it returns an object whose prototype is rpcMethods (as connection() does), so
 * the methods cost no class scope on the board.
 */
export var Rpc = function (max?: number): Rpc {
  var r: Rpc = Object.create(rpcMethods);
  r.n_ = 0;
  r.c_ = 0;
  r.t_ = {};
  r.max_ = max || 16;
  return r;
} as any as { new (max?: number): Rpc; (max?: number): Rpc };

var rpcMethods = {
  /** The next message id: decimal text of a counter 1..4294967295 that wraps (Alink ids are uint32). */
  next(this: Rpc): string {
    this.n_ = (this.n_ % 4294967295) + 1;
    return '' + this.n_;
  },

  /** Open requests. */
  size(this: Rpc): number {
    return this.c_;
  },

  /**
   * Waits for the reply to `id` for at most `ms`, from now or, when `held`, from when its message
   * has left (see lost). Returns 0, or Err.Busy (table full or id already open); then the
   * request was not tracked and cb is never called.
   */
  track(this: Rpc, id: string, ms: number, cb: Done, held?: boolean): number {
    if (this.c_ >= this.max_ || has.call(this.t_, id)) return Err.Busy;
    var n = Math.ceil(ms / TICK_MS);
    // Held: the ticks wait, negated, for lost(id)(0). A running timer's next tick may come at
    // once: count one more so the deadline is never early.
    this.t_[id] = { cb_: cb, left_: held ? -n : n + (this.timer_ ? 1 : 0) };
    this.c_++;
    if (!held && !this.timer_) arm(this);
    return 0;
  },

  /**
   * Ends request `id` with the cloud's reply code: 200 -> 0, any other code passes through
   * (positive); a missing or non-numeric code -> Err.BadReply. False if `id` is not open.
   */
  resolve(this: Rpc, id: string, code: any, data?: any): boolean {
    return this.end_(id, typeof code != 'number' ? Err.BadReply : code == 200 ? 0 : code, data);
  },

  /**
   * A publish callback for request `id`: if the message is lost before the broker took it, the
   * request ends at once rather than at its timeout; once the broker has it (code 0), a held
   * deadline starts. Made here, in a method (the minifier
   * would inline a plain function back into the caller), so that while the message is in flight
   * the closure keeps alive only `id` and the table: Espruino keeps a closure's whole enclosing
   * scope, and the caller's scope would stay alive with every post in flight.
   */
  lost(this: Rpc, id: string): (code: number) => void {
    var self = this;
    return function (code) {
      var e = has.call(self.t_, id) && self.t_[id];
      if (code) self.resolve(id, code);
      else if (e && e.left_ < 0) {
        e.left_ = (self.timer_ ? 1 : 0) - e.left_;
        if (!self.timer_) arm(self);
      }
    };
  },

  /** Forgets request `id` without calling its callback (it was never sent). */
  drop(this: Rpc, id: string): void {
    if (!has.call(this.t_, id)) return;
    delete this.t_[id];
    this.c_--;
  },

  /** Ends every open request with `code` (e.g. Err.LinkClosed). A throwing callback does not stop the others. */
  failAll(this: Rpc, code: number): void {
    var t = this.t_;
    this.t_ = {};
    this.c_ = 0;
    for (var id in t) {
      if (!has.call(t, id)) continue;
      try {
        t[id].cb_(code);
      } catch (e) {}
    }
  },

  end_(this: Rpc, id: string, code: number, data?: any): boolean {
    if (!has.call(this.t_, id)) return false;
    var e = this.t_[id];
    // remove first: the callback may track new requests or throw
    delete this.t_[id];
    this.c_--;
    e.cb_(code, data);
    return true;
  },
};

/** Arms the next tick; on it, requests whose ticks ran out end with Err.Timeout (held ones wait). */
function arm(r: Rpc): void {
  r.timer_ = setTimeout(function () {
    var due = [], t = r.t_, i, err, run;
    r.timer_ = undefined;
    for (i in t) if (has.call(t, i) && t[i].left_ > 0) --t[i].left_ ? (run = 1) : due.push(i);
    // Each due request ends even if an earlier callback throws; the exception still surfaces.
    for (i = 0; i < due.length; i++) {
      try {
        r.end_(due[i], Err.Timeout);
      } catch (e) {
        err = e;
      }
    }
    // No deadline left running stops the ticking; the next one to start arms it again.
    if (run && !r.timer_) arm(r);
    if (err) throw err;
  }, TICK_MS);
}

