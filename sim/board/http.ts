/**
 * require("http"): request(options, cb) and get(options, cb), with HTTPS when
 * options.protocol === "https:" (libs/network/jswrap_net.c; espruino-runtime.md §3.3).
 * - options: a URL string or {protocol, host|hostname, port, path, method, headers}; ca/key/cert
 *   accepted. Unresolvable or refused hosts throw synchronously from request()/get().
 * - The request goes out with Espruino's headers (Host, User-Agent "Espruino 2v29",
 *   Connection: close) plus the caller's; no Content-Length is added: the caller must give it.
 * - res.statusCode is a STRING ("200"); res.headers keep the server's spelling; data chunks are
 *   byte strings (at most 536 bytes); then end, then close, also when the peer cut the body
 *   short. Failures: req `error` {code, message}.
 * Not reproduced: the bogus header key Espruino makes from a chunked body line.
 */
import * as httpNode from 'http';
import * as httpsNode from 'https';
import { bufferToBytes, bytesToBuffer } from './bytes';
import { CHUNK_SIZE, resolveOrThrow, socketErrorCode, toPem, type NetDeps } from './net';
import type { EventQueue } from './events';
import type { NetworkUser } from './network';

export const USER_AGENT = 'Espruino 2v29';

interface Target { secure: boolean; host: string; port: number; path: string; method: string; headers: Record<string, string>; opts: any }

function parseOptions(options: unknown): Target {
  let o: any = options;
  if (typeof options === 'string') {
    const u = new URL(options);
    o = { protocol: u.protocol, host: u.hostname, port: u.port ? Number(u.port) : undefined, path: u.pathname + u.search };
  }
  o = o || {};
  const secure = o.protocol === 'https:';
  const host = String(o.host ?? o.hostname ?? '127.0.0.1').replace(/:\d+$/, '');
  const port = o.port !== undefined && o.port !== null && o.port !== '' ? Number(o.port) : secure ? 443 : 80;
  const headers: Record<string, string> = {};
  if (o.headers && typeof o.headers === 'object') for (const k of Object.keys(o.headers)) headers[k] = String(o.headers[k]);
  return { secure, host, port, path: o.path ? String(o.path) : '/', method: o.method ? String(o.method) : 'GET', headers, opts: o };
}

class HttpRequest implements NetworkUser {
  private body: Buffer[] = [];
  private ended = false;
  private done = false;
  private node: httpNode.ClientRequest | undefined;

  constructor(private readonly deps: NetDeps, private readonly queue: EventQueue, readonly obj: any,
    private readonly t: Target, private readonly ip: string, private readonly cb: unknown) {}

  write(data: unknown): boolean {
    if (this.ended) throw this.deps.realm.error('Error', 'This socket is closed');
    this.body.push(bytesToBuffer(String(data)));
    return false;
  }

  end(data: unknown): void {
    if (data !== undefined) this.write(data);
    if (this.ended) return;
    this.ended = true;
    this.send();
  }

  networkLost(): void {
    if (this.done) return;
    this.finish();
    this.node?.destroy();
    this.deps.socketEvent(this.obj, 'error', [this.deps.realm.data({ code: -11, message: 'no connection' })]);
  }

  destroy(): void {
    this.finish();
    this.node?.destroy();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.deps.network.remove(this);
    this.deps.untrack(this);
  }

  private send(): void {
    const { t, deps } = this;
    const hostHeader = t.host + ((t.secure && t.port === 443) || (!t.secure && t.port === 80) ? '' : ':' + t.port);
    const headers: Record<string, string> = { Host: hostHeader, 'User-Agent': USER_AGENT, Connection: 'close', ...t.headers };
    const common = { host: this.ip, port: t.port, path: t.path, method: t.method, headers, agent: false as const, setHost: false };
    const req = t.secure
      ? httpsNode.request({ ...common, rejectUnauthorized: deps.trust.rejectUnauthorized === true, ca: deps.trust.ca, cert: toPem(t.opts.cert, 'CERTIFICATE'), key: toPem(t.opts.key, 'PRIVATE KEY') })
      : httpNode.request(common);
    this.node = req;
    deps.network.add(this);
    deps.track(this);
    (req as any).useChunkedEncodingByDefault = false; // Espruino adds neither Content-Length nor chunking
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (this.done) return;
      this.finish();
      deps.socketEvent(this.obj, 'error', [deps.realm.data({ code: socketErrorCode(err), message: err.message })]);
    });
    req.on('response', (res: httpNode.IncomingMessage) => this.response(res));
    req.flushHeaders();
    for (const b of this.body) req.write(b);
    req.end();
  }

  private response(res: httpNode.IncomingMessage): void {
    const { realm, socketEvent } = this.deps;
    const headers: Record<string, string> = {};
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers[res.rawHeaders[i]] = res.rawHeaders[i + 1];
    const resObj = realm.object({
      statusCode: String(res.statusCode),
      statusMessage: res.statusMessage ?? '',
      httpVersion: res.httpVersion,
      headers: realm.data(headers),
    });
    res.pause();
    this.queue.post(() => {
      if (typeof this.cb === 'function') this.deps.asSocketCallback('response', () => this.queue.guard(() => Reflect.apply(this.cb as Function, undefined, [resObj])));
      res.on('data', (buf: Buffer) => {
        for (let i = 0; i < buf.length; i += CHUNK_SIZE) socketEvent(resObj, 'data', [bufferToBytes(buf.subarray(i, i + CHUNK_SIZE))]);
      });
      res.on('end', () => {
        this.finish();
        socketEvent(resObj, 'end', []);
        socketEvent(resObj, 'close', []);
        socketEvent(this.obj, 'close', []);
      });
      res.on('error', () => { /* reported through the request, or as the close below */ });
      // A body cut by the peer ends as a complete one does on Espruino (the socket just closes):
      // only the byte count tells the app.
      res.on('close', () => {
        if (res.complete || this.done) return;
        this.finish();
        socketEvent(resObj, 'end', []);
        socketEvent(resObj, 'close', []);
        socketEvent(this.obj, 'close', []);
      });
      res.resume();
    });
  }
}

export function createHttpModule(deps: NetDeps, queue: EventQueue): unknown {
  const { realm } = deps;
  const requests = new WeakMap<object, HttpRequest>();
  const proto = realm.object();
  const get = (obj: object) => {
    const r = requests.get(obj);
    if (!r) throw realm.error('TypeError', 'Not an http request');
    return r;
  };
  proto.write = function write(this: object, data: unknown) { return get(this).write(data); };
  proto.end = function end(this: object, data?: unknown) { get(this).end(data); };
  const request = (options: unknown, cb?: unknown) => {
    deps.dialing('http.request()');
    const t = parseOptions(options);
    const ip = resolveOrThrow(deps, t.host, t.port);
    const obj = realm.I.Object.create(proto);
    requests.set(obj, new HttpRequest(deps, queue, obj, t, ip, cb));
    return obj;
  };
  const mod = realm.object();
  mod.request = function requestFn(options: unknown, cb?: unknown) { return request(options, cb); };
  mod.get = function getFn(options: unknown, cb?: unknown) { const r = request(options, cb); get(r).end(undefined); return r; };
  return mod;
}
