/**
 * Pure-JS MD5 (RFC 1321), for `signMethod: "hmacmd5"`: Espruino's crypto module has SHA1 and
 * SHA2 but no MD5, so this is the only MD5 the board has. Built on first use (see the build's
 * deferFunctions), so apps signing with SHA pay no JsVars for it.
 *
 * Input and output are binary strings. Small rather than fast: a signature hashes a few dozen
 * bytes once per connection.
 */

/** Per-round shift amounts, four per group of 16 rounds (RFC 1321 3.4). */
var SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** K[j] = floor(|sin(j + 1)| * 2^32) (RFC 1321 3.4), built on the first digest rather than
 *  shipped as a 64-entry table; exact in doubles for these j (checked on the interpreter). */
var K: number[] | undefined;

/** The MD5 digest (16 bytes) of a binary string. */
export function md5Js(s: string): string {
  var n = s.length;
  // little-endian words, padded with 0x80, zeros, then the 64-bit bit length
  var len = (((n + 8) >> 6) + 1) * 16;
  var w: number[] = [];
  var i, j;
  for (i = 0; i < len; i++) w[i] = 0;
  for (i = 0; i < n; i++) w[i >> 2] |= (s.charCodeAt(i) & 255) << ((i & 3) * 8);
  w[n >> 2] |= 0x80 << ((n & 3) * 8);
  w[len - 2] = n * 8;
  var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  if (!K) for (K = [], j = 0; j < 64; j++) K[j] = Math.floor(Math.abs(Math.sin(j + 1)) * 4294967296) | 0;
  var k = K;
  for (i = 0; i < len; i += 16) {
    var a = h[0], b = h[1], c = h[2], d = h[3];
    for (j = 0; j < 64; j++) {
      var q = j >> 4;
      var f = q == 0 ? (b & c) | (~b & d) : q == 1 ? (d & b) | (~d & c) : q == 2 ? b ^ c ^ d : c ^ (b | ~d);
      var g = q == 0 ? j : q == 1 ? (5 * j + 1) & 15 : q == 2 ? (3 * j + 5) & 15 : (7 * j) & 15;
      var x = (a + f + k[j] + w[i + g]) | 0;
      var r = SHIFTS[(q << 2) + (j & 3)];
      a = d;
      d = c;
      c = b;
      b = (b + ((x << r) | (x >>> (32 - r)))) | 0;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
  }
  var out = '';
  for (j = 0; j < 4; j++) out += String.fromCharCode(h[j] & 255, (h[j] >> 8) & 255, (h[j] >> 16) & 255, h[j] >>> 24);
  return out;
}
