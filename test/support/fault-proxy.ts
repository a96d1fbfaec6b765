/**
 * A misbehaving network between a board and the emulator: a TCP proxy on loopback that can cut
 * bytes into small chunks, delay them, cut every connection every N ms or after K bytes, and
 * swallow everything (a black hole: connections stay open, nothing passes, nothing closes).
 * The target is looked up per connection, so an emulator restarted on another port is reached
 * by the next connection.
 *
 *   const proxy = await FaultProxy.start(() => cloud.mqttPort, { chunkBytes: 1 });
 *   ... connect the board to 127.0.0.1:proxy.port ...
 *   proxy.set({ cutEveryMs: 2000 });
 *   await proxy.close();
 */
import * as net from 'node:net';

export interface Faults {
  /** Forward at most this many bytes per write, each in its own turn of the event loop. */
  chunkBytes?: number;
  /** Latency added to every chunk, each way (order is kept). */
  delayMs?: number;
  /** Cut every connection this often (ms); 0 or absent: never. */
  cutEveryMs?: number;
  /** Cut a connection once this many bytes came from the board (those bytes are forwarded). */
  cutAfterBytes?: number;
  /** A black hole: the connections open now and those opened while it lasts pass nothing
   *  either way and are never closed by the proxy, even after it ends (a half-open link: the
   *  board has to notice by itself); connections opened after it work. */
  blackHole?: boolean;
  /** An impostor broker: new connections never reach the emulator; the board's first bytes
   *  (its CONNECT) are answered with these bytes, then nothing more passes. */
  answerInstead?: Buffer;
}

export interface ProxyStats {
  connections: number;
  /** Connections the proxy cut (cutEveryMs, cutAfterBytes, cutAll). */
  cuts: number;
  bytesUp: number;
  bytesDown: number;
  /** Bytes a black hole swallowed. */
  swallowed: number;
}

/** Chunks one way, oldest first: each written in its own turn of the event loop, not before
 *  it is due. */
class Lane {
  private readonly chunks: { at: number; bytes: Buffer; cutAfter: boolean }[] = [];
  private busy = false;
  stopped = false;

  constructor(private readonly proxy: FaultProxy, private readonly to: net.Socket, private readonly cut: () => void) {}

  push(b: Buffer, cutAfter: boolean): void {
    const f = this.proxy.faults;
    const size = f.chunkBytes && f.chunkBytes > 0 ? f.chunkBytes : Math.max(1, b.length);
    const at = Date.now() + (f.delayMs ?? 0);
    for (let i = 0; i < b.length; i += size) this.chunks.push({ at, bytes: b.subarray(i, i + size), cutAfter: false });
    if (cutAfter) this.chunks.push({ at, bytes: Buffer.alloc(0), cutAfter: true });
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.stopped) return;
    const next = this.chunks[0];
    if (!next) return;
    this.busy = true;
    const wait = next.at - Date.now();
    const go = () => {
      this.busy = false;
      if (this.stopped) return;
      const c = this.chunks.shift()!;
      if (c.bytes.length) this.to.write(c.bytes);
      if (c.cutAfter) return this.cut();
      this.pump();
    };
    if (wait > 0) this.proxy.schedule(wait, go);
    else if (this.proxy.faults.chunkBytes) setImmediate(go);
    else go();
  }
}

/** One proxied connection: the board's socket and the emulator's. */
class Pair {
  private up = 0;
  private closed = false;
  /** Caught in a black hole: passes nothing, for good. */
  dead = false;
  private readonly toServer: Lane;
  private readonly toBoard: Lane;

  /** Answered by the proxy itself (Faults.answerInstead): passes nothing to the emulator. */
  impostor?: Buffer;

  constructor(private readonly proxy: FaultProxy, readonly board: net.Socket, readonly server: net.Socket) {
    board.setNoDelay(true);
    server.setNoDelay(true);
    this.toServer = new Lane(proxy, server, () => this.cut());
    this.toBoard = new Lane(proxy, board, () => this.cut());
    board.on('data', (b: Buffer) => this.fromBoard(b));
    server.on('data', (b: Buffer) => this.fromServer(b));
    for (const s of [board, server]) {
      s.on('error', () => this.destroy());
      s.on('close', () => this.destroy());
    }
  }

