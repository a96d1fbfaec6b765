/**
 * Request/reply correlation for Alink requests: every tracked request ends exactly once, by
 * its reply, by its timeout (Err.Timeout) or by failAll() when the connection closes.
 * A plain object keyed by id (no Map on Espruino); the table is bounded.
 */
import { Err } from '../errors';

/** The completion callback: 0 on success (cloud code 200), a cloud code > 0, or Err < 0. */
export type Done = (code: number, data?: any) => void;

interface Entry {
  cb_: Done;
  t_: any;
}

var has = Object.prototype.hasOwnProperty;

/** The request table of one connection; its methods live in one shared prototype object. */
export interface Rpc extends RpcMethods {
  /** last id handed out */
  n_: number;
  /** open requests */
  c_: number;
  t_: { [id: string]: Entry };
  max_: number;
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
   * Waits for the reply to `id` for at most `ms`. Returns 0, or Err.Busy (table full or id
   * already open); then the request was not tracked and cb is never called.
   */
  track(this: Rpc, id: string, ms: number, cb: Done): number {
    if (this.c_ >= this.max_ || has.call(this.t_, id)) return Err.Busy;
    var self = this;
    this.t_[id] = {
      cb_: cb,
      t_: setTimeout(function () {
        self.end_(id, Err.Timeout);
      }, ms),
    };
    this.c_++;
    return 0;
  },

  /**
   * Ends request `id` with the cloud's reply code: 200 -> 0, any other code passes through
   * (positive); a missing or non-numeric code -> Err.BadReply. False if `id` is not open.
   */
  resolve(this: Rpc, id: string, code: any, data?: any): boolean {
    return this.end_(id, typeof code != 'number' ? Err.BadReply : code == 200 ? 0 : code, data);
  },

  /** Forgets request `id` without calling its callback (it was never sent). */
  drop(this: Rpc, id: string): void {
    if (!has.call(this.t_, id)) return;
    clearTimeout(this.t_[id].t_);
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
      clearTimeout(t[id].t_);
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
    clearTimeout(e.t_);
    e.cb_(code, data);
    return true;
  },
};
