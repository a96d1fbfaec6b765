/** The emulator's OTA service (handlers/ota.ts, ota-download.ts, ota-store.ts) driven by a
 *  plain MQTT client acting as the device, and by HTTPS: what the platform refuses, the notice
 *  as the platform documents it (test/ota/FACTS.md), downloads with Range, progress and the
 *  final version, and the firmware/get request form. */
import https from 'node:https';
import { createHash } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { start, type RunningCloud } from '../../sim/cloud/index';
import { isRefusal, type OtaJob, type OtaPackage } from '../../sim/cloud/ota-store';
import { PK, PK_PLAIN, end, login, nextMessage, subscribe, testRegistry } from './helpers';

let cloud: RunningCloud;
let c: MqttClient;
const DN = 'dev002';
const BYTES = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 13 + 5) & 255));

beforeAll(async () => {
  cloud = await start({ registry: testRegistry(), replyTimeoutMs: 2000 });
  c = await login(cloud, { dn: DN });
  await subscribe(c, `/ota/device/upgrade/${PK}/${DN}`, 1);
  await subscribe(c, `/sys/${PK}/${DN}/thing/ota/firmware/get_reply`, 0);
});
afterAll(async () => {
  await end(c);
  await cloud.stop();
});

function ok<T>(v: T | { error: string }): T {
  if (isRefusal(v)) throw new Error(v.error);
  return v;
}

let n = 0;
function pkg(extra: Partial<Parameters<RunningCloud['api']['addOtaPackage']>[0]> = {}): OtaPackage {
  return ok(cloud.api.addOtaPackage({ productKey: PK, version: '9.0.' + ++n, bytes: BYTES, ...extra }));
}

function publish(topic: string, body: unknown): Promise<void> {
  return c.publishAsync(topic, JSON.stringify(body), { qos: 1 }).then(() => undefined);
}

/** Waits until the emulator logged the uplink on `topic` (handled in order with the publish). */
async function handled(topic: string, count: number): Promise<void> {
  while (cloud.api.messages({ where: (e) => e.topic === topic && e.direction === 'up' }).length < count) await new Promise((r) => setTimeout(r, 5));
}

