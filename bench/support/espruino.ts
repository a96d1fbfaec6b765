/**
 * Runs scripts on an Espruino interpreter binary (named by the ESPRUINO environment variable)
 * for the benches. Each run gets its own folder, because the Linux build keeps Storage in a
 * file `espruino.flash` in its working directory; a module written to Storage by one run is
 * there for the next run in the same folder, costing that run no RAM to install.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Storage is written in pieces: one atob() of a whole 40-80 KB module may not fit in 16,383 JsVars. */
const CHUNK = 4096;

/** A fresh working folder (its own Storage). */
export function espruinoDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Runs `script` in `dir` and resolves with what it printed once a line matches `done` (or the
 * interpreter exits). Rejects after `timeoutMs`. The script should end with quit(). `onLine`
 * hears each line as it is printed (a scenario may ask the host to act, e.g. drop a connection).
 */
export function runEspruino(espruino: string, dir: string, script: string, done: RegExp, timeoutMs: number, onLine?: (line: string) => void): Promise<string> {
  const file = path.join(dir, 'script.js');
  fs.writeFileSync(file, script, 'latin1');
  // stdin stays open: at EOF the interpreter's REPL prints endless prompts.
  const child = spawn(espruino, [file], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const finish = (err?: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (err) reject(err);
      else resolve(out);
    };
    const timer = setTimeout(() => finish(new Error(`no result within ${timeoutMs / 1000} s:\n${out.slice(-3000)}`)), timeoutMs);
    let seen = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      for (let nl = out.indexOf('\n', seen); onLine && nl >= 0; nl = out.indexOf('\n', seen)) {
        onLine(out.slice(seen, nl));
        seen = nl + 1;
      }
      if (done.test(out)) finish();
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.on('exit', () => finish());
  });
}

/** Writes `bytes` to Storage file `name` in `dir`, as `npm run flash` installs the module. */
export async function storeFile(espruino: string, dir: string, name: string, bytes: Buffer): Promise<void> {
  const lines = [`var S = require("Storage"); S.erase(${JSON.stringify(name)});`];
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const b64 = bytes.subarray(i, i + CHUNK).toString('base64');
    lines.push(`S.write(${JSON.stringify(name)}, atob("${b64}"), ${i}${i ? '' : ', ' + bytes.length});`);
  }
  lines.push(`print("STORED " + S.read(${JSON.stringify(name)}).length); quit();`);
  const out = await runEspruino(espruino, dir, lines.join('\n'), /STORED \d+\r?\n/, 120000);
  const m = /STORED (\d+)/.exec(out);
  if (!m || Number(m[1]) !== bytes.length) throw new Error(`Storage write of ${name} failed:\n${out.slice(-2000)}`);
}

/** The lines `PREFIX key value...` a script printed, by key. */
export function figureLines(out: string, prefix: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split(/\r?\n/)) {
    const at = line.indexOf(prefix + ' ');
    if (at < 0) continue;
    const rest = line.slice(at + prefix.length + 1).trim();
    const sp = rest.indexOf(' ');
    m.set(sp < 0 ? rest : rest.slice(0, sp), sp < 0 ? '' : rest.slice(sp + 1));
  }
  return m;
}
