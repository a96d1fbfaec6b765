/** The console page's HTTP server: a local, plain-HTTP page like the platform's device
 *  debugging page (static files in ./static, JSON under /api/, a live feed at /api/stream).
 *  It listens on the emulator's host (loopback by default) and never serves a secret. */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CloudApi } from '../api';
import { handleApi } from './routes';
import { OTA_UPLOAD_MAX_BODY, OTA_UPLOAD_PATH } from './ota-routes';
import { LiveStream } from './stream';

const MAX_BODY = 64 * 1024;

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  '/ota.js': { file: 'ota.js', type: 'text/javascript; charset=utf-8' },
};

/** No inline script or style and nothing from elsewhere: a second line of defence against
 *  markup smuggled in through device data (the page itself only ever sets textContent). */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export interface ConsoleServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, max = MAX_BODY): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch {
        reject(new Error('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** Host must name this server (defeats DNS rebinding); a POST must be JSON from this page's
 *  origin (a form on another site cannot send application/json without a CORS preflight,
 *  which is never granted). */
function allowed(req: IncomingMessage, hosts: Set<string>): string | null {
  if (!hosts.has(req.headers.host ?? '')) return 'unexpected Host header';
  if (req.method !== 'POST') return null;
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return 'POST bodies must be application/json';
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, ''))) return 'cross-origin request refused';
  return null;
}

export function startConsole(api: CloudApi, opts: { host: string; port: number }): Promise<ConsoleServer> {
  const dir = join(__dirname, 'static');
  const files = new Map(Object.entries(STATIC).map(([path, s]) => [path, { type: s.type, bytes: readFileSync(join(dir, s.file)) }]));
  const stream = new LiveStream(api);
  const hosts = new Set<string>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console.invalid');
    const refused = allowed(req, hosts);
    if (refused) {
      sendJson(res, 403, { error: refused });
      return;
    }
    const file = req.method === 'GET' || req.method === 'HEAD' ? files.get(url.pathname) : undefined;
    if (file) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/stream') {
      stream.attach(res);
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      sendJson(res, 404, { error: 'not found' });
      return;
    }
    const body = req.method === 'POST' ? readBody(req, url.pathname === OTA_UPLOAD_PATH ? OTA_UPLOAD_MAX_BODY : MAX_BODY) : Promise.resolve(undefined);
    body
      .then((b) => handleApi(api, req.method ?? 'GET', url.pathname, url.searchParams, b))
      .then((a) => {
        if (!a.download) {
          sendJson(res, a.status, a.body);
          return;
        }
        // Uploaded files are device data: always a download, never rendered by the browser.
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': 'application/octet-stream',
          'content-disposition': 'attachment; filename="' + a.download.fileName.replace(/[^A-Za-z0-9_.]/g, '_') + '"',
          'content-length': a.download.bytes.length,
        });
        res.end(a.download.bytes);
      })
      .catch((e: Error) => sendJson(res, 400, { error: e.message }));
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      const port = (server.address() as AddressInfo).port;
      const hostPart = opts.host.includes(':') ? '[' + opts.host + ']' : opts.host;
      for (const h of [hostPart, 'localhost', '127.0.0.1']) hosts.add(h + ':' + port);
      resolve({
        port,
        url: 'http://' + hostPart + ':' + port + '/',
        close: () =>
          new Promise<void>((r) => {
            stream.close();
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