  private fromBoard(b: Buffer): void {
    const f = this.proxy.faults;
    if (this.impostor) {
      this.toBoard.push(this.impostor, false);
      this.impostor = undefined;
      this.dead = true;
      return;
    }
    if (this.dead) {
      this.proxy.stats.swallowed += b.length;
      return;
    }
    let cutNow = false;
    if (f.cutAfterBytes && this.up + b.length >= f.cutAfterBytes) {
      b = b.subarray(0, Math.max(0, f.cutAfterBytes - this.up));
      cutNow = true;
      this.board.pause();
    }
    this.up += b.length;
    this.proxy.stats.bytesUp += b.length;
    this.toServer.push(b, cutNow);
  }

  private fromServer(b: Buffer): void {
    if (this.dead) {
      this.proxy.stats.swallowed += b.length;
      return;
    }
    this.proxy.stats.bytesDown += b.length;
    this.toBoard.push(b, false);
  }

  /** Bytes to the board as if the broker sent them, after what is already on its way. */
  inject(b: Buffer): void {
    if (!this.closed) this.toBoard.push(b, false);
  }

  cut(): void {
    if (this.closed) return;
    this.proxy.stats.cuts++;
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.toServer.stopped = this.toBoard.stopped = true;
    this.board.destroy();
    this.server.destroy();
    this.proxy.forget(this);
  }
}

export class FaultProxy {
  faults: Faults;
  readonly stats: ProxyStats = { connections: 0, cuts: 0, bytesUp: 0, bytesDown: 0, swallowed: 0 };
  private readonly pairs = new Set<Pair>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private cutTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly server: net.Server, private readonly target: () => number, faults: Faults) {
    this.faults = {};
    this.set(faults);
  }

  /** Listens on a free loopback port and forwards to 127.0.0.1:target(). */
  static start(target: () => number, faults: Faults = {}): Promise<FaultProxy> {
    return new Promise((resolve, reject) => {
      let proxy: FaultProxy;
      const server = net.createServer((board) => proxy.accept(board));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        proxy = new FaultProxy(server, target, faults);
        resolve(proxy);
      });
    });
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Connections open now. */
  get open(): number {
    return this.pairs.size;
  }

  /** Replaces the faults; a new cutEveryMs starts its period now. */
  set(faults: Faults): void {
    this.faults = { ...faults };
    if (faults.blackHole) for (const p of this.pairs) p.dead = true;
    if (this.cutTimer) clearInterval(this.cutTimer);
    this.cutTimer = faults.cutEveryMs ? setInterval(() => this.cutAll(), faults.cutEveryMs) : undefined;
  }

  /** Sends `bytes` to the board on every open connection, as if the broker had (in the
   *  current chunk size and latency, after what is already on its way). */
  inject(bytes: Buffer): void {
    for (const p of this.pairs) p.inject(bytes);
  }

  /** Cuts every open connection now. */
  cutAll(): void {
    for (const p of [...this.pairs]) p.cut();
  }

  async close(): Promise<void> {
    this.set({});
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const p of [...this.pairs]) p.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** @internal */
  schedule(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  /** @internal */
  forget(p: Pair): void {
    this.pairs.delete(p);
  }

  private accept(board: net.Socket): void {
    this.stats.connections++;
    const impostor = this.faults.answerInstead;
    // An impostor's pair has a socket that never connects, so nothing reaches the emulator.
    const server = impostor ? new net.Socket() : net.connect(this.target(), '127.0.0.1');
    // Bytes from the board before the emulator answers are buffered by the socket.
    const pair = new Pair(this, board, server);
    pair.dead = !!this.faults.blackHole;
    pair.impostor = impostor;
    this.pairs.add(pair);
  }
}
