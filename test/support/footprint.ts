/**
 * What a module object holds on the board, counted from the outside: every object, array item
 * and string reachable from a root through own properties (the readable bundle keeps the
 * module's field names), plus what SimBoard counts (timers, sockets, queued events). Functions
 * are counted but not entered (their closures cannot be seen), and objects from outside the
 * board's realm (the socket's Node internals) are not entered either. A stand-in for the
 * interpreter's JsVar count: when these figures come back to where they were, nothing the
 * module holds has grown.
 */
import type { SimBoard } from '../../sim/board';

export interface Footprint {
  objects: number;
  /** Array items and object properties. */
  slots: number;
  functions: number;
  stringBytes: number;
  timers: number;
  sockets: number;
  queuedEvents: number;
}

export function footprint(board: SimBoard, root: unknown): Footprint {
  const realmObject = board.global.Object.prototype;
  const realmFunction = board.global.Function.prototype;
  const out: Footprint = { objects: 0, slots: 0, functions: 0, stringBytes: 0, timers: board.timerCount, sockets: board.socketCount, queuedEvents: board.queuedEvents };
  const seen = new Set<unknown>();
  const inRealm = (o: object) => {
    for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p)) if (p === realmObject) return true;
    return Object.getPrototypeOf(o) === null;
  };
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      out.stringBytes += v.length;
      continue;
    }
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) continue;
    seen.add(v);
    if (typeof v === 'function') {
      out.functions++;
      continue;
    }
    if (!inRealm(v as object) || v === realmObject || v === realmFunction || v === board.global) continue;
    out.objects++;
    for (const key of Object.getOwnPropertyNames(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (!d || !('value' in d)) continue;
      out.slots++;
      stack.push(d.value);
    }
    // Shared method objects (Object.create(proto)) belong to the module's code, not its state.
  }
  return out;
}
