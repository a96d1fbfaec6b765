/**
 * npm run flash [-- --dry-run [--out file]] [--config flash.config.json]
 *
 * Puts the module, the credentials and the boot scripts onto an ESP32 with the espruino CLI, as
 * flash.config.json says. With --dry-run no board is needed: the exact text the CLI would send
 * is written to a file (default build/flash-dryrun.js) instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadFlashConfig } from './flash/config';
import { loadSecrets } from './flash/secrets';
import { planFlash, sentText } from './flash/plan';
import { flashWithCli } from './flash/espruino-cli';

const root = path.resolve(__dirname, '..');

interface Options {
  dryRun: boolean;
  out: string;
  config: string;
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
    else throw new Error(`unknown option ${a} (use --dry-run, --out FILE, --config FILE)`);
  }
  return opts;
}

function main(): number {
  const opts = parseOptions(process.argv.slice(2));
  const config = loadFlashConfig(opts.config);
  const plan = planFlash(config, loadSecrets(config.secrets.file));
  for (const f of plan.files) console.log(`Storage "${f.storageName}": ${f.bytes.length} bytes${f.source ? ' from ' + path.relative(root, f.source) : ''}`);
  if (opts.dryRun) {
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    // Latin-1 keeps one byte per character, as the CLI writes its -o file.
    fs.writeFileSync(opts.out, sentText(plan), 'latin1');
    console.log(`dry run: wrote what would be sent to ${path.relative(process.cwd(), opts.out)}`);
    return 0;
  }
  return flashWithCli(config, plan, path.join(root, '.flash'));
}

try {
  process.exitCode = main();
} catch (e) {
  console.error(`flash: ${(e as Error).message}`);
  process.exitCode = 1;
}
