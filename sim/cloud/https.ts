/** The HTTPS side: `POST /auth/register/device` (dynamic registration, §2.1), form-encoded,
 *  sign = HMAC(productSecret, `deviceName..productKey..random..`), JSON answer with `code`
 *  (HTTP status 200 either way, as the SDKs read only the body). */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hashOf, hmacHex, registerContent, sameHex } from './auth';
import { Code, messageOf } from './codes';
import type { CloudCore } from './core';
import { payloadText } from './log';
import { randomSecret } from './registry';

const MAX_BODY = 8 * 1024;
const REGISTER_PATH = '/auth/register/device';

export interface HttpsServer {
  port: number;
  close(): Promise<void>;
}

type Answer = { code: number; data: unknown; message: string };

function fail(code: number, message = messageOf(code)): Answer {
  return { code, data: {}, message };
}

/** The registration decision; mutates the registry only on success. */
export function registerDevice(core: CloudCore, form: URLSearchParams): Answer {
  const pk = form.get('productKey');
  const dn = form.get('deviceName');
  const random = form.get('random');
  const sign = form.get('sign');
  if (!pk || !dn || !random || !sign) return fail(Code.BadParams, 'productKey, deviceName, random and sign are required');
  const hash = hashOf(form.get('signMethod') ?? 'hmacsha256');
  if (!hash) return fail(Code.BadParams, 'unsupported signMethod');
  const product = core.registry.product(pk);
  if (!product) return fail(Code.ProductNotFound);
  if (!sameHex(hmacHex(hash, product.productSecret, registerContent(pk, dn, random)), sign)) return fail(Code.RegisterSignInvalid);
  if (!product.dynamicRegistration) return fail(Code.RegisterDisabled);
  const device = core.registry.device(pk, dn);
  // HTTPS serves pre-registered devices only (DOC-147356).
  if (!device) return fail(Code.DeviceNotFound);
  if (device.disabled) return fail(Code.DeviceDisabled);
  if (device.activated) return fail(Code.RegisterAlreadyActive);
  device.deviceSecret = randomSecret(); // repeatable until the first login; the last secret wins
  core.registry.changed();
  return { code: Code.Ok, data: { productKey: pk, deviceName: dn, deviceSecret: device.deviceSecret }, message: 'success' };
}

function send(res: ServerResponse, status: number, body: unknown): string {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return text;
}

function handle(core: CloudCore, req: IncomingMessage, res: ServerResponse): void {
  for (const h of core.httpsHandlers) if (h(req, res)) return;
  const path = (req.url ?? '').split('?')[0];
  // axios behind an https proxy sends the absolute URL; accept it too.
  const isRegister = path === REGISTER_PATH || path.endsWith('.aliyuncs.com' + REGISTER_PATH);
  if (req.method !== 'POST' || !isRegister) {
    send(res, 404, fail(404, 'not found'));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY) {
      send(res, 413, fail(Code.BadParams, 'body too large'));
      req.destroy();
      return;
    }
    chunks.push(c);
  });
  req.on('end', () => {
    if (size > MAX_BODY) return;
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    let answer: Answer;
    try {
      answer = registerDevice(core, form);
    } catch {
      answer = fail(Code.ServerError);
    }
    const pk = form.get('productKey') ?? undefined;
    const dn = form.get('deviceName') ?? undefined;
    const shown = 'productKey=' + (pk ?? '') + '&deviceName=' + (dn ?? '') + '&signMethod=' + (form.get('signMethod') ?? '');
    const entry = core.log.reserve({ direction: 'up', productKey: pk, deviceName: dn, topic: 'https:' + REGISTER_PATH, payload: shown, verdict: answer.code === Code.Ok ? 'replied' : 'rejected', code: answer.code });
    if (answer.code !== Code.Ok) entry.detail = answer.message;
    core.log.commit(entry);
    const text = send(res, 200, answer);
    core.log.add({ direction: 'down', productKey: pk, deviceName: dn, topic: 'https:' + REGISTER_PATH, payload: payloadText(text), verdict: 'ok', code: answer.code });
  });
  req.on('error', () => undefined);
}

export function startHttps(core: CloudCore, opts: { host: string; port: number; certPem: string; keyPem: string }): Promise<HttpsServer> {
  const server = https.createServer({ cert: opts.certPem, key: opts.keyPem }, (req, res) => handle(core, req, res));
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_e, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    );
  });
}
