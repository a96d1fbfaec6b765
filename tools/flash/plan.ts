/**
 * What one flash puts on the board, and the text the espruino CLI sends for it.
 *
 * Order on the board: the module, the secrets JSON, the Wi-Fi boot script, the app (and, for a
 * board ready for over-the-air updates, the boot selector as .bootcde and the OTA state), then
 * `load()`, which restarts the interpreter and runs the boot files (.boot0, then .bootcde) as a
 * power-on would. Every file goes as a Storage data file, so the CLI neither rewrites the app
 * nor looks up require("aliyunIoT") online: the board finds the module in Storage.
 */
import * as fs from 'fs';
import type { FlashConfig } from './config';
import type { Secrets } from './secrets';
import { storageWriteLines } from './storage-upload';
import { initialState, SELECTOR } from './ota-layout';

export interface PlannedFile {
  storageName: string;
  bytes: Buffer;
  /** Where the bytes come from on the PC; undefined for the secrets JSON (made in memory). */
  source?: string;
  /** Secrets must never be in a script; the secrets file is the one place they belong. */
  holdsSecrets: boolean;
}

export interface FlashPlan {
  /** In the order they are written. */
  files: PlannedFile[];
  /** The code sent after the files: starts the app as a power-on would. */
  startCode: string;
}

export const START_CODE = 'load()\n';

function fromDisk(storageName: string, file: string): PlannedFile {
  return { storageName, bytes: fs.readFileSync(file), source: file, holdsSecrets: false };
}

export function planFlash(config: FlashConfig, secrets: Secrets): FlashPlan {
  const files = [
    fromDisk(config.module.storageName, config.module.file),
    { storageName: config.secrets.storageName, bytes: Buffer.from(secrets.json, 'utf8'), holdsSecrets: true },
    fromDisk(config.wifi.storageName, config.wifi.file),
    fromDisk(config.app.storageName, config.app.file),
  ];
  if (config.ota) {
    files.push(fromDisk('.bootcde', SELECTOR));
    files.push({ storageName: 'ota0', bytes: Buffer.from(JSON.stringify(initialState(config, config.ota))), holdsSecrets: false });
  }
  for (const f of files) {
    if (f.holdsSecrets) continue;
    const text = f.bytes.toString('latin1');
    const leaked = secrets.values.filter((s) => text.indexOf(Buffer.from(s, 'utf8').toString('latin1')) >= 0);
    if (leaked.length) throw new Error(`${f.source} contains a credential from the secrets file; scripts must read credentials from Storage "${config.secrets.storageName}"`);
  }
  return { files, startCode: START_CODE };
}

/**
 * Exactly what `espruino -o` writes for this plan (the CLI prepends each `--storage` file's
 * writes before the code). On the serial line the CLI also sends `reset();` first and an
 * echo-off byte (0x10) at the start of each line; those are not part of the program text.
 */
export function sentText(plan: FlashPlan): string {
  const writes = plan.files.flatMap((f) => storageWriteLines(f.storageName, f.bytes));
  return writes.join('\n') + '\n' + plan.startCode;
}
