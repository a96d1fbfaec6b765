/**
 * setTimeout/setInterval/clearTimeout/clearInterval: real Node timers, tracked so close() can
 * clear them. Ids are numbers, as on Espruino. Extra arguments are passed to the callback; a
 * string is evaluated as code. An exception in a callback is reported as uncaught and the board
 * keeps running; a throwing interval keeps firing (as on Espruino). clearTimeout() or
 * clearInterval() with no argument at all clears every timer, and with an explicit undefined
 * throws (Espruino's behaviour).
 */
import type { Realm } from './realm';
import type { EventQueue } from './events';

export class BoardTimers {
  private nextId = 1;
  private readonly timers = new Map<number, { handle: NodeJS.Timeout; interval: boolean; run: () => void; held: unknown[] }>();

  /** afterRun: a timer's callback has run (a pass of the idle loop ends after the timers due). */
  constructor(private readonly realm: Realm, private readonly queue: EventQueue, private readonly afterRun?: () => void) {}

  /** What the timers hold: callbacks and their arguments. */
  held(): unknown[] {
    const out: unknown[] = [];
    for (const t of this.timers.values()) out.push(...t.held);
    return out;
  }

  install(): void {
    const g = this.realm.global;
    const self = this;
    g.setTimeout = function setTimeout(fn: unknown, ms?: unknown, ...args: unknown[]) { return self.add(fn, ms, args, false); };
    g.setInterval = function setInterval(fn: unknown, ms?: unknown, ...args: unknown[]) { return self.add(fn, ms, args, true); };
    g.clearTimeout = function clearTimeout(...ids: unknown[]) { self.clear(ids, 'Timeout'); };
    g.clearInterval = function clearInterval(...ids: unknown[]) { self.clear(ids, 'Interval'); };
    g.changeInterval = function changeInterval(id: unknown, ms: unknown) { self.change(Number(id), Number(ms)); };
  }

  get count(): number {
    return this.timers.size;
  }

  closeAll(): void {
    for (const t of this.timers.values()) (t.interval ? clearInterval : clearTimeout)(t.handle);
    this.timers.clear();
    this.soonBatch = null;
  }

  private add(fn: unknown, msArg: unknown, args: unknown[], interval: boolean): number {
    if (typeof fn !== 'function' && typeof fn !== 'string') throw this.realm.error('Error', 'Function or String not supplied!');
    const id = this.nextId++;
    const ms = Math.max(0, Number(msArg) || 0);
    const run = () => {
      if (!interval) this.timers.delete(id);
      this.queue.guard(() => {
        if (typeof fn === 'string') this.realm.run(fn, 'timer');
        else Reflect.apply(fn as Function, undefined, args);
      });
      this.afterRun?.();
    };
    const handle = interval ? setInterval(run, Math.max(1, ms)) : ms === 0 ? this.soon(id, run) : setTimeout(run, ms);
    this.timers.set(id, { handle, interval, run, held: [fn, ...args] });
    return id;
  }

  /** Zero-delay timeouts set in one stretch of code share one Node timer, so they fall in one
   *  pass of the idle loop as on Espruino (which times them from the pass's start); separate Node
   *  timers can be stamped a millisecond apart and run in separate passes. */
  private soonBatch: { ids: number[]; runs: Array<() => void>; handle: NodeJS.Timeout } | null = null;

  private soon(id: number, run: () => void): NodeJS.Timeout {
    if (!this.soonBatch) {
      const batch = { ids: [] as number[], runs: [] as Array<() => void>, handle: setTimeout(() => {
        if (this.soonBatch === batch) this.soonBatch = null;
        // a timeout cleared (or rescheduled) since it was set has left the table: skip it
        batch.runs.forEach((r, i) => { if (this.timers.get(batch.ids[i])?.handle === batch.handle) r(); });
      }, 0) };
      this.soonBatch = batch;
    }
    this.soonBatch.ids.push(id);
    this.soonBatch.runs.push(run);
    return this.soonBatch.handle;
  }

  /** Stops a timer's Node timer, unless it is a batch other zero-delay timeouts still wait on. */
  private stop(t: { handle: NodeJS.Timeout; interval: boolean }): void {
    if (t.interval) clearInterval(t.handle);
    else if (!this.shared(t.handle)) clearTimeout(t.handle);
  }

  private shared(handle: NodeJS.Timeout): boolean {
    let n = 0;
    for (const t of this.timers.values()) if (t.handle === handle) n++;
    return n > 1;
  }

  private change(id: number, ms: number): void {
    const t = this.timers.get(id);
    if (!t) throw this.realm.error('Error', "Can't find Interval");
    this.stop(t);
    t.handle = t.interval ? setInterval(t.run, Math.max(1, ms || 0)) : setTimeout(t.run, Math.max(0, ms || 0));
  }

  private clear(ids: unknown[], name: string): void {
    if (ids.length === 0) { this.closeAll(); return; }
    // Espruino refuses an explicit undefined rather than clearing everything (src/jswrap_interactive.c).
    if (ids[0] === undefined) throw this.realm.error('Error', `clear${name}(undefined) not allowed. Use clear${name}() instead`);
    const id = Number(ids[0]);
    const t = this.timers.get(id);
    if (!t) return;
    this.stop(t);
    this.timers.delete(id);
  }
}
