/**
 * The memory meter: an estimate of the JsVars the board's values would use on the ESP32
 * (16,383 variables of 14 bytes), so that SimBoard runs out of memory where the board would.
 *
 * The costs are those measured on the interpreter (test/sim/memory/, recorded as its README
 * says):
 * - a string: 1 JsVar for its first 9 bytes, 1 more per 10 bytes after;
 * - an object or array: 1, plus 1 per member (its name: 4 characters, 1 more per 10 after),
 *   plus the member's value unless it is packed into the name (an int32, a boolean, undefined);
 * - a function: 2 plus 1 per parameter; its code is counted as in flash, as the module's is
 *   when kept in Storage (an app's own functions typed into RAM cost their code too: not counted);
 * - a typed array or ArrayBuffer: 3, plus 1 per 14 bytes (a flat string);
 * - data written to a socket and not yet sent: 5 per socket, plus 1 per 10 bytes; and when the
 *   idle loop sends a chunk of it, the rest is copied: for a moment it is held twice;
 * - a timer: 2 plus its callback and arguments; a listener: 2 per event plus its function;
 * - a string Storage.read() returned: 1 (a view of flash, memory-mapped on the ESP32), for the
 *   latest strings of more than 100 bytes it returned (V8 cannot tell when one is dropped);
 * - a scope a function closes over (the variables of the function or block it was made in):
 *   counted as an object, once however many functions share it; each function made inside
 *   another holds 1 more (its link to the scope), and below the outermost its own copy of the
 *   list of scopes (1, plus 1 per scope);
 * - the interpreter itself: 48; a module: what it measured from Storage (aliyunIoT: 1,242),
 *   otherwise 1 per 32 bytes of source.
 *
 * Closures are read through the inspector (closures.ts): V8 shows a function's scopes to a
 * debugger only. It shows copies, without identity: a scope is told apart from others by its
 * kind, its variables and their values (objects by identity) and the scopes around it, so two
 * scopes that hold the same values are taken for one. Reading costs a request to the inspector
 * per function, so what cannot change is kept: a function's link to its scopes, that it closes
 * over nothing counted, and that it shares a scope holding objects with another function read
 * before (then only that one is read again). The scopes a module's functions closed over when
 * it was loaded are part of the module's measured cost: what they held then is not counted
 * again, what changes in them later is; the preludes' scopes are the interpreter's.
 * A string of more than 100 bytes a closure holds that is also held elsewhere is counted once:
 * on the board it is most likely one string, passed by reference.
 * What V8 cannot show is not counted: the variables of a scope that no function made there
 * uses (V8 drops them; the interpreter keeps every variable of the scope), the locals of a
 * running function, and transient strings inside it (except the one being written to a
 * socket, counted at the write).
 *
 * It walks everything reachable from the board's global object (what the preludes installed is
 * the empty interpreter's, what a module exports is the module's: neither is counted again),
 * from timers and from listeners, and the scopes the functions it meets close over (read in
 * batches). The walk runs at process.memory(), after a script run from the host, and otherwise
 * at the end of a pass or at a socket write when board code ran since the last one, taking at
 * most a tenth of the time; between walks, socket writes are counted as they happen. Before it
 * reports a shortage it walks again (once a pass): what the board let go since the last walk is
 * garbage, and the interpreter collects garbage before it gives up. Past the
 * ceiling the board behaves as the interpreter does: it prints "OUT OF MEMORY", raises the
 * LOW_MEMORY and MEMORY error flags (E.getErrorFlags(), E.on('errorFlag')), the allocation that
 * failed loses its data (a socket write is dropped), and "Execution Interrupted" follows at the
 * end of the pass.
 */
import * as util from 'util';
import { readScopes, type Scope } from './closures';

export const TOTAL_VARS = 16383;
/** process.memory().usage of an empty 2v29 interpreter (32-bit, 16,383 variables). */
export const EMPTY_INTERPRETER = 48;
/** JsVars a module costs once required from Storage, measured; others: 1 per 32 bytes of source. */
export const MODULE_COSTS: Record<string, number> = { aliyunIoT: 1242 };
const SOURCE_BYTES_PER_VAR = 32;
/** Bytes beyond which a string a closure holds, equal to one held elsewhere, is taken for the same. */
const SHARED_STRING = 100;

