/**
 * require("net") and require("tls"): real sockets (Node net/tls underneath) with Espruino's
 * behaviour (libs/network/socketserver.c, network.c; espruino-runtime.md §3.1-3.2):
 * - connect(options, cb) throws synchronously: InternalError "Unable to locate host" (name does
 *   not resolve) or "Unable to create socket" (refused; see network.ts for how that is known).
 *   cb becomes a `connect` listener. Returns the socket.
 * - events: connect -> drain -> data (byte strings, at most 536 bytes each) -> end -> close(had_error);
 *   on failure error({code, message}) comes first.
 * - write(x) sends String(x) (a Uint8Array goes out as "1,2,3"), returns false, throws "This socket
 *   is closed" after end()/close. `drain` fires when everything written has been handed to the OS.
 *   What waits to be sent is held in board memory (the memory meter counts it); when it does not
 *   fit, the write is lost and the board reports OUT OF MEMORY (memory.ts).
 * - TLS: `connect` fires when TCP connects, before the handshake (writes wait for it). A close by
 *   the server arrives as error {code:-30848} then end then close(true). A failed handshake gives
 *   end, close(false) and an uncaught InternalError, with no `error` event. ca/cert/key are
 *   accepted; the server is not verified (like the ESP32) unless SimBoardOptions.tls says so.
 *   No SNI is sent (the host is an IP once resolved).
 */
import * as netNode from 'net';
import * as tlsNode from 'tls';
import { bytesToBuffer, bufferToBytes } from './bytes';
import type { BoardEvents } from './events';
import type { Network, NetworkUser } from './network';
import type { Realm } from './realm';

export const CHUNK_SIZE = 536;
export const ERR_PEER_CLOSE_NOTIFY = -30848;

/** Espruino socket error codes (libs/network/socketerrors.c). */
export const SOCKET_ERRORS: Record<number, string> = {
  [-1]: 'connection closed', [-2]: 'out of memory', [-3]: 'timeout', [-4]: 'no route', [-5]: 'busy',
  [-6]: 'not found', [-7]: 'max sockets', [-8]: 'unsent data', [-9]: 'connection reset',
  [-10]: 'unknown error', [-11]: 'no connection', [-12]: 'bad argument', [-13]: 'SSL handshake failed',
  [-14]: 'invalid SSL data',
};

export function socketErrorCode(err: NodeJS.ErrnoException): number {
  switch (err.code) {
    case 'ECONNRESET': case 'EPIPE': case 'ECONNABORTED': return -9;
    case 'ETIMEDOUT': return -3;
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'ECONNREFUSED': return -4;
    default: return -10;
  }
}

export interface TrustOptions { ca?: string | Buffer; rejectUnauthorized?: boolean }

export interface NetDeps {
  realm: Realm;
  events: BoardEvents;
  network: Network;
  trust: TrustOptions;
  print(text: string): void;
  uncaught(e: unknown): void;
  track(s: { destroy(): void }): void;
  untrack(s: { destroy(): void }): void;
  /** Queue a socket's I/O event; its listeners run as a socket callback. */
  socketEvent(obj: object, event: string, args: unknown[]): void;
  /** Run fn as the callback of a socket's `event` (e.g. an HTTP response callback). */
  asSocketCallback(event: string, fn: () => void): void;
  /** A dial is about to happen (`what`: "tls.connect()", ...): a fault inside a socket callback. */
  dialing(what: string): void;
  /** Room for `bytes` more in a send buffer (the memory meter); false: out of memory, the data is lost. */
  allocate(bytes: number): boolean;
  /** Sending a buffer of `bytes`: how many of them survive the copy of its rest (the memory meter). */
  sending(bytes: number): number;
}

/** A PEM text from an option given as PEM text, or as DER bytes (a byte string / array / Uint8Array). */
export function toPem(value: unknown, label: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'function') value = (value as () => unknown)();
  let bytes: string;
  if (typeof value === 'string') bytes = value;
  else if (ArrayBuffer.isView(value) || Array.isArray(value)) bytes = Buffer.from(Array.from(value as ArrayLike<number>)).toString('latin1');
  else return undefined;
  if (bytes.includes('-----BEGIN')) return bytes;
  const b64 = bytesToBuffer(bytes).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

class BoardSocket implements NetworkUser {
  state: 'connecting' | 'open' | 'ending' | 'closed' = 'connecting';
  private pending = 0;
  /** Bytes written and not yet handed to the OS: the send buffer the memory meter counts. */
  pendingBytes = 0;
  /** Written in this pass, sent when it ends. */
  private outbox: string[] = [];
  private localEnd = false;
  private secured = false;
  private remoteEnded = false;
  private errored = false;
  node: netNode.Socket | undefined;

  constructor(private readonly deps: NetDeps, readonly obj: object, private readonly secure: boolean) {}

