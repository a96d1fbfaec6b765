/**
 * Prelude: Espruino's Promise: constructor, then, catch, Promise.all/resolve/reject, nothing else
 * (no race/allSettled/any/finally). `then` callbacks run as microtasks, before setTimeout(...,0).
 * A rejection nobody handles is reported as "Unhandled promise rejection: <reason>" through the
 * board's uncaught-exception path instead of reaching Node.
 */
import type { Prelude } from './realm';

export const promisePrelude: Prelude = {
  name: 'promise',
  source: `function (g, I, host) {
  var state = new I.WeakMap();
  function isThenable(x) { return x !== null && (typeof x === 'object' || typeof x === 'function'); }
  function settle(p, ok, value) {
    var s = state.get(p);
    if (s.done) return;
    s.done = true; s.ok = ok; s.value = value;
    var q = s.queue; s.queue = [];
    q.forEach(function (r) { schedule(s, r); });
    if (!ok && !s.handled) host.later(function () { if (!s.handled) host.unhandled(value); });
  }
  function resolveWith(p, x) {
    var s = state.get(p);
    if (s.done || s.locked) return;
    if (x === p) { settle(p, false, new TypeError('Promise resolved with itself')); return; }
    if (isThenable(x)) {
      var then;
      try { then = x.then; } catch (e) { settle(p, false, e); return; }
      if (typeof then === 'function') {
        s.locked = true;
        var called = false;
        host.microtask(function () {
          try {
            I.Reflect.apply(then, x, [
              function (y) { if (called) return; called = true; s.locked = false; resolveWith(p, y); },
              function (r) { if (called) return; called = true; s.locked = false; settle(p, false, r); },
            ]);
          } catch (e) { if (!called) { called = true; s.locked = false; settle(p, false, e); } }
        });
        return;
      }
    }
    settle(p, true, x);
  }
  function schedule(s, r) {
    host.microtask(function () {
      var cb = s.ok ? r.onOk : r.onErr;
      if (typeof cb !== 'function') { if (s.ok) resolveWith(r.next, s.value); else settle(r.next, false, s.value); return; }
      var out;
      try { out = cb(s.value); } catch (e) { settle(r.next, false, e); return; }
      resolveWith(r.next, out);
    });
  }
  function Promise(executor) {
    if (!(this instanceof Promise)) throw new TypeError('Promise must be called with new');
    if (typeof executor !== 'function') throw new TypeError('Executor function required in promise constructor');
    var self = this;
    state.set(self, { done: false, ok: false, value: undefined, queue: [], handled: false, locked: false });
    try {
      executor(function resolve(v) { resolveWith(self, v); }, function reject(r) { settle(self, false, r); });
    } catch (e) { settle(self, false, e); }
  }
  function then(onOk, onErr) {
    var s = state.get(this);
    if (!s) throw new TypeError('Not a Promise');
    var next = new Promise(function () {});
    var r = { onOk: onOk, onErr: onErr, next: next };
    s.handled = true;
    if (s.done) schedule(s, r); else s.queue.push(r);
    return next;
  }
  I.defineProperty(Promise.prototype, 'then', { value: then, writable: true, configurable: true, enumerable: false });
  I.defineProperty(Promise.prototype, 'catch', { value: function (onErr) { return this.then(undefined, onErr); }, writable: true, configurable: true, enumerable: false });
  Promise.resolve = function (v) { if (v instanceof Promise) return v; return new Promise(function (ok) { ok(v); }); };
  Promise.reject = function (r) { return new Promise(function (ok, fail) { fail(r); }); };
  Promise.all = function (items) {
    return new Promise(function (ok, fail) {
      var out = [], left = items.length;
      if (!left) { ok(out); return; }
      for (var i = 0; i < items.length; i++) (function (i) {
        Promise.resolve(items[i]).then(function (v) { out[i] = v; if (--left === 0) ok(out); }, fail);
      })(i);
    });
  };
  g.Promise = Promise;
}`,
};
