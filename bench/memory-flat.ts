/**
 * JsVars after a long run on the Espruino interpreter: a Device with the module in Storage (as
 * `npm run flash` installs it) posts QoS 1 property reports (8 outstanding, the next from each
 * callback) to the cloud emulator, which drops the connection at regular intervals; the module
 * reconnects by itself. Prints the JsVars in use above what the interpreter used just before
 * require("aliyunIoT"), read in a timer callback once the script's top level has run (as
 * bench/memory.ts counts), once connected and idle, and again once every
 * post is answered and the device is idle: the two must match (test/faults/memory-flat checks
 * the same on SimBoard in CI). The module is written to Storage by an earlier run, as
 * `npm run flash` installs it, so the script holds no copy of it.
 *
 *   ESPRUINO=/path/to/espruino npx tsx bench/memory-flat.ts [posts, default 10000] [reconnects, default 100]
 *
 * Runs the interpreter named by the ESPRUINO environment variable (an ESP32-like 32-bit Linux
 * build of Espruino 2v29); without one it says so and exits 0. Needs build/ (npm run build).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { start } from '../sim/cloud';
import { espruinoDir, storeFile } from './support/espruino';

const ROOT = path.resolve(__dirname, '..');
const PK = 'a1BenchFlat';
const DN = 'flat001';
/** A bench fixture, not a real credential. */
const SECRET = 'benchFlatSecret0123456789abcdef0';
const POSTS = Number(process.argv[2]) || 10000;
const RECONNECTS = Number(process.argv[3]) || 100;

function deviceScript(mqttPort: number): string {
  return `
var base = 0, iot, device;
var F = { connects: 0, next: 0, open: 0, answered: 0, failed: 0, go: false };
function pump() {
  while (F.go && F.open < 8 && F.next < ${POSTS}) {
    F.open++;
    var r = device.postProps({ params: { Seq: F.next++ } }, done);
    if (r !== 0) { F.open--; F.answered++; F.failed++; }
  }
  if (F.answered === ${POSTS}) finish();
}
function done(d) { F.open--; F.answered++; if (d.code) F.failed++; pump(); }
// Idle: the reply table's tick has found it empty and stopped (ticks are 1 s).
function idle(then) { setTimeout(then, 2500); }
function finish() {
  F.go = false;
  idle(function () { print("AFTER " + (process.memory().usage - base) + " " + F.connects + " " + F.failed); });
}
function main() {
base = process.memory().usage;
iot = require("aliyunIoT");
device = new iot.Device();
device.on(device.ON_CONNECT, function () {
  F.connects++;
  if (F.connects === 1) {
    device.postProps({ params: { Seq: -1 } }, function () {
      idle(function () { print("BEFORE " + (process.memory().usage - base)); F.go = true; pump(); });
    });
  }
  pump();
});
device.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${mqttPort}, tls: false });
}
setTimeout(main, 1);
`;
}

async function main(): Promise<void> {
  const espruino = process.env.ESPRUINO;
  if (!espruino || !fs.existsSync(espruino)) {
    console.log('memory-flat: no interpreter (set ESPRUINO to an Espruino Linux build): nothing measured');
    return;
  }
  const cloud = await start({ registry: { products: [{ productKey: PK, productSecret: 'benchFlatProductSe', nodeType: 'device' }], devices: [{ productKey: PK, deviceName: DN, deviceSecret: SECRET }] } });
  const every = Math.floor(POSTS / (RECONNECTS + 1));
  let seen = 0;
  let drops = 0;
  cloud.api.on('properties', (e) => {
    if (e.deviceName !== DN || e.params.Seq === -1) return;
    seen++;
    if (drops < RECONNECTS && seen >= every * (drops + 1)) {
      drops++;
      cloud.api.dropConnection(PK, DN);
    }
  });
  const dir = espruinoDir('flat-bench-');
  await storeFile(espruino, dir, 'aliyunIoT', fs.readFileSync(path.join(ROOT, 'build/aliyunIoT.min.js')));
  const script = path.join(dir, 'app.js');
  fs.writeFileSync(script, deviceScript(cloud.mqttPort), 'latin1');
  const child = spawn(espruino, [script], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const t0 = Date.now();
  try {
    const r = await new Promise<{ before: number; after: number; connects: number; failed: number }>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('no result within 3600 s:\n' + out.slice(-2000))), 3600000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('latin1');
        const b = /BEFORE (\d+)/.exec(out);
        const a = /AFTER (\d+) (\d+) (\d+)/.exec(out);
        if (b && a) {
          clearTimeout(timer);
          resolve({ before: +b[1], after: +a[1], connects: +a[2], failed: +a[3] });
        }
      });
    });
    console.log(`memory-flat on ${espruino} (module in Storage): ${POSTS} posts, ${r.connects - 1} reconnects, ${r.failed} reported failed, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    console.log(`JsVars added after require, idle: before ${r.before}   after ${r.after}   difference ${r.after - r.before}`);
  } finally {
    child.kill();
    await cloud.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
