/** Gateways and sub-devices (alink-protocol.md §6) against the emulator over real sockets:
 *  topo add/get/delete with the sub-device sign, sub-device registration, combine login /
 *  batch login / logout, sub-device traffic through the gateway's connection, 520 for a
 *  sub-device that is not logged in, topo change on console delete/disable/enable, the
 *  30 / 50 / 2,000 limits, and persistence of the topology. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { start, type RunningCloud } from '../../sim/cloud/index';
import type { RegistryFile } from '../../sim/cloud/registry';
import { signContent } from '../../sim/cloud/handlers/gateway-checks';
import { end, hmac, login, nextMessage, testRegistry } from './helpers';

const GW_PK = 'a1GwPK00001';
const SUB_PK = 'a1SubPK0001';
const SUB_STATIC = 'a1SubPK0002';
const SUB_SECRET = 'fedcba9876543210fedcba9876543210';
const GW_SECRET = '00112233445566778899aabbccddeeff';

function gatewayRegistry(extraSubs = 0): RegistryFile {
  const r = testRegistry();
  r.products.push(
    { productKey: GW_PK, productSecret: 'gwProductSecret1', nodeType: 'gateway' },
    { productKey: SUB_PK, productSecret: 'subProductSecret', nodeType: 'subdevice', dynamicRegistration: true },
    { productKey: SUB_STATIC, productSecret: 'subProductSecre2', nodeType: 'subdevice', dynamicRegistration: false },
  );
  for (const dn of ['gw001', 'gw002']) r.devices.push({ productKey: GW_PK, deviceName: dn, deviceSecret: GW_SECRET });
  for (let i = 1; i <= 8; i++) r.devices.push({ productKey: SUB_PK, deviceName: 'sub00' + i, deviceSecret: SUB_SECRET });
  r.devices.push({ productKey: SUB_STATIC, deviceName: 'static01', deviceSecret: SUB_SECRET });
  for (let i = 0; i < extraSubs; i++) r.devices.push({ productKey: SUB_PK, deviceName: 'bulk' + String(i).padStart(4, '0'), deviceSecret: SUB_SECRET });
  return r;
}

type Alg = 'sha1' | 'sha256' | 'md5';

/** A signed sub-device entry. NODE style by default (clientId pk&dn, numeric timestamp,
 *  `signMethod: "hmacsha1"`, lowercase hex); `lsdk` gives pk.dn, string timestamp,
 *  `signmethod: "hmacSha256"` and uppercase hex. */
function signed(pk: string, dn: string, o: { alg?: Alg; lsdk?: boolean; secret?: string; methodKey?: 'signMethod' | 'signmethod' | null } = {}): Record<string, unknown> {
  const alg = o.alg ?? (o.lsdk ? 'sha256' : 'sha1');
  const ts = o.lsdk ? '1700000000123' : 1700000000123;
  const clientId = o.lsdk ? `${pk}.${dn}` : `${pk}&${dn}`;
  const sign = hmac(alg, o.secret ?? SUB_SECRET, `clientId${clientId}deviceName${dn}productKey${pk}timestamp${ts}`);
  const item: Record<string, unknown> = { productKey: pk, deviceName: dn, clientId, timestamp: ts };
  const methodName = o.lsdk ? 'hmac' + alg[0].toUpperCase() + alg.slice(1) : 'hmac' + alg;
  const key = o.methodKey === undefined ? (o.lsdk ? 'signmethod' : 'signMethod') : o.methodKey;
  if (key) item[key] = methodName;
  item.sign = o.lsdk ? sign.toUpperCase() : sign;
  return item;
}

let nextId = 500;

/** Publishes an Alink request from `c` and resolves with the `_reply` carrying its id (the
 *  gateway connects with `_ss=1`, so replies arrive without a SUBSCRIBE). */
async function call(c: MqttClient, topic: string, params: unknown, method = ''): Promise<any> {
  const id = String(++nextId);
  const reply = new Promise<any>((resolve) => {
    const on = (t: string, p: Buffer) => {
      if (t !== topic + '_reply') return;
      const j = JSON.parse(p.toString());
      if (j.id !== id) return;
      c.off('message', on);
      resolve(j);
    };
    c.on('message', on);
  });
  await c.publishAsync(topic, JSON.stringify({ id, version: '1.0', params, method }));
  return reply;
}

