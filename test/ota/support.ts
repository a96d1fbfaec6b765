/**
 * Over-the-air update fixtures: a board flashed as `npm run flash` flashes it (the plan of
 * tools/flash, OTA-ready: boot selector, app in app.a, OTA state), the built module in Storage
 * as "aliyunIoT", and the cloud emulator. The board boots from Storage like an ESP32 at
 * power-on; when a script calls load() (the module after staging an update, or the selector
 * rolling one back) a new SimBoard starts on the same Storage, as Espruino's new interpreter
 * does, and powerCycle() does the same at any moment, as a power cut would.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SimBoard } from '../../sim/board';
import type { RunningCloud } from '../../sim/cloud';
import type { FlashConfig } from '../../tools/flash/config';
import { planFlash } from '../../tools/flash/plan';
import { BUNDLE, failOnFaults, PK, ROOT, testRegistry } from '../e2e/support';

export { PK };
export const DN = 'dev001';
export const MODULE_VERSION = '0.1.0';

/**
 * An app that prints what happens to it, with `version` in every line. Options: `connect`
 * false makes a broken app that never connects; `pad` bytes of comment make the package bigger;
 * `decide` is the body of its ON_OTA handler (default: accept, printing each step).
 */
export function appSource(version: string, opts: { connect?: boolean; pad?: number; decide?: string; deadlineSec?: number } = {}): string {
  const decide = opts.decide ?? 'o.accept(function (p) { print("app ' + version + ' ota " + p.module + " " + p.version + " step " + p.step + " code " + p.code); });';
  const lines = [
    '// test app ' + version,
    'var iot = require("aliyunIoT");',
    'var info = require("Storage").readJSON("aliyunIoT.json", 1).device;',
    'info.otaDeadlineSec = ' + (opts.deadlineSec ?? 4) + ';',
    'var device = new iot.Device();',
    'device.on(device.ON_CONNECT, function () { print("app ' + version + ' connected"); });',
    'device.on(device.ON_ERROR, function (e) { print("app ' + version + ' error " + e.code + " " + e.message); });',
    'device.on(device.ON_OTA, function (o) { print("app ' + version + ' notice " + o.module + " " + o.version + " " + o.size); ' + decide + ' });',
    opts.connect === false ? 'print("app ' + version + ' started, never connects");' : 'device.connect(info);',
  ];
  let text = lines.join('\n') + '\n';
  if (opts.pad) text += '/*' + 'x'.repeat(opts.pad) + '*/\n';
  return text;
}

export class OtaBoard {
  /** Every printed line of every boot, with a "--- boot N" line at each start. */
  readonly lines: string[] = [];
  boots = 0;
  board!: SimBoard;
  /** When set, a load() leaves the board off (held) until the test calls start(). */
  holdOnLoad = false;
  held = false;
  private stopped = false;

  constructor(readonly dir: string) {}

  /** Flashes `app` (version `appVersion`) as `npm run flash` would, and powers the board on. */
  static flash(cloud: RunningCloud, app: string, appVersion: string): OtaBoard {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ota-board-'));
    const appFile = path.join(dir, 'app-source.js');
    fs.writeFileSync(appFile, app);
    const config: FlashConfig = {
      port: '/dev/null', baudRate: 115200, board: 'ESP32', cli: ['espruino'],
      module: { file: BUNDLE, storageName: 'aliyunIoT' },
      secrets: { file: '', storageName: 'aliyunIoT.json' },
      wifi: { file: path.join(ROOT, 'examples/wifi.js'), storageName: '.boot0' },
      app: { file: appFile, storageName: 'app.a' },
      ota: { appVersion, moduleVersion: MODULE_VERSION },
    };
    const dev = testRegistry().devices.find((d) => d.productKey === PK && d.deviceName === DN)!;
    const secrets = {
      wifi: { ssid: 'ota-ap', password: 'not-a-real-password' },
      device: { productKey: PK, deviceName: DN, deviceSecret: dev.deviceSecret, keepaliveSec: 60, host: '127.0.0.1', port: cloud.mqttPort, tls: false },
    };
    const plan = planFlash(config, { json: JSON.stringify(secrets), values: [dev.deviceSecret!] });
    const storage = path.join(dir, 'storage');
    const b = new OtaBoard(storage);
    const writer = new SimBoard({ storageDir: storage });
    for (const f of plan.files) writer.storage.write(f.storageName, f.bytes);
    void writer.close();
    b.start();
    return b;
  }

  /** Power on: a new interpreter on the same Storage, running the boot files. */
  start(): void {
    if (this.stopped) return;
    this.boots++;
    this.lines.push('--- boot ' + this.boots);
    this.held = false;
    this.board = new SimBoard({
      storageDir: this.dir,
      log: (l) => this.lines.push(l),
      onLoad: () => {
        if (this.holdOnLoad) this.held = true;
        else this.start();
      },
    });
    this.board.boot();
  }

  /** Cuts the power now and powers on again. */
  async powerCycle(): Promise<void> {
    failOnFaults(this.board);
    await this.board.close();
    this.start();
  }

  /** Waits until a line containing `text` was printed after line `from`; returns its index. */
  async printed(text: string, from = 0, timeoutMs = 15000): Promise<number> {
    let at = -1;
    const started = Date.now();
    while ((at = this.lines.findIndex((l, i) => i >= from && l.indexOf(text) >= 0)) < 0) {
      if (Date.now() - started > timeoutMs) throw new Error('not printed within ' + timeoutMs + ' ms: ' + text + '\n' + this.lines.slice(-30).join('\n'));
      await new Promise((r) => setTimeout(r, 5));
    }
    return at;
  }

  /** Storage file `name` as stored (bytes as a binary string). */
  file(name: string): string | undefined {
    return this.board.storage.read(name);
  }

  /** The OTA state the boot selector would read (the newest of ota0 and ota1). */
  state(): any {
    const read = (n: string) => {
      try {
        return JSON.parse(this.file(n) ?? '');
      } catch {
        return undefined;
      }
    };
    const a = read('ota0'), b = read('ota1');
    return a && !(b && b.n > a.n) ? a : b;
  }

  /** Uncaught exceptions of the current boot. */
  get uncaught(): unknown[] {
    return this.board.uncaught;
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.board.close();
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
    failOnFaults(this.board);
  }
}

/** Resolves when `pred` holds (checked every few ms), or rejects after `timeoutMs`. */
export async function until(pred: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
  const started = Date.now();
  while (!pred()) {
    if (Date.now() - started > timeoutMs) throw new Error('not within ' + timeoutMs + ' ms: ' + what);
    await new Promise((r) => setTimeout(r, 5));
  }
}
