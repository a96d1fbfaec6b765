/** Shared fixtures for the emulator tests: a fixed registry, raw MQTT clients that sign like
 *  the platform's SDKs, and small waiting helpers (event-driven, never timing-based). */
import { createHmac } from 'node:crypto';
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import type { RegistryFile } from '../../sim/cloud/registry';
import type { RunningCloud } from '../../sim/cloud/index';

export const PK = 'a1TestPK001';
export const PK_PLAIN = 'a1PlainPK01';
export const PK_RAW = 'a1RawPK0001';
export const PS = 'AbCdEfGhIjKlMnOp';
export const SECRET = '0123456789abcdef0123456789abcdef';

/** Products: PK with a thing model (dynreg on), PK_PLAIN without TSL (dynreg off), PK_RAW raw. */
export function testRegistry(): RegistryFile {
  return {
    products: [
      {
        productKey: PK, productSecret: PS, dynamicRegistration: true, registrationFree: true,
        topicClasses: [
          { suffix: 'user/update', access: 'pub' },
          { suffix: 'user/update/error', access: 'pub' },
          { suffix: 'user/get', access: 'sub' },
          { suffix: 'user/aos_test', access: 'all' },
        ],
        tsl: {
          properties: [
            { identifier: 'LightSwitch', dataType: { type: 'bool' }, accessMode: 'rw' },
            { identifier: 'Temp', dataType: { type: 'float', specs: { min: -40, max: 120 } }, accessMode: 'r' },
            { identifier: 'Level', dataType: { type: 'int', specs: { min: 0, max: 100 } }, accessMode: 'rw' },
            { identifier: 'Label', dataType: { type: 'text', specs: { length: 32 } }, accessMode: 'rw' },
          ],
          events: [{ identifier: 'lowpower', outputData: [{ identifier: 'power', dataType: { type: 'int' } }] }],
          services: [
            { identifier: 'wakeup_async', callType: 'async', inputData: [{ identifier: 'delay', dataType: { type: 'int' } }] },
            { identifier: 'wakeup_sync', callType: 'sync', inputData: [] },
          ],
        },
      },
      { productKey: PK_PLAIN, productSecret: 'plainProductSecret', dynamicRegistration: false },
      { productKey: PK_RAW, productSecret: 'rawProductSecret', tsl: { properties: [{ identifier: 'rawData', dataType: { type: 'text' } }] } },
    ],
    devices: [
      { productKey: PK, deviceName: 'dev001', deviceSecret: SECRET },
      { productKey: PK, deviceName: 'dev002', deviceSecret: SECRET },
      { productKey: PK, deviceName: 'dev003', deviceSecret: SECRET },
      { productKey: PK, deviceName: 'sdk001', deviceSecret: SECRET },
      { productKey: PK, deviceName: 'sdk002', deviceSecret: SECRET },
      { productKey: PK, deviceName: 'fresh001' },
      { productKey: PK, deviceName: 'fresh002' },
      { productKey: PK, deviceName: 'off001', deviceSecret: SECRET, disabled: true },
      { productKey: PK_PLAIN, deviceName: 'plain001', deviceSecret: SECRET },
      { productKey: PK_PLAIN, deviceName: 'plainfresh' },
      { productKey: PK_RAW, deviceName: 'raw001', deviceSecret: SECRET },
    ],
  };
}

export function hmac(alg: string, key: string, content: string): string {
  return createHmac(alg, key).update(content).digest('hex');
}

export interface LoginOpts {
  pk?: string;
  dn: string;
  secret?: string;
  /** hash for the password; the clientId advertises `signmethod` (default: matches). */
  alg?: 'sha1' | 'sha256' | 'md5';
  signmethod?: string;
  tls?: boolean;
  securemode?: string;
  keepalive?: number;
  extra?: string;
  timestamp?: string;
  clean?: boolean;
  /** Another port than the transport's own (the MQTT port takes TLS too). */
  port?: number;
}

