/**
 * A gateway at the platform's scale, through SimBoard against the emulator: 2,000 sub-devices
 * (the platform's topology limit) added to the gateway's topology, 200 of them logged in, then
 * those 200 post properties through the gateway's one connection (a fixed window of posts
 * outstanding, round robin over the 200; a post completes with its cloud reply).
 *
 * Memory: E.getSizeOf(gateway) (SimBoard's JsVar model) before and after the login of the 200
 * gives the RAM each logged-in sub-device costs the module; an estimate from the key length of
 * the module's login table (one entry per logged-in sub-device) is printed next to it.
 *
 *   npm run bench:gateway             (builds first)
 *   npx tsx bench/gateway.ts [subDevices = 2000] [loggedIn = 200] [seconds posting = 3] [window = 16]
 *
 * Prints figures; never fails on time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { SimBoard } from '../sim/board';
import { start, type RegistryFile } from '../sim/cloud';
import { benchBoard, BUILD_DIR } from './support/bench-board';
import { packedPropertyJsVars } from './support/jsvar-estimate';
import { summarise } from './support/latency';
import { sleep } from './support/sleep';

const SUBDEVICES = Number(process.argv[2]) || 2000;
const LOGGED_IN = Math.min(SUBDEVICES, Number(process.argv[3]) || 200);
const SECONDS = Number(process.argv[4]) || 3;
const WINDOW = Number(process.argv[5]) || 16;
/** A full list the module cannot send at once falls back to calls of this many devices. */
const FALLBACK_BATCH = 300;
const GW_PK = 'a1BenchGw01';
const SUB_PK = 'a1BenchSub1';
const GW_DN = 'gw1';
const GW_SECRET = 'fedcba9876543210fedcba9876543210';
const BYTES_PER_JSVAR = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../boards/esp32.json'), 'utf8')).memory.bytesPerJsVar as number;

const subName = (i: number) => 's' + String(i).padStart(4, '0');
const subSecret = (i: number) => ('sub' + i + 'Secret0123456789abcdef0123456789').slice(0, 32);

function registry(): RegistryFile {
  const devices = [{ productKey: GW_PK, deviceName: GW_DN, deviceSecret: GW_SECRET }];
  for (let i = 0; i < SUBDEVICES; i++) devices.push({ productKey: SUB_PK, deviceName: subName(i), deviceSecret: subSecret(i) });
  return {
    products: [
      { productKey: GW_PK, productSecret: 'benchGwProductSecret', nodeType: 'gateway' },
      { productKey: SUB_PK, productSecret: 'benchSubProductSecret', nodeType: 'subdevice', tsl: { properties: [{ identifier: 'Temp', dataType: { type: 'float' } }, { identifier: 'Count', dataType: { type: 'int' } }] } },
    ],
    devices,
  } as RegistryFile;
}

/** The board app. G holds its state; the bench drives it step by step. */
const BOARD_APP = (port: number) => `
  var aliyunIoT = require("aliyunIoT");
  var gateway = new aliyunIoT.Gateway();
  G = { up: 0, topo: [], login: [], errors: 0, lastError: "", n: 0, seq: 0, stop: 0, lat: [], posted: {} };
  gateway.on(gateway.ON_CONNECT, function () { G.up = 1; });
  gateway.on(gateway.ON_ERROR, function (d) { G.errors++; G.lastError = d.code + " " + d.message; });
  gateway.on(gateway.ON_TOPOADD, function (code) { G.topo.push(code); });
  gateway.on(gateway.ON_LOGIN, function (code) { G.login.push(code); });
  G.one = function () {
    if (G.stop) return;
    var dn = G.names[G.seq % G.names.length];
    var t = Date.now();
    var r = gateway.postProps({ productKey: "${SUB_PK}", deviceName: dn, params: { Temp: 21.5, Count: ++G.seq } }, function (d) {
      if (d.code) { G.errors++; G.lastError = d.code + " postProps"; } else { G.n++; G.lat.push(Date.now() - t); G.posted[dn] = 1; }
      G.one();
    });
    if (r) setTimeout(G.one, 1);
  };
  gateway.connect({ productKey: "${GW_PK}", deviceName: "${GW_DN}", deviceSecret: "${GW_SECRET}",
    host: "127.0.0.1", port: ${port}, tls: false, keepaliveSec: 60 });
`;

