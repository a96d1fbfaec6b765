/**
 * UTF-8-safe JSON for an interpreter whose strings are bytes.
 *
 * On ESP32 a UTF-8 "zhong" (U+4E2D) is the 3 chars \xE4\xB8\xAD. Espruino's JSON.stringify
 * escapes every byte >= 0x7F as \u00XX (the cloud then reads three Latin-1 letters), and its
 * JSON.parse keeps only the low byte of \uXXXX > 0xFF. So the module undoes those escapes in
 * what JSON.stringify writes (the cloud receives the original UTF-8 bytes), and turns the
 * cloud's \uXXXX escapes into UTF-8 bytes before parsing.
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

/** How a value can be written; see way(). */
const enum Way {
  Native,
  Own,
  Refused,
}

/** Limits of what is written (a const enum: inlined, no variables on the board). */
const enum Max {
  /** Deepest nesting of objects and arrays: Alink params are a few levels deep, and a cycle is
   *  refused as too deep rather than overflowing the interpreter's stack. */
  Depth = 20,
  /** Most objects and arrays in one value: more cannot fit the platform's 256 KB message ("{}"
   *  each), and a value shared many times over would otherwise take exponential time. */
  Nodes = 131072,
}

/** Objects counted by the current way() walk. */
var nodes = 0;

/**
 * Whether the interpreter's JSON.stringify writes `v` right (Way.Native), only the module's
 * writer does (Way.Own: Espruino writes a function in an array as `undefined` and skips toJSON
 * inside what a toJSON returned), or it cannot be written (Way.Refused: nested deeper than
 * Max.Depth, which any cycle is, or over Max.Nodes objects). A throwing toJSON throws here.
 * Only objects are walked: a flat params object costs one loop over its keys.
 */
function way(v: any, depth: number, inToJson: boolean): Way {
  var w = Way.Native;
  if (typeof v.toJSON == 'function') {
    if (inToJson) return Way.Own;
    v = v.toJSON();
    if (!v || typeof v != 'object') return w;
    inToJson = true;
  }
  if (depth >= Max.Depth || ++nodes > Max.Nodes) return Way.Refused;
  var arr = Array.isArray(v);
  for (var k in v) {
    var x = v[k];
    var t = typeof x;
    if (t == 'object' && x) {
      var r = way(x, depth + 1, inToJson);
      if (r == Way.Refused) return r;
      if (r) w = r;
    } else if (arr && t == 'function') w = Way.Own;
  }
  return w;
}

/**
 * JSON text of `v` with string bytes >= 0x7F written raw (the cloud receives the original
 * UTF-8). Like JSON.stringify: NaN/Infinity -> null, functions/undefined dropped from objects
 * (null in arrays), toJSON() honoured. Returns undefined for a bare undefined or function, and
 * for a value that cannot be written (nested deeper than 20 levels or circular, too many
 * objects, a toJSON that throws). Never throws.
 *
 * The interpreter's own JSON.stringify does the work (about 50 times faster than a loop over
 * the characters in JavaScript); its \u00XX escapes of bytes >= 0x7F are then undone.
 */
export function stringify(v: any): string {
  var t;
  nodes = 0;
  try {
    var w = v && typeof v == 'object' ? way(v, 0, false) : Way.Native;
    if (w == Way.Refused) return undefined as any;
    t = w == Way.Own ? own(v) : JSON.stringify(v);
  } catch (e) {
    return undefined as any;
  }
  return typeof t == 'string' ? unescape(t, 0x7f) : (undefined as any);
}

/** The module's own writer, for what the interpreter's JSON.stringify gets wrong (see way());
 *  strings are still the interpreter's to escape. */
function own(v: any): string {
  if (v && typeof v.toJSON == 'function') v = v.toJSON();
  var t = typeof v;
  if (t == 'string') return JSON.stringify(v);
  // true/false are finite too (as 1/0), and '' + v is their JSON text
  if (t == 'number' || t == 'boolean') return isFinite(v) ? '' + v : 'null';
  if (v === null) return 'null';
  if (t != 'object') return undefined as any;
  var out = '';
  var s;
  if (Array.isArray(v)) {
    for (var i = 0; i < v.length; i++) {
      s = own(v[i]);
      out += (i ? ',' : '') + (s === undefined ? 'null' : s);
    }
    return '[' + out + ']';
  }
  for (var k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    s = own(v[k]);
    if (s !== undefined) out += (out ? ',' : '') + JSON.stringify(k) + ':' + s;
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
 * Rewrites the \uXXXX escapes of JSON text. `bytes` > 0: escapes of `bytes`..0xFF become that
 * raw byte (undoing Espruino's JSON.stringify of a byte string); 0: every escape above 0x7F
 * becomes the UTF-8 bytes of the character (surrogate pairs joined). `\\u` is left alone.
 * Text without such escapes comes back as it is, not copied.
 */
function unescape(s: string, bytes: number): string {
  var out = '';
  var from = 0;
  var i = 0;
  var j;
  while ((j = s.indexOf('\\', i)) >= 0) {
    i = j + 2;
    var c = s.charAt(j + 1) == 'u' ? hex4(s, j + 2) : -1;
    if (bytes ? c < bytes || c > 0xff : c < 0x80) continue;
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
  return from ? out + s.substring(from) : s;
}

/**
 * Repairs JSON text that Espruino's JSON.stringify made from byte strings: \u0080..\u00FF
 * escapes become the raw bytes again (the original UTF-8). Use on `params` text the app built
 * with JSON.stringify. Everything else is left as it was.
 */
export function repairText(text: string): string {
  return unescape(text, 0x80);
}

/**
 * Parses JSON text from the cloud: \uXXXX escapes above 0x7F become UTF-8 bytes first (so
 * "\u4e2d" arrives as the 3 bytes of U+4E2D), then JSON.parse. Invalid JSON gives undefined;
 * never throws.
 */
export function parse(text: string): any {
  try {
    return JSON.parse(unescape(text, 0));
  } catch (e) {
    return undefined;
  }
}