/** CONNECT fields as an LSDK-like client builds them (prefix `pk.dn`). */
export function loginFields(o: LoginOpts): { clientId: string; username: string; password: string } {
  const pk = o.pk ?? PK;
  const alg = o.alg ?? 'sha256';
  const ts = o.timestamp ?? '2524608000000';
  const prefix = pk + '.' + o.dn;
  const kv = [`timestamp=${ts}`, `securemode=${o.securemode ?? (o.tls ? '2' : '3')}`, `signmethod=${o.signmethod ?? 'hmac' + alg}`];
  if (o.extra) kv.push(o.extra);
  return {
    clientId: `${prefix}|${kv.join(',')}|`,
    username: `${o.dn}&${pk}`,
    password: hmac(alg, o.secret ?? SECRET, `clientId${prefix}deviceName${o.dn}productKey${pk}timestamp${ts}`),
  };
}

export type ConnectResult = { ok: true; client: MqttClient } | { ok: false; code: number; message: string };

/** Connects with raw CONNECT fields; resolves with the client or the CONNACK refusal code. */
export function connectRaw(cloud: RunningCloud, f: { clientId: string; username: string; password: string }, o: { tls?: boolean; keepalive?: number; clean?: boolean; port?: number } = {}): Promise<ConnectResult> {
  const url = o.tls ? `mqtts://127.0.0.1:${o.port ?? cloud.tlsPort}` : `mqtt://127.0.0.1:${o.port ?? cloud.mqttPort}`;
  const opts: IClientOptions = {
    clientId: f.clientId, username: f.username, password: f.password, keepalive: o.keepalive ?? 60,
    clean: o.clean ?? true, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10000,
    ...(o.tls ? { ca: cloud.caPem, servername: 'localhost' } : {}),
  };
  return new Promise((resolve) => {
    const c = mqtt.connect(url, opts);
    c.once('connect', () => resolve({ ok: true, client: c }));
    c.once('error', (e: Error & { code?: number }) => {
      c.end(true);
      resolve({ ok: false, code: typeof e.code === 'number' ? e.code : -1, message: e.message });
    });
  });
}

export async function login(cloud: RunningCloud, o: LoginOpts): Promise<MqttClient> {
  const r = await connectRaw(cloud, loginFields(o), { tls: o.tls, keepalive: o.keepalive, clean: o.clean, port: o.port });
  if (!r.ok) throw new Error('login refused: ' + r.code + ' ' + r.message);
  return r.client;
}

/** Next message on a topic matching `pred` (topic filter must already be subscribed or _ss). */
export function nextMessage(c: MqttClient, pred: (topic: string) => boolean): Promise<{ topic: string; payload: Buffer; json: () => any }> {
  return new Promise((resolve) => {
    const on = (topic: string, payload: Buffer) => {
      if (!pred(topic)) return;
      c.off('message', on);
      resolve({ topic, payload, json: () => JSON.parse(payload.toString()) });
    };
    c.on('message', on);
  });
}

export async function subscribe(c: MqttClient, topic: string, qos: 0 | 1 = 0): Promise<number> {
  try {
    const granted = await c.subscribeAsync(topic, { qos });
    return granted[0].qos;
  } catch (e) {
    // mqtt.js turns a SUBACK 0x80 into an error that carries the packet.
    const granted = (e as { packet?: { granted?: number[] } }).packet?.granted;
    if (granted) return granted[0];
    throw e;
  }
}

/** Publishes a request and returns the reply on `<topic>_reply` (subscribes first). */
export async function request(c: MqttClient, topic: string, body: unknown): Promise<any> {
  await subscribe(c, topic + '_reply');
  const reply = nextMessage(c, (t) => t === topic + '_reply');
  await c.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body));
  return (await reply).json();
}

export function closed(c: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    if (!c.connected) return resolve();
    c.once('close', () => resolve());
  });
}

export async function end(...clients: MqttClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
}
