/**
 * What makes a flashed board ready for over-the-air updates (README "Over-the-air updates"):
 * the boot selector (examples/bootcde.js) as .bootcde, which starts the app from its own
 * Storage file, and the first OTA state (Storage "ota0", src/features/ota-state.ts) naming the
 * files and versions of the app ("default") and of the module ("aliyunIoT"), each with the
 * file beside it where an update goes.
 */
import * as path from 'path';
import type { FlashConfig } from './config';
import type { PlannedFile } from './plan';

export const SELECTOR = path.resolve(__dirname, '../../examples/bootcde.js');

/** The second file of a pair: app.a <-> app.b, aliyunIoT <-> aliyunIoT.b. */
export function besideOf(file: string): string {
  if (file === 'app.b') return 'app.a';
  if (file === 'app.a') return 'app.b';
  return file.endsWith('.b') ? file.slice(0, -2) : file + '.b';
}

/** The initial OTA state for the configured app and module files. */
export function initialState(config: FlashConfig, ota: { appVersion: string; moduleVersion: string }): object {
  const app = config.app.storageName;
  const mod = config.module.storageName;
  return { n: 0, m: { default: { f: app, o: besideOf(app), v: ota.appVersion }, aliyunIoT: { f: mod, o: besideOf(mod), v: ota.moduleVersion } } };
}
