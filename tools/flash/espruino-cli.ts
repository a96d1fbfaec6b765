/**
 * Runs the espruino CLI (0.1.67) to flash a plan onto a real board.
 *
 * The CLI is not a dependency of this project: its optional dependencies compile native code
 * and download prebuilt binaries at install time. By default it runs through `npx`, only on the
 * PC that has the board attached.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { FlashConfig } from './config';
import type { FlashPlan } from './plan';

/**
 * The CLI's arguments for the plan, given the plan's files already on disk at `paths` (by
 * Storage name) and the start code at `startFile`. The CLI puts the last `--storage` first in
 * what it sends, so they are listed in reverse to keep the plan's order.
 */
export function cliArguments(config: FlashConfig, plan: FlashPlan, paths: Record<string, string>, startFile: string): string[] {
  const args = ['-p', config.port, '-b', String(config.baudRate), '--no-ble'];
  if (config.board) args.push('--board', config.board);
  for (const f of [...plan.files].reverse()) {
    const p = paths[f.storageName];
    // The CLI splits NAME:file at the first colon.
    if (p.indexOf(':') >= 0) throw new Error(`the espruino CLI cannot take a path with ':' (${p})`);
    args.push('--storage', `${f.storageName}:${p}`);
  }
  // A code file (not -e) keeps the CLI's reset() before the upload.
  args.push(startFile);
  return args;
}

/** Writes what is not on disk already (the secrets JSON, the start code) to `workDir`, runs the
 *  CLI, and removes those files again. Returns the CLI's exit code. */
export function flashWithCli(config: FlashConfig, plan: FlashPlan, workDir: string): number {
  fs.mkdirSync(workDir, { recursive: true });
  const written: string[] = [];
  const paths: Record<string, string> = {};
  try {
    for (const f of plan.files) {
      if (f.source) {
        paths[f.storageName] = f.source;
        continue;
      }
      const p = path.join(workDir, f.storageName);
      fs.writeFileSync(p, f.bytes, { mode: 0o600 });
      written.push(p);
      paths[f.storageName] = p;
    }
    const startFile = path.join(workDir, 'start.js');
    fs.writeFileSync(startFile, plan.startCode);
    written.push(startFile);
    const [cmd, ...pre] = config.cli;
    const result = spawnSync(cmd, [...pre, ...cliArguments(config, plan, paths, startFile)], { stdio: 'inherit' });
    if (result.error) throw result.error;
    return result.status ?? 1;
  } finally {
    for (const p of written) fs.rmSync(p, { force: true });
  }
}
