/**
 * npm run sim -- app.js|app.ts [--cloud HOST[:PORT]] [--tls] [--platform] [--secrets FILE] [--for SECONDS]
 *
 * Runs an on-board script on SimBoard, a simulated ESP32, as `npm run flash` would run it on a
 * real one: the module (flash.config.json `module.file`) in Storage, the secrets file as Storage
 * `aliyunIoT.json`, the Wi-Fi boot script, then the app (a .ts app is built first, as
 * `npm run build:app` does). The board's console is printed as it comes; lines from this tool
 * start with "[sim]".
 *
 * Where the board connects:
 * - by default, to a cloud emulator started for it on free local ports, with the devices of the
 *   secrets file registered (a local test device when the file is missing or still has the
 *   example's placeholders), and its console page open for setting properties and calling services;
 * - `--cloud HOST[:PORT]` (or ALIYUNIOT_SIM_CLOUD): to an emulator already running (`npm run
 *   cloud`, default port 1883, or 8883 with --tls) whose registry has the device;
 * - `--platform`: to the host and region the secrets file names (the real platform), unchanged.
 *
 * Runs until Ctrl-C, or `--for SECONDS`; exits 1 if the script threw an uncaught exception.
 */
import * as dns from 'dns';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SimBoard } from '../sim/board';
import { start, type RegistryFile, type RunningCloud } from '../sim/cloud';
import { buildApp } from './build-app';
import { loadFlashConfig } from './flash/config';
import { placeholderPaths } from './flash/secrets';

const root = path.resolve(__dirname, '..');

export interface SimOptions {
  app: string;
  /** The secrets file (default: flash.config.json's). */
  secrets?: string;
  /** An emulator already running: "host" or "host:port". */
  cloud?: string;
  tls?: boolean;
  /** Connect to what the secrets file names, unchanged. */
  platform?: boolean;
  /** Where console lines go (default stdout). */
  log?: (line: string) => void;
  flashConfig?: string;
}

export interface RunningSim {
  board: SimBoard;
  /** The emulator started for this run (undefined with --cloud or --platform). */
  cloud?: RunningCloud;
  /** What the board's Storage file aliyunIoT.json holds. */
  storage: any;
  stop(): Promise<void>;
}

/** A local identity for the emulator when the secrets file has none yet (test data, not a secret). */
const LOCAL_DEVICE = { productKey: 'a1SimLocal01', deviceName: 'sim001', deviceSecret: 'simLocalSecret0123456789abcdef01', keepaliveSec: 60 };

/** Sections of the secrets file that name a device which logs in with a secret. */
const IDENTITIES = ['device', 'gateway'];

function readSecrets(file: string, log: (l: string) => void, local: boolean): any {
  const exists = fs.existsSync(file);
  const data = exists ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const placeholders = exists ? placeholderPaths(data) : [];
  if (!local) {
    if (!exists) throw new Error(`${file} is missing: copy aliyunIoT.secrets.example.json to it and fill in the device's credentials`);
    if (placeholders.length) throw new Error(`${file} still has placeholder values (${placeholders.join(', ')}): fill them in`);
    return data;
  }
  if (!exists || !data.device || placeholders.some((p) => p.startsWith('device.'))) {
    log(`[sim] ${path.relative(process.cwd(), file)} ${exists ? 'has no device credentials yet' : 'does not exist'}: using the local test device ${LOCAL_DEVICE.productKey}/${LOCAL_DEVICE.deviceName}`);
    data.device = { ...LOCAL_DEVICE };
  }
  for (const key of IDENTITIES) if (data[key] && placeholderPaths(data[key]).length) delete data[key];
  data.wifi = data.wifi && !placeholderPaths(data.wifi).length ? data.wifi : { ssid: 'SimBoard-AP', password: 'simboard' };
  return data;
}

/** The emulator's registry: a product per productKey of the secrets file, each device in it. */
function registryFor(secrets: any): RegistryFile {
  const registry: RegistryFile = { products: [], devices: [] };
  for (const key of IDENTITIES) {
    const d = secrets[key];
    if (!d || !d.productKey || !d.deviceName) continue;
    if (!registry.products.some((p) => p.productKey === d.productKey)) {
      registry.products.push({ productKey: d.productKey, productSecret: d.productSecret || 'simProductSecret', name: `from ${key}`, nodeType: key === 'gateway' ? 'gateway' : 'device' });
    }
    registry.devices.push({ productKey: d.productKey, deviceName: d.deviceName, deviceSecret: d.deviceSecret });
  }
  return registry;
}

/** Points every identity of the secrets at `host:port`. */
function pointAt(secrets: any, host: string, port: number, tls: boolean): void {
  for (const key of [...IDENTITIES, 'register']) {
    if (secrets[key]) Object.assign(secrets[key], { host, port, tls });
  }
}

