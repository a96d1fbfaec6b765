/**
 * Prelude: built-in methods are reachable from instances only (espruino/Espruino#159).
 *
 * On Espruino `typeof Array.prototype.slice` is "undefined" while `[].slice` works; same for
 * String, Function and the typed arrays. V8 finds methods through the prototype, so each listed
 * prototype's methods move to a hidden store placed behind a Proxy in its prototype chain; the
 * Proxy answers `undefined` when the lookup started at the prototype object itself. Assigning
 * `Array.prototype.slice = [].slice` still works (an own property, as on Espruino).
 * Also: Function.prototype.apply refuses more than 256 arguments.
 *
 * Cost: method lookups on arrays/strings go through a Proxy trap (slower, still fine for tests).
 */
import type { Prelude } from './realm';

export const MAX_APPLY_ARGS = 256;

export const prototypesPrelude: Prelude = {
  name: 'prototypes',
  source: `function (g, I) {
  var nativeApply = I.Reflect.apply;
  var applyPatched = function apply(thisArg, args) {
    if (args !== undefined && args !== null && args.length > ${MAX_APPLY_ARGS})
      throw new Error('Array passed to Function.apply is too big! Maximum ${MAX_APPLY_ARGS} arguments, got ' + args.length);
    return nativeApply(this, thisArg, args === undefined || args === null ? [] : args);
  };
  I.defineProperty(Function.prototype, 'apply', { value: applyPatched, writable: true, configurable: true, enumerable: false });

  function contains(list, x) { for (var i = 0; i < list.length; i++) if (list[i] === x) return true; return false; }
  function hide(proto, guards, keepOwn) {
    // No array/string methods may be used between the first move and the Proxy being in place.
    var store = Object.create(Object.getPrototypeOf(proto));
    var hidden = Object.create(null);
    var names = Object.getOwnPropertyNames(proto), moves = [];
    for (var i = 0; i < names.length; i++) {
      var d = I.getOwnPropertyDescriptor(proto, names[i]);
      if (!contains(keepOwn, names[i]) && d.configurable) moves.push(names[i]);
    }
    for (var j = 0; j < moves.length; j++) {
      I.defineProperty(store, moves[j], I.getOwnPropertyDescriptor(proto, moves[j]));
      hidden[moves[j]] = true;
    }
    var trap = new I.Proxy(store, {
      get: function (t, k, r) {
        if (typeof k === 'string' && hidden[k] === true && contains(guards, r)) return undefined;
        return I.Reflect.get(t, k, r);
      },
    });
    Object.setPrototypeOf(proto, trap);
    for (var m = 0; m < moves.length; m++) delete proto[moves[m]];
  }
  hide(Array.prototype, [Array.prototype], ['length', 'constructor']);
  hide(String.prototype, [String.prototype], ['length', 'constructor']);
  hide(Function.prototype, [Function.prototype], ['length', 'name', 'constructor']);
  var typedProtos = [I.TypedArray.prototype];
  ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
   'Uint32Array', 'Float32Array', 'Float64Array'].forEach(function (n) { typedProtos.push(g[n].prototype); });
  hide(I.TypedArray.prototype, typedProtos, ['constructor', 'buffer', 'byteLength', 'byteOffset', 'length']);
}`,
};
