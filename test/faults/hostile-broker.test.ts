/**
 * A hostile broker (#11 item 6), end to end: the built module in SimBoard is connected to the
 * emulator through the fault proxy, which sends the board what no honest broker would: random
 * bytes, random packets, malformed packets, a second CONNACK, an oversized message, a flood,
 * and impostor answers to CONNECT. For every case:
 * - nothing throws into the app (the board's interpreter saw no exception);
 * - what the module holds does not grow: after each case its reachable objects, strings,
 *   timers and sockets are back where they were (and an oversized message is never held whole);
 * - a malformed stream ends in a reported disconnect (ON_DISCONNECT -310, or ON_ERROR before
 *   CONNACK) and a clean reconnect: the next post is answered by the emulator.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import mqttPacket = require('mqtt-packet');
import { SimBoard } from '../../sim/board';
import { start, type RunningCloud } from '../../sim/cloud';
import { FaultProxy } from '../support/fault-proxy';
import { footprint, type Footprint } from '../support/footprint';

const BUNDLE = path.resolve(__dirname, '../../build/aliyunIoT.js');
const PK = 'a1HostilePK';
const DN = 'victim01';
const SECRET = 'hostileDevSecret0123456789abcdef';
const PROPERTY_SET = `/sys/${PK}/${DN}/thing/service/property/set`;

let cloud: RunningCloud;
let proxy: FaultProxy;
let board: SimBoard;
let storageDir: string;

interface AppRecord {
  connects: number;
  disconnects: number[];
  errors: number[];
  props: number;
  answers: { [seq: number]: number };
}

const rec = (): AppRecord => board.global.__rec;

beforeAll(async () => {
  cloud = await start({ registry: { products: [{ productKey: PK, productSecret: 'hostileProductS1', nodeType: 'device' }], devices: [{ productKey: PK, deviceName: DN, deviceSecret: SECRET }] } });
  proxy = await FaultProxy.start(() => cloud.mqttPort);
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
  board = new SimBoard({ storageDir });
  board.loadModuleFile('aliyunIoT', BUNDLE);
  board.run(`
var aliyunIoT = require("aliyunIoT");
var device = new aliyunIoT.Device();
var R = { connects: 0, disconnects: [], errors: [], props: 0, answers: {} };
global.__rec = R;
global.__dev = device;
global.__post = function (seq) {
  device.postProps({ params: { Seq: seq } }, function (d) { R.answers[seq] = d.code; });
};
device.on(device.ON_CONNECT, function () { R.connects++; });
device.on(device.ON_DISCONNECT, function (d) { R.disconnects.push(d.code); });
device.on(device.ON_ERROR, function (d) { R.errors.push(d.code); });
device.on(device.ON_PROPS, function () { R.props++; });
device.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${proxy.port}, tls: false, keepaliveSec: 60 });
`);
  await board.waitFor(() => rec().connects === 1, 10000);
  await quiet();
  baseline = footprint(board, board.global.__dev);
});

afterAll(async () => {
  await board?.close();
  await proxy?.close();
  await cloud?.stop();
  fs.rmSync(storageDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(board.uncaught).toEqual([]);
});

let baseline: Footprint;
let seq = 0;

/** Waits until the module has nothing open: no request awaiting its reply, only the keep-alive timer. */
async function quiet(): Promise<void> {
  await board.waitFor(() => board.timerCount === 1 && board.queuedEvents === 0, 10000);
}

/** A post after the case is answered by the emulator: the connection is clean again. */
async function postWorks(): Promise<void> {
  const n = ++seq;
  board.global.__post(n);
  await board.waitFor(() => rec().answers[n] !== undefined, 15000);
  expect(rec().answers[n]).toBe(0);
}

