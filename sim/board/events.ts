/**
 * Events as on Espruino: every object has on/addListener/prependListener/emit/removeListener/
 * removeAllListeners (no once/off/listeners/listenerCount), and `emit` is ASYNCHRONOUS: the
 * listeners are queued and run after the current code returns (src/jswrap_object.c). emit takes
 * at most 4 arguments besides the event name ("Too many arguments (>4)").
 *
 * The host side is EventQueue, the interpreter's idle loop: queued listener calls and events from
 * the board's I/O (socket data, Wi-Fi...) run one by one from a Node immediate; an exception in
 * one of them is reported as uncaught and the others still run.
 *
 * I/O events use `dispatch`, which looks the listeners up when the event runs (so a `data`
 * listener added in the `connect` callback sees data that arrived in the same poll), whereas a
 * script's own `emit` snapshots the listeners when it is called, as Espruino does.
 */
import type { Prelude, Realm } from './realm';

type Job = () => void;

export class EventQueue {
  private jobs: Job[] = [];
  private immediate: NodeJS.Immediate | undefined;
  private closed = false;

  /** onPassEnd runs after each drain: one pass of the interpreter's idle loop has ended. */
  constructor(private readonly onUncaught: (e: unknown) => void, private readonly onPassEnd?: () => void, private readonly onJob?: () => void) {}

  post(job: Job): void {
    if (this.closed) return;
    this.jobs.push(job);
    if (!this.immediate) this.immediate = setImmediate(() => this.drain());
  }

  /** Queue a call of a board function (exceptions are reported as uncaught). */
  call(fn: Function, thisArg: unknown, args: unknown[]): void {
    this.post(() => Reflect.apply(fn, thisArg, args));
  }

  /** Run a board callback now, reporting its exception as uncaught. */
  guard(job: Job): void {
    if (this.closed) return;
    this.onJob?.();
    try {
      job();
    } catch (e) {
      this.onUncaught(e);
    }
  }

  get pending(): number {
    return this.jobs.length;
  }

  close(): void {
    this.closed = true;
    this.jobs = [];
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  private drain(): void {
    this.immediate = undefined;
    const batch = this.jobs;
    this.jobs = [];
    for (const job of batch) {
      if (this.closed) return;
      this.guard(job);
    }
    this.onPassEnd?.();
    if (this.jobs.length && !this.immediate && !this.closed) this.immediate = setImmediate(() => this.drain());
  }
}

/** What the events prelude hands back to the host. */
export interface BoardEvents {
  /** Queue an I/O event on a board object; listeners are looked up when it runs. */
  dispatch(obj: object, event: string, args: unknown[]): void;
  /** Number of listeners for an event (host-side checks, e.g. process 'uncaughtException'). */
  count(obj: object, event: string): number;
  /** Run the listeners now (used from inside a queued job). */
  runNow(obj: object, event: string, args: unknown[]): void;
  /** The listeners of an object, one array per event (the memory meter counts them). */
  listenersOf(obj: object): unknown[][];
}

export const eventsPrelude: Prelude = {
  name: 'events',
  source: `function (g, I, host) {
  var table = new I.WeakMap();
  function listeners(o, evt, create) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return undefined;
    var t = table.get(o);
    if (!t) { if (!create) return undefined; t = Object.create(null); table.set(o, t); }
    var k = String(evt);
    if (!t[k] && create) t[k] = [];
    return t[k];
  }
  function method(name, fn) { I.defineProperty(Object.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false }); }
  method('on', function on(evt, fn) { var l = listeners(this, evt, true); if (l) l.push(fn); });
  method('addListener', function addListener(evt, fn) { var l = listeners(this, evt, true); if (l) l.push(fn); });
  method('prependListener', function prependListener(evt, fn) { var l = listeners(this, evt, true); if (l) l.unshift(fn); });
  method('removeListener', function removeListener(evt, fn) {
    var l = listeners(this, evt, false);
    if (!l) return;
    var i = l.indexOf(fn);
    if (i >= 0) l.splice(i, 1);
  });
  method('removeAllListeners', function removeAllListeners(evt) {
    if (this === null || (typeof this !== 'object' && typeof this !== 'function')) return;
    if (evt === undefined) { table.delete(this); return; }
    var t = table.get(this);
    if (t) delete t[String(evt)];
  });
  method('emit', function emit(evt) {
    if (arguments.length > 5) throw new Error('Too many arguments (>4)');
    var l = listeners(this, evt, false);
    if (!l || !l.length) return;
    var args = [];
    for (var i = 1; i < arguments.length; i++) args.push(arguments[i]);
    var snapshot = l.slice();
    for (var j = 0; j < snapshot.length; j++) host.call(snapshot[j], this, args);
  });
  function runNow(o, evt, args) {
    var l = listeners(o, evt, false);
    if (!l || !l.length) return;
    var snapshot = l.slice();
    for (var j = 0; j < snapshot.length; j++) {
      try { I.Reflect.apply(snapshot[j], o, args); } catch (e) { host.uncaught(e); }
    }
  }
  return {
    dispatch: function (o, evt, args) { host.post(function () { runNow(o, evt, args); }); },
    count: function (o, evt) { var l = listeners(o, evt, false); return l ? l.length : 0; },
    runNow: runNow,
    listenersOf: function (o) { var t = table.get(o), r = []; if (t) for (var k in t) if (t[k].length) r.push(t[k]); return r; },
  };
}`,
};

export function installEvents(realm: Realm, queue: EventQueue, uncaught: (e: unknown) => void): BoardEvents {
  return realm.install(eventsPrelude, {
    call: (fn: Function, thisArg: unknown, args: unknown[]) => queue.call(fn, thisArg, args),
    post: (job: () => void) => queue.post(job),
    uncaught,
  });
}
