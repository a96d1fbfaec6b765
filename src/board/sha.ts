/**
 * Pure-JS SHA-1 and SHA-256, the fallback for firmware builds without require("crypto").
 *
 * Input and output are binary strings (one char = one byte, as Espruino strings are on ESP32).
 * Kept small rather than fast: the MQTT password is signed once per connection, and the
 * SHA-256 round constants are computed on first use instead of shipping a 64-entry table.
 *
 * Both hashes share the padding, the word loading, the block loop and the output; each brings
 * only its round function, which works on a copy of the state `v` and the message schedule `m`.
 *
 * Optional part: createSha() builds it; hmac.ts calls it the first time it hashes without a
 * native SHA, so on firmware with crypto none of this is ever created.
 */

type Round = (v: number[], m: number[], j: number) => void;

export type ShaAlg = 'sha1' | 'sha256';

/** The digest (a binary string) of a binary string with the named algorithm. */
export type ShaJs = (alg: ShaAlg, s: string) => string;

export function createSha(): ShaJs {
  /**
   * The digest of `s`: pads per FIPS 180-4 (SHA-1 and SHA-256 pad alike), runs `rounds` rounds
   * over each 64-byte block starting from state `h`, and returns h as big-endian bytes.
   */
  function digest(s: string, h: number[], rounds: number, round: Round): string {
    var n = s.length;
    var len = (((n + 8) >> 6) + 1) * 16;
    var w: number[] = [];
    var m: number[] = [];
    var i, j;
    for (i = 0; i < len; i++) w[i] = 0;
    for (i = 0; i < n; i++) w[i >> 2] |= (s.charCodeAt(i) & 255) << (24 - (i & 3) * 8);
    w[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
    // bit length; messages here are far below 512 MB, so the high word stays 0
    w[len - 1] = n * 8;
    for (i = 0; i < len; i += 16) {
      var v = h.slice();
      for (j = 0; j < rounds; j++) {
        m[j] = w[i + j];
        round(v, m, j);
      }
      for (j = 0; j < h.length; j++) h[j] = (h[j] + v[j]) | 0;
    }
    var out = '';
    for (j = 0; j < h.length; j++) out += String.fromCharCode(h[j] >>> 24, (h[j] >> 16) & 255, (h[j] >> 8) & 255, h[j] & 255);
    return out;
  }

  /** Rotate left. */
  function rol(x: number, n: number): number {
    return (x << n) | (x >>> (32 - n));
  }

  /** SHA-1 digest (20 bytes) of a binary string. */
  function sha1(s: string): string {
    return digest(s, [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0], 80, function (v, m, j) {
      if (j >= 16) m[j] = rol(m[j - 3] ^ m[j - 8] ^ m[j - 14] ^ m[j - 16], 1);
      var b = v[1], c = v[2], d = v[3];
      var f = j < 20 ? (b & c) | (~b & d) : j < 40 || j >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d);
      var k = j < 20 ? 0x5a827999 : j < 40 ? 0x6ed9eba1 : j < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      // a b c d e <- t a rol(b,30) c d
      v.unshift((rol(v[0], 5) + f + v.pop()! + k + m[j]) | 0);
      v[2] = rol(b, 30);
    });
  }

  /** SHA-256 constants: K = first 32 fraction bits of the cube roots of the first 64 primes,
   *  H0 = those of the square roots of the first 8 (FIPS 180-4 4.2.2, 5.3.3). Built once. */
  var K: number[] | undefined;
  var H0: number[];

  function frac(p: number, e: number): number {
    var r = Math.pow(p, 1 / e);
    // one Newton step: Espruino's Math.pow is exp(log(x)*y) for fractional y, a few ulps off
    r -= (Math.pow(r, e) - p) / (e * Math.pow(r, e - 1));
    return ((r - Math.floor(r)) * 4294967296) | 0;
  }

  function tables(): number[] {
    K = [];
    H0 = [];
    for (var p = 2; K.length < 64; p++) {
      var q = 2;
      while (q * q <= p && p % q) q++;
      if (q * q > p) {
        if (H0.length < 8) H0.push(frac(p, 2));
        K.push(frac(p, 3));
      }
    }
    return K;
  }

  /** Rotate right. */
  function ror(x: number, n: number): number {
    return rol(x, 32 - n);
  }

  /** SHA-256 digest (32 bytes) of a binary string. */
  function sha256(s: string): string {
    var k = K || tables();
    return digest(s, H0.slice(), 64, function (v, m, j) {
      var x = m[j - 15], y = m[j - 2];
      if (j >= 16) m[j] = (m[j - 16] + (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + m[j - 7] + (ror(y, 17) ^ ror(y, 19) ^ (y >>> 10))) | 0;
      var a = v[0], e = v[4];
      var t1 = (v[7] + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + k[j] + m[j]) | 0;
      var t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]))) | 0;
      v.pop();
      v.unshift((t1 + t2) | 0);
      v[4] = (v[4] + t1) | 0;
    });
  }

  return function (alg: ShaAlg, s: string): string {
    return alg == 'sha1' ? sha1(s) : sha256(s);
  };
}
