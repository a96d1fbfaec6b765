/**
 * The vm context that plays the interpreter, and the few ways host (Node) code may touch it.
 *
 * A vm context has its own intrinsics (its own Object, Array, Error...). Values handed to board
 * code must come from the context, or `instanceof` and prototype-based behaviour would differ, so
 * host code builds objects, arrays, errors and ArrayBuffers through this class. The intrinsics are
 * captured here once, before the preludes remove from the context's global what Espruino lacks.
 */
import * as vm from 'vm';

/** Context intrinsics captured before pruning (the preludes may need the ones Espruino lacks). */
export interface Intrinsics {
  Object: any; Array: any; Function: any; String: any; Error: any; TypeError: any; SyntaxError: any;
  ReferenceError: any; RangeError: any; EvalError: any; URIError: any; RegExp: any; Date: any;
  Promise: any; JSON: any; Math: any; Number: any;
  ArrayBuffer: any; Uint8Array: any; DataView: any; TypedArray: any;
  Reflect: any; Proxy: any; WeakMap: any; WeakSet: any; Map: any; Set: any; Symbol: any;
  defineProperty: any; getOwnPropertyDescriptor: any; jsonParse: any; jsonStringify: any;
  [name: string]: any;
}

/** A prelude: JS source of a function expression `function (g, I, host) {...}` run in the context. */
export interface Prelude { name: string; source: string }

export class Realm {
  readonly context: vm.Context;
  readonly global: any;
  readonly I: Intrinsics;
  private readonly toArrayFn: (items: unknown[]) => any[];
  private readonly describeFn: (v: unknown) => string;

  constructor() {
    this.context = vm.createContext({}, { name: 'SimBoard (Espruino 2v29, ESP32)', codeGeneration: { strings: true, wasm: false } });
    this.global = vm.runInContext('globalThis', this.context);
    this.I = vm.runInContext(`({
      Object: Object, Array: Array, Function: Function, String: String, Error: Error,
      TypeError: TypeError, SyntaxError: SyntaxError, ReferenceError: ReferenceError,
      RangeError: RangeError, EvalError: EvalError, URIError: URIError, RegExp: RegExp, Date: Date,
      Promise: Promise, JSON: JSON, Math: Math, Number: Number,
      ArrayBuffer: ArrayBuffer, Uint8Array: Uint8Array, DataView: DataView,
      TypedArray: Object.getPrototypeOf(Uint8Array),
      Reflect: Reflect, Proxy: Proxy, WeakMap: WeakMap, WeakSet: WeakSet, Map: Map, Set: Set,
      Symbol: Symbol, defineProperty: Object.defineProperty,
      getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
      jsonParse: JSON.parse, jsonStringify: JSON.stringify
    })`, this.context);
    this.toArrayFn = vm.runInContext('(function (a) { var r = []; for (var i = 0; i < a.length; i++) r.push(a[i]); return r; })', this.context);
    this.describeFn = vm.runInContext('(function (v) { try { return String(v); } catch (e) { return "[unprintable]"; } })', this.context);
  }

  /** Evaluate source in the context (script semantics, sloppy mode). */
  run(source: string, filename = 'board'): any {
    return vm.runInContext(source, this.context, { filename });
  }

  /** Run a prelude: its function gets the context global, the intrinsics and a host bridge. */
  install(prelude: Prelude, host?: unknown): any {
    const fn = vm.runInContext('(' + prelude.source + ')', this.context, { filename: 'prelude:' + prelude.name });
    return fn(this.global, this.I, host);
  }

  /** A context error (e.g. realm.error('InternalError', 'Unable to locate host')). */
  error(type: string, message: string): any {
    const C = this.global[type] || this.I[type] || this.I.Error;
    return new C(message);
  }

  /** A fresh plain object of the context. */
  object(props?: Record<string, unknown>): any {
    const o = new this.I.Object();
    if (props) for (const k of Object.keys(props)) o[k] = props[k];
    return o;
  }

  /** A context array with the given items. */
  array(items: unknown[]): any[] {
    return this.toArrayFn(items);
  }

  /** Deep copy of JSON-able host data into context objects. */
  data(value: unknown): any {
    return value === undefined ? undefined : this.I.jsonParse(JSON.stringify(value));
  }

  /** A context ArrayBuffer holding these bytes. */
  arrayBuffer(bytes: Uint8Array): any {
    const ab = new this.I.ArrayBuffer(bytes.length);
    new this.I.Uint8Array(ab).set(bytes);
    return ab;
  }

  /** A context Uint8Array holding these bytes. */
  uint8Array(bytes: ArrayLike<number>): any {
    const u = new this.I.Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) u[i] = bytes[i];
    return u;
  }

  /** String(v) as the board would print it (uses the context's toString chain). */
  describe(v: unknown): string {
    return this.describeFn(v);
  }

  /** Is v a context Error (or a subclass)? */
  isError(v: unknown): boolean {
    return v instanceof this.I.Error;
  }
}
