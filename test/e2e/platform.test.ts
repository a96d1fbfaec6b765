/**
 * Issue #10, end to end: the built module in SimBoard against the emulator, on what the real
 * platform does where the two used to agree only with each other. One test (or group) per item:
 * instance endpoints, custom-topic / raw / byte RRPC, hmacmd5, sub-device fields, upload reply
 * subscriptions, HaaS callbacks, and the emulator's own fidelity (one port for TLS and plain,
 * connections keyed by device, no takeover of another gateway's sub-devices, no retained).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createHmac } from 'crypto';
import mqtt from 'mqtt';
import { start, type RunningCloud } from '../../sim/cloud';
import { SimBoard } from '../../sim/board';
import { BUNDLE, PK, GW_PK, SUB_PK, REG_PK, testRegistry, bulkSubdevices, cloudUp, boardUp, type Rig } from './support';

const INSTANCE = 'iot-06z00e2etest1';
const INSTANCE_HOST = INSTANCE + '.mqtt.iothub.aliyuncs.com';
const DEV_SECRET = testRegistry().devices.find((d) => d.deviceName === 'dev001')!.deviceSecret!;
const GW_SECRET = 'e2eGatewaySecret0123456789abcdef';

let cloud: RunningCloud;
let rig: Rig | undefined;
let boards: SimBoard[] = [];
const tmp: string[] = [];

afterEach(async () => {
  if (rig) {
    expect(rig.board.uncaught).toEqual([]);
    await rig.close();
  }
  rig = undefined;
  for (const b of boards) await b.close();
  boards = [];
});
afterAll(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
});

/** A board whose DNS knows only `names` (so dialling any other host fails "Unable to locate host"). */
function boardWithDns(names: string[]): SimBoard {
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simboard-'));
  tmp.push(storageDir);
  const dns: Record<string, string> = {};
  for (const n of names) dns[n] = '127.0.0.1';
  const b = new SimBoard({ storageDir, dns });
  b.loadModuleFile('aliyunIoT', BUNDLE);
  boards.push(b);
  return b;
}

function printed(b: SimBoard, text: string, timeoutMs = 10000): Promise<void> {
  return b.waitFor(() => b.output.some((l) => l.indexOf(text) >= 0), timeoutMs);
}

function hmac(alg: string, key: string, content: string): string {
  return createHmac(alg, key).update(content).digest('hex');
}

/** A device app on a board with the test registry's dev001 (plain MQTT unless `tls`). */
async function device(body: string, opts: { tls?: boolean; port?: number; signMethod?: string; crypto?: boolean } = {}): Promise<Rig> {
  rig = await boardUp(cloud, { crypto: opts.crypto });
  const info = { productKey: PK, deviceName: 'dev001', deviceSecret: DEV_SECRET, host: '127.0.0.1', port: opts.port ?? cloud.mqttPort, tls: !!opts.tls, signMethod: opts.signMethod };
  rig.board.run(`
    var device = new (require("aliyunIoT").Device)();
    device.on(device.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
    ${body}
    print("connect " + device.connect(${JSON.stringify(info)}));
  `);
  return rig;
}

