/**
 * Memory stays flat over a long run: the built module in SimBoard posts QoS 1 property reports
 * (8 outstanding, the next from each callback) while the link is cut at regular intervals and
 * the module reconnects by itself; afterwards what it holds is where it started: its reachable
 * objects and strings (test/support/footprint.ts), the board's timers, sockets and queued
 * events. CI runs 2,000 posts and 20 reconnects; the size (10,000 posts, 100
 * reconnects) runs with FLAT_POSTS=10000 FLAT_RECONNECTS=100 (a few minutes).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimBoard } from '../../sim/board';
import { start, type RunningCloud } from '../../sim/cloud';
import { FaultProxy } from '../support/fault-proxy';
import { footprint } from '../support/footprint';

const POSTS = Number(process.env.FLAT_POSTS) || 2000;
const RECONNECTS = Number(process.env.FLAT_RECONNECTS) || 20;
const BUNDLE = path.resolve(__dirname, '../../build/aliyunIoT.js');
const PK = 'a1FlatPK001';
const DN = 'flat001';
const SECRET = 'flatDeviceSecret0123456789abcdef';

let cloud: RunningCloud;
let proxy: FaultProxy;
let board: SimBoard;
let storageDir: string;

beforeAll(async () => {
  cloud = await start({ registry: { products: [{ productKey: PK, productSecret: 'flatProductSec01', nodeType: 'device', topicClasses: [{ suffix: 'user/get', access: 'sub' }] }], devices: [{ productKey: PK, deviceName: DN, deviceSecret: SECRET }] } });
  proxy = await FaultProxy.start(() => cloud.mqttPort);
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flat-'));
  board = new SimBoard({ storageDir });
  board.loadModuleFile('aliyunIoT', BUNDLE);
});

afterAll(async () => {
  await board?.close();
  await proxy?.close();
  await cloud?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

test(`${POSTS} posts and ${RECONNECTS} reconnects leave the module's objects, strings, timers and sockets where they started`, async () => {
  board.run(`
var aliyunIoT = require("aliyunIoT");
var device = new aliyunIoT.Device();
var F = { connects: 0, next: 0, open: 0, answered: 0, failed: 0, go: false };
global.__dev = device;
global.__flat = F;
function pump() {
  while (F.go && F.open < 8 && F.next < ${POSTS}) {
    F.open++;
    var r = device.postProps({ params: { Seq: F.next++ } }, function (d) { F.open--; F.answered++; if (d.code) F.failed++; pump(); });
    if (r !== 0) { F.open--; F.answered++; F.failed++; }
  }
}
global.__start = function () { F.go = true; pump(); };
device.on(device.ON_CONNECT, function () {
  F.connects++;
  if (F.connects === 1) device.subscribe({ topic: "/${PK}/${DN}/user/get", qos: 1 });
  pump();
});
device.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${proxy.port}, tls: false, keepaliveSec: 60 });
`);
  const F = () => board.global.__flat as { connects: number; answered: number; failed: number };
  const quiet = () => board.waitFor(() => board.timerCount === 1 && board.queuedEvents === 0, 10000);
  // The baseline: connected, subscribed, one post answered (its reply came after the SUBACK).
  await board.waitFor(() => F().connects === 1, 10000);
  board.run(`device.postProps({ params: { Seq: -1 } }, function () { F.warm = true; });`);
  await board.waitFor(() => board.global.__flat.warm === true, 10000);
  await quiet();
  const before = footprint(board, board.global.__dev);

  // Cut the link every POSTS / (RECONNECTS + 1) posts, from the emulator's own event.
  const every = Math.floor(POSTS / (RECONNECTS + 1));
  let seen = 0;
  let cuts = 0;
  cloud.api.on('properties', (e) => {
    if (e.deviceName !== DN) return;
    seen++;
    if (cuts < RECONNECTS && seen >= every * (cuts + 1)) {
      cuts++;
      proxy.cutAll();
    }
  });
  board.global.__start();
  await board.waitFor(() => F().answered === POSTS && F().connects === RECONNECTS + 1, POSTS * 100 + RECONNECTS * 5000);
  await quiet();
  const after = footprint(board, board.global.__dev);

  expect(cuts).toBe(RECONNECTS);
  expect(F().failed).toBeLessThanOrEqual(RECONNECTS * 8);
  expect({ objects: after.objects, functions: after.functions, timers: after.timers, sockets: after.sockets, queuedEvents: after.queuedEvents }).toEqual({
    objects: before.objects,
    functions: before.functions,
    timers: 1,
    sockets: 1,
    queuedEvents: 0,
  });
  // Counters and timestamps may change in place; nothing accumulates.
  expect(after.slots).toBeLessThanOrEqual(before.slots + 4);
  expect(after.stringBytes).toBeLessThanOrEqual(before.stringBytes + 64);
  expect(board.uncaught).toEqual([]);
}, POSTS * 100 + RECONNECTS * 5000 + 60000);
