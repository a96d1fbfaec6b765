/**
 * Device property posts through the emulator: the real bundle (build/aliyunIoT.min.js) in
 * SimBoard next to the official Node SDK (alibabacloud-iot-device-sdk@1.2.8), in one run,
 * against the same emulator with the same properties. Each client keeps a fixed window of posts
 * outstanding (1, then 16) and a post completes when its cloud reply arrives; posts/s counts
 * completions, latency is post -> reply. The board posts QoS 1 (PUBACK and reply); the SDK posts
 * QoS 0 (reply only), as each does by default. The two clients run one after the other, never
 * at once, and share this process's event loop with the emulator. So that neither profits from
 * an emulator the other has warmed up (V8 compiles its hot paths as it goes), both clients post
 * for a while before anything is measured, and each window runs in the order board, SDK, SDK,
 * board; a client's figure is the mean of its two runs.
 *
 *   npm run bench:device              (builds first)
 *   npx tsx bench/device.ts [seconds per run = 3]
 *
 * Prints figures; never fails on time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { start, type RegistryFile, type RunningCloud } from '../sim/cloud';
import { benchBoard, BUILD_DIR } from './support/bench-board';
import { summarise, type LatencySummary } from './support/latency';
import { sleep } from './support/sleep';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const iot = require('alibabacloud-iot-device-sdk');

const SECONDS = Number(process.argv[2]) || 3;
const WINDOWS = [1, 16];
const WARMUP_MS = 300;
const PK = 'a1BenchDev01';
const BOARD_DN = 'board1';
const SDK_DN = 'sdk1';
const SECRET = '0123456789abcdef0123456789abcdef';

interface RunResult extends LatencySummary {
  postsPerSec: number;
  errors: number;
  lastError: unknown;
  /** Post -> reply latencies in ms. */
  lat: number[];
}

/** One figure from several runs of a client: mean posts/s, latencies pooled. */
function pooled(runs: RunResult[]): RunResult {
  const lat = runs.flatMap((r) => r.lat);
  return {
    ...summarise(lat),
    lat,
    postsPerSec: runs.reduce((t, r) => t + r.postsPerSec, 0) / runs.length,
    errors: runs.reduce((t, r) => t + r.errors, 0),
    lastError: runs.map((r) => r.lastError).filter(Boolean).pop() ?? 0,
  };
}

function registry(): RegistryFile {
  return {
    products: [{
      productKey: PK, productSecret: 'benchProductSecret', nodeType: 'device',
      tsl: { properties: [{ identifier: 'Temp', dataType: { type: 'float' } }, { identifier: 'Count', dataType: { type: 'int' } }] },
    }],
    devices: [BOARD_DN, SDK_DN].map((dn) => ({ productKey: PK, deviceName: dn, deviceSecret: SECRET })),
  } as RegistryFile;
}

/** The board app: B.go(window) keeps `window` posts outstanding until B.stop. */
const BOARD_APP = (port: number) => `
  var aliyunIoT = require("aliyunIoT");
  var device = new aliyunIoT.Device();
  B = { up: 0, n: 0, errors: 0, lastError: 0, stop: 0, seq: 0, lat: [] };
  device.on(device.ON_CONNECT, function () { B.up = 1; });
  device.on(device.ON_ERROR, function (d) { B.errors++; B.lastError = d.code + " " + d.message; });
  B.one = function () {
    if (B.stop) return;
    var t = Date.now();
    var r = device.postProps({ params: { Temp: 21.5, Count: ++B.seq } }, function (d) {
      if (d.code) { B.errors++; B.lastError = d.code; } else { B.n++; B.lat.push(Date.now() - t); }
      B.one();
    });
    if (r) setTimeout(B.one, 1);
  };
  B.go = function (w) { B.stop = 0; for (var i = 0; i < w; i++) B.one(); };
  device.connect({ productKey: "${PK}", deviceName: "${BOARD_DN}", deviceSecret: "${SECRET}",
    host: "127.0.0.1", port: ${port}, tls: false, keepaliveSec: 60 });
`;

async function boardRun(cloud: RunningCloud, window: number, seconds = SECONDS): Promise<RunResult> {
  const board = await benchBoard();
  try {
    board.run(BOARD_APP(cloud.mqttPort));
    await board.waitFor(() => board.global.B.up === 1, 10000);
    const B = board.global.B;
    board.run(`B.go(${window});`);
    await sleep(WARMUP_MS);
    board.run('B.n = 0; B.lat = []; B.errors = 0;');
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const n = B.n;
    const elapsed = (performance.now() - t0) / 1000;
    const lat = Array.from(B.lat as ArrayLike<number>).slice(0, n);
    board.run('B.stop = 1;');
    return { ...summarise(lat), lat, postsPerSec: n / elapsed, errors: B.errors, lastError: B.lastError };
  } finally {
    await board.close();
  }
}