/** What the module holds is back where it was (a few bytes of difference: timestamps, counters). */
async function backToBaseline(): Promise<void> {
  await quiet();
  const now = footprint(board, board.global.__dev);
  expect(now.objects).toBe(baseline.objects);
  expect(now.sockets).toBe(1);
  expect(now.timers).toBe(1);
  expect(now.slots).toBeLessThanOrEqual(baseline.slots + 4);
  expect(now.stringBytes).toBeLessThanOrEqual(baseline.stringBytes + 64);
}

/** Sends `bytes` from the broker's side; expects a disconnect reported with -310, then a clean reconnect. */
async function dropsAndRecovers(bytes: Buffer): Promise<void> {
  const before = rec().connects;
  const disconnects = rec().disconnects.length;
  proxy.inject(bytes);
  await board.waitFor(() => rec().connects === before + 1, 20000);
  expect(rec().disconnects.slice(disconnects)).toEqual([-310]);
  await postWorks();
  await backToBaseline();
}

/** Deterministic bytes (mulberry32). */
function randomBytes(seed: number, n: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** Whether mqtt-packet (the project's oracle) finds `bytes` malformed before their end. */
function oracleRefuses(bytes: Buffer): boolean {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  let refused = false;
  parser.on('error', () => (refused = true));
  try {
    parser.parse(bytes);
  } catch {
    refused = true;
  }
  return refused;
}

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function publish(topic: string, payload: Buffer, qos: 0 | 1, id = 7): Buffer {
  const t = Buffer.from(topic, 'utf8');
  const head = Buffer.from([t.length >> 8, t.length & 0xff]);
  const body = Buffer.concat([head, t, qos ? Buffer.from([id >> 8, id & 0xff]) : Buffer.alloc(0), payload]);
  return Buffer.concat([Buffer.from([0x30 | (qos << 1), ...remainingLength(body.length)]), body]);
}

describe('a malformed stream from the broker: reported disconnect, clean reconnect', () => {
  test('random bytes (three streams the oracle refuses)', async () => {
    let found = 0;
    for (let seed = 1; found < 3 && seed < 1000; seed++) {
      const bytes = randomBytes(seed, 2048);
      if (!oracleRefuses(bytes)) continue;
      found++;
      await dropsAndRecovers(bytes);
    }
    expect(found).toBe(3);
  }, 60000);

  test('random packets (type, flags, length and body at random), then one of a reserved type', async () => {
    const r = randomBytes(42, 40000);
    let k = 0;
    const packets: Buffer[] = [];
    for (let i = 0; i < 200; i++) {
      const first = ((1 + (r[k++] % 14)) << 4) | (r[k++] & 0x0f);
      const len = r[k++] % 120;
      packets.push(Buffer.from([first, ...remainingLength(len)]), r.subarray(k, k + len));
      k += len;
    }
    packets.push(Buffer.from([0xf0, 0x00]));
    await dropsAndRecovers(Buffer.concat(packets));
  }, 30000);

  test.each([
    ['a reserved packet type (0)', Buffer.from([0x00, 0x00])],
    ['a reserved packet type (15)', Buffer.from([0xf0, 0x00])],
    ['a remaining length of five bytes', Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f])],
    ['a PUBLISH whose topic is longer than the packet', Buffer.from([0x30, 0x04, 0xff, 0xff, 0x61, 0x62])],
    ['a PUBLISH with QoS 3', Buffer.concat([Buffer.from([0x36, 0x07, 0x00, 0x03]), Buffer.from('a/b'), Buffer.from([0x00, 0x01])])],
    ['a PUBLISH too short for its topic length field', Buffer.from([0x30, 0x01, 0x00])],
    ['a second CONNACK', Buffer.from([0x20, 0x02, 0x00, 0x00])],
    ['a PUBACK with a body too short', Buffer.from([0x40, 0x01, 0x00])],
    ['a SUBACK with no return code', Buffer.from([0x90, 0x02, 0x00, 0x01])],
  ])('%s', async (_name, bytes) => {
    await dropsAndRecovers(bytes);
  }, 30000);
});