export function stringVars(len: number): number {
  return len <= 9 ? 1 : 1 + Math.ceil((len - 9) / 10);
}

function nameVars(key: string): number {
  return key.length <= 4 ? 1 : 1 + Math.ceil((key.length - 4) / 10);
}

function packed(v: unknown): boolean {
  return v === undefined || typeof v === 'boolean' || (typeof v === 'number' && (v | 0) === v);
}

/** Data waiting in a socket's send buffer. */
export function pendingVars(bytes: number): number {
  return bytes > 0 ? 5 + Math.ceil(bytes / 10) : 0;
}

export interface MeterSources {
  /** Values held by timers (callbacks and arguments). */
  timers(): unknown[];
  /** Number of timers. */
  timerCount(): number;
  /** Listeners of an object, by event. */
  listeners(o: object): unknown[][];
  /** Bytes written to sockets and not yet sent, per socket. */
  pending(): number[];
  /** Whether a function was made by board code (its closure holds board data), not by the host. */
  boardFunction?(f: Function): boolean;
}

export class MemoryMeter {
  readonly total: number;
  /** Error flags not yet read by E.getErrorFlags(). */
  private flags: string[] = [];
  /** Objects the walk does not count, with the members they had then (the empty interpreter's, a module's). */
  private builtinKeys = new WeakMap<object, Map<string, unknown>>();
  private moduleVars = 0;
  /** Scopes a module's functions closed over when it was loaded, by signature: their variables then. */
  private moduleScopes = new Map<string, Map<string, unknown>>();
  /** One function per module scope: read at each walk, for what changed there since. */
  private moduleScopeFns: Function[] = [];
  /** Signatures of the scopes of the empty interpreter's own functions: closures there are not counted. */
  private interpreterScopes = new Set<string>();
  /** Board functions closing over nothing the meter counts (a function's scopes never change). */
  private noClosure = new WeakSet<Function>();
  /** A board function's link to its scopes, in JsVars (fixed when it is made), once read. */
  private links = new WeakMap<Function, number>();
  /** A function found sharing its scope with another: only that one is read again. */
  private sharesWith = new WeakMap<Function, Function>();
  /** Strings Storage returned lately: views of flash on the board (1 JsVar), not copies in RAM. */
  private flash = new Set<string>();
  private last = 0;
  /** A walk is due: board code ran since the last one. */
  private stale = true;
  /** Out of memory in this pass (reported once; "Execution Interrupted" at its end). */
  private interrupted = false;
  /** Times the board ran out of memory. */
  outOfMemory = 0;
  /** A shortage was checked by a fresh walk in this pass (recheck). */
  private rechecked = false;
  private nextWalkAt = 0;

  constructor(
    private readonly global: any,
    private readonly sources: MeterSources,
    private readonly print: (text: string) => void,
    private readonly onFlags: (flags: string[]) => void,
    /** false: estimate only, never run out (for tests that build what no board could hold). */
    private readonly enforce = true,
    total = TOTAL_VARS,
  ) {
    this.total = total;
  }

  /** Everything reachable now is the empty interpreter's: remember it, uncounted. */
  snapshotBuiltins(): void {
    this.own(this.global, 'interpreter');
  }

  /** A module was loaded: it costs what it measured (or its size says); what it exports is its own. */
  moduleLoaded(name: string, sourceBytes: number, exported: unknown): void {
    this.moduleVars += MODULE_COSTS[name] ?? Math.ceil(sourceBytes / SOURCE_BYTES_PER_VAR);
    this.own(exported, 'module');
    this.stale = true;
  }

