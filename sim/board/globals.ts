/**
 * Prelude: remove from the context every built-in that Espruino 2v29 on ESP32 does not have
 * (espruino-runtime.md §1.2). Allowlists, not blocklists: whatever a newer V8 adds is absent too.
 * Runs first; later preludes add Espruino's own globals (E, print, require...).
 */
import type { Prelude } from './realm';

export const GLOBAL_NAMES = [
  'Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Math', 'JSON', 'Date', 'RegExp',
  'Promise', 'Error', 'TypeError', 'SyntaxError', 'ReferenceError', 'ArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'NaN', 'Infinity', 'undefined', 'eval',
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent',
  'globalThis',
];

export const globalsPrelude: Prelude = {
  name: 'globals',
  source: `function (g, I) {
  var keepGlobals = ${JSON.stringify(GLOBAL_NAMES)};
  function keepOnly(obj, keep) {
    I.Reflect.ownKeys(obj).forEach(function (k) {
      if (typeof k !== 'string' || keep.indexOf(k) >= 0) return;
      try { delete obj[k]; } catch (e) { /* non-configurable: left alone */ }
    });
  }
  // Properties V8 will not let us delete (Number.MAX_SAFE_INTEGER, Number.EPSILON...) are hidden
  // behind a Proxy of the constructor instead.
  function hideConstants(name, keys) {
    var real = g[name];
    var stand = function () {};
    g[name] = new I.Proxy(stand, {
      get: function (t, k) { return keys.indexOf(k) >= 0 ? undefined : I.Reflect.get(real, k, real); },
      set: function (t, k, v) { return I.Reflect.set(real, k, v); },
      has: function (t, k) { return keys.indexOf(k) >= 0 ? false : I.Reflect.has(real, k); },
      apply: function (t, self, args) { return I.Reflect.apply(real, self, args); },
      construct: function (t, args, nt) { return I.Reflect.construct(real, args, nt === g[name] ? real : nt); },
      getPrototypeOf: function () { return Object.getPrototypeOf(real); },
    });
  }
  function drop(obj, names) { names.forEach(function (k) { try { delete obj[k]; } catch (e) {} }); }

  keepOnly(g, keepGlobals);
  keepOnly(Object, ['length', 'name', 'prototype', 'assign', 'create', 'defineProperty',
    'defineProperties', 'getOwnPropertyDescriptor', 'getOwnPropertyDescriptors',
    'getOwnPropertyNames', 'getPrototypeOf', 'setPrototypeOf', 'keys', 'values', 'entries', 'fromEntries']);
  drop(Object.prototype, ['toLocaleString', 'isPrototypeOf', 'propertyIsEnumerable',
    '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
  keepOnly(Array, ['length', 'name', 'prototype', 'isArray']);
  keepOnly(Array.prototype, ['length', 'constructor', 'concat', 'every', 'fill', 'filter', 'find',
    'findIndex', 'forEach', 'includes', 'indexOf', 'join', 'map', 'pop', 'push', 'reduce', 'reverse',
    'shift', 'slice', 'some', 'sort', 'splice', 'unshift', 'toString']);
  keepOnly(String, ['length', 'name', 'prototype', 'fromCharCode']);
  keepOnly(String.prototype, ['length', 'constructor', 'charAt', 'charCodeAt', 'concat', 'endsWith',
    'includes', 'indexOf', 'lastIndexOf', 'match', 'padStart', 'padEnd', 'repeat', 'replace',
    'replaceAll', 'slice', 'split', 'startsWith', 'substr', 'substring', 'toLowerCase',
    'toUpperCase', 'trim', 'toString', 'valueOf']);
  keepOnly(Number, ['length', 'name', 'prototype', 'MAX_VALUE', 'MIN_VALUE', 'NaN',
    'POSITIVE_INFINITY', 'NEGATIVE_INFINITY']);
  hideConstants('Number', ['MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'EPSILON']);
  keepOnly(Number.prototype, ['constructor', 'toFixed', 'toString', 'valueOf']);
  keepOnly(Math, ['abs', 'acos', 'asin', 'atan', 'atan2', 'ceil', 'cos', 'exp', 'floor', 'log',
    'max', 'min', 'pow', 'random', 'round', 'sign', 'sin', 'sqrt', 'tan',
    'E', 'LN2', 'LN10', 'LOG2E', 'LOG10E', 'PI', 'SQRT1_2', 'SQRT2']);
  keepOnly(Function.prototype, ['length', 'name', 'constructor', 'apply', 'call', 'bind', 'toString']);
  keepOnly(Error, ['length', 'name', 'prototype', 'stackTraceLimit']); // without stackTraceLimit V8 records no e.stack
  keepOnly(ArrayBuffer, ['length', 'name', 'prototype']);
  keepOnly(ArrayBuffer.prototype, ['constructor', 'byteLength']);
  keepOnly(I.TypedArray, ['length', 'name', 'prototype']);
  keepOnly(I.TypedArray.prototype, ['constructor', 'buffer', 'byteLength', 'byteOffset', 'length',
    'set', 'map', 'subarray', 'slice', 'fill', 'forEach', 'indexOf', 'includes', 'join', 'reduce',
    'reverse', 'sort', 'filter', 'find', 'findIndex', 'every', 'some', 'toString']);
  keepOnly(Date, ['length', 'name', 'prototype', 'now', 'parse', 'UTC']);
  drop(Date.prototype, ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString',
    'toTemporalInstant', 'getYear', 'setYear', 'toGMTString']);
  keepOnly(RegExp, ['length', 'name', 'prototype']);
  drop(RegExp.prototype, ['compile']);
}`,
};
