/**
 * Prelude: built-in methods are reachable from instances only (espruino/Espruino#159).
 *
 * On Espruino `typeof Array.prototype.slice` is "undefined" while `[].slice` works; same for
 * String, Function and the typed arrays. V8 finds methods through the prototype, so each method
 * of those prototypes becomes an accessor whose getter returns undefined when the lookup started
 * at the prototype object itself (or, for typed arrays, at any XArray.prototype) and the method
 * otherwise. Assigning `Array.prototype.slice = [].slice` still works (it becomes an own data
 * property, as on Espruino). Also: Function.prototype.apply refuses more than 256 arguments.
 * Differences: Object.getOwnPropertyDescriptor(Array.prototype, "slice") shows get/set, and
 * `"slice" in Array.prototype` is true.
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
  // Each method becomes an accessor: the getter answers undefined when read from the prototype
  // itself and the method otherwise; the setter turns an assignment into a plain own property
  // (on the prototype, or on the instance). Getters are strict so strings are not boxed.
  function hide(proto, isGuard, keepOwn) {
    var names = Object.getOwnPropertyNames(proto), moves = [];
    for (var i = 0; i < names.length; i++) {
      var d = I.getOwnPropertyDescriptor(proto, names[i]);
      if (!contains(keepOwn, names[i]) && d.configurable && 'value' in d) moves.push(names[i]);
    }
    var descs = [];
    for (var j = 0; j < moves.length; j++) descs.push(makeAccessor(proto, moves[j], I.getOwnPropertyDescriptor(proto, moves[j]).value, isGuard));
    for (var m = 0; m < moves.length; m++) I.defineProperty(proto, moves[m], descs[m]);
  }
  function makeAccessor(proto, name, fn, isGuard) {
    return {
      configurable: true, enumerable: false,
      get: function () { 'use strict'; return isGuard(this) ? undefined : fn; },
      set: function (v) {
        'use strict';
        var target = isGuard(this) ? proto : this;
        if (target === null || (typeof target !== 'object' && typeof target !== 'function')) return;
        I.defineProperty(target, name, { value: v, writable: true, configurable: true, enumerable: !isGuard(this) });
      },
    };
  }
  var AP = Array.prototype, SP = String.prototype, FP = Function.prototype, TP = I.TypedArray.prototype;
  var getProto = Object.getPrototypeOf;
  hide(AP, function (o) { return o === AP; }, ['length', 'constructor']);
  hide(SP, function (o) { return o === SP; }, ['length', 'constructor']);
  hide(FP, function (o) { return o === FP; }, ['length', 'name', 'constructor']);
  hide(TP, function (o) { return o === TP || (typeof o === 'object' && o !== null && getProto(o) === TP); },
    ['constructor', 'buffer', 'byteLength', 'byteOffset', 'length']);
}`,
};