const sys = (dn: string, suffix: string) => `/sys/${GW_PK}/${dn}/thing/${suffix}`;
const session = (dn: string, op: string) => `/ext/session/${GW_PK}/${dn}/combine/${op}`;

function gateway(cloud: RunningCloud, dn = 'gw001'): Promise<MqttClient> {
  return login(cloud, { pk: GW_PK, dn, secret: GW_SECRET, extra: '_ss=1' });
}

describe('sub-device sign (§6.1 vectors)', () => {
  const item = { productKey: 'a1SubPK0002', deviceName: 'sub001', clientId: 'a1SubPK0002&sub001', timestamp: 1700000000123, signMethod: 'hmacsha1', sign: 'x', cleanSession: 'true' };
  it('login signs the sorted params without sign/signMethod/cleanSession (DOC-89300)', () => {
    expect(signContent(item, true)).toBe('clientIda1SubPK0002&sub001deviceNamesub001productKeya1SubPK0002timestamp1700000000123');
  });
  it('topo/add signs every param but sign and signMethod (DOC-89299): a cleanSession there is signed', () => {
    expect(signContent(item, false)).toBe('cleanSessiontrueclientIda1SubPK0002&sub001deviceNamesub001productKeya1SubPK0002timestamp1700000000123');
  });
  it('the documented vectors come out of that content', () => {
    const content = signContent(item, true);
    expect(hmac('sha1', SUB_SECRET, content)).toBe('4402c3cee568ef3fcc162e6ee3d498a30078c985');
    expect(hmac('md5', SUB_SECRET, content)).toBe('9eac23861347e7adf99f3bc6560dd473');
    const lsdk = signContent({ ...item, clientId: 'a1SubPK0002.sub001', timestamp: '1700000000123' }, true);
    expect(hmac('sha256', SUB_SECRET, lsdk).toUpperCase()).toBe('A5E174066B4108FBBDDAEEF1A3075013620FADA71E7200CC81BA2EDD61FB47E9');
  });
  it('an extra field is signed like any other: no fallback to the usual four', () => {
    expect(signContent({ ...item, extra: 'v' }, true)).toBe('clientIda1SubPK0002&sub001deviceNamesub001extravproductKeya1SubPK0002timestamp1700000000123');
  });
});

