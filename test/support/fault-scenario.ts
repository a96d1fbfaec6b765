/**
 * One fault scenario: a SimBoard running the built module posts `posts` QoS 1 property
 * reports (a few outstanding at a time, the next one from each callback) through a FaultProxy
 * to the emulator, while the faults act; then every post is accounted for:
 *
 * - delivered: the emulator accepted it (its `properties` event carried the post's Seq);
 * - duplicated: sightings beyond the first;
 * - reported failed: the app was told (callback code other than 0, or a non-zero return);
 * - lost silently: neither delivered nor reported failed (no callback, or a success the
 *   emulator never saw).
 *
 * Shared by test/faults (CI sizes) and bench/faults.ts (larger sizes).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimBoard } from '../../sim/board';
import { start, type RegistryFile, type RunningCloud } from '../../sim/cloud';
import { FaultProxy, type Faults, type ProxyStats } from './fault-proxy';

const BUNDLE = path.resolve(__dirname, '../../build/aliyunIoT.js');
const PK = 'a1FaultPK01';
const DN = 'fault001';
const SECRET = 'faultDeviceSecret0123456789abcde';

function registry(): RegistryFile {
  return {
    products: [{ productKey: PK, productSecret: 'faultProductSec1', nodeType: 'device' }],
    devices: [{ productKey: PK, deviceName: DN, deviceSecret: SECRET }],
  };
}

/** Something that happens once, when `afterDelivered` posts have reached the emulator. */
export type Incident =
  | { afterDelivered: number; kind: 'restart' }
  | { afterDelivered: number; kind: 'blackHole'; holdMs: number };

export interface Scenario {
  name: string;
  posts: number;
  /** Posts outstanding at once (default 8). */
  window?: number;
  /** At most one new post per this many ms (so that a run lasts at least posts x paceMs,
   *  whatever the machine's speed); absent: the next post as soon as the window allows. */
  paceMs?: number;
  faults?: Faults;
  incidents?: Incident[];
  keepaliveSec?: number;
  /** Give up waiting for the last callbacks once no post has been answered for this long
   *  (default 90 s: more than a half-open link takes to be noticed at keepaliveSec 30). */
  stallMs?: number;
}

export interface Outcome {
  name: string;
  tried: number;
  delivered: number;
  duplicated: number;
  reportedFailed: number;
  lostSilently: number;
  /** Posts whose callback never came (before progress stalled for stallMs). */
  unanswered: number;
  /** Posts whose callback came more than once. */
  answeredTwice: number;
  /** Posts the app was told succeeded that the emulator never saw (part of lostSilently). */
  falseSuccess: number;
  /** Exceptions that reached the board's interpreter. */
  uncaught: number;
  connects: number;
  disconnects: number;
  proxy: ProxyStats;
  ms: number;
}

/** The app on the board: posts Seq 0..n-1, `window` at a time; records each callback. */
function appScript(posts: number, window: number, paceMs: number): string {
  return `
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json").device;
var device = new aliyunIoT.Device();
var F = { codes: [], calls: [], next: 0, open: 0, connects: 0, disconnects: 0, errors: 0 };
global.__faults = F;
function done(i, code) {
  F.calls[i] = (F.calls[i] || 0) + 1;
  if (F.calls[i] === 1) { F.codes[i] = code; F.open--; }
  pump();
}
function post() {
  var i = F.next++;
  F.open++;
  var r = device.postProps({ params: { Seq: i } }, (function (i) { return function (d) { done(i, d.code); }; })(i));
  if (r !== 0) done(i, r);
}
function pump() {
  if (${paceMs} > 0) return;
  while (F.open < ${window} && F.next < ${posts}) post();
}
if (${paceMs} > 0) {
  var pacer = setInterval(function () {
    if (F.next >= ${posts}) return clearInterval(pacer);
    if (F.connects > 0 && F.open < ${window}) post();
  }, ${paceMs});
}
device.on(device.ON_CONNECT, function () { F.connects++; pump(); });
device.on(device.ON_DISCONNECT, function () { F.disconnects++; });
device.on(device.ON_ERROR, function () { F.errors++; });
device.connect(cfg);
`;
}

