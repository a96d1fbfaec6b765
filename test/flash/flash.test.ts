/**
 * `npm run flash -- --dry-run`: what would be sent to the board, checked file by file, then
 * replayed on SimBoard, where the app must come up and connect to the cloud emulator.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SimBoard } from '../../sim/board';
import { start, type RunningCloud, type RegistryFile } from '../../sim/cloud';
import { cliArguments, firstUseNotice } from '../../tools/flash/espruino-cli';
import { loadFlashConfig } from '../../tools/flash/config';
import { planFlash } from '../../tools/flash/plan';
import { loadSecrets } from '../../tools/flash/secrets';
import { readDryRun, type DryRun } from './dry-run';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const PK = 'a1FlashTest';
const DN = 'flash001';
/** Test fixtures, not real credentials. */
const DEVICE_SECRET = 'flashTestSecret0123456789abcdef0';
const WIFI_PASSWORD = 'flash-test-wifi-password';

const registry: RegistryFile = {
  products: [{ productKey: PK, productSecret: 'flashTestProductSecret', nodeType: 'device' }],
  devices: [{ productKey: PK, deviceName: DN, deviceSecret: DEVICE_SECRET }],
};

let cloud: RunningCloud;
let dir: string;
let bundle: Buffer;
let secrets: any;
let configPath: string;
let sent: string;
let dryRun: DryRun;

