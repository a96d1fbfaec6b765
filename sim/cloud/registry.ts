/** The emulator's view of the console: products, devices and their thing models, read from a
 *  JSON file (or given in memory), plus the runtime state the platform keeps per device
 *  (activation, secrets issued by dynamic registration, last properties, shadow).
 *  Later features (gateway topology, uploads) keep their state in `DeviceRecord.ext`. */
import { randomBytes } from 'node:crypto';
import { promises as fsp, existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ThingModel } from './tsl';

export type TopicAccess = 'pub' | 'sub' | 'all';

/** A custom topic class: `suffix` below `/${pk}/${dn}/`, e.g. `user/update`. */
export interface TopicClass {
  suffix: string;
  access: TopicAccess;
}

export interface ProductRecord {
  productKey: string;
  productSecret: string;
  name?: string;
  /** 'device' (directly connected), 'gateway' or 'subdevice'. */
  nodeType?: 'device' | 'gateway' | 'subdevice';
  /** One-product-one-secret: HTTPS + MQTT `register`, and `regnwl` when registrationFree. */
  dynamicRegistration?: boolean;
  registrationFree?: boolean;
  /** Custom topic classes; when absent the console defaults apply (see DEFAULT_TOPIC_CLASSES). */
  topicClasses?: TopicClass[];
  /** Thing model; when absent no TSL checks are made. */
  tsl?: ThingModel;
  /** Data-parsing script source for raw products: defines `rawDataToProtocol(bytes)` and
   *  `protocolToRawData(json)` as on the platform. Absent: the built-in default (raw.ts). */
  rawScript?: string;
}

export interface DeviceRecord {
  productKey: string;
  deviceName: string;
  /** Absent until dynamic registration issues one (or for registration-free devices). */
  deviceSecret?: string;
  disabled?: boolean;
  /** Set at the first successful login; dynamic registration is refused afterwards. */
  activated?: boolean;
  /** Registration-free devices log in with this token (`authType=connwl`). */
  deviceToken?: string;
  /** Free-form state owned by extensions (e.g. gateway topology); persisted with the registry. */
  ext?: Record<string, unknown>;
}

export interface RegistryFile {
  products: ProductRecord[];
  devices: DeviceRecord[];
}

/** Console defaults for custom topics (alink-protocol.md §4.8), plus the HaaS demo class. */
export const DEFAULT_TOPIC_CLASSES: TopicClass[] = [
  { suffix: 'user/update', access: 'pub' },
  { suffix: 'user/update/error', access: 'pub' },
  { suffix: 'user/get', access: 'sub' },
];

export function deviceKey(pk: string, dn: string): string {
  return pk + '/' + dn;
}

export function randomSecret(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

function randomProductKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = 'a1';
  for (const b of randomBytes(9)) s += alphabet[b % alphabet.length];
  return s;
}

/** The registry generated at first start: one device product with a small thing model and two
 *  devices, one gateway product with one gateway, one sub-device product with two sub-devices. */