/** Resolves once the emulator granted the SDK's subscription ending in `suffix`. */
async function subscribed(cloud: RunningCloud, dn: string, suffix: string): Promise<void> {
  for (;;) {
    const s = cloud.core.sessions.get(`${PK}/${dn}`);
    if (s && [...s.filters.keys()].some((f: string) => f.endsWith(suffix))) return;
    await sleep(5);
  }
}

async function sdkRun(cloud: RunningCloud, window: number, seconds = SECONDS): Promise<RunResult> {
  const device = iot.device({ productKey: PK, deviceName: SDK_DN, deviceSecret: SECRET, brokerUrl: `mqtt://127.0.0.1:${cloud.mqttPort}` });
  try {
    await new Promise<void>((resolve, reject) => {
      device.once('connect', () => resolve());
      device.once('error', reject);
    });
    await subscribed(cloud, SDK_DN, 'property/post_reply');
    let stop = false;
    let n = 0;
    let errors = 0;
    let lastError: unknown = 0;
    let seq = 0;
    let lat: number[] = [];
    const one = () => {
      if (stop) return;
      const t = performance.now();
      device.postProps({ Temp: 21.5, Count: ++seq }, (res: any) => {
        if (res && res.code === 200) {
          n++;
          lat.push(performance.now() - t);
        } else {
          errors++;
          lastError = res && res.code;
        }
        one();
      });
    };
    for (let i = 0; i < window; i++) one();
    await sleep(WARMUP_MS);
    n = 0;
    lat = [];
    errors = 0;
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const done = n;
    const elapsed = (performance.now() - t0) / 1000;
    stop = true;
    const kept = lat.slice(0, done);
    return { ...summarise(kept), lat: kept, postsPerSec: done / elapsed, errors, lastError };
  } finally {
    device.end(true);
  }
}

const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '-').padStart(8);

function line(window: number, who: string, r: RunResult): string {
  const err = r.errors ? `   errors ${r.errors} (last ${r.lastError})` : '';
  return `  window ${String(window).padStart(2)}  ${who.padEnd(28)} ${f(r.postsPerSec, 0)} posts/s   p50 ${f(r.p50, 2)} ms   p99 ${f(r.p99, 2)} ms${err}`;
}

async function main(): Promise<void> {
  const sizes = JSON.parse(fs.readFileSync(path.join(BUILD_DIR, 'sizes.json'), 'utf8'));
  const full = sizes.aliyunIoT;
  const deviceOnly = sizes['aliyunIoT-device'];
  console.log(`Bundle: aliyunIoT.min.js ${full.min} B (gzip ${full.gzip} B)` + (deviceOnly ? `; Device-only build aliyunIoT-device.min.js ${deviceOnly.min} B (gzip ${deviceOnly.gzip} B)` : ''));
  console.log(`Property posts to the emulator, each completed by its cloud reply; ${SECONDS} s per run after ${WARMUP_MS} ms warm-up`);
  console.log('  board: SimBoard + aliyunIoT.min.js, device.postProps({params}, cb), QoS 1');
  console.log('  SDK:   alibabacloud-iot-device-sdk 1.2.8 in Node, device.postProps(params, cb), QoS 0');
  console.log('  order per window: board, SDK, SDK, board (means of two runs each), after both warmed the emulator');
  const cloud = await start({ registry: registry(), logCapacity: 1000 });
  const ratios: number[] = [];
  try {
    // Warm-up, not measured: both clients' paths through the emulator get compiled.
    for (const window of WINDOWS) {
      await boardRun(cloud, window, 1);
      await sdkRun(cloud, window, 1);
    }
    for (const window of WINDOWS) {
      const b1 = await boardRun(cloud, window);
      const s1 = await sdkRun(cloud, window);
      const s2 = await sdkRun(cloud, window);
      const b2 = await boardRun(cloud, window);
      const board = pooled([b1, b2]);
      const sdk = pooled([s1, s2]);
      const ratio = board.postsPerSec / sdk.postsPerSec;
      ratios.push(ratio);
      console.log(line(window, 'SimBoard (aliyunIoT.min.js)', board));
      console.log(line(window, 'Node SDK 1.2.8', sdk));
      console.log(`  window ${String(window).padStart(2)}  ratio board/SDK              ${f(ratio, 2)} x posts/s   p50 ${f(board.p50 / sdk.p50, 2)} x    p99 ${f(board.p99 / sdk.p99, 2)} x`);
    }
    const lastCount = (dn: string) => cloud.api.properties(PK, dn).Count?.value;
    console.log(`  emulator's last stored Count: board ${lastCount(BOARD_DN)}, SDK ${lastCount(SDK_DN)} (the posts reached the thing model)`);
    const met = ratios.every((r) => r >= 1);
    console.log(`  DESIGN budget "board posts/s >= SDK's": ${met ? 'met' : 'not met'} in this run (ratios ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  } finally {
    await cloud.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
