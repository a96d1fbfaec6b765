/**
 * Framer: turns the socket's byte stream into whole packets. `feed` takes any chunk (a packet may
 * be split at any byte, several packets may share a chunk; Espruino hands out at most 536 bytes
 * at a time) and returns the packets it completed.
 *
 * A body is gathered as a list of chunk pieces and joined once, when its last byte arrives, so a
 * large PUBLISH costs linear time, not a re-concatenation per chunk.
 *
 * A malformed stream (a reserved packet type, a remaining length over 4 bytes, a body the codec
 * rejects) makes `feed` return Err.ProtocolError, now and for every later call: MQTT cannot
 * resynchronise, so the caller must close the connection and use a new Framer for the next one.
 * Packets completed before the bad one in the same chunk are dropped with it. `feed` never throws.
 */
import { Err } from '../errors';
import { decode } from './codec';
import { Packet } from './packets';

export type Decoder = (first: number, body: string) => Packet | number;

/** The reading state of one connection's stream; its method lives in one shared prototype object. */
export interface Framer extends FramerMethods {
  dec_: Decoder;
  /** First byte of the packet being read, or -1 before it. */
  first_: number;
  /** Remaining length read so far, and the weight of the next length byte. */
  len_: number;
  mul_: number;
  /** Body bytes still missing, or -1 while the remaining length is being read. */
  need_: number;
  parts_: string[];
  bad_: boolean;
}
type FramerMethods = typeof framerMethods;

/**
 * A new Framer; `dec` defaults to the client's decoder (what a server may send). Callable with
 * or without `new`: it returns an object whose prototype is framerMethods, so the method costs
 * no class scope on the board.
 */
export var Framer = function (dec?: Decoder): Framer {
  var f: Framer = Object.create(framerMethods);
  f.dec_ = dec || decode;
  f.first_ = -1;
  f.len_ = 0;
  f.mul_ = 1;
  f.need_ = -1;
  f.parts_ = [];
  f.bad_ = false;
  return f;
} as any as { new (dec?: Decoder): Framer; (dec?: Decoder): Framer };

var framerMethods = {
  feed(this: Framer, chunk: string): Packet[] | number {
    const out: Packet[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n && !this.bad_) {
      if (this.need_ < 0) {
        const c = chunk.charCodeAt(i++);
        if (this.first_ < 0) {
          // Types 0 and 15 are reserved [MQTT-2.2.1]: fail before waiting for a bogus body.
          this.bad_ = c < 16 || c > 239;
          this.first_ = c;
          this.len_ = 0;
          this.mul_ = 1;
          continue;
        }
        this.len_ += (c & 127) * this.mul_;
        if (c & 128) {
          this.mul_ *= 128;
          // At most 4 length bytes: the 4th must not ask for a 5th [MQTT-2.2.3].
          this.bad_ = this.mul_ > 2097152;
          continue;
        }
        this.need_ = this.len_;
      } else {
        const take = n - i < this.need_ ? n - i : this.need_;
        this.parts_.push(take === n ? chunk : chunk.substring(i, i + take));
        i += take;
        this.need_ -= take;
      }
      if (this.need_ === 0) {
        const parts = this.parts_;
        const p = this.dec_(this.first_, parts.length === 1 ? parts[0] : parts.join(''));
        this.first_ = -1;
        this.need_ = -1;
        this.parts_ = [];
        if (typeof p === 'number') this.bad_ = true;
        else out.push(p);
      }
    }
    return this.bad_ ? Err.ProtocolError : out;
  },
};
