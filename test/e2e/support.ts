/**
 * End-to-end fixtures: the cloud emulator on loopback and a SimBoard running the built module
 * (build/aliyunIoT.js, the real artifact) with the board's configuration in Storage, as
 * `npm run flash` would leave it on an ESP32.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { start, type RunningCloud, type RegistryFile } from '../../sim/cloud';
import { SimBoard } from '../../sim/board';

export const ROOT = path.resolve(__dirname, '../..');
export const BUNDLE = path.join(ROOT, 'build/aliyunIoT.js');

/** Fixed identities, so failures are readable. Secrets here are test fixtures, not real ones. */
export const PK = 'a1E2eTestPK';
export const GW_PK = 'a1E2eGwPK01';
export const SUB_PK = 'a1E2eSubPK1';
export const REG_PK = 'a1E2eRegPK1';

/** Sub-devices bulk000.. of SUB_PK, for lists longer than the platform takes in one request. */
export function bulkSubdevices(n: number): { productKey: string; deviceName: string; deviceSecret: string }[] {
  const out = [];
  for (let i = 0; i < n; i++) out.push({ productKey: SUB_PK, deviceName: 'bulk' + String(i).padStart(3, '0'), deviceSecret: 'e2eBulkSecret' + String(i).padStart(19, '0') });
  return out;
}

export function testRegistry(): RegistryFile {
  return {
    products: [
      {
        productKey: PK,
        productSecret: 'e2eProductSecret',
        nodeType: 'device',
        topicClasses: [
          { suffix: 'user/update', access: 'pub' },
          { suffix: 'user/get', access: 'sub' },
          { suffix: 'user/aos_test', access: 'all' },
        ],
      },
      { productKey: REG_PK, productSecret: 'e2eRegSecret0001', nodeType: 'device', dynamicRegistration: true, registrationFree: true },
      { productKey: GW_PK, productSecret: 'e2eGwSecret00001', nodeType: 'gateway', topicClasses: [{ suffix: 'user/aos_test', access: 'all' }] },
      { productKey: SUB_PK, productSecret: 'e2eSubSecret0001', nodeType: 'subdevice', dynamicRegistration: true },
    ],
    devices: [
      { productKey: PK, deviceName: 'dev001', deviceSecret: 'e2e0123456789abcdef0123456789abc' },
      { productKey: PK, deviceName: 'dev002', deviceSecret: 'e2efedcba9876543210fedcba9876543' },
      { productKey: REG_PK, deviceName: 'reg001' },
      { productKey: REG_PK, deviceName: 'reg002' },
      { productKey: GW_PK, deviceName: 'gw001', deviceSecret: 'e2eGatewaySecret0123456789abcdef' },
      { productKey: SUB_PK, deviceName: 'sub001', deviceSecret: 'e2eSub001Secret0123456789abcdef0' },
      { productKey: SUB_PK, deviceName: 'sub002', deviceSecret: 'e2eSub002Secret0123456789abcdef0' },
      { productKey: SUB_PK, deviceName: 'sub003' },
      ...bulkSubdevices(60),
    ],
  };
}

export interface Rig {
  cloud: RunningCloud;
  board: SimBoard;
  /** What the board's Storage file aliyunIoT.json holds. */
  config: any;
  /** Runs an examples/ script on the board. */
  runExample(name: string): void;
  /** Waits until the board printed a line containing `text`. */
  printed(text: string, timeoutMs?: number): Promise<void>;
  /** Closes the board; fails if it recorded a fault (see failOnFaults). */
  close(): Promise<void>;
}

/** Fails the test when the board did what the real interpreter would not survive (SimBoard.faults). */
export function failOnFaults(board: SimBoard): void {
  if (board.faults.length) throw new Error('SimBoard faults (the real interpreter would crash):\n' + board.faults.join('\n'));
}

/** The emulator with the test registry (plus `extraDevices`, e.g. a large fleet of sub-devices). */
export async function cloudUp(opts: { extraDevices?: RegistryFile['devices'] } = {}): Promise<RunningCloud> {
  const registry = testRegistry();
  for (const d of opts.extraDevices ?? []) if (!registry.devices.some((x) => x.productKey === d.productKey && x.deviceName === d.deviceName)) registry.devices.push(d);
  return start({ registry, replyTimeoutMs: 3000 });
}

