/** The console's OTA section and endpoints (console/ota-routes.ts, static/ota.js): upload a
 *  package, start an upgrade, see versions and progress, and the platform's refusals as 400. */
import { DN, PK, SECRETS, consoleRig, type ConsoleRig } from './rig';
import { postJson, request } from './http';

let rig: ConsoleRig;
let base: string;

beforeAll(async () => {
  rig = await consoleRig();
  base = rig.cloud.consoleUrl;
});
afterAll(async () => {
  await rig?.close();
});

const otaPath = `api/devices/${PK}/${DN}/ota`;
const content = Buffer.from('print("lamp app 2");\n').toString('base64');

test('a package is uploaded, an upgrade started, and the device view shows packages and jobs without secrets or download tokens', async () => {
  const up = await postJson(base + 'api/ota/packages', { productKey: PK, version: '2.0.0', content, fileName: 'lamp.js' });
  expect(up.status).toBe(200);
  const pkg = JSON.parse(up.text);
  expect(pkg).toMatchObject({ productKey: PK, module: 'default', version: '2.0.0', size: 21, signMethod: 'MD5', fileName: 'lamp.js' });
  const started = await postJson(base + otaPath, { packageId: pkg.id });
  expect(started.status).toBe(200);
  expect(JSON.parse(started.text)).toMatchObject({ module: 'default', version: '2.0.0', status: expect.stringMatching(/queued|notified/) });
  const view = await request(base + otaPath);
  expect(view.status).toBe(200);
  const v = JSON.parse(view.text);
  expect(v.packages.map((p: any) => p.version)).toEqual(['2.0.0']);
  expect(v.jobs).toHaveLength(1);
  const job = rig.cloud.api.ota.jobsOf(PK, DN)[0];
  expect(view.text).not.toContain(job.token);
  for (const s of SECRETS) expect(view.text).not.toContain(s);
  expect((await request(base + 'ota.js')).status).toBe(200);
});

test('what the platform refuses comes back as 400 with the reason', async () => {
  const dup = await postJson(base + 'api/ota/packages', { productKey: PK, version: '2.0.0', content });
  expect(dup.status).toBe(400);
  expect(JSON.parse(dup.text).error).toContain('already has version');
  const bad = await postJson(base + 'api/ota/packages', { productKey: PK, version: 'no spaces', content });
  expect(JSON.parse(bad.text).error).toContain('version');
  const nope = await postJson(base + otaPath, { packageId: 'pkgnope' });
  expect([nope.status, JSON.parse(nope.text).error]).toEqual([400, 'no such package']);
  expect((await request(base + `api/devices/${PK}/nobody/ota`)).status).toBe(404);
});

test('a package over the console\'s ordinary 64 KB body limit can be uploaded', async () => {
  const big = Buffer.alloc(100 * 1024, 7).toString('base64');
  const up = await postJson(base + 'api/ota/packages', { productKey: PK, version: '3.0.0', content: big });
  expect(up.status).toBe(200);
  expect(JSON.parse(up.text).size).toBe(100 * 1024);
});
