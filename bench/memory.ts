/**
 * RAM of the module on the Espruino interpreter, as a board runs it: the module in Storage (as
 * `npm run flash` installs it), then a fresh interpreter that requires it and connects to the
 * cloud emulator. Printed, and written to bench/figures.json under "interpreter", in JsVars
 * added after require("aliyunIoT"):
 *   moduleAlone        the module loaded, nothing created
 *   moduleAndDevice    + one Device connected and idle
 *   moduleAndGateway   + one Gateway instead, connected and idle
 *   deviceOnlyBuild    build/aliyunIoT-device.min.js + one Device connected and idle
 * and bundleMinBytes, the size of the aliyunIoT.min.js measured (which build the figures are of).
 *
 * What is counted: process.memory().usage (JsVars in use, after the garbage collection it runs)
 * once the scenario has settled, minus the same just before require("aliyunIoT"), minus what
 * the same script shows without the module (the bench's own few JsVars). Both readings are
 * taken in timer callbacks, after the script's top level has run: the interpreter holds the
 * whole script text while its top level runs and frees it after, which would otherwise come
 * off the figure (about 1 JsVar per 10 characters of script).
 *
 *   ESPRUINO=/path/to/espruino npx tsx bench/memory.ts
 *
 * Runs the interpreter named by the ESPRUINO environment variable (an ESP32-like 32-bit Linux
 * build of Espruino 2v29); without one it says so, writes nothing and exits 0. Needs build/.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { start, type RunningCloud } from '../sim/cloud';
import { writeFigures } from './support/figures';

const ROOT = path.resolve(__dirname, '..');
const PK = 'a1BenchMem1';
const GW_PK = 'a1BenchMemG';
/** Bench fixtures, not real credentials. */
const SECRET = 'benchMemSecret0123456789abcdef01';

function run(espruino: string, dir: string, script: string, until: RegExp): Promise<string> {
  const file = path.join(dir, 'app.js');
  fs.writeFileSync(file, script, 'latin1');
  const child = spawn(espruino, [file], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('no result within 300 s:\n' + out.slice(-2000)));
    }, 300000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      const m = until.exec(out);
      if (m) {
        clearTimeout(timer);
        child.kill();
        resolve(m[1]);
      }
    });
  });
}

/** Writes `bundle` into the Storage of a fresh interpreter folder (one run), and returns the folder. */
async function flashed(espruino: string, bundle: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mem-bench-'));
  const b64 = Buffer.from(fs.readFileSync(path.join(ROOT, 'build', bundle), 'latin1'), 'latin1').toString('base64');
  await run(espruino, dir, `require("Storage").write("aliyunIoT", atob(${JSON.stringify(b64)}));print("FLASHED ok");`, /FLASHED (ok)/);
  return dir;
}

/**
 * JsVars above the pre-require usage once `create` (a script fragment that ends by calling
 * settle()) has run and settled; with `load` false, the module is not required (the bench's own
 * share, subtracted from the others).
 */
async function measure(espruino: string, bundle: string, create: string, load = true): Promise<number> {
  const dir = await flashed(espruino, bundle);
  try {
    const script = `
var before = 0, iot, d;
function report() { print("USED " + (process.memory().usage - before)); }
function settle() { setTimeout(report, 500); }
function start() {
  before = process.memory().usage;
  ${load ? 'iot = require("aliyunIoT");' : ''}
  ${create}
}
setTimeout(start, 1);
`;
    return Number(await run(espruino, dir, script, /USED (-?\d+)\r?\n/));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function connectScript(cls: 'Device' | 'Gateway', pk: string, dn: string, port: number): string {
  return `
d = new iot.${cls}();
d.on(d.ON_CONNECT, settle);
d.connect({ productKey: "${pk}", deviceName: "${dn}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${port}, tls: false });
`;
}

async function main(): Promise<void> {
  const espruino = process.env.ESPRUINO;
  if (!espruino || !fs.existsSync(espruino)) {
    console.log('memory: no interpreter (set ESPRUINO to an Espruino Linux build): nothing measured');
    return;
  }
  let cloud: RunningCloud | undefined;
  try {
    cloud = await start({
      registry: {
        products: [
          { productKey: PK, productSecret: 'benchMemProductSecret', nodeType: 'device' },
          { productKey: GW_PK, productSecret: 'benchMemGatewaySecret', nodeType: 'gateway' },
        ],
        devices: [
          { productKey: PK, deviceName: 'mem001', deviceSecret: SECRET },
          { productKey: GW_PK, deviceName: 'gw001', deviceSecret: SECRET },
        ],
      },
    });
    const port = cloud.mqttPort;
    const own = await measure(espruino, 'aliyunIoT.min.js', 'settle();', false);
    const figures = {
      moduleAlone: (await measure(espruino, 'aliyunIoT.min.js', 'settle();')) - own,
      moduleAndDevice: (await measure(espruino, 'aliyunIoT.min.js', connectScript('Device', PK, 'mem001', port))) - own,
      moduleAndGateway: (await measure(espruino, 'aliyunIoT.min.js', connectScript('Gateway', GW_PK, 'gw001', port))) - own,
      deviceOnlyBuild: (await measure(espruino, 'aliyunIoT-device.min.js', connectScript('Device', PK, 'mem001', port))) - own,
    };
    console.log(`JsVars added after require("aliyunIoT"), module in Storage, on ${path.basename(espruino)} (the bench's own ${own} taken off)`);
    for (const [k, v] of Object.entries(figures)) console.log('  ' + k.padEnd(18) + String(v).padStart(6));
    const bundleMinBytes = fs.statSync(path.join(ROOT, 'build/aliyunIoT.min.js')).size;
    writeFigures('interpreter', { interpreter: 'Espruino 2v29 for Linux, 32-bit, 16,383 variables of 14 bytes, no unicode (the ESP32 variable format)', bundleMinBytes, ...figures });
  } finally {
    await cloud?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
