/**
 * flash.config.json: where the board is and what goes onto it. Paths are relative to the
 * config file. The secrets (Wi-Fi, device credentials) live in a separate, git-ignored file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkStorageName } from './storage-upload';

/** A file from the PC and the Storage name it gets on the board. */
export interface StoredFile {
  file: string;
  storageName: string;
}

export interface FlashConfig {
  /** Serial port of the board, e.g. /dev/ttyUSB0 or COM3. */
  port: string;
  /** The ESP32 console runs at 115200 (the CLI's default is 9600). */
  baudRate: number;
  /** Board name (the CLI downloads its JSON) or a path to a board JSON (offline); "" to ask the board. */
  board: string;
  /** The module bundle; its Storage name is what apps pass to require(). */
  module: StoredFile;
  /** The Wi-Fi boot script: .boot0 runs before .bootcde on every boot and load(). */
  wifi: StoredFile;
  /** The app: .bootcde runs at power-on. */
  app: StoredFile;
  /** The local secrets file, written to the board as the Storage JSON file `storageName`. */
  secrets: StoredFile;
  /** How to run the espruino CLI, e.g. ["npx", "--yes", "espruino@0.1.67"] or ["espruino"]. */
  cli: string[];
  /**
   * Present: the board is made ready for over-the-air updates (tools/flash/ota-layout.ts): the
   * boot selector goes to .bootcde and starts the app from its own file (app.storageName, e.g.
   * "app.a"). appVersion is what the app reports; moduleVersion defaults to package.json's.
   */
  ota?: { appVersion: string; moduleVersion: string };
}

function fail(configPath: string, what: string): never {
  throw new Error(`${configPath}: ${what}`);
}

function storedFile(configPath: string, raw: any, key: string): StoredFile {
  const v = raw[key];
  if (!v || typeof v.file !== 'string' || typeof v.storageName !== 'string') fail(configPath, `"${key}" needs {"file": ..., "storageName": ...}`);
  checkStorageName(v.storageName);
  return { file: path.resolve(path.dirname(configPath), v.file), storageName: v.storageName };
}

/** Reads and checks the config; file paths come back absolute. */
export function loadFlashConfig(configPath: string): FlashConfig {
  const raw = JSON.parse(fs.readFileSync(configPath, 'utf8'));
  if (typeof raw.port !== 'string') fail(configPath, '"port" must be a string');
  const baudRate = raw.baudRate ?? 115200;
  if (typeof baudRate !== 'number' || !(baudRate > 0)) fail(configPath, '"baudRate" must be a positive number');
  const board = raw.board ?? '';
  if (typeof board !== 'string') fail(configPath, '"board" must be a string');
  const cli = raw.cli ?? ['npx', '--yes', 'espruino@0.1.67'];
  if (!Array.isArray(cli) || !cli.length || !cli.every((a: unknown) => typeof a === 'string')) fail(configPath, '"cli" must be a non-empty array of strings');
  const config: FlashConfig = {
    port: raw.port,
    baudRate,
    // A board JSON given as a path is relative to the config, like every other path.
    board: board.indexOf('.') >= 0 ? path.resolve(path.dirname(configPath), board) : board,
    module: storedFile(configPath, raw, 'module'),
    wifi: storedFile(configPath, raw, 'wifi'),
    app: storedFile(configPath, raw, 'app'),
    secrets: storedFile(configPath, raw, 'secrets'),
    cli,
  };
  if (raw.ota !== undefined) {
    const ota = raw.ota;
    if (!ota || typeof ota.appVersion !== 'string' || !ota.appVersion) fail(configPath, '"ota" needs {"appVersion": "1.0.0"}');
    if (config.app.storageName.charAt(0) === '.') fail(configPath, 'with "ota", the app needs a Storage file of its own (e.g. "app.a"): .bootcde holds the boot selector');
    if (config.module.storageName !== 'aliyunIoT') fail(configPath, 'with "ota", the module must be stored as "aliyunIoT" (what the boot selector and require() use)');
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    config.ota = { appVersion: ota.appVersion, moduleVersion: typeof ota.moduleVersion === 'string' ? ota.moduleVersion : pkg.version };
  }
  const names = [config.module, config.wifi, config.app, config.secrets].map((f) => f.storageName);
  if (new Set(names).size !== names.length) fail(configPath, `Storage names must differ: ${names.join(', ')}`);
  return config;
}