export async function runScenario(s: Scenario): Promise<Outcome> {
  const t0 = Date.now();
  const window = s.window ?? 8;
  const seen = new Map<number, number>();
  let delivered = 0;
  // Incidents start from the emulator's own event, the moment their post count is reached
  // (not from a poll, which a loaded machine could make late).
  const incidents = [...(s.incidents ?? [])].sort((a, b) => a.afterDelivered - b.afterDelivered);
  const running: Promise<void>[] = [];
  let chain = Promise.resolve();
  const onProps = (e: { productKey: string; deviceName: string; params: Record<string, unknown> }) => {
    if (e.deviceName !== DN || typeof e.params.Seq !== 'number') return;
    const n = (seen.get(e.params.Seq) ?? 0) + 1;
    seen.set(e.params.Seq, n);
    if (n === 1) delivered++;
    while (incidents.length && delivered >= incidents[0].afterDelivered) {
      const inc = incidents.shift()!;
      chain = chain.then(() => act(inc));
      running.push(chain);
    }
  };
  const act = async (inc: Incident): Promise<void> => {
    if (inc.kind === 'restart') {
      await cloud.stop();
      cloud = await cloudUp();
    } else {
      proxy.set({ ...proxy.faults, blackHole: true });
      await sleep(inc.holdMs);
      proxy.set({ ...proxy.faults, blackHole: false });
    }
  };
  const cloudUp = async (): Promise<RunningCloud> => {
    const c = await start({ registry: registry(), replyTimeoutMs: 3000 });
    c.api.on('properties', onProps);
    return c;
  };
  let cloud = await cloudUp();
  const proxy = await FaultProxy.start(() => cloud.mqttPort, s.faults ?? {});
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-'));
  const board = new SimBoard({ storageDir });
  try {
    board.loadModuleFile('aliyunIoT', BUNDLE);
    const config = { productKey: PK, deviceName: DN, deviceSecret: SECRET, keepaliveSec: s.keepaliveSec ?? 60, host: '127.0.0.1', port: proxy.port, tls: false };
    board.run(`require("Storage").writeJSON("aliyunIoT.json", ${JSON.stringify({ device: config })});`);
    board.run(appScript(s.posts, window, s.paceMs ?? 0));
    const F = () => board.global.__faults as { codes: number[]; calls: number[]; open: number; next: number; connects: number; disconnects: number };
    const answered = () => {
      const f = F();
      let n = 0;
      for (let i = 0; i < s.posts; i++) if (f.calls[i]) n++;
      return n;
    };
    const stallMs = s.stallMs ?? 90000;
    let progress = { answered: 0, at: Date.now() };
    await until(() => {
      const n = answered();
      if (n !== progress.answered) progress = { answered: n, at: Date.now() };
      return n === s.posts || Date.now() - progress.at > stallMs;
    });
    await Promise.all(running);
    const f = F();
    let reportedFailed = 0;
    let lostSilently = 0;
    let unanswered = 0;
    let answeredTwice = 0;
    let falseSuccess = 0;
    let duplicated = 0;
    for (const n of seen.values()) duplicated += n - 1;
    for (let i = 0; i < s.posts; i++) {
      const calls = f.calls[i] ?? 0;
      const failed = calls > 0 && f.codes[i] !== 0;
      if (!calls) unanswered++;
      if (calls > 1) answeredTwice++;
      if (failed) reportedFailed++;
      if (!seen.has(i) && !failed) {
        lostSilently++;
        if (calls) falseSuccess++;
      }
    }
    return {
      name: s.name,
      tried: s.posts,
      delivered,
      duplicated,
      reportedFailed,
      lostSilently,
      unanswered,
      answeredTwice,
      falseSuccess,
      uncaught: board.uncaught.length,
      connects: f.connects,
      disconnects: f.disconnects,
      proxy: { ...proxy.stats },
      ms: Date.now() - t0,
    };
  } finally {
    await board.close();
    await proxy.close();
    await cloud.stop();
    fs.rmSync(storageDir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` every 20 ms (the board runs in this process, so this only waits). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(20);
}