/**
 * A fresh board with the module loaded and its configuration stored; `tls` picks the port.
 * `memory: false` turns SimBoard's memory meter off: only for a test that builds what no board
 * could hold, and says so.
 */
export async function boardUp(cloud: RunningCloud, opts: { tls?: boolean; device?: string; crypto?: boolean; memory?: boolean } = {}): Promise<Rig> {
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simboard-'));
  const board = new SimBoard({ storageDir, crypto: opts.crypto, memory: opts.memory });
  board.loadModuleFile('aliyunIoT', BUNDLE);
  const dn = opts.device ?? 'dev001';
  const dev = testRegistry().devices.find((d) => d.productKey === PK && d.deviceName === dn)!;
  const config = {
    wifi: { ssid: 'e2e-ap', password: 'not-a-real-password' },
    device: {
      region: 'cn-shanghai',
      productKey: PK,
      deviceName: dn,
      deviceSecret: dev.deviceSecret,
      keepaliveSec: 60,
      host: '127.0.0.1',
      port: opts.tls ? cloud.tlsPort : cloud.mqttPort,
      tls: !!opts.tls,
    },
    gateway: {
      productKey: GW_PK,
      deviceName: 'gw001',
      deviceSecret: 'e2eGatewaySecret0123456789abcdef',
      keepaliveSec: 60,
      host: '127.0.0.1',
      port: opts.tls ? cloud.tlsPort : cloud.mqttPort,
      tls: !!opts.tls,
    },
    subdevices: [
      { productKey: SUB_PK, deviceName: 'sub001', deviceSecret: 'e2eSub001Secret0123456789abcdef0' },
      { productKey: SUB_PK, deviceName: 'sub002', deviceSecret: 'e2eSub002Secret0123456789abcdef0' },
    ],
    subRegister: [{ productKey: SUB_PK, deviceName: 'sub003', productSecret: 'e2eSubSecret0001' }],
    register: { productKey: REG_PK, deviceName: 'reg001', productSecret: 'e2eRegSecret0001', host: '127.0.0.1', port: cloud.tlsPort },
  };
  board.run(`require("Storage").writeJSON("aliyunIoT.json", ${JSON.stringify(config)});`);
  // On the board, examples/wifi.js is the boot code that joins Wi-Fi before any app runs.
  board.runFile(path.join(ROOT, 'examples/wifi.js'));
  await board.waitFor(() => board.output.some((l) => l.startsWith('connect succeed!')), 5000);
  return {
    cloud,
    board,
    config,
    runExample(name: string) {
      board.runFile(path.join(ROOT, 'examples', name));
    },
    printed(text: string, timeoutMs = 10000) {
      return board.waitFor(() => board.output.some((l) => l.indexOf(text) >= 0), timeoutMs);
    },
    async close() {
      await board.close();
      fs.rmSync(storageDir, { recursive: true, force: true });
      failOnFaults(board);
    },
  };
}

/**
 * Jest hooks for the example suites: one emulator per file, a fresh board per test, and no
 * exception left uncaught on the board. The getters read the current ones.
 */
export function exampleSuite(): { cloud(): RunningCloud; rig(): Rig; offline(pk: string, dn: string): Promise<void> } {
  let cloud: RunningCloud;
  let rig: Rig;
  beforeAll(async () => {
    cloud = await cloudUp();
  });
  afterAll(async () => {
    await cloud.stop();
  });
  beforeEach(async () => {
    rig = await boardUp(cloud);
  });
  afterEach(async () => {
    await rig.close();
    expect(rig.board.uncaught).toEqual([]);
  });
  return {
    cloud: () => cloud,
    rig: () => rig,
    /** Waits until the example's end() took the device offline at the platform. */
    offline: (pk, dn) => rig.board.waitFor(() => !cloud.api.isOnline(pk, dn), 10000),
  };
}
