/**
 * `npm run sim -- app`: one's own on-board script on SimBoard against a cloud emulator started
 * for it, with Storage filled from the secrets file. examples/app.ts (TypeScript) runs end to
 * end here: built, connected, reporting, answering a property set and a service call.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSim, type RunningSim } from '../../tools/sim';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
/** Test fixtures, not real credentials. */
const MINE = { productKey: 'a1SimMine01', deviceName: 'mine001', deviceSecret: 'simMineSecret0123456789abcdef012', keepaliveSec: 60 };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-run-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function secretsFile(data: unknown): string {
  const p = path.join(dir, `secrets-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(p, JSON.stringify(data));
  return p;
}

describe('examples/app.ts on SimBoard against the emulator', () => {
  let sim: RunningSim;
  const lines: string[] = [];
  const printed = (text: string) => sim.board.waitFor(() => lines.some((l) => l.indexOf(text) >= 0), 15000);

  beforeAll(async () => {
    sim = await startSim({ app: path.join(ROOT, 'examples/app.ts'), secrets: secretsFile({ wifi: { ssid: 'ap', password: 'pw' }, device: MINE }), log: (l) => lines.push(l) });
  }, 60000);
  afterAll(() => sim.stop());

  test('the device of the secrets file is registered, connects and reports (the cloud acknowledges)', async () => {
    await printed('connected');
    await printed('reported ');
    expect(sim.cloud!.api.isOnline(MINE.productKey, MINE.deviceName)).toBe(true);
    expect(sim.storage.device).toMatchObject({ ...MINE, host: '127.0.0.1', port: sim.cloud!.mqttPort, tls: false });
  });

  test('a property set from the cloud reaches the app; a service call is answered with its outputs', async () => {
    await printed('connected');
    const set = await sim.cloud!.api.setProperties(MINE.productKey, MINE.deviceName, { LightSwitch: 1 });
    expect(set).toMatchObject({ status: 'reply', code: 200 });
    await printed('property set: {"LightSwitch":1}');
    const call = await sim.cloud!.api.invokeService(MINE.productKey, MINE.deviceName, 'Blink', { Times: 3 });
    expect(call).toMatchObject({ status: 'reply', code: 200, data: { Blinked: 3 } });
    await printed('blink x3');
    expect(sim.board.uncaught).toEqual([]);
  });
});

test('npm run sim with no secrets file uses a local test device and prints the board console; exit 0', () => {
  const r = spawnSync(TSX, [path.join(ROOT, 'tools/sim.ts'), path.join(ROOT, 'examples/device/connect.js'), '--secrets', path.join(dir, 'missing.json'), '--for', '4'], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('using the local test device');
  expect(r.stdout).toContain('物联网平台连接成功');
  expect(r.status).toBe(0);
});

test('npm run sim exits 1 when the script throws, and prints the uncaught exception as the board would', () => {
  const bad = path.join(dir, 'throws.js');
  fs.writeFileSync(bad, 'print("before");\nundefinedFunction();\n');
  const r = spawnSync(TSX, [path.join(ROOT, 'tools/sim.ts'), bad, '--secrets', path.join(dir, 'missing.json'), '--for', '1'], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  expect(r.stdout).toContain('before');
  expect(r.stdout).toMatch(/Uncaught .*undefinedFunction/);
  expect(r.status).toBe(1);
});

test('--cloud: an emulator already running is used as it is, nothing is started', async () => {
  const { start } = await import('../../sim/cloud');
  const cloud = await start({ registry: { products: [{ productKey: MINE.productKey, productSecret: 'x', nodeType: 'device' }], devices: [{ productKey: MINE.productKey, deviceName: MINE.deviceName, deviceSecret: MINE.deviceSecret }] } });
  const lines: string[] = [];
  const sim = await startSim({ app: path.join(ROOT, 'examples/device/connect.js'), secrets: secretsFile({ device: MINE }), cloud: `127.0.0.1:${cloud.mqttPort}`, log: (l) => lines.push(l) });
  try {
    expect(sim.cloud).toBeUndefined();
    await sim.board.waitFor(() => lines.indexOf('物联网平台连接成功') >= 0, 15000);
    expect(cloud.api.isOnline(MINE.productKey, MINE.deviceName)).toBe(true);
  } finally {
    await sim.stop();
    await cloud.stop();
  }
});

test('--cloud or --platform refuse a secrets file that still has placeholders', async () => {
  const example = path.join(ROOT, 'aliyunIoT.secrets.example.json');
  await expect(startSim({ app: path.join(ROOT, 'examples/device/connect.js'), secrets: example, cloud: '127.0.0.1:1', log: () => undefined })).rejects.toThrow(/placeholder values \(.*device\.productKey/);
});
