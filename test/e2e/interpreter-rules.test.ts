/**
 * What the Espruino interpreter does not forgive, end to end (issue #12, item 4): SimBoard
 * records a fault when a socket is opened inside another socket's callback (2v29 crashes on
 * tls.connect from a TLS data handler), and reports one uncaught exception per pass of its idle
 * loop, as the interpreter does. The module must dial on a fresh tick and get every app
 * exception reported.
 */
import type { RunningCloud } from '../../sim/cloud';
import { boardUp, cloudUp, PK, REG_PK, Rig } from './support';

let cloud: RunningCloud;
let rig: Rig;

beforeAll(async () => {
  cloud = await cloudUp();
});
afterAll(async () => {
  await cloud.stop();
});
afterEach(async () => {
  // fails the test if the board recorded a fault
  await rig.close();
});

test('a second TLS device connected from the first one\'s ON_CONNECT (inside its socket\'s data callback): both online, no fault', async () => {
  rig = await boardUp(cloud, { tls: true });
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    var a = new aliyunIoT.Device(), b = new aliyunIoT.Device();
    b.on(b.ON_CONNECT, function () { print("b connected"); });
    a.on(a.ON_CONNECT, function () {
      print("a connected");
      b.connect({ productKey: cfg.productKey, deviceName: "dev002", deviceSecret: "e2efedcba9876543210fedcba9876543", host: cfg.host, port: cfg.port, tls: true });
    });
    a.connect(cfg);
  `);
  await rig.printed('b connected');
  expect(cloud.api.isOnline(PK, 'dev001')).toBe(true);
  expect(cloud.api.isOnline(PK, 'dev002')).toBe(true);
  expect(rig.board.faults).toEqual([]);
});

test('HTTPS registration whose callback connects over TLS (inside the HTTPS response\'s callback): connected, no fault', async () => {
  rig = await boardUp(cloud);
  rig.board.run(`
    var device = new (require("aliyunIoT").Device)();
    device.on(device.ON_CONNECT, function () { print("connected"); });
    device.register({ productKey: "${REG_PK}", deviceName: "reg002", productSecret: "e2eRegSecret0001", transport: "https", host: "127.0.0.1", port: ${cloud.httpsPort} }, function (secret) {
      device.connect({ productKey: "${REG_PK}", deviceName: "reg002", host: "127.0.0.1", port: ${cloud.tlsPort}, tls: true });
    });
  `);
  await rig.printed('connected');
  expect(cloud.api.isOnline(REG_PK, 'reg002')).toBe(true);
  expect(rig.board.faults).toEqual([]);
});

test('several app callbacks throwing at once: every exception is reported, one per pass of the idle loop', async () => {
  rig = await boardUp(cloud);
  rig.board.run(`
    var device = new (require("aliyunIoT").Device)();
    var n = 0;
    device.on(device.ON_ERROR, function (e) { n++; throw new Error("app error " + n + " " + e.code); });
    // not connected: each call fires ON_ERROR at once, and the handler throws each time
    device.postProps({ params: "{}" });
    device.postEvent({ id: "e", params: "{}" });
    device.publish({ topic: "/x", payload: "y" });
  `);
  expect(rig.board.global.n).toBe(3);
  await rig.board.settled();
  expect(rig.board.output.filter((l) => l.startsWith('Uncaught Error: app error'))).toEqual([
    'Uncaught Error: app error 1 -104',
    'Uncaught Error: app error 2 -104',
    'Uncaught Error: app error 3 -104',
  ]);
  expect(rig.board.uncaught.length).toBe(3);
});
