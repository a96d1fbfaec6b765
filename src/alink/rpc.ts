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

export class Rpc {
  private n_ = 0;
  private c_ = 0;
  private t_: { [id: string]: Entry } = {};

  private max_: number;

  /** @param max how many requests may be open at once (default 16). */
  constructor(max?: number) {
    this.max_ = max || 16;
  }

  /** The next message id: decimal text of a counter 1..4294967295 that wraps (Alink ids are uint32). */
  next(): string {
    this.n_ = (this.n_ % 4294967295) + 1;
    return '' + this.n_;
  }

  /** Open requests. */
  size(): number {
    return this.c_;
  }

  /**
   * Waits for the reply to `id` for at most `ms`. Returns 0, or Err.Busy (table full or id
   * already open); then the request was not tracked and cb is never called.
   */
  track(id: string, ms: number, cb: Done): number {
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
  }

  /**
   * Ends request `id` with the cloud's reply code: 200 -> 0, any other code passes through
   * (positive); a missing or non-numeric code -> Err.BadReply. False if `id` is not open.
   */
  resolve(id: string, code: any, data?: any): boolean {
    return this.end_(id, typeof code != 'number' ? Err.BadReply : code == 200 ? 0 : code, data);
  }

  /** Forgets request `id` without calling its callback (it was never sent). */
  drop(id: string): void {
    if (!has.call(this.t_, id)) return;
    clearTimeout(this.t_[id].t_);
    delete this.t_[id];
    this.c_--;
  }

  /** Ends every open request with `code` (e.g. Err.LinkClosed). A throwing callback does not stop the others. */
  failAll(code: number): void {
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
  }

  private end_(id: string, code: number, data?: any): boolean {
    if (!has.call(this.t_, id)) return false;
    var e = this.t_[id];
    // remove first: the callback may track new requests or throw
    delete this.t_[id];
    this.c_--;
    clearTimeout(e.t_);
    e.cb_(code, data);
    return true;
  }
}