describe('1. instance endpoints', () => {
  beforeAll(async () => {
    cloud = await start({ registry: testRegistry(), replyTimeoutMs: 3000, instanceId: INSTANCE });
  });
  afterAll(() => cloud.stop());

  test('connect({instanceId}) dials <instanceId>.mqtt.iothub.aliyuncs.com (the only name the board resolves)', async () => {
    const b = boardWithDns([INSTANCE_HOST]);
    b.run(`var d = new (require("aliyunIoT").Device)();
      d.on(d.ON_CONNECT, function () { print("connected"); });
      d.on(d.ON_ERROR, function (e) { print("error " + e.code); });
      d.connect({ productKey: "${PK}", deviceName: "dev001", deviceSecret: "${DEV_SECRET}", instanceId: "${INSTANCE}", port: ${cloud.mqttPort}, tls: false });`);
    await printed(b, 'connected');
    expect(cloud.api.isOnline(PK, 'dev001')).toBe(true);
  });

  test('the endpoint as the console shows it, with scheme and port, is taken as host', async () => {
    const b = boardWithDns([INSTANCE_HOST]);
    b.run(`var d = new (require("aliyunIoT").Device)();
      d.on(d.ON_CONNECT, function () { print("connected"); });
      d.connect({ productKey: "${PK}", deviceName: "dev002", deviceSecret: "e2efedcba9876543210fedcba9876543", host: "mqtt://${INSTANCE_HOST}:${cloud.mqttPort}", tls: false });`);
    await printed(b, 'connected');
    expect(cloud.api.isOnline(PK, 'dev002')).toBe(true);
  });

  test('MQTT registration on an instance carries instanceId in its clientId (read from the host, as Link SDK 4.x); the instance refuses one without', async () => {
    const b = boardWithDns([INSTANCE_HOST]);
    b.run(`var d = new (require("aliyunIoT").Device)();
      d.on(d.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
      d.register({ productKey: "${REG_PK}", deviceName: "reg001", productSecret: "e2eRegSecret0001", host: "${INSTANCE_HOST}", port: ${cloud.mqttPort} }, function (secret, r) {
        print("registered " + r.code + " " + secret.length);
      });`);
    await printed(b, 'registered 0 ');
    expect(b.run('new (require("aliyunIoT").Device)().getDeviceInfo().deviceSecret')).toBe(cloud.core.registry.device(REG_PK, 'reg001')!.deviceSecret);
    // Without the instance id the same instance refuses the registration CONNECT.
    const b2 = boardWithDns(['127.0.0.1']);
    b2.run(`var d = new (require("aliyunIoT").Device)();
      d.on(d.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
      d.register({ productKey: "${REG_PK}", deviceName: "reg002", productSecret: "e2eRegSecret0001", host: "127.0.0.1", port: ${cloud.tlsPort} }, function () { print("registered"); });`);
    await printed(b2, 'error -302 register');
  });

  test('an instanceId or host that is not text is bad input: -101 and ON_ERROR', async () => {
    const b = boardWithDns([INSTANCE_HOST]);
    b.run(`var d = new (require("aliyunIoT").Device)();
      d.on(d.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
      print("r " + d.connect({ productKey: "${PK}", deviceName: "dev001", deviceSecret: "${DEV_SECRET}", instanceId: 42 }));
      print("r " + d.connect({ productKey: "${PK}", deviceName: "dev001", deviceSecret: "${DEV_SECRET}", host: ["${INSTANCE_HOST}"] }));`);
    expect(b.output.filter((l) => l === 'r -101')).toHaveLength(2);
    expect(b.output.filter((l) => l === 'error -101 connect')).toHaveLength(2);
  });

  test('HTTPS registration with an instance id goes to iot-auth.<region>.aliyuncs.com, not to the MQTT endpoint', async () => {
    const b = boardWithDns(['iot-auth.cn-shanghai.aliyuncs.com']);
    b.run(`var d = new (require("aliyunIoT").Device)();
      d.on(d.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
      d.register({ productKey: "${REG_PK}", deviceName: "reg002", productSecret: "e2eRegSecret0001", transport: "https", instanceId: "${INSTANCE}", host: "${INSTANCE_HOST}", port: ${cloud.httpsPort} }, function (secret, r) {
        print("registered " + r.code);
      });`);
    await printed(b, 'registered 0');
  });
});

