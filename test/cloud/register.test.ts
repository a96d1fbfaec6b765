/** Dynamic registration: MQTT `register`, `regnwl` → `connwl`, and HTTPS, with refusals. */
import https from 'node:https';
import { start, type RunningCloud } from '../../sim/cloud/index';
import { PK, PK_PLAIN, PS, connectRaw, end, hmac, login, testRegistry } from './helpers';
import type { MqttClient } from 'mqtt';

let cloud: RunningCloud;
beforeAll(async () => {
  cloud = await start({ registry: testRegistry() });
});
afterAll(() => cloud.stop());

function regFields(dn: string, authType: string, ps = PS, pk = PK) {
  const random = '2808197216';
  return {
    clientId: `${dn}.${pk}|random=${random},authType=${authType},securemode=2,signmethod=hmacsha256|`,
    username: `${dn}&${pk}`,
    password: hmac('sha256', ps, `deviceName${dn}productKey${pk}random${random}`),
  };
}

/** Connects a registration client and returns the one push, then waits for the close. */
async function registerOverMqtt(dn: string, authType: string): Promise<{ topic: string; body: any }> {
  const r = await connectRaw(cloud, regFields(dn, authType), { tls: true });
  if (!r.ok) throw new Error('refused ' + r.code);
  const c: MqttClient = r.client;
  const msg = await new Promise<{ topic: string; body: any }>((res) => c.once('message', (topic, p) => res({ topic, body: JSON.parse(p.toString()) })));
  await new Promise<void>((res) => (c.connected ? c.once('close', () => res()) : res()));
  await end(c);
  return msg;
}

it('register: one push on /ext/register with the secret, then the cloud closes; the secret logs in', async () => {
  const m = await registerOverMqtt('fresh001', 'register');
  expect(m.topic).toBe('/ext/register');
  expect(m.body).toEqual({ productKey: PK, deviceName: 'fresh001', deviceSecret: expect.stringMatching(/^[0-9a-f]{32}$/) });
  const c = await login(cloud, { dn: 'fresh001', secret: m.body.deviceSecret });
  await end(c);
  expect(JSON.stringify(cloud.api.messages())).not.toContain(m.body.deviceSecret);
  // Activated now: registration is refused with CONNACK 5.
  expect(await connectRaw(cloud, regFields('fresh001', 'register'), { tls: true })).toMatchObject({ ok: false, code: 5 });
});

it('register refusals: plain TCP -> 2, wrong product secret -> 4, dynreg off -> 5, not pre-registered -> 4', async () => {
  const plain = regFields('fresh002', 'register');
  expect(await connectRaw(cloud, { ...plain, clientId: plain.clientId.replace('securemode=2', 'securemode=3') })).toMatchObject({ ok: false, code: 2 });
  expect(await connectRaw(cloud, regFields('fresh002', 'register', 'wrongwrongwrong'), { tls: true })).toMatchObject({ ok: false, code: 4 });
  expect(await connectRaw(cloud, regFields('plainfresh', 'register', 'plainProductSecret', PK_PLAIN), { tls: true })).toMatchObject({ ok: false, code: 5 });
  expect(await connectRaw(cloud, regFields('unknown9', 'register'), { tls: true })).toMatchObject({ ok: false, code: 4 });
});

it('regnwl pushes {clientId, deviceToken}; connwl logs in with the token; a wrong token -> 4', async () => {
  const m = await registerOverMqtt('brandnew1', 'regnwl');
  expect(m.topic).toBe('/ext/regnwl');
  expect(Object.keys(m.body).sort()).toEqual(['clientId', 'deviceToken']);
  const f = { clientId: `${m.body.clientId}|authType=connwl,securemode=-2,_ss=1,ext=3|`, username: `brandnew1&${PK}`, password: m.body.deviceToken };
  const r = await connectRaw(cloud, f, { tls: true });
  expect(r.ok).toBe(true);
  if (r.ok) await end(r.client);
  expect(await connectRaw(cloud, { ...f, password: 'x' + f.password }, { tls: true })).toMatchObject({ ok: false, code: 4 });
});

function post(body: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: cloud.httpsPort, path: '/auth/register/device', method: 'POST', ca: cloud.caPem, servername: 'localhost', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      let t = '';
      res.on('data', (c) => (t += c));
      res.on('end', () => resolve(JSON.parse(t)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function form(dn: string, pk = PK, ps = PS, method = 'hmacsha256', random = '8Ygb7ULYh53B6OA'): string {
  const alg = method.replace('hmac', '');
  const sign = hmac(alg, ps, `deviceName${dn}productKey${pk}random${random}`).toUpperCase();
  return new URLSearchParams({ productKey: pk, deviceName: dn, random, sign, signMethod: method }).toString();
}

it('HTTPS register: 200 with {productKey, deviceName, deviceSecret}; repeatable until activation', async () => {
  const a = await post(form('fresh002'));
  expect(a).toEqual({ code: 200, data: { productKey: PK, deviceName: 'fresh002', deviceSecret: expect.any(String) }, message: 'success' });
  const b = await post(form('fresh002', PK, PS, 'hmacsha1'));
  expect(b.code).toBe(200);
  expect(b.data.deviceSecret).not.toBe(a.data.deviceSecret);
  await end(await login(cloud, { dn: 'fresh002', secret: b.data.deviceSecret }));
  expect(await post(form('fresh002'))).toMatchObject({ code: 6289 });
});

it('HTTPS register refusals carry non-200 codes', async () => {
  expect(await post(form('fresh002', PK, 'bad-secret'))).toMatchObject({ code: 6292 });
  expect(await post(form('plainfresh', PK_PLAIN, 'plainProductSecret'))).toMatchObject({ code: 6288 });
  expect(await post(form('nobody', 'a1Unknown00'))).toMatchObject({ code: 6250 });
  expect(await post(form('nobody'))).toMatchObject({ code: 6100 });
  expect(await post('productKey=' + PK)).toMatchObject({ code: 460 });
});