  /**
   * Marks what `root` reaches as counted already (members added later still count), through the
   * closures of its functions too: the scopes they close over are remembered by signature (the
   * interpreter's are never counted; a module's count what changes in them later).
   */
  private own(root: unknown, whose: 'interpreter' | 'module'): void {
    const fns: Function[] = [];
    const visit = (o: unknown): void => {
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || this.builtinKeys.has(o as object)) return;
      const members = new Map<string, unknown>();
      this.builtinKeys.set(o as object, members);
      if (typeof o === 'function' && this.sources.boardFunction?.(o)) fns.push(o);
      for (const k of Reflect.ownKeys(o as object)) {
        const d = Object.getOwnPropertyDescriptor(o as object, k);
        const v = d && 'value' in d ? d.value : undefined;
        members.set(String(k), v);
        visit(v);
      }
      visit(Object.getPrototypeOf(o));
    };
    visit(root);
    while (fns.length) {
      const batch = fns.splice(0);
      readScopes(batch).forEach((list, i) => {
        if (!list) return;
        let fresh = false;
        for (const { scope, signature } of chain(list)) {
          if (this.interpreterScopes.has(signature)) break;
          if (whose === 'interpreter') {
            this.interpreterScopes.add(signature);
          } else if (!this.moduleScopes.has(signature)) {
            this.moduleScopes.set(signature, new Map(Object.entries(scope.vars)));
            fresh = true;
          }
          for (const k of Object.keys(scope.vars)) visit(scope.vars[k]);
        }
        if (fresh) this.moduleScopeFns.push(batch[i]);
      });
    }
  }

  /** Board code ran: the next check may walk again; `now` (a script run from the host): it must. */
  touched(now = false): void {
    this.stale = true;
    if (now) this.nextWalkAt = 0;
  }

  /** The estimate now (walks). */
  usage(): number {
    const t0 = performance.now();
    // one walk: what timers hold is often reachable from the global object too
    this.last = EMPTY_INTERPRETER + this.moduleVars + 2 * this.sources.timerCount() + this.walk([this.global, ...this.sources.timers()], true);
    this.stale = false;
    // walking costs time: at most a tenth of it between checks (process.memory() always walks)
    const t1 = performance.now();
    this.nextWalkAt = t1 + 9 * (t1 - t0);
    return this.last + this.pendingVars();
  }

  /** Walk if board code ran since the last walk and walking is not too frequent. */
  private fresh(): void {
    if (this.stale && performance.now() >= this.nextWalkAt) this.usage();
  }

  /**
   * Before reporting a shortage, walk again (once a pass): the estimate may still count what the
   * board has let go since the last walk, and the interpreter collects garbage before it gives up.
   */
  private recheck(): void {
    if (this.rechecked) return;
    this.rechecked = true;
    this.usage();
  }

  /**
   * `bytes` more are about to be held (a socket write: the caller's string and the buffer's
   * copy). Returns false, after reporting, when they do not fit: the data is lost.
   */
  allocate(bytes: number, held: number): boolean {
    this.fresh();
    const extra = pendingVars(bytes) + stringVars(held);
    if (this.last + this.pendingVars() + extra <= this.total || !this.enforce) return true;
    this.recheck();
    if (this.last + this.pendingVars() + extra <= this.total) return true;
    this.exhausted();
    return false;
  }

  /**
   * A socket sends a chunk of its buffer of `bytes` and copies the rest (socketserver.c): for
   * a moment the rest is held twice. Returns how many bytes survive: all when the copy fits,
   * otherwise the chunk and what fits of the rest (the board runs out of memory).
   */
  sending(bytes: number): number {
    const chunk = 536;
    if (bytes <= chunk || !this.enforce) return bytes;
    this.fresh();
    const rest = bytes - chunk;
    if (stringVars(rest) > this.total - this.last - this.pendingVars()) this.recheck();
    const free = this.total - this.last - this.pendingVars();
    if (stringVars(rest) <= free) return bytes;
    this.exhausted();
    return chunk + Math.max(0, (free - 1) * 10);
  }

  /** End of a pass of the idle loop: check, and report an interrupted execution. */
  passEnd(): void {
    this.fresh();
    if (this.enforce && this.last + this.pendingVars() > this.total) this.recheck();
    if (this.enforce && this.last + this.pendingVars() > this.total) this.exhausted();
    this.rechecked = false;
    if (this.interrupted) {
      this.interrupted = false;
      this.print('Execution Interrupted');
    }
  }

  /** E.getErrorFlags(): the flags raised since the last call. */
  takeFlags(): string[] {
    const f = this.flags;
    this.flags = [];
    return f;
  }

  /** Storage returned `s`: on the board a view of flash (memory-mapped), not a copy in RAM. */
  flashString(s: string): void {
    if (s.length <= SHARED_STRING) return;
    // the latest ones only: V8 cannot tell when a string is dropped
    this.flash.delete(s);
    this.flash.add(s);
    if (this.flash.size > 256) this.flash.delete(this.flash.values().next().value as string);
  }

  /** E.getSizeOf(v). */
  sizeOf(v: unknown): number {
    return this.walk([v]);
  }

  private exhausted(): void {
    this.outOfMemory++;
    const fresh = ['LOW_MEMORY', 'MEMORY'].filter((f) => this.flags.indexOf(f) < 0);
    this.flags.push(...fresh);
    if (!this.interrupted) this.print('OUT OF MEMORY');
    this.interrupted = true;
    if (fresh.length) this.onFlags(this.flags.slice());
  }

  private pendingVars(): number {
    let n = 0;
    for (const b of this.sources.pending()) n += pendingVars(b);
    return n;
  }

  /**
   * JsVars of what `roots` reach, not counting what belongs to the empty interpreter; with
   * `moduleScopes`, also what changed in the scopes a module's functions closed over at its load.
   */
  private walk(roots: unknown[], moduleScopes = false): number {
    const seen = new Set<object>();
    // iterative: an app may hold objects nested 20,000 deep
    const todo: object[] = [];
    /** Board functions whose closures are to be read, in batches (each read asks the inspector). */
    const closures: Function[] = [];
    const queued = new Set<Function>();
    const read = (f: Function): void => {
      if (queued.has(f)) return;
      queued.add(f);
      closures.push(f);
    };
    if (moduleScopes) this.moduleScopeFns.forEach(read);
    const scopesSeen = new Set<string>();
    /** This walk's scopes holding an object, by identity, and the first function read for each. */
    const readFor = new Map<string, Function>();
    const ids = new Map<unknown, number>();
    let n = 0;
    /** Long strings counted so far: one a closure holds as well is most likely the same, passed in. */
    const strings = new Set<string>();
    const value = (v: unknown): void => {
      if (typeof v === 'string') {
        n += v.length > SHARED_STRING && this.flash.has(v) ? 1 : stringVars(v.length);
        if (v.length > SHARED_STRING) strings.add(v);
      }
      else if (v === null || (typeof v !== 'object' && typeof v !== 'function')) n += 1;
      else todo.push(v as object);
    };
    const member = (key: string, v: unknown): void => {
      n += nameVars(key);
      if (!packed(v)) value(v);
    };
    const object = (o: object): void => {
      if (seen.has(o)) return;
      seen.add(o);
      const builtin = this.builtinKeys.get(o);
      if (!builtin) {
        if (typeof o === 'function') {
          n += 2 + (o as Function).length;
          const f = o as Function;
          if (this.sources.boardFunction?.(f) && !this.noClosure.has(f)) {
            const link = this.links.get(f);
            if (link === undefined) read(f);
            else {
              n += link;
              read(this.sharesWith.get(f) ?? f);
            }
          }
        } else if (util.types.isArrayBuffer(o)) return void (n += 3 + Math.ceil((o as ArrayBuffer).byteLength / 14));
        else if (util.types.isTypedArray(o)) return void (n += 3 + Math.ceil((o as unknown as Uint8Array).byteLength / 14));
        else n += 1;
      }
      const keys = Array.isArray(o) ? Object.keys(o) : Reflect.ownKeys(o).filter((k): k is string => typeof k === 'string');
      for (const k of keys) {
        if (builtin && builtin.has(k)) {
          // a member it had then: counted only if it now holds something else
          const d = Object.getOwnPropertyDescriptor(o, k);
          if (d && 'value' in d && d.value !== builtin.get(k)) member(k, d.value);
          continue;
        }
        if (typeof o === 'function' && (k === 'length' || k === 'name' || k === 'arguments' || k === 'caller')) continue;
        if (Array.isArray(o) && k === 'length') continue;
        const d = Object.getOwnPropertyDescriptor(o, k);
        if (!d) continue;
        if (!('value' in d)) {
          n += nameVars(k) + 1;
          continue;
        }
        // a function's prototype object is only real once something was put on it
        if (typeof o === 'function' && k === 'prototype' && d.value && Object.keys(d.value).length === 0) continue;
        member(k, d.value);
      }
      if (!builtin) {
        const proto = Object.getPrototypeOf(o);
        if (proto && !this.builtinKeys.has(proto)) todo.push(proto);
      }
      for (const fns of this.sources.listeners(o)) {
        n += 2 + (fns.length > 1 ? 1 + fns.length : 0);
        for (const f of fns) value(f);
      }
    };
    /** A scope's identity within this walk: its kind, its variables and their values, its outer scopes. */
    const id = (v: unknown): number => {
      let i = ids.get(v);
      if (i === undefined) ids.set(v, (i = ids.size));
      return i;
    };
    const scopes = (fn: Function, list: Scope[]): void => {
      let key = '';
      const counted: { scope: Scope; signature: string; key: string }[] = [];
      for (const c of chain(list)) {
        // a closure within the interpreter's own code (a prelude's) holds no board data of its own
        if (this.interpreterScopes.has(c.signature)) return void this.noClosure.add(fn);
        key = c.scope.kind + '(' + Object.keys(c.scope.vars).map((k) => k + '=' + id(c.scope.vars[k])).join(',') + ')<' + key;
        counted.push({ ...c, key });
      }
      if (!counted.length) return void this.noClosure.add(fn);
      // the function's link to its scope; below the outermost, its own copy of the list of scopes
      // (a module's function read for its module's scopes costs what the module measured)
      if (!this.links.has(fn) && !this.builtinKeys.has(fn)) {
        const link = 1 + (counted.length > 1 ? 1 + counted.length : 0);
        this.links.set(fn, link);
        n += link;
      }
      // functions made together share their scope: once seen, only one of them is read again
      // (told by a scope holding the same objects: equal numbers and strings could be chance)
      const inner = counted[counted.length - 1];
      if (Object.values(inner.scope.vars).some((v) => v !== null && (typeof v === 'object' || typeof v === 'function'))) {
        const first = readFor.get(inner.key);
        if (!first) readFor.set(inner.key, fn);
        else if (first !== fn && !this.builtinKeys.has(fn)) this.sharesWith.set(fn, first);
      }
      for (const c of counted) {
        if (scopesSeen.has(c.key)) continue;
        scopesSeen.add(c.key);
        const then = this.moduleScopes.get(c.signature);
        if (!then) n += 1;
        for (const k of Object.keys(c.scope.vars)) {
          const v = c.scope.vars[k];
          if (then && then.has(k) && then.get(k) === v) continue;
          // a long string held elsewhere too: on the board, both most likely hold one string
          // (a reference, e.g. a parameter); short ones equal by chance are often copies
          if (typeof v === 'string' && v.length > SHARED_STRING && strings.has(v)) n += nameVars(k);
          else member(k, v);
        }
      }
    };
    for (const r of roots) value(r);
    for (;;) {
      while (todo.length) object(todo.pop()!);
      if (!closures.length) break;
      const batch = closures.splice(0);
      readScopes(batch).forEach((list, i) => { if (list) scopes(batch[i], list); });
    }
    return n;
  }
}

/**
 * A function's scopes from the outermost in, each with its signature: its kind and variable
 * names and those of the scopes around it (what stays the same while values change).
 */
function chain(list: Scope[]): { scope: Scope; signature: string }[] {
  const out: { scope: Scope; signature: string }[] = [];
  let signature = '';
  for (let j = list.length - 1; j >= 0; j--) {
    signature = list[j].kind + '(' + Object.keys(list[j].vars).join(',') + ')<' + signature;
    out.push({ scope: list[j], signature });
  }
  return out;
}
