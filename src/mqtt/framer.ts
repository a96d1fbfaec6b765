/**
 * Framer: turns the socket's byte stream into whole packets. `feed` takes any chunk (a packet may
 * be split at any byte, several packets may share a chunk; Espruino hands out at most 536 bytes
 * at a time) and returns the packets it completed.
 *
 * A body is gathered as a list of chunk pieces and joined once, when its last byte arrives, so a
 * large PUBLISH costs linear time, not a re-concatenation per chunk.
 *
 * A body longer than `max` is not gathered: only its first HeadKeep bytes are kept, the rest is
 * counted and discarded as it streams past, and the packet is returned with `big_` set and
 * whatever the decoder made of that head (for a PUBLISH: topic, qos and id, so it can still be
 * acknowledged). One oversized message then costs the board a few hundred bytes, not its heap.
 *
 * A malformed stream (a reserved packet type, a remaining length over 4 bytes, a body the codec
 * rejects) sets `bad_`, now and for good: MQTT cannot resynchronise, so the caller closes the
 * connection and uses a new Framer for the next one. The packets completed before the bad one
 * are still returned, so the caller can act on them first. `feed` never throws.
 */
import { decode } from './codec';
import { Packet } from './packets';

export type Decoder = (first: number, body: string) => Packet | number;

/** Bytes kept of an oversized body: room for any topic the platform uses and the packet id. */
const HeadKeep = 512;

/** The reading state of one connection's stream; its method lives in one shared prototype object. */
export interface Framer extends FramerMethods {
  dec_: Decoder;
  /** Largest body gathered whole. */
  max_: number;
  /** First byte of the packet being read, or -1 before it. */
  first_: number;
  /** Remaining length read so far, and the weight of the next length byte. */
  len_: number;
  mul_: number;
  /** Body bytes still missing, or -1 while the remaining length is being read. */
  need_: number;
  parts_: string[];
  /** The stream is malformed; nothing more is read. */
  bad_: boolean;
}
type FramerMethods = typeof framerMethods;

/**
 * A new Framer; `dec` defaults to the client's decoder (what a server may send), `max` to no
 * limit. Callable with or without `new`: it returns an object whose prototype is framerMethods,
 * so the method costs no class scope on the board.
 */
export var Framer = function (dec?: Decoder, max?: number): Framer {
  var f: Framer = Object.create(framerMethods);
  f.dec_ = dec || decode;
  f.max_ = max || Infinity;
  f.first_ = -1;
  f.need_ = -1;
  f.parts_ = [];
  f.bad_ = false;
  return f;
} as any as { new (dec?: Decoder, max?: number): Framer; (dec?: Decoder, max?: number): Framer };

var framerMethods = {
  feed(this: Framer, chunk: string): Packet[] {
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
        // Past the head of an oversized body, bytes are only counted.
        let keep = this.len_ > this.max_ ? HeadKeep - (this.len_ - this.need_) : take;
        if (keep > take) keep = take;
        if (keep > 0) this.parts_.push(keep === n ? chunk : chunk.substring(i, i + keep));
        i += take;
        this.need_ -= take;
      }
      if (this.need_ === 0) {
        const parts = this.parts_;
        const p = this.dec_(this.first_, parts.length === 1 ? parts[0] : parts.join(''));
        if (typeof p === 'number') this.bad_ = true;
        else {
          if (this.len_ > this.max_) p.big_ = true;
          out.push(p);
        }
        this.first_ = -1;
        this.need_ = -1;
        this.parts_ = [];
      }
    }
    return out;
  },
};
