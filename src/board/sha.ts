/**
 * Pure-JS SHA-1 and SHA-256, the fallback for firmware builds without require("crypto").
 *
 * Input and output are binary strings (one char = one byte, as Espruino strings are on ESP32).
 * Kept small rather than fast: the MQTT password is signed once per connection, and the
 * SHA-256 round constants are computed on first use instead of shipping a 64-entry table.
 */

/** Message padded per FIPS 180-4 (SHA-1 and SHA-256 pad alike), as big-endian 32-bit words. */
function words(s: string): number[] {
  var n = s.length;
  var len = (((n + 8) >> 6) + 1) * 16;
  var w: number[] = [];
  var i;
  for (i = 0; i < len; i++) w[i] = 0;
  for (i = 0; i < n; i++) w[i >> 2] |= (s.charCodeAt(i) & 255) << (24 - (i & 3) * 8);
  w[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
  // bit length; messages here are far below 512 MB, so the high word stays 0
  w[len - 1] = n * 8;
  return w;
}

function bytes(h: number[]): string {
  var s = '';
  for (var i = 0; i < h.length; i++) {
    s += String.fromCharCode((h[i] >>> 24) & 255, (h[i] >>> 16) & 255, (h[i] >>> 8) & 255, h[i] & 255);
  }
  return s;
}

function rol(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** SHA-1 digest (20 bytes) of a binary string. */
export function sha1(s: string): string {
  var w = words(s);
  var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  var m: number[] = [];
  for (var i = 0; i < w.length; i += 16) {
    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (var j = 0; j < 80; j++) {
      m[j] = j < 16 ? w[i + j] : rol(m[j - 3] ^ m[j - 8] ^ m[j - 14] ^ m[j - 16], 1);
      var f = j < 20 ? (b & c) | (~b & d) : j < 40 || j >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d);
      var k = j < 20 ? 0x5a827999 : j < 40 ? 0x6ed9eba1 : j < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      var t = (rol(a, 5) + f + e + k + m[j]) | 0;
      e = d;
      d = c;
      c = rol(b, 30);
      b = a;
      a = t;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0;
  }
  return bytes(h);
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

function rot(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

/** SHA-256 digest (32 bytes) of a binary string. */
export function sha256(s: string): string {
  var k = K || tables();
  var w = words(s);
  var h = H0.slice();
  var m: number[] = [];
  for (var i = 0; i < w.length; i += 16) {
    var v = h.slice();
    for (var j = 0; j < 64; j++) {
      if (j < 16) m[j] = w[i + j];
      else {
        var x = m[j - 15], y = m[j - 2];
        m[j] = (m[j - 16] + (rot(x, 7) ^ rot(x, 18) ^ (x >>> 3)) + m[j - 7] + (rot(y, 17) ^ rot(y, 19) ^ (y >>> 10))) | 0;
      }
      var a = v[0], e = v[4];
      var t1 = (v[7] + (rot(e, 6) ^ rot(e, 11) ^ rot(e, 25)) + ((e & v[5]) ^ (~e & v[6])) + k[j] + m[j]) | 0;
      var t2 = ((rot(a, 2) ^ rot(a, 13) ^ rot(a, 22)) + ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]))) | 0;
      v.pop();
      v.unshift((t1 + t2) | 0);
      v[4] = (v[4] + t1) | 0;
    }
    for (j = 0; j < 8; j++) h[j] = (h[j] + v[j]) | 0;
  }
  return bytes(h);
}