export function defaultRegistry(): RegistryFile {
  const pk = randomProductKey();
  const gwPk = randomProductKey();
  const subPk = randomProductKey();
  return {
    products: [
      {
        productKey: pk, productSecret: randomSecret(8), name: 'Demo device', nodeType: 'device',
        dynamicRegistration: true, registrationFree: true,
        topicClasses: [...DEFAULT_TOPIC_CLASSES, { suffix: 'user/aos_test', access: 'all' }],
        tsl: {
          properties: [
            { identifier: 'LightSwitch', dataType: { type: 'bool' }, accessMode: 'rw' },
            { identifier: 'Temperature', dataType: { type: 'float', specs: { min: -40, max: 120 } }, accessMode: 'r' },
            { identifier: 'Brightness', dataType: { type: 'int', specs: { min: 0, max: 100 } }, accessMode: 'rw' },
            { identifier: 'Label', dataType: { type: 'text', specs: { length: 64 } }, accessMode: 'rw' },
          ],
          events: [{ identifier: 'Error', type: 'alert', outputData: [{ identifier: 'ErrorCode', dataType: { type: 'int' } }] }],
          services: [
            { identifier: 'Reboot', callType: 'async', inputData: [{ identifier: 'DelaySec', dataType: { type: 'int' } }], outputData: [] },
            { identifier: 'Ping', callType: 'sync', inputData: [], outputData: [{ identifier: 'Rtt', dataType: { type: 'int' } }] },
          ],
        },
      },
      { productKey: gwPk, productSecret: randomSecret(8), name: 'Demo gateway', nodeType: 'gateway', dynamicRegistration: false },
      { productKey: subPk, productSecret: randomSecret(8), name: 'Demo sub-device', nodeType: 'subdevice', dynamicRegistration: true },
    ],
    devices: [
      { productKey: pk, deviceName: 'demo001', deviceSecret: randomSecret() },
      { productKey: pk, deviceName: 'demo002', deviceSecret: randomSecret() },
      { productKey: pk, deviceName: 'newdev001' },
      { productKey: gwPk, deviceName: 'gateway001', deviceSecret: randomSecret() },
      { productKey: subPk, deviceName: 'sub001', deviceSecret: randomSecret() },
      { productKey: subPk, deviceName: 'sub002', deviceSecret: randomSecret() },
    ],
  };
}

/** Products and devices by key, with persistence of changes (debounced, async) when the
 *  registry came from a file. */
export class Registry {
  private readonly products = new Map<string, ProductRecord>();
  private readonly devices = new Map<string, DeviceRecord>();
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(file: RegistryFile, private readonly path: string | null = null) {
    for (const p of file.products ?? []) this.products.set(p.productKey, p);
    for (const d of file.devices ?? []) this.devices.set(deviceKey(d.productKey, d.deviceName), d);
  }

  /** Loads `<dataDir>/registry.json`, creating it with defaultRegistry() when missing. */
  static openDir(dataDir: string): Registry {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'registry.json');
    if (!existsSync(path)) writeFileSync(path, JSON.stringify(defaultRegistry(), null, 2) + '\n', { mode: 0o600 });
    return new Registry(JSON.parse(readFileSync(path, 'utf8')) as RegistryFile, path);
  }

  product(pk: string): ProductRecord | undefined {
    return this.products.get(pk);
  }

  device(pk: string, dn: string): DeviceRecord | undefined {
    return this.devices.get(deviceKey(pk, dn));
  }

  allProducts(): ProductRecord[] {
    return [...this.products.values()];
  }

  allDevices(): DeviceRecord[] {
    return [...this.devices.values()];
  }

  addProduct(p: ProductRecord): ProductRecord {
    this.products.set(p.productKey, p);
    this.changed();
    return p;
  }

  addDevice(d: DeviceRecord): DeviceRecord {
    this.devices.set(deviceKey(d.productKey, d.deviceName), d);
    this.changed();
    return d;
  }

  /** Deletes a device (as the console does); false when there was none. */
  removeDevice(pk: string, dn: string): boolean {
    const gone = this.devices.delete(deviceKey(pk, dn));
    if (gone) this.changed();
    return gone;
  }

  /** Call after mutating a record; the file (if any) is rewritten shortly after. */
  changed(): void {
    if (!this.path || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.saving = this.saving.then(() => this.write()).catch(() => undefined);
    }, 200);
    this.saveTimer.unref();
  }

  /** Writes pending changes now (used by stop()). */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      this.saving = this.saving.then(() => this.write()).catch(() => undefined);
    }
    await this.saving;
  }

  toJSON(): RegistryFile {
    return { products: this.allProducts(), devices: this.allDevices() };
  }

  private async write(): Promise<void> {
    if (!this.path) return;
    const tmp = this.path + '.tmp';
    await fsp.writeFile(tmp, JSON.stringify(this.toJSON(), null, 2) + '\n', { mode: 0o600 });
    await fsp.rename(tmp, this.path);
  }
}
