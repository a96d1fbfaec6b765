/**
 * SimBoard: a simulated ESP32 running Espruino 2v29, for running the real bundle
 * (build/aliyunIoT.js) and on-board app scripts on a PC.
 *
 *   const board = new SimBoard();
 *   board.loadModuleFile('aliyunIoT', 'build/aliyunIoT.js');   // like Modules.addCached
 *   board.run('var iot = require("aliyunIoT"); ...');          // an app script (UTF-8 text -> bytes)
 *   await board.waitFor(() => board.output.includes('connected'));
 *   await board.close();
 *
 * The interpreter is a Node `vm` context reshaped like Espruino (one prelude per concern):
 * globals.ts (what is absent), prototypes.ts (X.prototype.method is undefined; apply ≤ 256 args),
 * objects.ts, errors.ts, strings.ts (8-bit strings), json.ts, events.ts (async emit, the idle
 * loop), promise.ts, clock.ts (board clock, Date), timers.ts, espruino.ts (E, print, process...),
 * modules.ts (require), transform.ts (source rewriting), and the libraries net.ts/tls, http.ts,
 * crypto.ts, storage.ts, wifi.ts over network.ts. What cannot be mirrored is listed in
 * known-differences.ts (probe lines) and in each file's header.
 *
 * Board behaviour worth knowing in tests:
 * - An exception escaping into the "interpreter" (top level of run(), a timer, an event listener,
 *   an unhandled promise rejection) is printed as "Uncaught <e>" (or "Unhandled promise
 *   rejection: <e>"), pushed to `uncaught`, and the board keeps running. run() then returns
 *   undefined. process.on('uncaughtException', fn) gets it instead of the printout (it is still
 *   recorded in `uncaught`). As on Espruino, one exception is reported per pass of the idle
 *   loop: when several timers or events throw in the same pass, only the last is reported.
 * - A dial (net/tls connect, http request) made inside a socket's callback is recorded in
 *   `faults`: Espruino 2v29 crashes (segmentation fault) on tls.connect from a TLS socket's
 *   data handler. The e2e rigs fail a test that leaves a fault.
 * - `output` holds printed lines decoded from bytes to UTF-8; `log` (option) receives them too.
 * - storage.read() returns the stored bytes as a byte string (one char per byte).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bytesToUtf8, utf8ToBytes } from './bytes';
import { BoardClock, datePrelude } from './clock';
import { createCryptoModule } from './crypto';
import { errorsPrelude } from './errors';
import { installEspruinoGlobals } from './espruino';
import { EventQueue, installEvents, type BoardEvents } from './events';
import { globalsPrelude } from './globals';
import { createHttpModule } from './http';
import { espruinoStringify, installJson } from './json';
import { ModuleSystem } from './modules';
import { createNetModule, type NetDeps } from './net';
import { DEFAULT_DNS, Network } from './network';
import { objectsPrelude } from './objects';
import { promisePrelude } from './promise';
import { prototypesPrelude } from './prototypes';
import { Realm } from './realm';
import { MemoryMeter } from './memory';
import { createStorageModule, StorageArea } from './storage';
import { regexpPrelude } from './regexp';
import { stringsPrelude } from './strings';
import { BoardTimers } from './timers';
import { SimWifi } from './wifi';

export interface SimBoardOptions {
  /** Storage persists here as files (default: a fresh temp dir, removed by close()). */
  storageDir?: string;
  /** Provide require("Wifi") (default true). */
  wifi?: boolean;
  /** Start with the Wi-Fi station joined (default true). */
  wifiJoined?: boolean;
  /** Provide require("crypto") (default true; false mimics firmware without it). */
  crypto?: boolean;
  /** How TLS sockets trust the server; default rejectUnauthorized false, like the ESP32. */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  /** hostname -> IP ("*.suffix" and "*" allowed); default *.aliyuncs.com and localhost -> 127.0.0.1. */
  dns?: Record<string, string>;
  /** Where print/console.log lines go (as UTF-8 text); they are collected in `output` as well. */
  log?: (line: string) => void;
  /** Initial board clock in ms (default: the PC's clock). */
  time?: number;
  /**
   * The memory meter (memory.ts): on by default, with the ESP32's 16,383 JsVars; false keeps the
   * estimate (process.memory()) but never runs out: only for a test that builds values no board
   * could hold, and that says so.
   */
  memory?: boolean | { total?: number };
  /**
   * The script called load(): the board halts, as Espruino does before it restarts its
   * interpreter. A new interpreter is a new SimBoard: the owner makes one on the same storageDir
   * and calls boot() (test/ota/support.ts does). Without it the board just stays halted.
   */
  onLoad?: (board: SimBoard) => void;
}

