/**
 * UTF-8-safe JSON for an interpreter whose strings are bytes.
 *
 * On ESP32 a UTF-8 "zhong" (U+4E2D) is the 3 chars \xE4\xB8\xAD. Espruino's JSON.stringify
 * escapes every byte >= 0x7F as \u00XX (the cloud then reads three Latin-1 letters), and its
 * JSON.parse keeps only the low byte of \uXXXX > 0xFF. So the module writes JSON itself with
 * the bytes raw (the cloud receives the original UTF-8), and turns the cloud's \uXXXX escapes
 * into UTF-8 bytes before parsing.
 */

/** The value of the 4 hex digits at s[i..i+3], or -1 when they are not 4 hex digits. */
function hex4(s: string, i: number): number {
  var v = 0;
  for (var k = i; k < i + 4; k++) {
    // parseInt of '' (past the end) or of a non-digit is NaN
    var d = parseInt(s.charAt(k), 16);
    if (!(d >= 0)) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** The JSON escapes that have a letter, and their letters. */
var SPECIAL = '"\\\n\r\t';
var LETTER = '"\\nrt';

function str(s: string): string {
  var out = '"';
  var from = 0;
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    // bytes >= 0x80 stay raw (UTF-8 on the device); chars > 0xFF only occur in Node, escape them
    if (c >= 0x20 && c != 34 && c != 92 && c < 0x100) continue;
    var k = SPECIAL.indexOf(s.charAt(i));
    // 0x10000 + c has five hex digits: the last four are \uXXXX
    out += s.substring(from, i) + '\\' + (k < 0 ? 'u' + (0x10000 + c).toString(16).substring(1) : LETTER.charAt(k));
    from = i + 1;
  }
  return out + s.substring(from) + '"';
}

/**
 * JSON text of `v` with string bytes >= 0x80 emitted raw. Like JSON.stringify: NaN/Infinity ->
 * null, functions/undefined dropped from objects (null in arrays), toJSON() honoured. Returns
 * undefined for a bare undefined or function.
 */
export function stringify(v: any): string {
  if (v && typeof v.toJSON == 'function') v = v.toJSON();
  var t = typeof v;
  if (t == 'string') return str(v);
  // true/false are finite too (as 1/0), and '' + v is their JSON text
  if (t == 'number' || t == 'boolean') return isFinite(v) ? '' + v : 'null';
  if (v === null) return 'null';
  if (t != 'object') return undefined as any;
  var out = '';
  var s;
  if (Array.isArray(v)) {
    for (var i = 0; i < v.length; i++) {
      s = stringify(v[i]);
      out += (i ? ',' : '') + (s === undefined ? 'null' : s);
    }
    return '[' + out + ']';
  }
  for (var k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    s = stringify(v[k]);
    if (s !== undefined) out += (out ? ',' : '') + str(k) + ':' + s;
  }
  return '{' + out + '}';
}

/** The UTF-8 bytes of code point c >= 0x80: a lead byte, then n continuation bytes of 6 bits. */
function utf8(c: number): string {
  var n = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3;
  var out = String.fromCharCode([0, 0xc0, 0xe0, 0xf0][n] | (c >> (6 * n)));
  while (n--) out += String.fromCharCode(0x80 | ((c >> (6 * n)) & 63));
  return out;
}

/**
 * Rewrites the \uXXXX escapes of JSON text. `bytes`: \u0080..\u00FF become that raw byte
 * (undoing Espruino's JSON.stringify of a byte string); otherwise every escape above 0x7F
 * becomes the UTF-8 bytes of the character (surrogate pairs joined). `\\u` is left alone.
 */
function unescape(s: string, bytes: boolean): string {
  var out = '';
  var from = 0;
  var i = 0;
  var j;
  while ((j = s.indexOf('\\', i)) >= 0) {
    i = j + 2;
    var c = s.charAt(j + 1) == 'u' ? hex4(s, j + 2) : -1;
    if (c < 0x80 || (bytes && c > 0xff)) continue;
    var r;
    if (bytes) r = String.fromCharCode(c);
    else {
      var lo = c >= 0xd800 && c < 0xdc00 && s.substr(j + 6, 2) == '\\u' ? hex4(s, j + 8) : -1;
      if (lo >= 0xdc00 && lo < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i += 6;
      }
      r = utf8(c);
    }
    out += s.substring(from, j) + r;
    i += 4;
    from = i;
  }
  return out + s.substring(from);
}

/**
 * Repairs JSON text that Espruino's JSON.stringify made from byte strings: \u0080..\u00FF
 * escapes become the raw bytes again (the original UTF-8). Use on `params` text the app built
 * with JSON.stringify. Everything else is left as it was.
 */
export function repairText(text: string): string {
  return unescape(text, true);
}

/**
 * Parses JSON text from the cloud: \uXXXX escapes above 0x7F become UTF-8 bytes first (so
 * "\u4e2d" arrives as the 3 bytes of U+4E2D), then JSON.parse. Invalid JSON gives undefined;
 * never throws.
 */
export function parse(text: string): any {
  try {
    return JSON.parse(unescape(text, false));
  } catch (e) {
    return undefined;
  }
}