function get(url: string, range?: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { rejectUnauthorized: false, headers: range ? { range } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

describe('packages: what the platform refuses', () => {
  test.each([
    [{ productKey: 'a1NoSuchPK0' }, 'no such product'],
    [{ version: '' }, 'version'],
    [{ version: 'v 1' }, 'version'],
    [{ version: 'x'.repeat(65) }, 'version'],
    [{ module: 'mcu/1' }, 'module'],
    [{ signMethod: 'CRC32' }, 'signMethod'],
    [{ bytes: Buffer.alloc(0) }, 'empty'],
  ])('%j is refused', (extra, why) => {
    const r = cloud.api.addOtaPackage({ productKey: PK, version: '1.2.3', bytes: BYTES, ...(extra as object) });
    expect(isRefusal(r) && r.error).toContain(why);
  });

  test('one package per product, module and version', () => {
    const p = pkg();
    expect(cloud.api.addOtaPackage({ productKey: PK, version: p.version, bytes: BYTES })).toEqual({ error: expect.stringContaining('already has version') });
    expect(isRefusal(cloud.api.addOtaPackage({ productKey: PK, module: 'mcu', version: p.version, bytes: BYTES }))).toBe(false);
  });

  test('the digests are the package bytes\' md5 and sha256', () => {
    const p = pkg({ signMethod: 'sha256' });
    expect(p.signMethod).toBe('SHA256');
    expect(p.md5).toBe(createHash('md5').update(BYTES).digest('hex'));
    expect(p.sha256).toBe(createHash('sha256').update(BYTES).digest('hex'));
  });
});

describe('jobs', () => {
  test('refused: unknown package or device, another product\'s device, the version it runs, a second job of the module', async () => {
    const p = pkg();
    expect(cloud.api.startOta(PK, DN, 'pkgnope')).toEqual({ error: 'no such package' });
    expect(cloud.api.startOta(PK, 'nobody', p.id)).toEqual({ error: 'no such device' });
    expect(cloud.api.startOta(PK_PLAIN, 'plain001', p.id)).toEqual({ error: 'the package belongs to product ' + PK });
    await publish(`/ota/device/inform/${PK}/${DN}`, { id: '1', params: { version: p.version } });
    await handled(`/ota/device/inform/${PK}/${DN}`, 1);
    expect(cloud.api.startOta(PK, DN, p.id)).toEqual({ error: expect.stringContaining('already runs version') });
    const first = ok(cloud.api.startOta(PK, 'dev001', p.id));
    expect(first.status).toBe('queued'); // dev001 is offline: the notice waits for its version report
    expect(cloud.api.startOta(PK, 'dev001', pkg().id)).toEqual({ error: expect.stringContaining('in progress') });
  });

  test('the notice carries what the platform documents; a download, progress and the target version end the job', async () => {
    const p = pkg({ module: 'mcu' });
    const notice = nextMessage(c, (t) => t === `/ota/device/upgrade/${PK}/${DN}`);
    const job: OtaJob = ok(cloud.api.startOta(PK, DN, p.id));
    const m = (await notice).json();
    expect(m).toEqual({ code: '1000', id: expect.any(Number), message: 'success', data: { size: BYTES.length, sign: p.md5, md5: p.md5, signMethod: 'Md5', version: p.version, module: 'mcu', url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/ota\//) } });
    expect(job.status).toBe('notified');

    const whole = await get(m.data.url);
    expect(whole.status).toBe(200);
    expect(whole.body.equals(BYTES)).toBe(true);
    const part = await get(m.data.url, 'bytes=4000-');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 4000-4999/5000');
    expect(part.body.equals(BYTES.subarray(4000))).toBe(true);
    expect((await get(m.data.url, 'bytes=5000-')).status).toBe(416);
    expect((await get(m.data.url.replace('/ota/', '/ota/x'))).status).toBe(403);

    const progress = `/ota/device/progress/${PK}/${DN}`;
    await publish(progress, { id: '2', params: { step: '50', desc: '', module: 'mcu' } });
    await publish(progress, { id: '3', params: { step: 'half', desc: '', module: 'mcu' } });
    await publish(progress, { id: '4', params: { step: '50', desc: '' } }); // module "default": no job
    await handled(progress, 3);
    expect(job).toMatchObject({ status: 'upgrading', step: 50 });
    const verdicts = cloud.api.messages({ where: (e) => e.topic === progress }).map((e) => [e.verdict, e.detail]);
    expect(verdicts).toEqual([['ok', undefined], ['rejected', 'step must be -4..100'], ['rejected', 'no upgrade of module default in progress']]);

    // the firmware/get form answers with the same data
    const reply = nextMessage(c, (t) => t.endsWith('firmware/get_reply'));
    await publish(`/sys/${PK}/${DN}/thing/ota/firmware/get`, { id: '5', version: '1.0', params: { module: 'mcu' }, method: 'thing.ota.firmware.get' });
    expect((await reply).json()).toMatchObject({ id: '5', code: 200, data: m.data });

    await publish(`/ota/device/inform/${PK}/${DN}`, { id: '6', params: { version: p.version, module: 'mcu' } });
    await handled(`/ota/device/inform/${PK}/${DN}`, 2);
    expect(job).toMatchObject({ status: 'succeeded', step: 100 });
    expect(cloud.api.ota.versionsOf(PK, DN).mcu).toBe(p.version);
  });

  test('a negative step fails the job; firmware/get without a job answers empty data', async () => {
    const p = pkg();
    const notice = nextMessage(c, (t) => t === `/ota/device/upgrade/${PK}/${DN}`);
    const job = ok(cloud.api.startOta(PK, DN, p.id));
    await notice;
    await publish(`/ota/device/progress/${PK}/${DN}`, { id: '7', params: { step: '-3', desc: 'digest differs' } });
    await handled(`/ota/device/progress/${PK}/${DN}`, 4);
    expect(job).toMatchObject({ status: 'failed', step: -3, desc: 'digest differs' });
    const reply = nextMessage(c, (t) => t.endsWith('firmware/get_reply'));
    await publish(`/sys/${PK}/${DN}/thing/ota/firmware/get`, { id: '8', version: '1.0', params: {}, method: 'thing.ota.firmware.get' });
    expect((await reply).json()).toMatchObject({ id: '8', code: 200, data: {} });
  });
});
