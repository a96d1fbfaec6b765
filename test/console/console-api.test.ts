/** The console's HTTP side: what the page reads and does through /api/, that no secret is
 *  ever served, and that requests from elsewhere are refused. */
import http from 'node:http';
import { DN, GW_PK, PK, SECRETS, SUB_PK, consoleRig, type ConsoleRig } from './rig';
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

const lampPath = `api/devices/${PK}/${DN}`;

test('the page, its script and every /api view are served without any secret', async () => {
  const paths = ['', 'console.js', 'console.css', 'api/devices', `api/products/${PK}`, `api/products/${GW_PK}`, `api/products/${SUB_PK}`, `${lampPath}/properties`, `${lampPath}/files`, 'api/messages'];
  for (const p of paths) {
    const a = await request(base + p);
    expect({ path: p, status: a.status }).toEqual({ path: p, status: 200 });
    for (const secret of SECRETS) expect(a.text).not.toContain(secret);
    expect(a.text).not.toMatch(/deviceSecret|productSecret|deviceToken/);
  }
  const devices = JSON.parse((await request(base + 'api/devices')).text) as { deviceName: string; online: boolean }[];
  expect(devices.map((d) => [d.deviceName, d.online])).toEqual([[DN, true], ['gw001', false], ['sensor001', false]]);
});

test('the page forbids inline script and is never sniffed as something else', async () => {
  const a = await request(base);
  expect(a.headers['content-type']).toMatch(/^text\/html/);
  expect(a.headers['content-security-policy']).toContain("default-src 'self'");
  expect(a.headers['x-content-type-options']).toBe('nosniff');
});

test('a property set answers with the device reply and the reported value follows', async () => {
  const a = await postJson(`${base}${lampPath}/properties`, { params: { Brightness: 55 } });
  expect(a.status).toBe(200);
  expect(JSON.parse(a.text)).toMatchObject({ status: 'reply', code: 200 });
  await rig.lamp.board.waitFor(() => rig.cloud.api.properties(PK, DN).Brightness?.value === 55, 5000);
  const props = JSON.parse((await request(`${base}${lampPath}/properties`)).text) as Record<string, { value: unknown }>;
  expect(props.Brightness.value).toBe(55);
});

test.each([false, true])('a service call (sync=%s) returns the outputs the device answered', async (sync) => {
  const a = await postJson(`${base}${lampPath}/services/Echo`, { params: { word: 'hello' }, sync });
  expect(JSON.parse(a.text)).toMatchObject({ status: 'reply', code: 200, data: { echoed: { word: 'hello' } } });
});

test('a service call to an offline device says offline', async () => {
  const a = await postJson(`${base}api/devices/${GW_PK}/gw001/services/Echo`, { params: {} });
  expect(JSON.parse(a.text)).toEqual({ status: 'offline' });
});

test('bad bodies and unknown devices get an error, not an action', async () => {
  expect((await postJson(`${base}${lampPath}/properties`, { Brightness: 1 })).status).toBe(400);
  expect((await request(`${base}${lampPath}/properties`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })).status).toBe(400);
  expect((await request(`${base}api/devices/${PK}/nobody/properties`)).status).toBe(404);
});

test('requests from other sites or names are refused before anything happens', async () => {
  const before = rig.cloud.api.messages({ productKey: PK, deviceName: DN }).length;
  const body = JSON.stringify({ params: { Brightness: 1 } });
  // A plain HTML form on another site can only send form/text bodies.
  expect((await request(`${base}${lampPath}/properties`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })).status).toBe(403);
  expect((await request(`${base}${lampPath}/properties`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body })).status).toBe(403);
  // DNS rebinding: the page reached under a foreign name.
  expect((await request(`${base}api/devices`, { headers: { host: 'evil.example' } })).status).toBe(403);
  expect(rig.cloud.api.messages({ productKey: PK, deviceName: DN }).length).toBe(before);
  expect(rig.cloud.api.properties(PK, DN).Brightness?.value).not.toBe(1);
});

test('the live stream delivers each new message as it is logged', async () => {
  let action: Promise<unknown> = Promise.resolve();
  const got = new Promise<string>((resolve, reject) => {
    const req = http.get(base + 'api/stream', (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        const m = /event: message\ndata: (.*property\/set.*)\n/.exec(text);
        if (m) {
          req.destroy();
          resolve(m[1]);
        }
      });
      // Once the stream is open, make something happen.
      action = postJson(`${base}${lampPath}/properties`, { params: { Brightness: 77 } });
    });
    req.on('error', reject);
  });
  const line = await got;
  await action;
  const entry = JSON.parse(line) as { direction: string; topic: string; deviceName: string };
  expect(entry).toMatchObject({ direction: 'down', topic: `/sys/${PK}/${DN}/thing/service/property/set`, deviceName: DN });
});
