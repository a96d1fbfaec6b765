/**
 * The exact bytes the built module sends for a fixed script of calls, compared with a recorded
 * transcript (test/e2e/fixtures/wire-transcript.txt). A change to the module's structure must
 * leave every byte on the wire as it was; a change of behaviour shows here as a diff and is
 * recorded on purpose:  WIRE_RECORD=1 npx jest test/e2e/wire-transcript
 *
 * The board's clock and Math.random are fixed, so timestamps, signs and nonces repeat; a TCP
 * relay between the board and the emulator records what the device writes on each connection,
 * cut into MQTT packets (segmentation is the OS's business, not the module's). Ids the
 * emulator picks at random and the device echoes are written as placeholders.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { SimBoard } from '../../sim/board';
import type { RunningCloud } from '../../sim/cloud';
import { BUNDLE, cloudUp, GW_PK, PK, SUB_PK, testRegistry } from './support';

const FIXTURE = path.join(__dirname, 'fixtures/wire-transcript.txt');
const RECORD = process.env.WIRE_RECORD === '1';
const TYPES = ['0', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', '15'];

interface Connection {
  /** What the device wrote, as it arrived. */
  up: Buffer[];
  /** What the emulator wrote. */
  down: Buffer[];
}

/** A relay to the emulator's plain MQTT port that keeps what each connection carried. */
async function relay(target: number): Promise<{ port: number; connections: Connection[]; open(): number; close(): Promise<void> }> {
  const connections: Connection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((device) => {
    const c: Connection = { up: [], down: [] };
    connections.push(c);
    const cloudSide = net.connect(target, '127.0.0.1');
    sockets.add(device);
    sockets.add(cloudSide);
    device.on('data', (b: Buffer) => {
      c.up.push(Buffer.from(b));
      cloudSide.write(b);
    });
    cloudSide.on('data', (b: Buffer) => {
      c.down.push(Buffer.from(b));
      device.write(b);
    });
    device.on('end', () => cloudSide.end());
    cloudSide.on('end', () => device.end());
    for (const s of [device, cloudSide]) {
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        (s === device ? cloudSide : device).destroy();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    open: () => sockets.size,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A byte stream cut into MQTT packets (fixed header, remaining length, body). */
function packets(chunks: Buffer[]): Buffer[] {
  const all = Buffer.concat(chunks);
  const out: Buffer[] = [];
  let i = 0;
  while (i < all.length) {
    let len = 0;
    let mul = 1;
    let j = i + 1;
    for (;;) {
      const b = all[j++];
      len += (b & 127) * mul;
      mul *= 128;
      if (!(b & 128)) break;
    }
    out.push(all.subarray(i, j + len));
    i = j + len;
  }
  return out;
}

/** The packet ids of the emulator's QoS 1 PUBLISHes, in order. aedes numbers them from a
 *  random start, so the device's PUBACKs are written with the position of the id they echo. */
function cloudPacketIds(down: Buffer[]): number[] {
  const ids: number[] = [];
  for (const p of packets(down)) {
    if (p[0] >> 4 !== 3 || ((p[0] >> 1) & 3) === 0) continue;
    let j = 1;
    while (p[j] & 128) j++;
    j++;
    const topicLen = p.readUInt16BE(j);
    ids.push(p.readUInt16BE(j + 2 + topicLen));
  }
  return ids;
}

/** The bytes as a JSON string of ASCII: printable text as it is, every other byte \u00XX. */
function quote(bytes: Buffer): string {
  return JSON.stringify(bytes.toString('latin1')).replace(/[\u007f-\u00ff]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16));
}

/** The emulator numbers its requests from a random start (as the platform's ids look); the
 *  device echoes them in its replies. Each becomes a placeholder of the same length, so the
 *  packet lengths stay exact. */
function withCloudIdsNamed(text: string): string {
  const names = new Map<string, string>();
  return text.replace(/\\"id\\":\\"([0-9]{9})\\"/g, (_m, id: string) => {
    if (!names.has(id)) names.set(id, 'cloudId' + String(names.size + 1).padStart(2, '0'));
    return '\\"id\\":\\"' + names.get(id) + '\\"';
  });
}

/** One line per packet the device sent: connection number, packet type, the bytes. */
function transcript(connections: Connection[]): string {
  const lines: string[] = [];
  connections.forEach((c, n) => {
    const cloudIds = cloudPacketIds(c.down);
    for (const p of packets(c.up)) {
      const type = TYPES[p[0] >> 4];
      const k = type === 'PUBACK' && p.length === 4 ? cloudIds.indexOf(p.readUInt16BE(2)) : -1;
      lines.push(n + ' ' + type + ' ' + (k >= 0 ? quote(p.subarray(0, 2)) + ' + id of the cloud\'s PUBLISH #' + (k + 1) : quote(p)));
    }
  });
  return lines.join('\n') + '\n';
}

/** Every call chained on the previous one's callback, so the order of the bytes is fixed. */
const SCRIPT = `
Date.now = function () { return 1700000000000; };
Math.random = function () { return 0.5; };
var ali = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var d = new ali.Device();
d.on(d.ON_SERVICE, function (s) { return { echo: s.service_id, n: 7 }; });
d.on(d.ON_CONNECT, function () {
  d.postProps({ params: JSON.stringify({ test_prop: 100, label: "\\u6e29\\u5ea6" }) }, function (r) {
    d.postEvent({ id: "alarm", params: { level: 3 } }, function (r2) {
      d.subscribe({ topic: "/${PK}/dev001/user/get", qos: 1 });
      d.publish({ topic: "/${PK}/dev001/user/update", qos: 1, payload: "hello" });
      d.publish({ topic: "/${PK}/dev001/user/update", qos: 0, payload: "bytes \\xff\\x00" });
      d.getNtpTime(function (t) {
        d.unsubscribe({ topic: "/${PK}/dev001/user/get" });
        d.postRaw({ param: [1, 2, 3, 255] });
        print("T device ready");
      });
    });
  });
});
d.on(d.ON_PROPS, function () { print("T props set"); });
d.connect(cfg.device);
global.endDevice = function () { d.end(); };

global.startGateway = function () {
  var g = new ali.Gateway();
  var subs = cfg.subdevices;
  g.on(g.ON_CONNECT, function () { g.addTopo(subs); });
  g.on(g.ON_TOPOADD, function () { g.login(subs); });
  g.on(g.ON_LOGIN, function () {
    g.postProps({ productKey: subs[0].productKey, deviceName: subs[0].deviceName, params: { test_prop: 1 } }, function () { g.getTopo(); });
  });
  g.on(g.ON_TOPOGET, function () { g.logout(subs); });
  g.on(g.ON_LOGOUT, function () { g.removeTopo(subs); });
  g.on(g.ON_TOPOREMOVE, function () { g.registerSubDevice([{ productKey: "${SUB_PK}", deviceName: "sub003" }]); });
  g.on(g.ON_SUBREGISTER, function () { g.end(); print("T gateway done"); });
  g.connect(cfg.gateway);
};
`;

let cloud: RunningCloud;
let storageDir: string;

beforeAll(async () => {
  cloud = await cloudUp();
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simboard-'));
});
afterAll(async () => {
  await cloud.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

test('the module sends the recorded bytes for a fixed script of Device and Gateway calls', async () => {
  const r = await relay(cloud.mqttPort);
  const board = new SimBoard({ storageDir, time: 1700000000000 });
  try {
    board.loadModuleFile('aliyunIoT', BUNDLE);
    const reg = testRegistry();
    const secret = (pk: string, dn: string) => reg.devices.find((x) => x.productKey === pk && x.deviceName === dn)!.deviceSecret;
    const link = { keepaliveSec: 60, host: '127.0.0.1', port: r.port, tls: false };
    const config = {
      device: { productKey: PK, deviceName: 'dev001', deviceSecret: secret(PK, 'dev001'), ...link },
      gateway: { productKey: GW_PK, deviceName: 'gw001', deviceSecret: secret(GW_PK, 'gw001'), ...link },
      subdevices: ['sub001', 'sub002'].map((dn) => ({ productKey: SUB_PK, deviceName: dn, deviceSecret: secret(SUB_PK, dn) })),
    };
    board.run(`require("Storage").writeJSON("aliyunIoT.json", ${JSON.stringify(config)});`);
    board.run(SCRIPT);
    const printed = (text: string) => board.waitFor(() => board.output.includes(text), 10000);
    await printed('T device ready');
    // Cloud-initiated: a property set and a service call, each answered by the device.
    expect((await cloud.api.setProperties(PK, 'dev001', { test_prop: 5 })).status).toBe('reply');
    expect(await cloud.api.invokeService(PK, 'dev001', 'svc', { a: 1 })).toMatchObject({ status: 'reply', code: 200 });
    board.run('endDevice()');
    await board.waitFor(() => r.open() === 0, 10000);
    board.run('startGateway()');
    await printed('T gateway done');
    await board.waitFor(() => r.open() === 0, 10000);
    expect(board.uncaught).toEqual([]);
  } finally {
    await board.close();
    await r.close();
  }
  const got = withCloudIdsNamed(transcript(r.connections));
  if (RECORD) fs.writeFileSync(FIXTURE, got);
  expect(got).toBe(fs.readFileSync(FIXTURE, 'utf8'));
}, 60000);
