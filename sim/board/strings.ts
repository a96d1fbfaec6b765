/**
 * Prelude: strings are 8-bit bytes (ESP32 build, no unicode support).
 * - String.fromCharCode keeps the low byte of each code (256 -> "\0").
 * - toUpperCase/toLowerCase change ASCII letters only (V8 would map e.g. "\xff" to U+0178).
 * - btoa/atob are byte-exact.
 * - encodeURIComponent on bytes >= 0x80 reproduces the recorded x86 Linux result (the signed-char
 *   bug: "\xc3\xa9" -> "%33%19"); decodeURIComponent of an escape >= %80 throws "Invalid URI".
 *   On ESP32 this is UNCONFIRMED (espruino-runtime.md §1.3); mirroring the recorded behaviour keeps
 *   code honest: percent-encode in JS.
 * Escapes such as "\u4e2d" in source text are reduced to their low byte by transform.ts.
 */
import type { Prelude } from './realm';

export const stringsPrelude: Prelude = {
  name: 'strings',
  source: `function (g, I) {
  var def = I.defineProperty;
  function method(obj, name, fn) { def(obj, name, { value: fn, writable: true, configurable: true, enumerable: false }); }
  var fcc = String.fromCharCode;
  var applyFn = I.Reflect.apply;
  method(String, 'fromCharCode', function fromCharCode() {
    // One or two codes (how byte-building code mostly calls it) without an array and an apply.
    var n = arguments.length;
    if (n === 1) return fcc(Number(arguments[0]) & 255);
    if (n === 2) return fcc(Number(arguments[0]) & 255, Number(arguments[1]) & 255);
    var codes = [];
    for (var i = 0; i < arguments.length; i++) codes.push(Number(arguments[i]) & 255);
    return applyFn(fcc, String, codes);
  });
  var upper = String.prototype.toUpperCase, lower = String.prototype.toLowerCase, replace = String.prototype.replace;
  method(String.prototype, 'toUpperCase', function toUpperCase() {
    return applyFn(replace, String(this), [/[a-z]+/g, function (m) { return applyFn(upper, m, []); }]);
  });
  method(String.prototype, 'toLowerCase', function toLowerCase() {
    return applyFn(replace, String(this), [/[A-Z]+/g, function (m) { return applyFn(lower, m, []); }]);
  });

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  g.btoa = function btoa(s) {
    s = String(s);
    var out = '';
    for (var i = 0; i < s.length; i += 3) {
      var a = s.charCodeAt(i) & 255, b = i + 1 < s.length ? s.charCodeAt(i + 1) & 255 : -1, c = i + 2 < s.length ? s.charCodeAt(i + 2) & 255 : -1;
      var n = (a << 16) | ((b < 0 ? 0 : b) << 8) | (c < 0 ? 0 : c);
      out += B64.charAt((n >> 18) & 63) + B64.charAt((n >> 12) & 63) +
        (b < 0 ? '=' : B64.charAt((n >> 6) & 63)) + (c < 0 ? '=' : B64.charAt(n & 63));
    }
    return out;
  };
  g.atob = function atob(s) {
    s = String(s);
    var out = '', bits = 0, acc = 0;
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      if (ch === '=') break;
      var v = B64.indexOf(ch);
      if (v < 0) continue;
      acc = (acc << 6) | v; bits += 6;
      if (bits >= 8) { bits -= 8; out += fcc((acc >> bits) & 255); }
    }
    return out;
  };

  var HEX = '0123456789ABCDEF';
  var SAFE = /[A-Za-z0-9\\-_.!~*'()]/;
  g.encodeURIComponent = function encodeURIComponent(s) {
    s = String(s);
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i), c = s.charCodeAt(i) & 255;
      if (c < 128 && SAFE.test(ch)) out += ch;
      else if (c < 128) out += '%' + HEX.charAt(c >> 4) + HEX.charAt(c & 15);
      else out += '%' + fcc(48 + (c >> 4) - 9) + HEX.charAt(c & 15);
    }
    return out;
  };
  g.decodeURIComponent = function decodeURIComponent(s) {
    s = String(s);
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      if (ch !== '%') { out += ch; continue; }
      var h = s.substr(i + 1, 2);
      if (!/^[0-9a-fA-F][0-9a-fA-F]$/.test(h)) throw new Error('Invalid URI');
      var c = parseInt(h, 16);
      if (c >= 128) throw new Error('Invalid URI');
      out += fcc(c);
      i += 2;
    }
    return out;
  };
}`,
};
