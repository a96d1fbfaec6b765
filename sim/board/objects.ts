/**
 * Prelude: Object and typed-array semantics that differ on Espruino (espruino-runtime.md §1.3).
 * - Object.create(proto, props) with a second argument throws "propertiesObject is not supported yet".
 * - defineProperty ignores enumerable:false for data properties, and a non-writable data property
 *   throws TypeError "Assignment to a constant" when assigned (V8 sloppy mode would ignore it), done
 *   here with an accessor pair, so getOwnPropertyDescriptor shows get/set instead of value/writable.
 * - Object.prototype.toString is the value's string conversion: "" for [], "[object Object]" for {}.
 * - new Uint8Array("AB") (any typed array from a string) throws "Unsupported first argument of type String".
 */
import type { Prelude } from './realm';

export const objectsPrelude: Prelude = {
  name: 'objects',
  source: `function (g, I) {
  var def = I.defineProperty;
  var fnToString = Function.prototype.toString;
  function method(obj, name, fn) { def(obj, name, { value: fn, writable: true, configurable: true, enumerable: false }); }
  var create = Object.create;
  method(Object, 'create', function create2(proto, props) {
    if (props !== undefined) throw new Error('propertiesObject is not supported yet');
    return create(proto);
  });
  function fixDescriptor(d) {
    if (d === null || typeof d !== 'object') return d;
    if ('get' in d || 'set' in d) return d;
    var out = { enumerable: true, configurable: d.configurable === true };
    if (d.writable === true) { out.value = d.value; out.writable = true; return out; }
    var v = d.value;
    out.get = function () { return v; };
    out.set = function () { throw new TypeError('Assignment to a constant'); };
    return out;
  }
  method(Object, 'defineProperty', function defineProperty(o, k, d) { return def(o, k, fixDescriptor(d)); });
  method(Object, 'defineProperties', function defineProperties(o, ds) {
    Object.keys(ds).forEach(function (k) { def(o, k, fixDescriptor(ds[k])); });
    return o;
  });
  method(Object.prototype, 'toString', function toString() {
    if (this === null || this === undefined) return '';
    if (Array.isArray(this)) return this.join();
    if (this instanceof I.TypedArray) return this.join();
    if (typeof this === 'function') return I.Reflect.apply(fnToString, this, []);
    return '[object Object]';
  });
  ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
   'Uint32Array', 'Float32Array', 'Float64Array'].forEach(function (n) {
    var T = g[n];
    g[n] = new I.Proxy(T, {
      construct: function (t, args, nt) {
        if (typeof args[0] === 'string') throw new Error('Unsupported first argument of type String');
        return I.Reflect.construct(t, args, nt === g[n] ? t : nt);
      },
    });
  });
}`,
};