  start(ip: string, port: number, opts: any): void {
    const { deps } = this;
    let s: netNode.Socket;
    if (this.secure) {
      const key = toPem(opts.key, 'PRIVATE KEY');
      const t = tlsNode.connect({
        host: ip, port,
        rejectUnauthorized: deps.trust.rejectUnauthorized === true,
        ca: deps.trust.ca,
        cert: toPem(opts.cert, 'CERTIFICATE'),
        key,
      });
      t.on('secureConnect', () => { this.secured = true; });
      s = t;
    } else {
      s = netNode.connect({ host: ip, port });
    }
    this.node = s;
    s.setNoDelay(true);
    deps.network.add(this);
    deps.track(this);
    s.on('connect', () => {
      if (this.state === 'connecting') this.state = 'open';
      this.emit('connect', []);
      if (this.pending === 0) this.emit('drain', []);
    });
    s.on('data', (buf: Buffer) => {
      for (let i = 0; i < buf.length; i += CHUNK_SIZE) this.emit('data', [bufferToBytes(buf.subarray(i, i + CHUNK_SIZE))]);
    });
    s.on('end', () => {
      this.remoteEnded = true;
      if (this.secure && !this.localEnd && this.secured) this.emitError(ERR_PEER_CLOSE_NOTIFY, 'unknown error');
      this.emit('end', []);
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (this.secure && !this.secured && this.state !== 'closed') {
        // handshake failure: no `error` event on Espruino, an uncaught InternalError instead
        this.errored = true;
        if (!this.remoteEnded) this.emit('end', []);
        this.finish(false);
        deps.uncaught(deps.realm.error('InternalError', 'mbedtls_ssl_handshake returned -0x7200'));
        return;
      }
      this.errored = true;
      this.emitError(socketErrorCode(err), err.message);
    });
    s.on('close', (hadError: boolean) => {
      this.finish(hadError || this.errored || (this.secure && this.remoteEnded && !this.localEnd));
    });
  }

  write(data: unknown): boolean {
    if (this.state === 'ending' || this.state === 'closed' || !this.node) throw this.deps.realm.error('Error', 'This socket is closed');
    const bytes = String(data);
    if (!this.deps.allocate(bytes.length)) return false;
    this.pending++;
    this.pendingBytes += bytes.length;
    this.outbox.push(bytes);
    if (this.outbox.length === 1) setImmediate(() => this.send());
    return false;
  }

  /**
   * The idle loop sends what was written: Espruino sends a chunk and copies the rest of its
   * send buffer into a new string, so for a moment the data waiting is held twice. What the
   * memory meter cannot fit of that copy is lost (OUT OF MEMORY), as on the board.
   */
  private send(): void {
    const out = this.outbox;
    this.outbox = [];
    if (!out.length || !this.node || this.state === 'closed') return;
    let bytes = out.join('');
    const kept = this.deps.sending(bytes.length);
    if (kept < bytes.length) {
      this.pending -= out.length - 1;
      this.pendingBytes -= bytes.length - kept;
      bytes = bytes.slice(0, kept);
      out.length = 1;
    }
    const n = out.length;
    const size = bytes.length;
    this.node.write(bytesToBuffer(bytes), () => {
      this.pending -= n;
      this.pendingBytes -= size;
      if (this.pending === 0 && this.state === 'open') this.emit('drain', []);
    });
  }

  end(data: unknown): void {
    if (data !== undefined && this.state !== 'closed' && this.state !== 'ending') this.write(data);
    if (this.state === 'closed' || this.state === 'ending') return;
    this.send();
    this.state = 'ending';
    this.localEnd = true;
    this.node?.end();
  }

  networkLost(): void {
    if (this.state === 'closed') return;
    this.node?.removeAllListeners();
    this.node?.on('error', () => { /* ignored: the board has already reported the loss */ });
    this.node?.destroy();
    this.emitError(-11, SOCKET_ERRORS[-11]);
    this.finish(true);
  }

  destroy(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.pendingBytes = 0;
    this.node?.removeAllListeners();
    this.node?.on('error', () => { /* ignored: board closed */ });
    this.node?.destroy();
    this.deps.network.remove(this);
    this.deps.untrack(this);
  }

  private finish(hadError: boolean): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.pendingBytes = 0;
    this.deps.network.remove(this);
    this.deps.untrack(this);
    this.emit('close', [hadError]);
  }

  private emitError(code: number, message: string): void {
    this.emit('error', [this.deps.realm.data({ code, message })]);
  }

  private emit(event: string, args: unknown[]): void {
    this.deps.socketEvent(this.obj, event, args);
  }
}

/** Resolve and check a target as Espruino's blocking connect would, throwing board errors. */
export function resolveOrThrow(deps: NetDeps, host: string, port: number): string {
  const ip = deps.network.resolve(host);
  if (ip === undefined) throw deps.realm.error('InternalError', 'Unable to locate host');
  if (deps.network.refusedNow(ip, port)) {
    deps.print('Connect failed (err 111)');
    throw deps.realm.error('InternalError', 'Unable to create socket');
  }
  return ip;
}

function parseTarget(options: unknown): { host: string; port: number; opts: any } {
  if (typeof options === 'string') {
    const m = /^(?:[a-z]+:\/\/)?([^:/]+)(?::(\d+))?/.exec(options);
    return { host: m ? m[1] : '127.0.0.1', port: m && m[2] ? Number(m[2]) : 80, opts: {} };
  }
  const o: any = options || {};
  return { host: o.host === undefined ? '127.0.0.1' : String(o.host), port: Number(o.port) || 80, opts: o };
}

export function createNetModule(deps: NetDeps, secure: boolean): unknown {
  const { realm } = deps;
  const sockets = new WeakMap<object, BoardSocket>();
  const proto = realm.object();
  const get = (obj: object): BoardSocket => {
    const s = sockets.get(obj);
    if (!s) throw realm.error('TypeError', 'Not a socket');
    return s;
  };
  proto.write = function write(this: object, data: unknown) { return get(this).write(data); };
  proto.end = function end(this: object, data?: unknown) { get(this).end(data); };
  const mod = realm.object();
  mod.connect = function connect(options: unknown, cb?: unknown) {
    deps.dialing(secure ? 'tls.connect()' : 'net.connect()');
    const { host, port, opts } = parseTarget(options);
    const ip = resolveOrThrow(deps, host, port);
    const obj = realm.I.Object.create(proto);
    const s = new BoardSocket(deps, obj, secure);
    sockets.set(obj, s);
    if (typeof cb === 'function') obj.on('connect', cb);
    s.start(ip, port, opts);
    return obj;
  };
  return mod;
}