/** Runs tools/flash.ts as `npm run flash` does, after the build. */
function flashTool(args: string[]) {
  return spawnSync(TSX, [path.join(ROOT, 'tools/flash.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
}

function writeConfig(name: string, overrides: Record<string, unknown> = {}): string {
  const p = path.join(dir, name);
  const config = {
    port: '/dev/ttyUSB0',
    baudRate: 115200,
    board: 'ESP32',
    module: { file: 'aliyunIoT.min.js', storageName: 'aliyunIoT' },
    secrets: { file: 'aliyunIoT.secrets.json', storageName: 'aliyunIoT.json' },
    wifi: { file: path.join(ROOT, 'examples/wifi.js'), storageName: '.boot0' },
    app: { file: path.join(ROOT, 'examples/device/connect.js'), storageName: '.bootcde' },
    ...overrides,
  };
  fs.writeFileSync(p, JSON.stringify(config));
  return p;
}

beforeAll(async () => {
  cloud = await start({ registry, replyTimeoutMs: 3000 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-test-'));
  // A snapshot of the build, so a rebuild running meanwhile cannot change what is compared.
  bundle = fs.readFileSync(path.join(ROOT, 'build/aliyunIoT.min.js'));
  fs.writeFileSync(path.join(dir, 'aliyunIoT.min.js'), bundle);
  secrets = {
    wifi: { ssid: 'flash-test-ap', password: WIFI_PASSWORD },
    device: { productKey: PK, deviceName: DN, deviceSecret: DEVICE_SECRET, keepaliveSec: 60, host: '127.0.0.1', port: cloud.mqttPort, tls: false },
  };
  fs.writeFileSync(path.join(dir, 'aliyunIoT.secrets.json'), JSON.stringify(secrets, null, 2));
  configPath = writeConfig('flash.config.json');
  const out = path.join(dir, 'dryrun.js');
  execFileSync(TSX, [path.join(ROOT, 'tools/flash.ts'), '--dry-run', '--config', configPath, '--out', out], { cwd: ROOT });
  sent = fs.readFileSync(out, 'latin1');
  dryRun = readDryRun(sent);
}, 60000);

afterAll(async () => {
  await cloud.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the dry run', () => {
  test('writes the module to Storage "aliyunIoT" byte for byte, in chunks of at most 384 bytes', () => {
    expect(dryRun.files.get('aliyunIoT')!.equals(bundle)).toBe(true);
    const chunks = sent.split('\n').filter((l) => l.startsWith('require("Storage").write("aliyunIoT",'));
    expect(chunks).toHaveLength(Math.ceil(bundle.length / 384));
  });

  test('writes exactly the four files, in order, then load() to boot them', () => {
    expect([...dryRun.files.keys()]).toEqual(['aliyunIoT', 'aliyunIoT.json', '.boot0', '.bootcde']);
    expect(dryRun.code).toEqual(['load()']);
    expect(sent.endsWith('\nload()\n')).toBe(true);
  });

  test('the text sent is ASCII, so nothing is lost on the serial line', () => {
    expect(/^[\x0a\x20-\x7e]*$/.test(sent)).toBe(true);
  });

  test('stores the Wi-Fi script as .boot0 and the app as .bootcde unchanged; the app loads the module by name', () => {
    expect(dryRun.files.get('.boot0')!.equals(fs.readFileSync(path.join(ROOT, 'examples/wifi.js')))).toBe(true);
    const app = dryRun.files.get('.bootcde')!;
    expect(app.equals(fs.readFileSync(path.join(ROOT, 'examples/device/connect.js')))).toBe(true);
    expect(app.toString('utf8')).toContain('require("aliyunIoT")');
  });

  test('the credentials go to Storage "aliyunIoT.json" only', () => {
    expect(JSON.parse(dryRun.files.get('aliyunIoT.json')!.toString('utf8'))).toEqual(secrets);
    for (const secret of [DEVICE_SECRET, WIFI_PASSWORD]) {
      expect(sent).not.toContain(secret);
      for (const [name, bytes] of dryRun.files) {
        if (name !== 'aliyunIoT.json') expect(bytes.toString('latin1')).not.toContain(secret);
      }
    }
  });

  test('an app that never uses the Gateway gets the Device-only build; one that does, the full module', () => {
    const both = fs.mkdtempSync(path.join(dir, 'builds-'));
    const deviceOnly = fs.readFileSync(path.join(ROOT, 'build/aliyunIoT-device.min.js'));
    fs.writeFileSync(path.join(both, 'aliyunIoT.min.js'), bundle);
    fs.writeFileSync(path.join(both, 'aliyunIoT-device.min.js'), deviceOnly);
    const moduleSent = (app: string) => {
      const p = writeConfig('both-' + path.basename(app) + '.config.json', { module: { file: path.join(both, 'aliyunIoT.min.js'), storageName: 'aliyunIoT' } });
      const out = path.join(both, path.basename(app) + '.dryrun.js');
      const r = flashTool(['--dry-run', '--config', p, '--app', app, '--out', out]);
      expect(r.status).toBe(0);
      return readDryRun(fs.readFileSync(out, 'latin1')).files.get('aliyunIoT')!;
    };
    expect(moduleSent(path.join(ROOT, 'examples/device/connect.js')).equals(deviceOnly)).toBe(true);
    expect(moduleSent(path.join(ROOT, 'examples/gateway/connect.js')).equals(bundle)).toBe(true);
  });

  test('an unknown option is refused', () => {
    const r = flashTool(['--dry-run', '--config', configPath, '--bogus']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unknown option --bogus');
  });
});

describe('refusals', () => {
  test('an app that contains a credential is not flashed', () => {
    const leaky = path.join(dir, 'leaky.js');
    fs.writeFileSync(leaky, `var aliyunIoT = require("aliyunIoT");\nnew aliyunIoT.Device().connect({productKey:"${PK}",deviceName:"${DN}",deviceSecret:"${DEVICE_SECRET}"});\n`);
    const out = path.join(dir, 'leaky-dryrun.js');
    const r = flashTool(['--dry-run', '--config', writeConfig('leaky.config.json', { app: { file: leaky, storageName: '.bootcde' } }), '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('contains a credential');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a .js app the interpreter could not run is refused by the bundle gate, before anything is sent', () => {
    const bad = path.join(dir, 'hoisting.js');
    fs.writeFileSync(bad, 'start();\nfunction start() { print("never on Espruino: no hoisting"); }\n');
    const out = path.join(dir, 'hoisting-dryrun.js');
    const r = flashTool(['--dry-run', '--config', configPath, '--app', bad, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/would fail on Espruino:\n.*"start" used before its declaration runs/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('a Storage name over 28 characters is refused (Espruino would truncate it)', () => {
    const p = writeConfig('long.config.json', { module: { file: 'aliyunIoT.min.js', storageName: 'a'.repeat(29) } });
    expect(() => loadFlashConfig(p)).toThrow(/1-28 characters/);
    expect(loadFlashConfig(writeConfig('ok.config.json', { module: { file: 'aliyunIoT.min.js', storageName: 'a'.repeat(28) } })).module.storageName).toHaveLength(28);
  });

  test('a missing secrets file says how to make one', () => {
    const p = writeConfig('nosecrets.config.json', { secrets: { file: 'absent.json', storageName: 'aliyunIoT.json' } });
    const r = flashTool(['--dry-run', '--config', p, '--out', path.join(dir, 'x.js')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('aliyunIoT.secrets.example.json');
  });
});

describe('flashing that tells the truth', () => {
  /** A stand-in for the espruino CLI: prints what FAKE_SAY says (as the real one does, it exits 0) and notes that it ran. */
  function fakeCli(): string[] {
    const p = path.join(dir, 'fake-espruino.js');
    fs.writeFileSync(p, 'require("fs").writeFileSync(process.env.FAKE_RAN, process.argv.slice(2).join(" "));\nconsole.log(process.env.FAKE_SAY);\n');
    return [process.execPath, p];
  }
  function flashWith(overrides: Record<string, unknown>, say: string, args: string[] = []) {
    const ran = path.join(dir, `ran-${Math.random().toString(36).slice(2)}`);
    const cfg = writeConfig(`truth-${Math.random().toString(36).slice(2)}.json`, { cli: fakeCli(), port: path.join(dir, 'fake-tty'), ...overrides });
    const r = spawnSync(TSX, [path.join(ROOT, 'tools/flash.ts'), '--config', cfg, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FAKE_SAY: say, FAKE_RAN: ran } });
    return { ...r, ran: fs.existsSync(ran) ? fs.readFileSync(ran, 'utf8') : null };
  }

  test('no board answering fails non-zero with what to check, though the CLI itself exits 0', () => {
    const r = flashWith({}, 'Connecting to \'/dev/ttyUSB0\'\nUnable to connect!');
    expect(r.ran).not.toBeNull();
    expect(r.stdout).toContain('Unable to connect!');
    expect(r.stderr).toMatch(/^flash: no board answered on .*fake-tty at 115200 baud .*flash\.config\.json.*Nothing was written\./m);
    expect(r.status).toBe(1);
  });

  test('a serial device that does not exist is reported before the CLI is fetched or run', () => {
    const r = flashWith({ port: '/dev/ttyNoSuchPort9' }, 'never printed');
    expect(r.ran).toBeNull();
    expect(r.stderr).toMatch(/no board answered on \/dev\/ttyNoSuchPort9 .*does not exist; serial ports present: /);
    expect(r.status).toBe(1);
  });

  test('a board that answers: the CLI\'s output is passed through and flash exits 0', () => {
    const r = flashWith({}, 'Connected to /dev/ttyUSB0\nUpload Complete');
    expect(r.stdout).toContain('Upload Complete');
    expect(r.ran).toContain('--storage aliyunIoT:');
    expect(r.status).toBe(0);
  });

  test('a TypeScript app is built first and flashed as the built script', () => {
    const out = path.join(dir, 'ts-dryrun.js');
    const r = flashTool(['--dry-run', '--config', configPath, '--app', path.join(ROOT, 'examples/app.ts'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const app = readDryRun(fs.readFileSync(out, 'latin1')).files.get('.bootcde')!.toString('utf8');
    expect(app).toContain('require("aliyunIoT")');
    expect(app).not.toMatch(/__esModule|\bexports\b|import /);
  });

  test('placeholder values left from the example secrets file are refused, by name', () => {
    const p = writeConfig('placeholder.config.json', { secrets: { file: path.join(ROOT, 'aliyunIoT.secrets.example.json'), storageName: 'aliyunIoT.json' } });
    const r = flashTool(['--dry-run', '--config', p, '--out', path.join(dir, 'y.js')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/still has the example's placeholder values: wifi\.ssid, wifi\.password, device\.productKey/);
  });

  test('the first use of the Espruino CLI through npx is announced: what is fetched and how to install it beforehand', () => {
    const emptyCache = fs.mkdtempSync(path.join(dir, 'npm-cache-'));
    const notice = firstUseNotice(['npx', '--yes', 'espruino@0.1.67'], emptyCache)!;
    expect(notice).toContain('npm package espruino@0.1.67');
    expect(notice).toContain('npm install -g espruino@0.1.67');
    expect(notice).toContain('"cli": ["espruino"]');
    const pkgDir = path.join(emptyCache, '_npx', 'a1b2', 'node_modules', 'espruino');
    fs.mkdirSync(pkgDir, { recursive: true });
    fs.writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: 'espruino', version: '0.1.67' }));
    expect(firstUseNotice(['npx', '--yes', 'espruino@0.1.67'], emptyCache)).toBeNull();
    expect(firstUseNotice(['npx', '--yes', 'espruino@0.1.68'], emptyCache)).not.toBeNull();
    expect(firstUseNotice(['espruino'], emptyCache)).toBeNull();
  });
});

test('the CLI command line keeps the plan order (the CLI sends the last --storage first)', () => {
  const config = loadFlashConfig(configPath);
  const plan = planFlash(config, loadSecrets(config.secrets.file));
  const paths = { aliyunIoT: '/m.js', 'aliyunIoT.json': '/s.json', '.boot0': '/w.js', '.bootcde': '/a.js' };
  expect(cliArguments(config, plan, paths, '/start.js')).toEqual([
    '-p', '/dev/ttyUSB0', '-b', '115200', '--no-ble', '--board', 'ESP32',
    '--storage', '.bootcde:/a.js', '--storage', '.boot0:/w.js', '--storage', 'aliyunIoT.json:/s.json', '--storage', 'aliyunIoT:/m.js',
    '/start.js',
  ]);
});

test('replayed on SimBoard: the module lands in Storage, the boot scripts run and the device connects', async () => {
  const board = new SimBoard();
  try {
    // SimBoard has no load(); Espruino's restarts and runs the boot files in order (§3.8).
    board.global.load = () => {
      setImmediate(() => {
        for (const name of ['.boot0', '.boot1', '.boot2', '.boot3', '.bootcde']) {
          const code = board.storage.read(name);
          if (code !== undefined) board.run(Buffer.from(code, 'latin1').toString('utf8'), name);
        }
      });
    };
    board.run(sent, 'dryrun.js');
    expect(board.storage.read('aliyunIoT')).toBe(bundle.toString('latin1'));
    await board.waitFor(() => board.output.some((l) => l.startsWith('connect succeed!')), 5000);
    await board.waitFor(() => board.output.indexOf('物联网平台连接成功') >= 0, 10000);
    expect(cloud.api.isOnline(PK, DN)).toBe(true);
    expect(board.uncaught).toEqual([]);
  } finally {
    await board.close();
  }
});
