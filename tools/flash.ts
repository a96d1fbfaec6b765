/**
 * npm run flash [-- --app FILE] [--dry-run [--out file]] [--config flash.config.json]
 *
 * Puts the module, the credentials and the boot scripts onto an ESP32 with the espruino CLI, as
 * flash.config.json says (`--app` overrides its app). A .ts app is built first, as `npm run
 * build:app` does. With --dry-run no board is needed: the exact text the CLI would send is
 * written to a file (default build/flash-dryrun.js) instead. Exits non-zero when no board answers.
 * An app that never uses aliyunIoT.Gateway gets the Device-only build (tools/flash/module-choice.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadFlashConfig } from './flash/config';
import { loadSecrets } from './flash/secrets';
import { planFlash, sentText } from './flash/plan';
import { checkPort, flashWithCli } from './flash/espruino-cli';
import { buildApp } from './build-app';
import { moduleFor } from './flash/module-choice';

const root = path.resolve(__dirname, '..');

interface Options {
  dryRun: boolean;
  out: string;
  config: string;
  app?: string;
}

function parseOptions(argv: string[]): Options {
  const opts: Options = { dryRun: false, out: path.join(root, 'build/flash-dryrun.js'), config: path.join(root, 'flash.config.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return path.resolve(v);
    };
    if (a === '--dry-run') opts.dryRun = true;
    else if (a === '--out') opts.out = value();
    else if (a === '--config') opts.config = value();
    else if (a === '--app') opts.app = value();
    else throw new Error(`unknown option ${a} (use --app FILE, --dry-run, --out FILE, --config FILE)`);
  }
  return opts;
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const config = loadFlashConfig(opts.config);
  if (opts.app) config.app.file = opts.app;
  // A .ts app is compiled; a .js one goes through the same bundle gate unchanged.
  const built = await buildApp(config.app.file);
  if (config.app.file.endsWith('.ts')) console.log(`built ${path.relative(root, config.app.file)} -> ${path.relative(root, built.out)}`);
  config.app.file = built.out;
  // An app that never uses the Gateway gets the Device-only build of the module.
  config.module.file = moduleFor(config.module.file, fs.readFileSync(built.out, 'latin1'));
  const plan = planFlash(config, loadSecrets(config.secrets.file));
  for (const f of plan.files) console.log(`Storage "${f.storageName}": ${f.bytes.length} bytes${f.source ? ' from ' + path.relative(root, f.source) : ''}`);
  if (opts.dryRun) {
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    // Latin-1 keeps one byte per character, as the CLI writes its -o file.
    fs.writeFileSync(opts.out, sentText(plan), 'latin1');
    console.log(`dry run: wrote what would be sent to ${path.relative(process.cwd(), opts.out)}`);
    return 0;
  }
  checkPort(config);
  return flashWithCli(config, plan, path.join(root, '.flash'));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: Error) => {
    console.error(`flash: ${e.message}`);
    process.exitCode = 1;
  },
);
