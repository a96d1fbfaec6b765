/**
 * Runs the espruino CLI (0.1.67) to flash a plan onto a real board.
 *
 * The CLI is not a dependency of this project: its optional dependencies compile native code
 * and download prebuilt binaries at install time. By default it runs through `npx`, only on the
 * PC that has the board attached.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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

/** What the CLI prints when nothing answers on the port; it still exits 0 then. */
const NO_BOARD = /Unable to connect|Port .* not found|No such file or directory, cannot open/i;

export class NoBoardError extends Error {}

function noBoard(config: FlashConfig, why: string): NoBoardError {
  return new NoBoardError(
    `no board answered on ${config.port} at ${config.baudRate} baud (${why}). Check that the board is plugged in and runs Espruino firmware ` +
      `(see README "Put Espruino on the ESP32"), that "port" in flash.config.json names its serial port (Linux /dev/ttyUSB0 or /dev/ttyACM0, ` +
      `macOS /dev/cu.usbserial-*, Windows COM3...), and that no serial monitor holds the port. Nothing was written.`,
  );
}

/** A serial device path that does not exist fails before the CLI is fetched or started. */
export function checkPort(config: FlashConfig): void {
  if (!/^\/dev\//.test(config.port) || fs.existsSync(config.port)) return;
  let present: string[] = [];
  try {
    present = fs.readdirSync('/dev').filter((f) => /^(ttyUSB|ttyACM|cu\.usb|tty\.usb|cu\.SLAB|cu\.wch)/.test(f)).map((f) => '/dev/' + f);
  } catch {
    // no /dev to list (Windows)
  }
  throw noBoard(config, `${config.port} does not exist; serial ports present: ${present.length ? present.join(', ') : 'none'}`);
}

/** The npm package a CLI command runs through npx ("espruino@0.1.67"), or null when it is installed another way. */
export function npxPackage(cli: string[]): string | null {
  if (path.basename(cli[0]) !== 'npx') return null;
  return cli.slice(1).find((a) => !a.startsWith('-')) ?? null;
}

/** Whether npx has run `spec` before (its cache under the npm cache's _npx folder). */
export function npxHasCached(spec: string, npmCache = process.env.npm_config_cache || path.join(os.homedir(), '.npm')): boolean {
  const name = spec.replace(/@[^@/]*$/, '');
  const version = spec.length > name.length ? spec.slice(name.length + 1) : '';
  const dir = path.join(npmCache, '_npx');
  if (!fs.existsSync(dir)) return false;
  return fs.readdirSync(dir).some((entry) => {
    const pkg = path.join(dir, entry, 'node_modules', name, 'package.json');
    try {
      return !version || JSON.parse(fs.readFileSync(pkg, 'utf8')).version === version;
    } catch {
      return false;
    }
  });
}

/** Said before the first run of the CLI through npx: what it fetches, and how to have it beforehand. */
export function firstUseNotice(cli: string[], npmCache?: string): string | null {
  const spec = npxPackage(cli);
  if (!spec || npxHasCached(spec, npmCache)) return null;
  return [
    `Flashing uses the Espruino command-line tool, npm package ${spec}, which is not a dependency of this project.`,
    `This first time, npx downloads it and its dependencies (including native serial-port bindings) into the npm cache; later runs reuse it.`,
    `To have it beforehand (e.g. for a PC that will be offline): npm install -g ${spec}, then set "cli": ["espruino"] in flash.config.json.`,
  ].join('\n');
}

/** Runs a command, its output passed through to ours and collected. */
function runTee(cmd: string, args: string[]): Promise<{ status: number; said: string }> {
  return new Promise((resolve, reject) => {
    let said = '';
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => { said += b.toString('utf8'); process.stdout.write(b); });
    child.stderr.on('data', (b: Buffer) => { said += b.toString('utf8'); process.stderr.write(b); });
    child.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ENOENT' ? new Error(`cannot run ${cmd} (flash.config.json "cli"): not installed or not on PATH`) : e);
    });
    child.on('close', (code) => resolve({ status: code ?? 1, said }));
  });
}

/** Writes what is not on disk already (the secrets JSON, the start code) to `workDir`, runs the
 *  CLI, and removes those files again. Returns the CLI's exit code. */
export async function flashWithCli(config: FlashConfig, plan: FlashPlan, workDir: string): Promise<number> {
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
    const notice = firstUseNotice(config.cli);
    if (notice) console.log(notice);
    const [cmd, ...pre] = config.cli;
    // Output is passed through as it comes, and kept: the CLI exits 0 even when no board answered.
    const { status, said } = await runTee(cmd, [...pre, ...cliArguments(config, plan, paths, startFile)]);
    const found = NO_BOARD.exec(said);
    if (found) throw noBoard(config, `the Espruino CLI said "${found[0]}"`);
    return status;
  } finally {
    for (const p of written) fs.rmSync(p, { force: true });
  }
}