describe('gateway', () => {
  let cloud: RunningCloud;
  let gw: MqttClient;

  beforeAll(async () => {
    cloud = await start({ registry: gatewayRegistry(), replyTimeoutMs: 3000 });
    gw = await gateway(cloud);
  });
  afterAll(async () => {
    await end(gw);
    await cloud.stop();
  });

  describe('topology', () => {
    it('topo add with a good NODE-style sign → 200, data lists the added devices', async () => {
      const r = await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, 'sub001')], 'thing.topo.add');
      expect(r).toMatchObject({ code: 200, data: [{ productKey: SUB_PK, deviceName: 'sub001' }], method: 'thing.topo.add' });
      expect(cloud.api.topology(GW_PK, 'gw001')).toEqual([{ productKey: SUB_PK, deviceName: 'sub001' }]);
    });

    it('LSDK style (signmethod hmacSha256, uppercase hex, string timestamp) and hmacMd5 are accepted', async () => {
      const r = await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, 'sub002', { lsdk: true }), signed(SUB_PK, 'sub003', { alg: 'md5' })]);
      expect(r.code).toBe(200);
      expect(r.data).toEqual([{ productKey: SUB_PK, deviceName: 'sub002' }, { productKey: SUB_PK, deviceName: 'sub003' }]);
    });

    it('a wrong sign is refused (401, sub-device docs) and nothing of the request is added', async () => {
      const r = await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, 'sub004'), signed(SUB_PK, 'sub005', { secret: 'f'.repeat(32) })]);
      expect(r).toMatchObject({ code: 401, data: [{ productKey: SUB_PK, deviceName: 'sub005' }] });
      expect(cloud.api.topology(GW_PK, 'gw001').map((s) => s.deviceName)).toEqual(['sub001', 'sub002', 'sub003']);
    });

    it.each([
      ['more than 30 entries', 460, () => Array.from({ length: 31 }, () => signed(SUB_PK, 'sub004'))],
      ['an empty list', 460, () => []],
      ['params not a list', 460, () => ({ productKey: SUB_PK })],
      ['an unknown sub-device', 6100, () => [signed(SUB_PK, 'nobody')]],
      ['a device of a non-sub-device product', 460, () => [signed('a1TestPK001', 'dev001', { secret: '0123456789abcdef0123456789abcdef' })]],
      ['the gateway itself', 6402, () => [signed(GW_PK, 'gw001', { secret: GW_SECRET })]],
      ['no signMethod', 460, () => [signed(SUB_PK, 'sub004', { methodKey: null })]],
    ])('topo add with %s → %d', async (_what, code, params) => {
      expect((await call(gw, sys('gw001', 'topo/add'), params())).code).toBe(code);
    });

    it('topo get answers the list for params {} and for the LSDK string "{}"', async () => {
      const want = [{ productKey: SUB_PK, deviceName: 'sub001' }, { productKey: SUB_PK, deviceName: 'sub002' }, { productKey: SUB_PK, deviceName: 'sub003' }];
      expect(await call(gw, sys('gw001', 'topo/get'), {}, 'thing.topo.get')).toMatchObject({ code: 200, data: want });
      expect(await call(gw, sys('gw001', 'topo/get'), '{}')).toMatchObject({ code: 200, data: want, method: 'thing.topo.get' });
    });
  });

  describe('login and sub-device traffic', () => {
    it('login before the topo relation exists → 6401', async () => {
      const r = await call(gw, session('gw001', 'login'), { ...signed(SUB_PK, 'sub006'), cleanSession: 'true' });
      expect(r).toMatchObject({ code: 6401, method: 'combine.login' });
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
    });

    it('login with a wrong sign → 401', async () => {
      expect((await call(gw, session('gw001', 'login'), signed(SUB_PK, 'sub001', { secret: '0'.repeat(32) }))).code).toBe(401);
    });

    it('property post for a sub-device not logged in: dropped, logged, 520 on _reply and /ext/error', async () => {
      const topic = `/sys/${SUB_PK}/sub001/thing/event/property/post`;
      const onError = nextMessage(gw, (t) => t === `/ext/error/${GW_PK}/gw001`);
      const r = await call(gw, topic, { Temp: 1 }, 'thing.event.property.post');
      expect(r).toMatchObject({ code: 520, message: 'no active session', method: 'thing.event.property.post' });
      expect((await onError).json()).toMatchObject({ id: r.id, code: 520, data: { productKey: SUB_PK, deviceName: 'sub001', topic } });
      expect(cloud.api.properties(SUB_PK, 'sub001')).toEqual({});
      expect(cloud.api.messages({ where: (e) => e.topic === topic && e.verdict === 'forbidden' })).toHaveLength(1);
    });

    it('NODE-style login ("method":"") → 200 with {productKey, deviceName}; the sub-device shows online', async () => {
      const r = await call(gw, session('gw001', 'login'), { ...signed(SUB_PK, 'sub001'), cleanSession: 'true' });
      expect(r).toMatchObject({ code: 200, data: { productKey: SUB_PK, deviceName: 'sub001' } });
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([{ productKey: SUB_PK, deviceName: 'sub001' }]);
    });

    it('after login the sub-device\'s property post through the gateway is stored and answered 200', async () => {
      const r = await call(gw, `/sys/${SUB_PK}/sub001/thing/event/property/post`, { Temp: 21.5 }, 'thing.event.property.post');
      expect(r.code).toBe(200);
      expect(cloud.api.properties(SUB_PK, 'sub001')).toMatchObject({ Temp: { value: 21.5 } });
    });

    it('property set to the sub-device reaches the gateway\'s connection; its set_reply settles the call', async () => {
      const setTopic = `/sys/${SUB_PK}/sub001/thing/service/property/set`;
      const arrived = nextMessage(gw, (t) => t === setTopic);
      const result = cloud.api.setProperties(SUB_PK, 'sub001', { Level: 7 });
      const msg = (await arrived).json();
      expect(msg).toMatchObject({ method: 'thing.service.property.set', params: { Level: 7 } });
      await gw.publishAsync(setTopic + '_reply', JSON.stringify({ id: msg.id, code: 200, data: {} }));
      expect(await result).toMatchObject({ status: 'reply', code: 200 });
    });

    it('a synchronous service (RRPC) to the sub-device goes through the gateway too', async () => {
      const arrived = nextMessage(gw, (t) => t.startsWith(`/sys/${SUB_PK}/sub001/rrpc/request/`));
      const result = cloud.api.invokeService(SUB_PK, 'sub001', 'ping', {}, { sync: true });
      const m = await arrived;
      await gw.publishAsync(m.topic.replace('/request/', '/response/'), JSON.stringify({ id: m.json().id, code: 200, data: { ok: 1 } }));
      expect(await result).toMatchObject({ status: 'reply', code: 200, data: { ok: 1 } });
    });

    it('another gateway cannot act for a sub-device it does not hold (dropped, no 520)', async () => {
      const other = await gateway(cloud, 'gw002');
      expect((await call(other, session('gw002', 'login'), signed(SUB_PK, 'sub001'))).code).toBe(6401);
      const topic = `/sys/${SUB_PK}/sub001/thing/event/property/post`;
      await other.publishAsync(topic, JSON.stringify({ id: '1', version: '1.0', params: { Temp: 99 } }), { qos: 1 });
      expect(cloud.api.properties(SUB_PK, 'sub001')).toMatchObject({ Temp: { value: 21.5 } });
      expect(cloud.api.messages({ where: (e) => e.direction === 'down' && e.topic === `/ext/error/${GW_PK}/gw002` })).toEqual([]);
      await end(other);
    });

    it('logout (NODE passes its object) → 200; the sub-device is offline and its posts get 520 again', async () => {
      const r = await call(gw, session('gw001', 'logout'), { productKey: SUB_PK, deviceName: 'sub001' });
      expect(r).toMatchObject({ code: 200, data: { productKey: SUB_PK, deviceName: 'sub001' } });
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
      expect((await call(gw, `/sys/${SUB_PK}/sub001/thing/event/property/post`, { Temp: 2 })).code).toBe(520);
      expect(await cloud.api.setProperties(SUB_PK, 'sub001', { Level: 1 })).toEqual({ status: 'offline' });
    });
  });

  describe('batch login / logout', () => {
    it('all or nothing: one device without topo → 6401 listing it, nobody logged in', async () => {
      const r = await call(gw, session('gw001', 'batch_login'), { signMethod: 'hmacSha256', deviceList: [signed(SUB_PK, 'sub002', { lsdk: true, methodKey: null }), signed(SUB_PK, 'sub007', { lsdk: true, methodKey: null })] });
      expect(r).toMatchObject({ code: 6401, data: [{ productKey: SUB_PK, deviceName: 'sub007' }] });
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
    });

    it('an item carrying its own signMethod (a field batch_login does not define) → 460, nobody logged in', async () => {
      const r = await call(gw, session('gw001', 'batch_login'), { signMethod: 'hmacSha256', deviceList: [signed(SUB_PK, 'sub002', { lsdk: true })] });
      expect(r.code).toBe(460);
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
    });

    it('LSDK body (signMethod at params level, items without it) logs all in', async () => {
      const r = await call(gw, session('gw001', 'batch_login'), { signMethod: 'hmacSha256', deviceList: [{ ...signed(SUB_PK, 'sub002', { lsdk: true, methodKey: null }), cleanSession: 'false' }, signed(SUB_PK, 'sub003', { lsdk: true, methodKey: null })] });
      expect(r).toMatchObject({ code: 200, data: [{ productKey: SUB_PK, deviceName: 'sub002' }, { productKey: SUB_PK, deviceName: 'sub003' }] });
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toHaveLength(2);
    });

    it('more than 50 → 460', async () => {
      const list = Array.from({ length: 51 }, () => signed(SUB_PK, 'sub002'));
      expect((await call(gw, session('gw001', 'batch_login'), { deviceList: list })).code).toBe(460);
    });

    it('batch_logout with a list → 200 and both are offline', async () => {
      const r = await call(gw, session('gw001', 'batch_logout'), [{ productKey: SUB_PK, deviceName: 'sub002' }, { productKey: SUB_PK, deviceName: 'sub003' }]);
      expect(r.code).toBe(200);
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
    });
  });

  describe('console changes reach the gateway (thing/topo/change)', () => {
    beforeAll(async () => {
      expect((await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, 'sub004'), signed(SUB_PK, 'sub005')])).code).toBe(200);
      expect((await call(gw, session('gw001', 'batch_login'), { signMethod: 'hmacsha1', deviceList: [signed(SUB_PK, 'sub004', { methodKey: null }), signed(SUB_PK, 'sub005', { methodKey: null })] })).code).toBe(200);
    });

    it('delete: status 1 with the subList, the sub-device leaves the topology and is logged out', async () => {
      const change = nextMessage(gw, (t) => t === sys('gw001', 'topo/change'));
      expect(cloud.api.deleteDevice(SUB_PK, 'sub004')).toBe(true);
      expect((await change).json()).toMatchObject({ version: '1.0', method: 'thing.topo.change', params: { status: 1, subList: [{ productKey: SUB_PK, deviceName: 'sub004' }] } });
      expect(cloud.api.topology(GW_PK, 'gw001').map((s) => s.deviceName)).not.toContain('sub004');
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([{ productKey: SUB_PK, deviceName: 'sub005' }]);
      expect(cloud.api.device(SUB_PK, 'sub004')).toBeUndefined();
    });

    it('disable: status 8, logged out, login refused 6204; enable: status 2 and login works again', async () => {
      const disabled = nextMessage(gw, (t) => t === sys('gw001', 'topo/change'));
      cloud.api.disable(SUB_PK, 'sub005');
      expect((await disabled).json().params).toEqual({ status: 8, subList: [{ productKey: SUB_PK, deviceName: 'sub005' }] });
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
      expect((await call(gw, session('gw001', 'login'), signed(SUB_PK, 'sub005'))).code).toBe(6204);
      const enabled = nextMessage(gw, (t) => t === sys('gw001', 'topo/change'));
      cloud.api.enable(SUB_PK, 'sub005');
      expect((await enabled).json().params.status).toBe(2);
      expect((await call(gw, session('gw001', 'login'), signed(SUB_PK, 'sub005'))).code).toBe(200);
    });

    it('topo delete over MQTT → 200 and logs the device out; deleting one not held → 6401', async () => {
      expect((await call(gw, sys('gw001', 'topo/delete'), [{ productKey: SUB_PK, deviceName: 'sub005' }])).code).toBe(200);
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
      expect((await call(gw, sys('gw001', 'topo/delete'), [{ productKey: SUB_PK, deviceName: 'sub005' }])).code).toBe(6401);
    });

    it('the gateway dropping its connection takes its sub-devices offline', async () => {
      const g2 = await gateway(cloud, 'gw002');
      expect((await call(g2, sys('gw002', 'topo/add'), [signed(SUB_PK, 'sub006')])).code).toBe(200);
      expect((await call(g2, session('gw002', 'login'), signed(SUB_PK, 'sub006'))).code).toBe(200);
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw002')).toHaveLength(1);
      const gone = new Promise<void>((r) => cloud.api.once('disconnect', () => r()));
      await end(g2);
      await gone;
      expect(cloud.api.subdevicesOnline(GW_PK, 'gw002')).toEqual([]);
      expect(await cloud.api.setProperties(SUB_PK, 'sub006', { a: 1 })).toEqual({ status: 'offline' });
    });
  });

  describe('sub-device registration through the gateway', () => {
    it('creates unknown devices of a dynamic-registration product and answers their secrets (not logged)', async () => {
      const r = await call(gw, sys('gw001', 'sub/register'), [{ productKey: SUB_PK, deviceName: 'newsub01' }, { productKey: SUB_PK, deviceName: 'sub008' }], 'thing.sub.register');
      expect(r).toMatchObject({ code: 200, message: 'success' });
      expect(r.data).toEqual([
        { productKey: SUB_PK, deviceName: 'newsub01', deviceSecret: expect.stringMatching(/^[0-9a-f]{32}$/) },
        { productKey: SUB_PK, deviceName: 'sub008', deviceSecret: SUB_SECRET },
      ]);
      expect(cloud.api.device(SUB_PK, 'newsub01')).toBeDefined();
      const logged = cloud.api.messages({ where: (e) => e.topic === sys('gw001', 'sub/register_reply') }).map((e) => e.payload).join();
      expect(logged).not.toContain(r.data[0].deviceSecret);
      // the issued secret signs a topo add
      expect((await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, 'newsub01', { secret: r.data[0].deviceSecret })])).code).toBe(200);
    });

    it("another gateway's sub-device: its secret is not handed out, topo add and login refused, its topology unchanged", async () => {
      // sub001..sub003 are in gw001's topology (see 'topology' above)
      const other = await gateway(cloud, 'gw002');
      const reg = await call(other, sys('gw002', 'sub/register'), [{ productKey: SUB_PK, deviceName: 'sub001' }]);
      expect(reg).toMatchObject({ code: 6619, data: [{ productKey: SUB_PK, deviceName: 'sub001' }] });
      expect(JSON.stringify(reg)).not.toContain(SUB_SECRET);
      expect((await call(other, sys('gw002', 'topo/add'), [signed(SUB_PK, 'sub001')])).code).toBe(6619);
      expect((await call(other, session('gw002', 'login'), signed(SUB_PK, 'sub001'))).code).toBe(6401);
      expect(cloud.api.topology(GW_PK, 'gw001').map((d) => d.deviceName)).toContain('sub001');
      expect(cloud.api.topology(GW_PK, 'gw002').map((d) => d.deviceName)).not.toContain('sub001');
      await end(other);
    });

    it('a product without dynamic registration → 6288; more than 30 → 460; unknown product → 6250', async () => {
      expect((await call(gw, sys('gw001', 'sub/register'), [{ productKey: SUB_STATIC, deviceName: 'x1' }])).code).toBe(6288);
      expect((await call(gw, sys('gw001', 'sub/register'), Array.from({ length: 31 }, (_, i) => ({ productKey: SUB_PK, deviceName: 'n' + i })))).code).toBe(460);
      expect((await call(gw, sys('gw001', 'sub/register'), [{ productKey: 'a1Nothing01', deviceName: 'x' }])).code).toBe(6250);
      expect(cloud.api.device(SUB_STATIC, 'x1')).toBeUndefined();
    });
  });

  it('garbage on the gateway topics is answered, never fatal', async () => {
    for (const t of [sys('gw001', 'topo/add'), session('gw001', 'login'), session('gw001', 'batch_login'), sys('gw001', 'sub/register')]) {
      const reply = nextMessage(gw, (x) => x === t + '_reply');
      await gw.publishAsync(t, Buffer.from([0xff, 0x00, 0x7b]));
      expect((await reply).json().code).toBe(6207);
    }
    expect((await call(gw, sys('gw001', 'topo/get'), {})).code).toBe(200);
  });
});

