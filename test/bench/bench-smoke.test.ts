/**
 * Every bench runs in a tiny configuration and prints its figure lines with finite numbers.
 * No thresholds on speed or size: the benches measure, the build's gate and the other tests
 * judge. Needs build/ (npm test builds first).
 */
import { execFile } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const NUMBER = '(-?[0-9]+(?:\\.[0-9]+)?)';

function runBench(name: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', name), ...args], { cwd: ROOT, timeout: 90000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`bench/${name} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The numbers the line matching `pattern` (with NUMBER groups) printed; each must be finite. */
function figures(out: string, pattern: string): number[] {
  const m = new RegExp(pattern).exec(out);
  if (!m) throw new Error(`no line matches /${pattern}/ in:\n${out}`);
  const values = m.slice(1).map(Number);
  for (const v of values) expect(Number.isFinite(v)).toBe(true);
  return values;
}

test('size: bytes per build, budget, Device-only build, bytes per source module', async () => {
  const out = await runBench('size.ts', []);
  figures(out, `aliyunIoT\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}`);
  figures(out, `aliyunIoT-device\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}`);
  figures(out, `enforced ceiling ${NUMBER} B`);
  expect(figures(out, `design target\\s+${NUMBER} B`)).toEqual([16384]);
  figures(out, `Device-only build \\(aliyunIoT-device.min.js\\): ${NUMBER} B min`);
  figures(out, `src/mqtt/session.ts\\s+${NUMBER}\\s+${NUMBER}%\\s+${NUMBER}`);
  figures(out, `src/gateway.ts\\s+${NUMBER}\\s+${NUMBER}%`);
  figures(out, `attributed total ${NUMBER} B vs build/aliyunIoT.min.js ${NUMBER} B`);
}, 60000);

test('device: board and SDK posts/s with p50/p99, side by side, and their ratio', async () => {
  const out = await runBench('device.ts', ['0.3']);
  for (const w of [' 1', '16']) {
    figures(out, `window ${w}  SimBoard \\(aliyunIoT.min.js\\)\\s+${NUMBER} posts/s\\s+p50\\s+${NUMBER} ms\\s+p99\\s+${NUMBER} ms`);
    figures(out, `window ${w}  Node SDK 1.2.8\\s+${NUMBER} posts/s\\s+p50\\s+${NUMBER} ms\\s+p99\\s+${NUMBER} ms`);
    figures(out, `window ${w}  ratio board/SDK\\s+${NUMBER} x posts/s`);
  }
  figures(out, `Device-only build aliyunIoT-device.min.js ${NUMBER} B`);
}, 90000);

test('gateway: topology add, login, posts/s and JsVars per sub-device', async () => {
  const out = await runBench('gateway.ts', ['10', '5', '0.3', '4']);
  figures(out, `topology add\\s+10 sub-devices in ${NUMBER} s`);
  figures(out, `login\\s+5 sub-devices in ${NUMBER} s`);
  figures(out, `property posts\\s+${NUMBER} posts/s`);
  figures(out, `JsVars per logged-in sub-device: measured ${NUMBER} \\(${NUMBER} B\\); estimate ${NUMBER}`);
}, 90000);

test('cloud: closed loop and fixed rate, each with p50/p99', async () => {
  const out = await runBench('cloud.ts', ['10', '5', '5']);
  figures(out, `property posts\\s+${NUMBER} in ${NUMBER} s -> ${NUMBER} posts/s`);
  figures(out, `fixed rate\\s+5 posts/s per device -> 50 posts/s offered`);
  const latency = /reply latency\s+p50 (\S+) ms\s+p99 (\S+) ms/g;
  const lines = [...out.matchAll(latency)];
  expect(lines).toHaveLength(2);
  for (const l of lines) for (const v of [l[1], l[2]]) expect(Number.isFinite(Number(v))).toBe(true);
}, 90000);

test('mqtt: round trips per second on SimBoard and in Node', async () => {
  const out = await runBench('mqtt.ts', ['0.3']);
  figures(out, `one at a time\\s+SimBoard bundle: ${NUMBER}/s\\s+Node \\(TS source\\): ${NUMBER}/s`);
  figures(out, `window of 16\\s+SimBoard bundle: ${NUMBER}/s\\s+Node \\(TS source\\): ${NUMBER}/s`);
}, 60000);

test('faults: per fault tried / delivered / duplicated / reported failed / lost silently', async () => {
  const out = await runBench('faults.ts', ['20', 'chunks,cut,restart']);
  for (const name of ['1-byte chunks', 'cut every 2 s', 'emulator restarted twice']) {
    const [tried] = figures(out, `${name}\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}\\s+${NUMBER}`);
    expect(tried).toBe(20);
  }
  figures(out, `lost silently in all: ${NUMBER}`);
}, 90000);

test('interpreter: without ESPRUINO it says so and exits 0 (the interpreter is never a test dependency)', async () => {
  const saved = process.env.ESPRUINO;
  delete process.env.ESPRUINO;
  try {
    const out = await runBench('interpreter.ts', []);
    expect(out).toMatch(/no interpreter given \(set ESPRUINO=/);
  } finally {
    if (saved !== undefined) process.env.ESPRUINO = saved;
  }
}, 90000);
