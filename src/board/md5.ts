/**
 * MD5 (RFC 1321), fed a piece at a time: an OTA package's digest is taken as it is read back
 * from Storage, a block at a time, so the package is never in RAM as a whole. Espruino's crypto
 * module has SHA1/SHA256 but no MD5, and the platform signs packages with MD5 by default.
 *
 * One exported factory: its round helpers exist only while a digest is being taken.
 */
export interface Md5 {
  /** Adds bytes (a binary string). */
  update(s: string): void;
  /** The digest of everything added, as 32 lowercase hex digits; the hasher is spent. */
  hex(): string;
}

export function md5(): Md5 {
  var h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  // rotation of each of the 4 steps of each round
  var R = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  // K[i] = floor(|sin(i + 1)| * 2^32), as RFC 1321 3.4 defines it
  var K: number[] = [];
  var tail = '';
  var total = 0;
  var x: number[] = [];
  for (var i = 0; i < 64; i++) K[i] = (Math.abs(Math.sin(i + 1)) * 4294967296) | 0;

  /** One 64-byte block of `s` from `p`. */
  function block(s: string, p: number) {
    var j;
    for (j = 0; j < 16; j++) {
      var q = p + j * 4;
      x[j] = s.charCodeAt(q) | (s.charCodeAt(q + 1) << 8) | (s.charCodeAt(q + 2) << 16) | (s.charCodeAt(q + 3) << 24);
    }
    var a = h[0], b = h[1], c = h[2], d = h[3];
    for (j = 0; j < 64; j++) {
      var r = j >> 4;
      var f = r == 0 ? (b & c) | (~b & d) : r == 1 ? (d & b) | (~d & c) : r == 2 ? b ^ c ^ d : c ^ (b | ~d);
      var g = r == 0 ? j : r == 1 ? (5 * j + 1) & 15 : r == 2 ? (3 * j + 5) & 15 : (7 * j) & 15;
      var y = (a + f + K[j] + x[g]) | 0;
      var n = R[(r << 2) | (j & 3)];
      a = d;
      d = c;
      c = b;
      b = (b + ((y << n) | (y >>> (32 - n)))) | 0;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
  }

  function update(s: string) {
    total += s.length;
    var d = tail + s;
    var n = d.length - (d.length & 63);
    for (var p = 0; p < n; p += 64) block(d, p);
    tail = d.substring(n);
  }

  return {
    update: update,
    hex: function () {
      var bits = total * 8;
      var pad = '\x80';
      while ((tail.length + pad.length) % 64 != 56) pad += '\x00';
      // the length in bits, 64-bit little-endian (the high word only past 512 MB)
      var hi = Math.floor(total / 536870912);
      update(pad + String.fromCharCode(bits & 255, (bits >>> 8) & 255, (bits >>> 16) & 255, (bits >>> 24) & 255, hi & 255, (hi >>> 8) & 255, (hi >>> 16) & 255, (hi >>> 24) & 255));
      var out = '';
      for (var k = 0; k < 16; k++) out += (256 + ((h[k >> 2] >>> ((k & 3) * 8)) & 255)).toString(16).substring(1);
      return out;
    },
  };
}

/** The MD5 digest (16 bytes, a binary string) of a binary string: for HMAC-MD5 (`signMethod: "hmacmd5"`). */
export function md5Js(s: string): string {
  var m = md5();
  m.update(s);
  var hex = m.hex();
  var out = '';
  for (var i = 0; i < 32; i += 2) out += String.fromCharCode(parseInt(hex.substring(i, i + 2), 16));
  return out;
}
