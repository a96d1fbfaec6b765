/**
 * Module loading as src/jswrap_modules.c does it: require(name) looks in the module cache
 * (Modules.addCached / earlier requires), then the built-in libraries, then a Storage file named
 * exactly `name`; otherwise it throws Error('Module "name" not found'). A module runs with
 * `module` and `exports` in scope and `this === exports`; its top-level var/function stay local,
 * assignments to undeclared names become global. Modules.addCached evaluates the module at once.
 */
import { utf8ToBytes } from './bytes';
import type { Realm } from './realm';
import { EVAL_HELPER, InvalidEscape, SET_LENGTH_HELPER, transformSource } from './transform';

export type BuiltinFactory = () => unknown;

export class ModuleSystem {
  private readonly cache = new Map<string, unknown>();
  private readonly builtins = new Map<string, BuiltinFactory>();

  /** onLoaded: a module's code ran (the memory meter counts what it costs). */
  constructor(private readonly realm: Realm, private readonly readStorage: (name: string) => string | undefined,
    private readonly onLoaded?: (name: string, sourceBytes: number, exports: unknown) => void) {}

  registerBuiltin(name: string, factory: BuiltinFactory): void {
    this.builtins.set(name, factory);
  }

  install(): void {
    const g = this.realm.global;
    const self = this;
    const define = (name: string, value: unknown) => this.realm.I.defineProperty(g, name, { value, writable: false, configurable: false, enumerable: false });
    define(SET_LENGTH_HELPER, function setLength(obj: any, n: unknown) {
      if (Array.isArray(obj)) throw self.realm.error('TypeError', 'Assignment to a constant');
      obj.length = n;
      return n;
    });
    define(EVAL_HELPER, function source(code: unknown) {
      return typeof code === 'string' ? self.transform(code) : code;
    });
    g.require = function require(name: unknown) { return self.require(String(name)); };
    const Modules = this.realm.object();
    Modules.addCached = function addCached(name: unknown, source: unknown) { self.addCached(String(name), source, false); };
    Modules.removeCached = function removeCached(name: unknown) { self.cache.delete(String(name)); };
    Modules.removeAllCached = function removeAllCached() { self.cache.clear(); };
    Modules.getCached = function getCached() { return self.realm.array([...self.cache.keys()]); };
    g.Modules = Modules;
  }

  /** Modules.addCached; `utf8` says the source is PC text (UTF-8) rather than board bytes. */
  addCached(name: string, source: unknown, utf8: boolean): void {
    const exports = typeof source === 'function'
      ? this.evaluateFunction(source as Function)
      : this.evaluate(utf8 ? utf8ToBytes(String(source)) : String(source), name);
    this.cache.set(name, exports);
    this.onLoaded?.(name, String(source).length, exports);
  }

  require(name: string): unknown {
    if (this.cache.has(name)) return this.cache.get(name);
    const builtin = this.builtins.get(name);
    if (builtin) {
      const m = builtin();
      this.cache.set(name, m);
      return m;
    }
    const stored = this.readStorage(name);
    if (stored !== undefined) {
      const exports = this.evaluate(stored, name);
      this.cache.set(name, exports);
      this.onLoaded?.(name, stored.length, exports);
      return exports;
    }
    throw this.realm.error('Error', `Module "${name}" not found`);
  }

  /** transformSource, with a board error for source the board cannot parse. */
  transform(bytes: string): string {
    try {
      return transformSource(bytes);
    } catch (e) {
      if (e instanceof InvalidEscape) throw this.realm.error('Error', e.message);
      throw e;
    }
  }

  /** Evaluate module source (already bytes). */
  private evaluate(bytes: string, name: string): unknown {
    const wrapped = '(function (module, exports) {' + this.transform(bytes) + '\n})';
    const fn = this.realm.run(wrapped, 'module:' + name);
    return this.callModule(fn);
  }

  private evaluateFunction(fn: Function): unknown {
    return this.callModule(fn);
  }

  private callModule(fn: Function): unknown {
    const module = this.realm.object();
    const exports = this.realm.object();
    module.exports = exports;
    Reflect.apply(fn, exports, [module, exports]);
    return module.exports;
  }
}
