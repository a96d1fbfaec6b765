/** Fidelity proof with a client nobody here wrote: the official Node SDK
 *  alibabacloud-iot-device-sdk@1.2.8 against the emulator. Assertions are what the platform
 *  would do; SDK bugs found on the way are asserted as such (peers.md §2.4). */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, type RunningCloud } from '../../sim/cloud/index';
import { PK, PS, SECRET, testRegistry } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const iot = require('alibabacloud-iot-device-sdk');

let cloud: RunningCloud;
const devices: any[] = [];

beforeAll(async () => {
  cloud = await start({ registry: testRegistry(), replyTimeoutMs: 2000 });
});
afterAll(async () => {
  for (const d of devices) d.end(true);
  await cloud.stop();
});

function sdkDevice(dn: string, extra: Record<string, unknown> = {}): any {
  const d = iot.device({ productKey: PK, deviceName: dn, deviceSecret: SECRET, brokerUrl: `mqtt://127.0.0.1:${cloud.mqttPort}`, ...extra });
  devices.push(d);
  return d;
}

function connected(d: any): Promise<void> {
  return new Promise((resolve, reject) => {
    d.once('connect', () => resolve());
    d.once('error', (e: unknown) => reject(e));
  });
}

/** The SDK subscribes 16 topics on connect; wait until the emulator has granted them. */
async function subscribedTo(dn: string, suffix: string): Promise<void> {
  const key = `${PK}/${dn}`;
  for (;;) {
    const s = cloud.core.sessions.get(key);
    if (s && [...s.filters.keys()].some((f) => f.endsWith(suffix))) return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('official Node SDK 1.2.8', () => {
  let dev: any;
  beforeAll(async () => {
    dev = sdkDevice('sdk001');
    await connected(dev);
  });

  it('connects with its own clientId dialect (pk&dn|...,lan=NodeJS,_v=1.2.8|)', () => {
    expect(cloud.api.device(PK, 'sdk001')).toMatchObject({ online: true, clientId: expect.stringMatching(/^a1TestPK001&sdk001\|securemode=3,signmethod=hmacsha1,timestamp=\d+,lan=NodeJS,_v=1\.2\.8\|$/) });
  });

  it('wrong secret is refused with CONNACK 4 (the SDK reports an error, device stays offline)', async () => {
    const bad = iot.device({ productKey: PK, deviceName: 'sdk002', deviceSecret: 'f'.repeat(32), brokerUrl: `mqtt://127.0.0.1:${cloud.mqttPort}` });
    devices.push(bad);
    const err: any = await new Promise((r) => bad.once('error', r));
    bad.end(true);
    const e = Array.isArray(err) ? err[0] : err;
    expect(e.code).toBe(4);
    expect(cloud.api.isOnline(PK, 'sdk002')).toBe(false);
  });

  it('signAlgorithm sha256 is refused (SDK bug: it still signs with HMAC-SHA1)', async () => {
    const liar = iot.device({ productKey: PK, deviceName: 'sdk002', deviceSecret: SECRET, signAlgorithm: 'sha256', brokerUrl: `mqtt://127.0.0.1:${cloud.mqttPort}` });
    devices.push(liar);
    const err: any = await new Promise((r) => liar.once('error', r));
    liar.end(true);
    expect((Array.isArray(err) ? err[0] : err).code).toBe(4);
    const refusal = cloud.api.messages({ where: (e) => e.topic === '$connect' && e.deviceName === 'sdk002' && e.payload.includes('signmethod=hmacsha256') });
    expect(refusal[0]).toMatchObject({ verdict: 'refused', code: 4, detail: 'sign mismatch' });
  });

  it('postProps gets the platform reply with its own |exp-topic| id echoed', async () => {
    await subscribedTo('sdk001', 'property/post_reply');
    const res: any = await new Promise((r) => dev.postProps({ LightSwitch: 1, Temp: 22.5 }, r));
    expect(res).toMatchObject({ code: 200, message: 'success', method: 'thing.event.property.post', version: '1.0', data: {} });
    expect(res.id).toMatch(/^\d+\|exp-topic\|\/sys\/a1TestPK001\/sdk001\/thing\/event\/property\/post_reply$/);
    expect(cloud.api.properties(PK, 'sdk001')).toMatchObject({ LightSwitch: { value: 1 }, Temp: { value: 22.5 } });
  });

  it('postProps with an unknown property gets code 5159', async () => {
    const res: any = await new Promise((r) => dev.postProps({ Bogus: 1 }, r));
    expect(res).toMatchObject({ code: 5159 });
  });

  it('postEvent is accepted and recorded', async () => {
    await subscribedTo('sdk001', 'event/+/post_reply');
    const res: any = await new Promise((r) => dev.postEvent('lowpower', { power: 10 }, r));
    expect(res).toMatchObject({ code: 200, method: 'thing.event.lowpower.post' });
    expect(cloud.api.events(PK, 'sdk001')).toContainEqual(expect.objectContaining({ id: 'lowpower', value: { power: 10 } }));
  });

  it('onProps fires on a property set; SDK never sends set_reply itself (timeout), the app can', async () => {
    await subscribedTo('sdk001', 'property/set');
    const received: any[] = [];
    dev.onProps((msg: any) => {
      received.push(msg);
      if (msg.params.Level === 7) dev.publish(`/sys/${PK}/sdk001/thing/service/property/set_reply`, JSON.stringify({ id: msg.id, code: 200, data: {} }));
    });
    expect(await cloud.api.setProperties(PK, 'sdk001', { Level: 6 }, { timeoutMs: 300 })).toEqual({ status: 'timeout' });
    expect(await cloud.api.setProperties(PK, 'sdk001', { Level: 7 })).toMatchObject({ status: 'reply', code: 200 });
    expect(received.map((m) => m.params)).toEqual([{ Level: 6 }, { Level: 7 }]);
  });

  it('async service: reply with the request id resolves; the SDK default id is not the request id (SDK bug)', async () => {
    let useRequestId = true;
    dev.onService('wakeup_async', (req: any, reply: any) => {
      reply(useRequestId ? { id: req.id, code: 200, data: { out: 1 } } : { code: 200, data: { out: 1 } }, 'async');
    });
    await subscribedTo('sdk001', 'service/wakeup_async');
    expect(await cloud.api.invokeService(PK, 'sdk001', 'wakeup_async', { delay: 1 })).toMatchObject({ status: 'reply', code: 200, data: { out: 1 } });
    useRequestId = false;
    expect(await cloud.api.invokeService(PK, 'sdk001', 'wakeup_async', { delay: 2 }, { timeoutMs: 500 })).toEqual({ status: 'timeout' });
    expect(cloud.api.messages({ where: (e) => e.topic.endsWith('wakeup_async_reply') && e.verdict === 'unmatched' })).toHaveLength(1);
  });

  it('sync service over RRPC: the SDK answers on rrpc/response/<msgId>', async () => {
    dev.onService('wakeup_sync', (_req: any, reply: any) => reply({ code: 200, data: { rtt: 5 } }, 'sync'));
    await subscribedTo('sdk001', 'rrpc/request/+');
    expect(await cloud.api.invokeService(PK, 'sdk001', 'wakeup_sync', {}, { sync: true })).toMatchObject({ status: 'reply', code: 200, data: { rtt: 5 } });
  });

  it('shadow get/post through the SDK', async () => {
    await subscribedTo('sdk001', `/shadow/get/${PK}/sdk001`);
    const got = new Promise<any>((r) => dev.onShadow(r));
    dev.postShadow({ a: 1 });
    expect(await got).toMatchObject({ method: 'reply', payload: { status: 'success' } });
    expect(cloud.api.shadow(PK, 'sdk001').reported).toEqual({ a: 1 });
  });

  // The SDK's gateway (addTopo/getTopo/login, sub-device postProps) is driven in sdk-gateway.test.ts.
});

/** Runs a script in a child Node with the emulator's CA trusted through NODE_EXTRA_CA_CERTS
 *  (the SDK has no `ca` option). Resolves with the JSON the script prints last. */
function runChild(script: string): Promise<any> {
  const dir = mkdtempSync(join(tmpdir(), 'cloud-sdk-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, cloud.caPem);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), env: { ...process.env, NODE_EXTRA_CA_CERTS: ca } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', () => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error('child printed no JSON: ' + out + err));
      }
    });
  });
}