describe('well-formed but unwelcome: no throw, nothing grows, the link carries on', () => {
  test('acknowledgements for packet ids never used are ignored', async () => {
    const disconnects = rec().disconnects.length;
    proxy.inject(Buffer.from([0x40, 0x02, 0x7f, 0x01, 0x90, 0x03, 0x7f, 0x02, 0x01, 0xb0, 0x02, 0x7f, 0x03, 0x50, 0x02, 0x7f, 0x04, 0x70, 0x02, 0x7f, 0x05]));
    await postWorks();
    expect(rec().disconnects.length).toBe(disconnects);
    await backToBaseline();
  });

  test('a 1 MB message is acknowledged and dropped with ON_ERROR -316, never held whole', async () => {
    const errors = rec().errors.length;
    const disconnects = rec().disconnects.length;
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, footprint(board, board.global.__dev).stringBytes)), 5);
    proxy.inject(publish(PROPERTY_SET, Buffer.alloc(1 << 20, 0x41), 1));
    await board.waitFor(() => rec().errors.length > errors, 20000);
    clearInterval(sample);
    expect(rec().errors.slice(errors)).toEqual([-316]);
    expect(peak).toBeLessThan(baseline.stringBytes + 16 * 1024);
    await postWorks();
    expect(rec().disconnects.length).toBe(disconnects);
    await backToBaseline();
  }, 30000);

  test('a flood of 2,000 QoS 1 messages (1 KB each, topics the device never asked for and property sets of garbage)', async () => {
    const disconnects = rec().disconnects.length;
    const parts: Buffer[] = [];
    const junk = randomBytes(7, 1024);
    for (let i = 0; i < 2000; i++) {
      const topic = i % 2 ? `/${PK}/${DN}/user/unasked/${i}` : PROPERTY_SET;
      const payload = i % 4 === 0 ? Buffer.from('['.repeat(1000)) : i % 4 === 2 ? Buffer.from('{"id":"' + i + '","params":' + '{"a":'.repeat(200) + '1' + '}'.repeat(200) + '}') : junk;
      parts.push(publish(topic, payload, 1, 1 + (i % 65535)));
    }
    proxy.inject(Buffer.concat(parts));
    await postWorks();
    expect(rec().disconnects.length).toBe(disconnects);
    await backToBaseline();
  }, 60000);
});

test('a property set nested deeper than the module writes back is answered 460, the app never sees it half-made', async () => {
  let deep: Record<string, unknown> = { v: 1 };
  for (let i = 0; i < 30; i++) deep = { a: deep };
  const props = rec().props;
  expect(await cloud.api.setProperties(PK, DN, deep)).toMatchObject({ status: 'reply', code: 460 });
  expect(await cloud.api.setProperties(PK, DN, { a: { b: 1 } })).toMatchObject({ status: 'reply', code: 200 });
  expect(rec().props).toBe(props + 1);
  await backToBaseline();
});

describe('an impostor answering CONNECT: reported on ON_ERROR, then a clean connection', () => {
  test.each([
    ['random bytes instead of CONNACK', randomBytes(99, 64)],
    ['a CONNACK with an undefined return code (0x77)', Buffer.from([0x20, 0x02, 0x00, 0x77])],
    ['a PUBLISH before CONNACK', publish(PROPERTY_SET, Buffer.from('{}'), 0)],
  ])('%s', async (_name, answer) => {
    const errors = rec().errors.length;
    const connects = rec().connects;
    proxy.set({ answerInstead: answer });
    proxy.cutAll();
    await board.waitFor(() => rec().errors.length > errors, 20000);
    proxy.set({});
    await board.waitFor(() => rec().connects === connects + 1, 30000);
    expect(rec().errors.slice(errors).every((c) => c < 0)).toBe(true);
    await postWorks();
    await backToBaseline();
  }, 60000);
});