/**
 * SimBoard resolves names synchronously, from a table; for the real platform the hosts the
 * secrets lead to are looked up here first (those that do not resolve stay unresolved).
 */
async function platformDns(secrets: any): Promise<Record<string, string>> {
  const names = new Set<string>();
  for (const key of [...IDENTITIES, 'register']) {
    const d = secrets[key];
    if (!d) continue;
    const region = d.region || 'cn-shanghai';
    if (d.host) names.add(d.host);
    if (d.instanceId) names.add(`${d.instanceId}.mqtt.iothub.aliyuncs.com`);
    if (d.productKey) names.add(`${d.productKey}.iot-as-mqtt.${region}.aliyuncs.com`);
    names.add(`iot-auth.${region}.aliyuncs.com`);
  }
  const table: Record<string, string> = {};
  await Promise.all([...names].map(async (name) => {
    try {
      table[name] = (await dns.promises.lookup(name, { family: 4 })).address;
    } catch {
      // left out: the board then reports that the host cannot be found, as a real one would
    }
  }));
  return table;
}

export async function startSim(opts: SimOptions): Promise<RunningSim> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const config = loadFlashConfig(opts.flashConfig ?? path.join(root, 'flash.config.json'));
  const local = !opts.cloud && !opts.platform;
  const secrets = readSecrets(opts.secrets ?? config.secrets.file, log, local);
  // As npm run flash does: a .ts app is compiled, a .js one put through the bundle gate.
  const app = (await buildApp(opts.app)).out;

  let cloud: RunningCloud | undefined;
  if (local) {
    cloud = await start({ registry: registryFor(secrets) });
    pointAt(secrets, '127.0.0.1', opts.tls ? cloud.tlsPort : cloud.mqttPort, !!opts.tls);
    log(`[sim] cloud emulator: mqtt://127.0.0.1:${cloud.mqttPort}, mqtts://127.0.0.1:${cloud.tlsPort}; console page ${cloud.consoleUrl}`);
  } else if (opts.cloud) {
    const [host, port] = opts.cloud.split(':');
    pointAt(secrets, host, port ? Number(port) : opts.tls ? 8883 : 1883, !!opts.tls);
    log(`[sim] connecting to ${host}:${port || (opts.tls ? 8883 : 1883)} (${opts.tls ? 'TLS' : 'plain MQTT'})`);
  } else {
    log('[sim] connecting to the platform named in the secrets file');
  }

  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simboard-'));
  const table = local ? undefined : await platformDns(secrets);
  const board = new SimBoard({ storageDir, log, dns: table });
  board.storage.write(config.module.storageName, fs.readFileSync(config.module.file));
  board.storage.write(config.secrets.storageName, JSON.stringify(secrets));
  log(`[sim] Storage: ${config.module.storageName} (${path.relative(root, config.module.file)}), ${config.secrets.storageName}; running ${path.relative(root, config.wifi.file)}, then ${path.relative(process.cwd(), opts.app)}`);
  board.runFile(config.wifi.file);
  board.run(fs.readFileSync(app, 'utf8'), app);
  return {
    board,
    cloud,
    storage: secrets,
    async stop() {
      await board.close();
      if (cloud) await cloud.stop();
      fs.rmSync(storageDir, { recursive: true, force: true });
    },
  };
}

function parseArgs(argv: string[]): SimOptions & { forSeconds?: number } {
  const opts: SimOptions & { forSeconds?: number } = { app: '', cloud: process.env.ALIYUNIOT_SIM_CLOUD || undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (argv[i + 1] === undefined) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--cloud') opts.cloud = value();
    else if (a === '--tls') opts.tls = true;
    else if (a === '--platform') opts.platform = true;
    else if (a === '--secrets') opts.secrets = path.resolve(value());
    else if (a === '--for') opts.forSeconds = Number(value());
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else if (!opts.app) opts.app = a;
    else throw new Error(`one app at a time (got ${opts.app} and ${a})`);
  }
  if (!opts.app) throw new Error('usage: npm run sim -- app.js|app.ts [--cloud HOST[:PORT]] [--tls] [--platform] [--secrets FILE] [--for SECONDS]');
  if (opts.platform && opts.cloud) throw new Error('--platform and --cloud exclude each other');
  return opts;
}

if (require.main === module) {
  (async () => {
    const opts = parseArgs(process.argv.slice(2));
    const sim = await startSim(opts);
    const stop = async () => {
      await sim.stop();
      process.exit(sim.board.uncaught.length ? 1 : 0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (opts.forSeconds !== undefined) setTimeout(stop, opts.forSeconds * 1000);
  })().catch((e: Error) => {
    console.error(`sim: ${e.message}`);
    process.exit(1);
  });
}
