/**
 * RAM of an OTA download on the Espruino interpreter: a Device with the module in Storage (as
 * `npm run flash` installs it) gets an upgrade notice from the cloud emulator, downloads the
 * package over HTTPS into Storage and verifies its md5; the interpreter samples
 * process.memory().usage every 10 ms. Printed per package size: JsVars before the notice, the
 * peak during download and verification, the peak above the baseline, and what one bare HTTPS
 * GET costs on the same build (its TLS buffers). The download keeps one 1 KB block in RAM, so
 * the peak must not grow with the package.
 *
 *   ESPRUINO=/path/to/espruino npx tsx bench/ota-memory.ts [sizes in KB, default 1 100]
 *
 * Runs the interpreter named by the ESPRUINO environment variable (an ESP32-like 32-bit Linux
 * build of Espruino 2v29); without one it says so and exits 0. Needs build/ (npm run build).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { start } from '../sim/cloud';
import { isRefusal } from '../sim/cloud/ota-store';

const ROOT = path.resolve(__dirname, '..');
const PK = 'a1BenchOta1';
const DN = 'ota001';
/** A bench fixture, not a real credential. */
const SECRET = 'benchOtaSecret0123456789abcdef01';

function deviceScript(module: string, mqttPort: number, httpsPort: number): string {
  // The module goes into Storage first, so its functions run from flash as on the board.
  return `
require("Storage").write("aliyunIoT", atob(${JSON.stringify(Buffer.from(module, 'latin1').toString('base64'))}));
var iot = require("aliyunIoT");
var device = new iot.Device();
var base = 0, peak = 0, sampler;
device.on(device.ON_CONNECT, function () {
  device.reportVersion("default", "1.0.0");
  setTimeout(function () { base = process.memory().usage; print("READY " + base); }, 300);
});
device.on(device.ON_ERROR, function (e) { print("ERROR " + e.code + " " + e.message); });
device.on(device.ON_OTA, function (o) {
  peak = process.memory().usage;
  sampler = setInterval(function () { var u = process.memory().usage; if (u > peak) peak = u; }, 10);
  o.accept(function (p) {
    var u = process.memory().usage;
    if (u > peak) peak = u;
    if (p.step == 100 || p.code) { clearInterval(sampler); print("DONE " + p.step + " " + p.code + " " + base + " " + peak); }
  });
});
// What one HTTPS GET costs by itself on this build (a refused download: 403 and a short body).
var tlsBase = process.memory().usage, tlsPeak = tlsBase;
var tlsSampler = setInterval(function () { var u = process.memory().usage; if (u > tlsPeak) tlsPeak = u; }, 10);
var probe = require("http").request({ protocol: "https:", host: "127.0.0.1", port: ${httpsPort}, path: "/ota/none/x", method: "GET" }, function (res) {
  var u = process.memory().usage;
  if (u > tlsPeak) tlsPeak = u;
  res.on("data", function () { var u = process.memory().usage; if (u > tlsPeak) tlsPeak = u; });
  res.on("close", function () {
    clearInterval(tlsSampler);
    print("HTTPS " + (tlsPeak - tlsBase));
    setTimeout(function () {
      device.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${mqttPort}, tls: false });
    }, 100);
  });
});
probe.end();
`;
}

async function measure(espruino: string, kb: number): Promise<{ base: number; peak: number; https: number }> {
  const cloud = await start({ registry: { products: [{ productKey: PK, productSecret: 'benchOtaProductSecret', nodeType: 'device' }], devices: [{ productKey: PK, deviceName: DN, deviceSecret: SECRET }] } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ota-bench-'));
  const script = path.join(dir, 'app.js');
  fs.writeFileSync(script, deviceScript(fs.readFileSync(path.join(ROOT, 'build/aliyunIoT.min.js'), 'latin1'), cloud.mqttPort, cloud.httpsPort), 'latin1');
  const child = spawn(espruino, [script], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    return await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error("no result within 600 s:\n" + out.slice(-2000))), 600000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('latin1');
        if (/READY \d+/.test(out) && !out.includes('STARTED')) {
          out += 'STARTED';
          const bytes = Buffer.alloc(kb * 1024);
          for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 1) & 255;
          const pkg = cloud.api.addOtaPackage({ productKey: PK, version: '2.0.0', bytes });
          const job = isRefusal(pkg) ? pkg : cloud.api.startOta(PK, DN, pkg.id);
          if (isRefusal(job)) reject(new Error(job.error));
        }
        const m = /DONE (-?\d+) (-?\d+) (\d+) (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          if (m[1] !== '100') reject(new Error('download failed: step ' + m[1] + ' code ' + m[2]));
          else resolve({ base: +m[3], peak: +m[4], https: Number((/HTTPS (\d+)/.exec(out) ?? [])[1]) });
        }
      });
    });
  } finally {
    child.kill();
    await cloud.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const espruino = process.env.ESPRUINO;
  if (!espruino || !fs.existsSync(espruino)) {
    console.log('ota-memory: no interpreter (set ESPRUINO to an Espruino Linux build): nothing measured');
    return;
  }
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  console.log('OTA download RAM on ' + espruino + ' (module in Storage, md5-signed package, 1 KB blocks)');
  console.log('package KB   JsVars before   peak   peak - before   of which one HTTPS GET');
  for (const kb of sizes.length ? sizes : [1, 100]) {
    const r = await measure(espruino, kb);
    console.log(String(kb).padStart(10) + String(r.base).padStart(16) + String(r.peak).padStart(7) + String(r.peak - r.base).padStart(16) + String(r.https).padStart(25));
  }
  console.log('(on this Linux build TLS buffers are JsVars; on an ESP32 they come from the native heap, about 40 KB a connection)');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