describe('with the test registry', () => {
  beforeAll(async () => {
    cloud = await cloudUp({ extraDevices: [{ productKey: GW_PK, deviceName: 'gw002', deviceSecret: GW_SECRET }] });
  });
  afterAll(() => cloud.stop());

  describe('2, 3. RRPC: custom topics, synchronous raw, classic with bytes', () => {
    test('custom-topic RRPC: subscribe /ext/rrpc/+/<topic>, the call arrives on ON_SUBCRIBE and reply() answers on the same topic', async () => {
      const topic = `/${PK}/dev001/user/get`;
      await device(`
        device.on(device.ON_CONNECT, function () { print("sub " + device.subscribe({ topic: "/ext/rrpc/+${topic}", qos: 0 })); });
        device.on(device.ON_SUBCRIBE, function (d) { print("call " + d.topic); d.reply("pong:" + d.payload); });
      `);
      await rig!.printed('sub 0');
      await rig!.board.waitFor(() => cloud.core.sessions.get(PK + '/dev001')?.filters.has('/ext/rrpc/+' + topic) === true, 5000);
      const r = await cloud.api.rrpcTopic(PK, 'dev001', topic, 'ping');
      expect(r).toMatchObject({ status: 'reply' });
      expect(Buffer.from((r as { data: Buffer }).data).toString()).toBe('pong:ping');
    });

    test('a synchronous raw call (/ext/rrpc/<id>/sys/.../down_raw) reaches ON_RAWDATA and reply(bytes) answers it', async () => {
      await device(`
        device.on(device.ON_CONNECT, function () { print("up"); });
        device.on(device.ON_RAWDATA, function (d) { print("raw " + d.sync + " " + d.params.length); d.reply(new Uint8Array([0xaa, d.params[0] + 1, 0xff])); });
      `);
      await rig!.printed('up');
      const r = await cloud.api.invokeRawSync(PK, 'dev001', new Uint8Array([7, 8]));
      expect(rig!.board.output).toContain('raw true 2');
      expect(r).toMatchObject({ status: 'reply' });
      expect([...(r as { data: Buffer }).data]).toEqual([0xaa, 8, 0xff]);
    });

    test('classic RRPC with a non-JSON body is delivered; reply(bytes) goes to rrpc/response/<id>', async () => {
      await device(`
        device.on(device.ON_CONNECT, function () { print("up"); });
        device.on(device.ON_SUBCRIBE, function (d) {
          var b = []; for (var i = 0; i < d.payload.length; i++) b.push(d.payload.charCodeAt(i));
          print("rrpc " + d.topic.indexOf("/rrpc/request/") + " " + b.join(","));
          d.reply([1, 2, 3, 250]);
        });
      `);
      await rig!.printed('up');
      const r = await cloud.api.rrpc(PK, 'dev001', new Uint8Array([0, 1, 0xfe]));
      expect(rig!.board.output.find((l) => l.startsWith('rrpc '))).toMatch(/^rrpc \d+ 0,1,254$/);
      expect([...(r as { data: Buffer }).data]).toEqual([1, 2, 3, 250]);
    });
  });

  describe('4. sign methods', () => {
    test.each([true, false])('hmacmd5 signs with HMAC-MD5 (native crypto present: %s) and the platform accepts it', async (crypto) => {
      await device(`device.on(device.ON_CONNECT, function () { print("connected"); });`, { signMethod: 'hmacmd5', crypto });
      await rig!.printed('connected');
      const clientId = cloud.api.device(PK, 'dev001')!.clientId!;
      expect(clientId).toContain('signmethod=hmacmd5');
    });

    test('an unknown sign method is bad input: -109 and ON_ERROR', async () => {
      await device('', { signMethod: 'hmacsha512' });
      await rig!.printed('connect -109');
      expect(rig!.board.output).toContain('error -109 connect');
    });
  });

  describe('5, 7. sub-devices: documented fields, HaaS callbacks', () => {
    const subs = [
      { productKey: SUB_PK, deviceName: 'sub001', deviceSecret: 'e2eSub001Secret0123456789abcdef0' },
      { productKey: SUB_PK, deviceName: 'sub002', deviceSecret: 'e2eSub002Secret0123456789abcdef0' },
    ];

    async function gateway(body: string, dn = 'gw001', secret = GW_SECRET): Promise<Rig> {
      rig = await boardUp(cloud);
      rig.board.run(`
        var gateway = new (require("aliyunIoT").Gateway)();
        var subs = ${JSON.stringify(subs)};
        gateway.on(gateway.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
        ${body}
        gateway.connect({ productKey: "${GW_PK}", deviceName: "${dn}", deviceSecret: "${secret}", host: "127.0.0.1", port: ${cloud.mqttPort}, tls: false });
      `);
      return rig;
    }

    test('topo/add and batch_login carry exactly the documented fields; callbacks get a bare code, then the detail; getTopo lists deviceSecret', async () => {
      await gateway(`
        gateway.on(gateway.ON_CONNECT, function () { gateway.addTopo(subs); });
        gateway.on(gateway.ON_TOPOADD, function (code, d) { print("topoadd " + code + " " + typeof d.message); gateway.login(subs); });
        gateway.on(gateway.ON_LOGIN, function (code) { print("login " + code); gateway.getTopo(); });
        gateway.on(gateway.ON_TOPOGET, function (data) { print("topoget " + data.code + " " + data.message); });
      `);
      await rig!.printed('login 0');
      expect(rig!.board.output).toContain('topoadd 0 string');
      const up = (suffix: string) => JSON.parse(cloud.api.messages({ where: (e) => e.direction === 'up' && e.topic.endsWith(suffix) })[0].payload);
      for (const e of up('/thing/topo/add').params) expect(Object.keys(e).sort()).toEqual(['clientId', 'deviceName', 'productKey', 'sign', 'signmethod', 'timestamp']);
      const login = up('/combine/batch_login').params;
      expect(Object.keys(login).sort()).toEqual(['deviceList', 'signMethod']);
      for (const e of login.deviceList) expect(Object.keys(e).sort()).toEqual(['cleanSession', 'clientId', 'deviceName', 'productKey', 'sign', 'timestamp']);
      await rig!.printed('topoget 0 ');
      const list = JSON.parse(rig!.board.output.find((l) => l.startsWith('topoget 0 '))!.slice(10));
      expect(list).toEqual(expect.arrayContaining(subs.map((s) => ({ deviceSecret: s.deviceSecret, productKey: s.productKey, deviceName: s.deviceName }))));
    });

    test('ON_SUBREGISTER gets 0 and the detail with the issued secret', async () => {
      await gateway(`
        gateway.on(gateway.ON_CONNECT, function () { gateway.registerSubDevice([{ productKey: "${SUB_PK}", deviceName: "sub003" }]); });
        gateway.on(gateway.ON_SUBREGISTER, function (code, d) { print("subregister " + code + " " + JSON.parse(d.message)[0].deviceSecret.length); });
      `);
      await rig!.printed('subregister 0 ');
      expect(rig!.board.output).toContain('subregister 0 ' + cloud.core.registry.device(SUB_PK, 'sub003')!.deviceSecret!.length);
    });
  });

  test('6. an upload subscribes the three upload _reply topics before init (the emulator, like LSDK, does not count them in _ss=1)', async () => {
    await device(`
      device.on(device.ON_CONNECT, function () { device.uploadContent("p10.txt", "hello platform", function (r) { if (r.complete) print("upload " + r.code); }); });
    `);
    await rig!.printed('upload 0');
    const filters = [...cloud.core.sessions.get(PK + '/dev001')!.filters.keys()];
    for (const op of ['init', 'send', 'cancel']) expect(filters).toContain(`/sys/${PK}/dev001/thing/file/upload/mqtt/${op}_reply`);
  });

  describe('8. emulator fidelity', () => {
    test('one port serves plain MQTT and MQTT over TLS (first byte 0x16 or 0x10)', async () => {
      await device(`device.on(device.ON_CONNECT, function () { print("connected"); });`, { tls: true, port: cloud.mqttPort });
      await rig!.printed('connected');
      expect(cloud.api.device(PK, 'dev001')!.clientId).toContain('securemode=2');
    });

    test("a device logging in with another device's clientId string does not disconnect it", async () => {
      await device(`device.on(device.ON_CONNECT, function () { print("connected"); }); device.on(device.ON_DISCONNECT, function () { print("dropped"); });`);
      await rig!.printed('connected');
      const clientId = cloud.api.device(PK, 'dev001')!.clientId!;
      const prefix = clientId.slice(0, clientId.indexOf('|'));
      const ts = /timestamp=(\d+)/.exec(clientId)![1];
      const password = hmac('sha256', 'e2efedcba9876543210fedcba9876543', `clientId${prefix}deviceNamedev002productKey${PK}timestamp${ts}`);
      const other = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.mqttPort}`, { clientId, username: `dev002&${PK}`, password, reconnectPeriod: 0, keepalive: 60 });
      expect(cloud.api.isOnline(PK, 'dev002')).toBe(true);
      await other.publishAsync(`/${PK}/dev002/user/update`, 'x', { qos: 1 });
      expect(cloud.api.isOnline(PK, 'dev001')).toBe(true);
      expect(rig!.board.output).not.toContain('dropped');
      await other.endAsync();
    });

    test("a gateway cannot obtain or take over another gateway's sub-device (6619, topology unchanged)", async () => {
      const held = bulkSubdevices(60)[59];
      await gateway2Holds(held.deviceName);
      rig = await boardUp(cloud);
      rig.board.run(`
        var held = ${JSON.stringify(held)};
        var gateway = new (require("aliyunIoT").Gateway)();
        gateway.on(gateway.ON_CONNECT, function () { gateway.registerSubDevice([{ productKey: "${SUB_PK}", deviceName: "${held.deviceName}" }]); });
        gateway.on(gateway.ON_SUBREGISTER, function (code, d) { print("subregister " + code + " " + d.message); gateway.addTopo([held]); });
        gateway.on(gateway.ON_TOPOADD, function (code) { print("topoadd " + code); });
        gateway.connect({ productKey: "${GW_PK}", deviceName: "gw001", deviceSecret: "${GW_SECRET}", host: "127.0.0.1", port: ${cloud.mqttPort}, tls: false });
      `);
      await rig.printed('topoadd 6619');
      expect(rig.board.output.find((l) => l.startsWith('subregister '))).toMatch(/^subregister 6619 /);
      expect(rig.board.output.find((l) => l.startsWith('subregister '))).not.toContain('deviceSecret');
      expect(cloud.api.topology(GW_PK, 'gw002').map((s) => s.deviceName)).toContain(held.deviceName);
      expect(cloud.api.topology(GW_PK, 'gw001').map((s) => s.deviceName)).not.toContain(held.deviceName);
    });

    test('a retained publish is not kept: a later subscriber gets only what comes after', async () => {
      const topic = `/${PK}/dev002/user/aos_test`;
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.mqttPort}`, rawLogin('dev002', 'e2efedcba9876543210fedcba9876543'));
      await c.publishAsync(topic, Buffer.alloc(1000, 1), { qos: 1, retain: true });
      await c.endAsync();
      const d = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.mqttPort}`, rawLogin('dev002', 'e2efedcba9876543210fedcba9876543'));
      const first = new Promise<Buffer>((resolve) => d.once('message', (_t, p) => resolve(p)));
      await d.subscribeAsync(topic, { qos: 1 });
      // A retained message would be delivered on SUBSCRIBE, before this later one.
      await d.publishAsync(topic, 'marker', { qos: 1 });
      expect((await first).toString()).toBe('marker');
      await d.endAsync();
    });
  });
});

/** CONNECT fields of a raw test client for PK/dn (plain TCP). */
function rawLogin(dn: string, secret: string) {
  const prefix = PK + '&' + dn + '.raw';
  return { clientId: prefix + '|securemode=3,signmethod=hmacsha256|', username: `${dn}&${PK}`, password: hmac('sha256', secret, `clientId${prefix}deviceName${dn}productKey${PK}`), reconnectPeriod: 0, keepalive: 60 };
}

/** gw002 (a raw MQTT gateway) binds `dn` of SUB_PK to itself. */
async function gateway2Holds(dn: string): Promise<void> {
  const prefix = GW_PK + '.gw002';
  const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${cloud.mqttPort}`, {
    clientId: prefix + '|securemode=3,signmethod=hmacsha256,_ss=1|', username: `gw002&${GW_PK}`,
    password: hmac('sha256', GW_SECRET, `clientId${prefix}deviceNamegw002productKey${GW_PK}`), reconnectPeriod: 0, keepalive: 60,
  });
  const secret = testRegistry().devices.find((d) => d.deviceName === dn)!.deviceSecret!;
  const ts = '1700000000000';
  const entry = { productKey: SUB_PK, deviceName: dn, clientId: SUB_PK + '.' + dn, timestamp: ts, signmethod: 'hmacSha256', sign: hmac('sha256', secret, `clientId${SUB_PK}.${dn}deviceName${dn}productKey${SUB_PK}timestamp${ts}`) };
  const topic = `/sys/${GW_PK}/gw002/thing/topo/add`;
  const reply = new Promise<any>((resolve) => c.on('message', (t, p) => t === topic + '_reply' && resolve(JSON.parse(p.toString()))));
  await c.publishAsync(topic, JSON.stringify({ id: '1', version: '1.0', params: [entry] }));
  expect((await reply).code).toBe(200);
  await c.endAsync();
}
