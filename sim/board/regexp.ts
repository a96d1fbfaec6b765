/**
 * Prelude: Espruino's regular expressions (src/jswrap_regexp.c) support only the * and +
 * quantifiers: `?`, `{n,m}`, `(?:)`, lookahead are not operators there but literal characters,
 * and back-references throw "Backreferences not supported". RegExp.prototype.exec (which test,
 * match, replace and split all go through) runs such patterns with those characters escaped, so
 * /a{2}/.test("aa") is false as on the board. Not reproduced: \b and the m flag.
 */
import type { Prelude } from './realm';

export const regexpPrelude: Prelude = {
  name: 'regexp',
  source: `function (g, I) {
  var nativeExec = RegExp.prototype.exec;
  var cache = new I.WeakMap();
  function espruinoSource(src) {
    var out = '', inClass = false;
    for (var i = 0; i < src.length; i++) {
      var c = src.charAt(i);
      if (c === '\\\\') {
        var n = src.charAt(i + 1);
        if (!inClass && n >= '1' && n <= '9') throw new Error('Backreferences not supported');
        out += c + n; i++; continue;
      }
      if (inClass) { if (c === ']') inClass = false; out += c; continue; }
      if (c === '[') { inClass = true; out += c; continue; }
      if (c === '?' || c === '{' || c === '}') { out += '\\\\' + c; continue; }
      out += c;
    }
    return out;
  }
  I.defineProperty(RegExp.prototype, 'exec', { writable: true, configurable: true, enumerable: false, value: function exec(s) {
    var alt = cache.get(this);
    if (alt === undefined) {
      var src = this.source, es = espruinoSource(src);
      alt = es === src ? null : new I.RegExp(es, this.flags);
      cache.set(this, alt);
    }
    if (alt === null) return I.Reflect.apply(nativeExec, this, [s]);
    alt.lastIndex = this.lastIndex;
    var r = I.Reflect.apply(nativeExec, alt, [s]);
    this.lastIndex = alt.lastIndex;
    return r;
  } });
}`,
};