/** Runs `call` on the board (it returns the module's code) and waits for `events` to grow by one. */
async function operation(board: SimBoard, events: string, call: string, timeoutMs: number): Promise<{ code: number; eventCode?: number; ms: number }> {
  const before = board.global.G[events].length;
  const t0 = performance.now();
  const code = board.run(call) as number;
  if (code) return { code, ms: performance.now() - t0 };
  await board.waitFor(() => board.global.G[events].length > before, timeoutMs);
  return { code, eventCode: board.global.G[events][before], ms: performance.now() - t0 };
}

/** The object reachable from `root` (a few levels down) that has `key` as an own property. */
function findTable(root: any, key: string, depth = 3, seen = new Set<any>()): any {
  if (!root || typeof root !== 'object' || seen.has(root) || depth < 0) return undefined;
  seen.add(root);
  if (Object.prototype.hasOwnProperty.call(root, key)) return root;
  for (const k of Object.keys(root)) {
    const found = findTable(root[k], key, depth - 1, seen);
    if (found) return found;
  }
  return undefined;
}

async function main(): Promise<void> {
  const sizes = JSON.parse(fs.readFileSync(path.join(BUILD_DIR, 'sizes.json'), 'utf8'));
  console.log(`Gateway through SimBoard (aliyunIoT.min.js ${sizes.aliyunIoT.min} B) against the emulator: ${SUBDEVICES} sub-devices in the topology, ${LOGGED_IN} logged in and posting`);
  const cloud = await start({ registry: registry(), logCapacity: 1000, replyTimeoutMs: 8000 });
  // The whole sub-device list is held in the board's RAM (about 15 JsVars an entry, measured on
  // the interpreter): past about 900 entries no board could; the meter is off, this bench
  // measures the module's speed and its own state, not the app's list.
  const board = await benchBoard(undefined, { memory: false });
  try {
    board.run(BOARD_APP(cloud.mqttPort));
    await board.waitFor(() => board.global.G.up === 1, 10000);
    const G = board.global.G;
    const list = Array.from({ length: SUBDEVICES }, (_, i) => ({ productKey: SUB_PK, deviceName: subName(i), deviceSecret: subSecret(i) }));
    board.run(`SUBS = ${JSON.stringify(list)};`);

    // Topology: the whole list in one call; the module splits it into requests of 30.
    const sizeEmpty = board.run('E.getSizeOf(gateway)') as number;
    let topo = await operation(board, 'topo', 'gateway.addTopo(SUBS)', 120000);
    let topoHow = `one addTopo call of ${SUBDEVICES}`;
    if (topo.code) {
      console.log(`  addTopo(list of ${SUBDEVICES}) returned ${topo.code} (ON_ERROR: ${G.lastError}); falling back to calls of ${FALLBACK_BATCH}`);
      await sleep(500); // let requests already sent finish
      const t0 = performance.now();
      for (let i = 0; i < SUBDEVICES; i += FALLBACK_BATCH) {
        const part = await operation(board, 'topo', `gateway.addTopo(SUBS.slice(${i}, ${i + FALLBACK_BATCH}))`, 120000);
        if (part.code || part.eventCode) throw new Error(`addTopo batch at ${i}: code ${part.code}, ON_TOPOADD ${part.eventCode}`);
      }
      topo = { code: 0, eventCode: 0, ms: performance.now() - t0 };
      topoHow = `${Math.ceil(SUBDEVICES / FALLBACK_BATCH)} addTopo calls of <= ${FALLBACK_BATCH}`;
    }
    if (topo.eventCode) throw new Error(`addTopo: ON_TOPOADD code ${topo.eventCode}`);
    const inTopology = cloud.api.topology(GW_PK, GW_DN).length;
    board.run('delete SUBS;');
    const sizeBeforeLogin = board.run('E.getSizeOf(gateway)') as number;

    // Login: names only (the secrets were kept in Storage by addTopo); split into batches of 50.
    const names = list.slice(0, LOGGED_IN).map((d) => d.deviceName);
    board.run(`G.names = ${JSON.stringify(names)};`);
    const login = await operation(board, 'login', `gateway.login(G.names.map(function (dn) { return { productKey: "${SUB_PK}", deviceName: dn }; }))`, 60000);
    if (login.code || login.eventCode) throw new Error(`login: code ${login.code}, ON_LOGIN ${login.eventCode} (${G.lastError})`);
    const online = cloud.api.subdevicesOnline(GW_PK, GW_DN).length;
    const sizeAfterLogin = board.run('E.getSizeOf(gateway)') as number;
    const table = findTable(board.global.gateway, `${SUB_PK}/${names[0]}`);
    const tableKeys = table ? Object.keys(table) : [];
    const sizeOf = board.run('E.getSizeOf') as (v: unknown) => number;
    const tableJsVars = table ? sizeOf(table) : NaN;
    const estimatePerSub = packedPropertyJsVars(`${SUB_PK}/${names[0]}`);

    // Posts: WINDOW outstanding, round robin over the logged-in sub-devices.
    board.run(`for (var i = 0; i < ${WINDOW}; i++) G.one();`);
    await sleep(300);
    board.run('G.n = 0; G.lat = []; G.errors = 0; G.posted = {};');
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const n = G.n as number;
    const elapsed = (performance.now() - t0) / 1000;
    const lat = summarise(Array.from(G.lat as ArrayLike<number>).slice(0, n));
    const devicesPosted = Object.keys(G.posted).length;
    board.run('G.stop = 1;');
    await sleep(50);

    // What one Storage write costs on SimBoard now that every sub-device has a secret file.
    const storageFiles = board.storage.list().length;
    const storageWriteMs = board.run(`(function () {
      var S = require("Storage"), t = Date.now();
      for (var i = 0; i < 10; i++) S.writeJSON("bench.probe", { i: i });
      S.erase("bench.probe");
      return (Date.now() - t) / 10;
    })()`) as number;

    const perSub = (sizeAfterLogin - sizeBeforeLogin) / LOGGED_IN;
    console.log(`  topology add     ${SUBDEVICES} sub-devices in ${(topo.ms / 1000).toFixed(2)} s (${topoHow}; ${(SUBDEVICES / (topo.ms / 1000)).toFixed(0)} devices/s); emulator topology holds ${inTopology}`);
    console.log(`                   (addTopo keeps each secret in a Storage file: ${storageFiles} files now; one Storage write on SimBoard takes ${storageWriteMs.toFixed(1)} ms with them, as SimBoard reads every file to count free space)`);
    console.log(`  login            ${LOGGED_IN} sub-devices in ${(login.ms / 1000).toFixed(2)} s (${Math.ceil(LOGGED_IN / 50)} batch logins of <= 50); emulator shows ${online} online`);
    console.log(`  property posts   ${(n / elapsed).toFixed(0)} posts/s over ${elapsed.toFixed(1)} s, window ${WINDOW}, ${devicesPosted} of ${LOGGED_IN} sub-devices posted; reply latency p50 ${lat.p50.toFixed(2)} ms p99 ${lat.p99.toFixed(2)} ms${G.errors ? `; errors ${G.errors} (last ${G.lastError})` : ''}`);
    console.log(`  memory (E.getSizeOf(gateway), JsVars of ${BYTES_PER_JSVAR} B): connected ${sizeEmpty}, after topology add ${sizeBeforeLogin} (${sizeBeforeLogin - sizeEmpty >= 0 ? '+' : ''}${sizeBeforeLogin - sizeEmpty}), after login ${sizeAfterLogin}`);
    console.log(`  JsVars per logged-in sub-device: measured ${perSub.toFixed(2)} (${(perSub * BYTES_PER_JSVAR).toFixed(0)} B); estimate ${estimatePerSub} (${estimatePerSub * BYTES_PER_JSVAR} B: one login-table key "${SUB_PK}/${names[0]}" of ${SUB_PK.length + 1 + names[0].length} chars, value packed)`);
    console.log(`  login table      ${tableKeys.length} keys, ${tableJsVars} JsVars; ${LOGGED_IN} logged in -> ${(perSub * LOGGED_IN).toFixed(0)} JsVars (${((perSub * LOGGED_IN * BYTES_PER_JSVAR) / 1024).toFixed(1)} KB); all ${SUBDEVICES} logged in -> ${(perSub * SUBDEVICES).toFixed(0)} JsVars`);
  } finally {
    await board.close();
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