describe('gateway limits and persistence', () => {
  it('a topology holds at most 2,000 sub-devices (6400 beyond)', async () => {
    const cloud = await start({ registry: gatewayRegistry(2001) });
    const gw = await gateway(cloud);
    const names = Array.from({ length: 2001 }, (_, i) => 'bulk' + String(i).padStart(4, '0'));
    const codes = new Set<number>();
    for (let i = 0; i < 2000; i += 30) {
      codes.add((await call(gw, sys('gw001', 'topo/add'), names.slice(i, Math.min(i + 30, 2000)).map((dn) => signed(SUB_PK, dn)))).code);
    }
    expect([...codes]).toEqual([200]);
    expect(cloud.api.topology(GW_PK, 'gw001')).toHaveLength(2000);
    expect((await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, names[2000])])).code).toBe(6400);
    // re-adding one already held is not growth
    expect((await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, names[0])])).code).toBe(200);
    expect(cloud.api.topology(GW_PK, 'gw001')).toHaveLength(2000);
    await end(gw);
    await cloud.stop();
  });

  it('the topology persists in the registry across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-gw-'));
    try {
      writeFileSync(join(dir, 'registry.json'), JSON.stringify(gatewayRegistry()));
      let cloud = await start({ dataDir: dir });
      let gw = await gateway(cloud);
      expect((await call(gw, sys('gw001', 'topo/add'), [signed(SUB_PK, 'sub001')])).code).toBe(200);
      await end(gw);
      await cloud.stop();
      cloud = await start({ dataDir: dir });
      expect(cloud.api.topology(GW_PK, 'gw001')).toEqual([{ productKey: SUB_PK, deviceName: 'sub001' }]);
      gw = await gateway(cloud);
      expect((await call(gw, session('gw001', 'login'), signed(SUB_PK, 'sub001'))).code).toBe(200);
      await end(gw);
      await cloud.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