export class SimBoard {
  readonly output: string[] = [];
  readonly uncaught: any[] = [];
  /** What the real interpreter would not survive (see the header); a test that expects none checks it is empty. */
  readonly faults: string[] = [];
  readonly wifi: { drop(reason?: string): void; restore(): void; isUp(): boolean };
  readonly storage: { read(name: string): string | undefined; list(): string[]; write(name: string, data: string | Buffer): void; erase(name: string): void };

  private readonly realm: Realm;
  private readonly queue: EventQueue;
  private readonly events: BoardEvents;
  private readonly clock: BoardClock;
  private readonly timers: BoardTimers;
  private readonly modules: ModuleSystem;
  private readonly network: Network;
  private readonly area: StorageArea;
  private readonly simWifi: SimWifi | undefined;
  private readonly live = new Set<{ destroy(): void; pendingBytes?: number }>();
  private readonly meter: MemoryMeter;
  private passEndDue = false;
  private readonly tempDir: string | undefined;
  private closed = false;
  /** load() was called: the board no longer runs anything. */
  halted = false;
  /** The exception of the current loop pass not yet reported (see reportUncaught). */
  private pendingException: { e: unknown; prefix: string } | undefined;

  constructor(private readonly opts: SimBoardOptions = {}) {
    this.tempDir = opts.storageDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'simboard-'));
    this.area = new StorageArea(opts.storageDir ?? this.tempDir!);
    this.clock = new BoardClock(opts.time);
    this.network = new Network(opts.dns ?? DEFAULT_DNS);
    this.network.joined = opts.wifiJoined ?? true;

    const realm = (this.realm = new Realm());
    this.queue = new EventQueue((e) => this.reportUncaught(e), () => this.passEnd(), () => this.meter.touched());
    realm.install(globalsPrelude);
    realm.install(objectsPrelude);
    realm.install(errorsPrelude);
    realm.install(stringsPrelude);
    realm.install(regexpPrelude);
    installJson(realm);
    this.events = installEvents(realm, this.queue, (e) => this.reportUncaught(e));
    realm.install(promisePrelude, {
      microtask: (fn: () => void) => queueMicrotask(() => this.queue.guard(fn)),
      later: (fn: () => void) => setImmediate(() => this.queue.guard(fn)),
      unhandled: (reason: unknown) => this.reportUncaught(reason, 'Unhandled promise rejection: '),
    });
    realm.install(datePrelude, { now: () => this.clock.nowMs(), tzMinutes: () => this.clock.tzMinutes });
    this.timers = new BoardTimers(realm, this.queue, () => this.timersRan());
    this.timers.install();
    const mem = opts.memory ?? true;
    this.meter = new MemoryMeter(realm.global, {
      timers: () => this.timers.held(),
      timerCount: () => this.timers.count,
      listeners: (o) => this.events.listenersOf(o),
      pending: () => [...this.live].map((s) => s.pendingBytes ?? 0),
      boardFunction: (f) => f instanceof realm.I.Function,
    }, (t) => this.print(t), (flags) => this.events.dispatch(realm.global.E, 'errorFlag', [realm.array(flags)]),
    mem !== false, typeof mem === 'object' ? mem.total : undefined);
    installEspruinoGlobals(realm, this.clock, (text) => this.print(text), this.meter);
    this.modules = new ModuleSystem(realm, (name) => this.area.read(name), (name, bytes, exports) => this.meter.moduleLoaded(name, bytes, exports));
    this.modules.install();
    realm.install(prototypesPrelude);
    // load(): Espruino restarts the interpreter once the current task returns
    const halt = () => setImmediate(() => this.halt());
    realm.global.load = function load() {
      halt();
    };

    const deps: NetDeps = {
      realm, events: this.events, network: this.network,
      trust: { ca: opts.tls?.ca, rejectUnauthorized: opts.tls?.rejectUnauthorized ?? false },
      print: (t) => this.print(t),
      uncaught: (e) => this.reportUncaught(e),
      track: (s) => { this.live.add(s); },
      untrack: (s) => { this.live.delete(s); },
      socketEvent: (obj, event, args) => this.queue.post(() => this.inSocketCallback(event, () => this.events.runNow(obj, event, args))),
      asSocketCallback: (event, fn) => this.inSocketCallback(event, fn),
      allocate: (bytes) => this.meter.allocate(bytes, bytes),
      sending: (bytes) => this.meter.sending(bytes),
      dialing: (what) => {
        if (this.socketCallback) this.faults.push(`${what} called inside a socket's "${this.socketCallback}" callback: Espruino 2v29 can crash there (segmentation fault); dial from a fresh tick`);
      },
    };
    this.modules.registerBuiltin('net', () => createNetModule(deps, false));
    this.modules.registerBuiltin('tls', () => createNetModule(deps, true));
    this.modules.registerBuiltin('http', () => createHttpModule(deps, this.queue));
    this.modules.registerBuiltin('Storage', () => createStorageModule(realm, this.area, (v) => espruinoStringify(v), (s) => this.meter.flashString(s)));
    if (opts.crypto !== false) this.modules.registerBuiltin('crypto', () => createCryptoModule(realm));
    if (opts.wifi !== false) {
      const w = (this.simWifi = new SimWifi(realm, this.events, this.network, (fn, args) => this.queue.call(fn, undefined, args)));
      this.modules.registerBuiltin('Wifi', () => w.getModule());
    }

    this.wifi = {
      drop: (reason?: string) => { if (this.simWifi) this.simWifi.drop(reason); else this.network.drop(); },
      restore: () => { if (this.simWifi) this.simWifi.restore(); else this.network.joined = true; },
      isUp: () => this.network.joined,
    };
    this.meter.snapshotBuiltins();
    this.storage = {
      read: (name) => this.area.read(name),
      list: () => this.area.list(),
      write: (name, data) => this.area.write(name, typeof data === 'string' ? utf8ToBytes(data) : data.toString('latin1')),
      erase: (name) => this.area.erase(name),
    };
  }

  /** Like Modules.addCached(name, source); the source is UTF-8 text. */
  loadModule(name: string, source: string): void {
    this.modules.addCached(name, source, true);
  }

  loadModuleFile(name: string, file: string): void {
    this.loadModule(name, fs.readFileSync(file, 'utf8'));
  }

  /** Evaluate an app script (UTF-8 text, seen by the board as bytes). An exception is reported
   *  as uncaught (printed, recorded) and the rest of the script does not run; returns undefined then. */
  run(script: string, filename = 'app.js'): any {
    if (this.closed) throw new Error('SimBoard is closed');
    this.meter.touched(true);
    try {
      return this.realm.run(this.modules.transform(utf8ToBytes(script)), filename);
    } catch (e) {
      this.reportUncaught(e, 'Uncaught ', true);
      return undefined;
    }
  }

  runFile(file: string): any {
    return this.run(fs.readFileSync(file, 'utf8'), file);
  }

  /**
   * Power-on as Espruino does it: the Storage files .boot0 ... .boot3, then .bootcde, each run
   * as stored (bytes). An exception in one is reported as uncaught and the next still runs.
   */
  boot(): void {
    for (const name of ['.boot0', '.boot1', '.boot2', '.boot3', '.bootcde']) {
      const code = this.area.read(name);
      if (code === undefined || this.closed) continue;
      try {
        this.realm.run(this.modules.transform(code), name);
      } catch (e) {
        this.reportUncaught(e, 'Uncaught ', true);
      }
    }
  }

  /** Resolve once pred() is true (checked every few ms), reject after timeoutMs (default 5000). */
  waitFor(pred: () => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        let ok = false;
        try { ok = pred(); } catch (e) { reject(e); return; }
        if (ok) { resolve(); return; }
        if (Date.now() - started >= timeoutMs) { reject(new Error(`waitFor: condition not met within ${timeoutMs} ms`)); return; }
        setTimeout(check, 2);
      };
      check();
    });
  }

  /** The memory meter's view: the estimate now (JsVars), the ceiling, how often it ran out. */
  get memory(): { usage: number; total: number; outOfMemory: number } {
    return { usage: this.meter.usage(), total: this.meter.total, outOfMemory: this.meter.outOfMemory };
  }

  /** The context's global object (for tests that inspect board state). */
  get global(): any {
    return this.realm.global;
  }

  /** Number of live board timers. */
  get timerCount(): number {
    return this.timers.count;
  }

  /** Number of open board sockets (net, tls, http requests). */
  get socketCount(): number {
    return this.live.size;
  }

  /** Number of events queued for the board's interpreter. */
  get queuedEvents(): number {
    return this.queue.pending;
  }

  /**
   * Whether the board has nothing left that it will do by itself: no queued event, no board
   * timer, no Wi-Fi join under way. Only I/O from a peer outside the board can wake it.
   */
  get idle(): boolean {
    return this.queue.pending === 0 && this.timers.count === 0 && !this.simWifi?.joining && !this.pendingException && !this.passEndDue;
  }

  /**
   * Resolves once the board is idle: every timer it had set has fired (or was cleared) and every
   * event it had queued has run. A test that shows something did NOT happen waits for this, not
   * for a sleep: whatever the board had scheduled has had its chance. Rejects after timeoutMs.
   */
  settled(timeoutMs = 10000): Promise<void> {
    return this.waitFor(() => this.idle, timeoutMs);
  }

  async close(): Promise<void> {
    if (this.closed && !this.halted) return;
    this.stop();
    if (this.tempDir) fs.rmSync(this.tempDir, { recursive: true, force: true });
  }

  /** After load(): nothing runs any more, Storage stays; onLoad hears it. */
  private halt(): void {
    if (this.closed) return;
    this.halted = true;
    this.stop();
    this.opts.onLoad?.(this);
  }

  private stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.closeAll();
    this.queue.close();
    this.simWifi?.close();
    for (const s of [...this.live]) s.destroy();
    this.live.clear();
  }

  /** End of a pass of the idle loop: one exception reported, memory checked. */
  private passEnd(): void {
    this.flushUncaught();
    this.meter.passEnd();
  }

  /** Timers ran: the pass ends once those due together have run. */
  private timersRan(): void {
    this.meter.touched();
    if (this.passEndDue) return;
    this.passEndDue = true;
    setImmediate(() => {
      this.passEndDue = false;
      if (!this.closed) this.passEnd();
    });
  }

  /** The socket event whose callbacks run now, if any. */
  private socketCallback: string | undefined;

  private inSocketCallback(event: string, fn: () => void): void {
    const outer = this.socketCallback;
    this.socketCallback = event;
    try {
      fn();
    } finally {
      this.socketCallback = outer;
    }
  }

  private print(text: string): void {
    for (const line of text.split('\n')) {
      const utf8 = bytesToUtf8(line);
      this.output.push(utf8);
      this.opts.log?.(utf8);
    }
  }

  /**
   * An exception escaped into the interpreter. Espruino keeps one pending exception and reports
   * it once per pass of its idle loop (jsiCheckErrors at the end of jsiIdle): when several
   * timers or events throw in the same pass, each overwrites the last and only the last is
   * reported. SimBoard does the same: the exception waits in `pendingException` until the end
   * of the pass (the end of a drain of the event queue, or the next immediate after timers that
   * fired together); `now` reports at once (the top level of run()/boot()).
   */
  private reportUncaught(e: unknown, prefix = 'Uncaught ', now = false): void {
    if (this.closed) return;
    const first = !this.pendingException;
    this.pendingException = { e, prefix };
    if (now) this.flushUncaught();
    else if (first) setImmediate(() => this.flushUncaught());
  }

  private flushUncaught(): void {
    const p = this.pendingException;
    this.pendingException = undefined;
    if (!p || this.closed) return;
    const { e, prefix } = p;
    this.uncaught.push(e);
    const proc = this.realm.global.process;
    // jsiCheckErrors calls the handlers there and then, not through the event queue
    if (proc && this.events.count(proc, 'uncaughtException') > 0) {
      this.events.runNow(proc, 'uncaughtException', [e]);
      return;
    }
    this.print(prefix + this.realm.describe(e));
  }
}