describe('official SDK over TLS and HTTPS (child process, CA via NODE_EXTRA_CA_CERTS)', () => {
  it('iot.register over HTTPS returns a deviceSecret that then logs in over MQTT/TLS', async () => {
    const result = await runChild(`
      const iot = require('alibabacloud-iot-device-sdk');
      iot.register({ productKey: '${PK}', productSecret: '${PS}', deviceName: 'fresh001', registerURL: 'https://127.0.0.1:${cloud.httpsPort}/auth/register/device' }, (res) => {
        if (!res || res.code !== 200) { console.log(JSON.stringify({ register: res && (res.code || String(res)) })); return; }
        const d = iot.device({ productKey: '${PK}', deviceName: 'fresh001', deviceSecret: res.data.deviceSecret, brokerUrl: 'mqtts://127.0.0.1:${cloud.tlsPort}' });
        d.on('connect', () => { console.log(JSON.stringify({ register: res.code, data: Object.keys(res.data).sort(), message: res.message, tls: 'connected' })); d.end(true); });
        d.on('error', (e) => { console.log(JSON.stringify({ register: res.code, tls: String(e) })); d.end(true); });
      });`);
    expect(result).toEqual({ register: 200, data: ['deviceName', 'deviceSecret', 'productKey'], message: 'success', tls: 'connected' });
    expect(cloud.api.device(PK, 'fresh001')).toMatchObject({ activated: true });
    const logged = JSON.stringify(cloud.api.messages());
    expect(logged).toContain('"deviceSecret\\":\\"***\\"');
    expect(logged).not.toContain(cloud.core.registry.device(PK, 'fresh001')!.deviceSecret!);
  });

  it('iot.register again after activation is refused (non-200 code, no new secret)', async () => {
    const before = cloud.core.registry.device(PK, 'fresh001')!.deviceSecret;
    const result = await runChild(`
      const iot = require('alibabacloud-iot-device-sdk');
      iot.register({ productKey: '${PK}', productSecret: '${PS}', deviceName: 'fresh001', registerURL: 'https://127.0.0.1:${cloud.httpsPort}/auth/register/device' }, (res) => console.log(JSON.stringify({ code: res.code, message: res.message })));`);
    expect(result).toEqual({ code: 6289, message: 'device is already active' });
    expect(cloud.core.registry.device(PK, 'fresh001')!.deviceSecret).toBe(before);
  });
});
