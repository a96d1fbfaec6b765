/**
 * npm run build:app -- app.ts [--out file]
 *
 * Compiles an on-board app the way the module is built (tools/build.ts): tsc down to ES5 ->
 * esbuild (one script; files the app imports are bundled in) -> terser (hoists function
 * declarations, which Espruino does not) -> the bundle gate (tools/bundle-gate.ts). The result
 * is a plain script for Storage `.bootcde` (what `npm run flash` writes) or for SimBoard
 * (`npm run sim`): `require("aliyunIoT")` and the board's modules stay runtime requires, and
 * none of CommonJS's module glue is left, because an app is a script, not a module.
 *
 * The app is type-checked (strict) against types/espruino.d.ts and types/aliyunIoT.d.ts; a
 * type error stops the build. A .js app is not transformed, only put through the gate.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { minify } from 'terser';
import ts from 'typescript';
import { checkBundle } from './bundle-gate';

const root = path.resolve(__dirname, '..');

/** The declarations every app is compiled against. */
export const APP_DECLARATIONS = [path.join(root, 'types/espruino.d.ts'), path.join(root, 'types/aliyunIoT.d.ts')];

/** ES5 for Espruino; CommonJS only so that `import x = require("...")` compiles to a require(). */
export const APP_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES5,
  module: ts.ModuleKind.CommonJS,
  lib: ['lib.es5.d.ts'],
  types: [],
  strict: true,
  noEmitOnError: true,
  importHelpers: false,
  skipLibCheck: true,
  newLine: ts.NewLineKind.LineFeed,
};

/** What tsc adds to every CommonJS file; on the board `exports` does not exist in a script. */
const ES_MODULE_MARKER = 'Object.defineProperty(exports, "__esModule", { value: true });\n';

export interface BuiltApp {
  /** The script, as the board gets it (UTF-8). */
  code: string;
  /** Where it was written. */
  out: string;
}

export class AppBuildError extends Error {}

/** Default output: build/app/<name>.js. */
export function defaultAppOut(app: string): string {
  return path.join(root, 'build/app', path.basename(app).replace(/\.[jt]s$/, '') + '.js');
}

/** tsc: the app and what it imports, emitted as ES5 CommonJS files into `dir`; returns the entry's output. */
function compileTs(app: string, dir: string): string {
  const program = ts.createProgram([app, ...APP_DECLARATIONS], { ...APP_COMPILER_OPTIONS, rootDir: path.dirname(app), outDir: dir });
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length) {
    const text = diagnostics.map((d) => {
      const where = d.file && d.start !== undefined ? `${path.relative(process.cwd(), d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
      return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
    });
    throw new AppBuildError(`${path.relative(process.cwd(), app)} does not compile:\n  ${text.join('\n  ')}`);
  }
  const entry = path.join(dir, path.basename(app).replace(/\.ts$/, '.js'));
  const js = fs.readFileSync(entry, 'utf8');
  if (/^\s*(exports\.\w+\s*=|module\.exports\b)/m.test(js.split(ES_MODULE_MARKER).join(''))) {
    throw new AppBuildError(`${path.relative(process.cwd(), app)} exports something: an on-board app is a script (move shared code into a file it imports)`);
  }
  fs.writeFileSync(entry, js.split(ES_MODULE_MARKER).join(''));
  return entry;
}

/** esbuild: one script; every bare module name (aliyunIoT, Storage, Wifi...) is the board's to resolve. */
async function bundle(entry: string): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'cjs',
    target: 'es5',
    platform: 'neutral',
    packages: 'external',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * Builds `app` into `out` (default build/app/<name>.js). A .js app without `out` is only
 * checked, and `out` is the app itself: nothing is copied (the flash checks it for credentials).
 */
export async function buildApp(app: string, out?: string): Promise<BuiltApp> {
  app = path.resolve(app);
  if (!fs.existsSync(app)) throw new AppBuildError(`${app} does not exist`);
  let code: string;
  if (app.endsWith('.ts')) {
    const dir = path.join(root, 'build/app-es5', path.basename(app, '.ts'));
    fs.rmSync(dir, { recursive: true, force: true });
    const bundled = await bundle(compileTs(app, dir));
    // Espruino hoists neither functions nor vars; terser moves them up (like the module's readable
    // build). Not mangled, so errors on the board name the app's own functions.
    const hoisted = await minify(bundled, {
      ecma: 5,
      compress: { defaults: false, hoist_funs: true, hoist_vars: true, dead_code: true, directives: true },
      mangle: false,
      format: { beautify: true, comments: false, ascii_only: false },
    });
    code = hoisted.code!;
  } else {
    code = fs.readFileSync(app, 'utf8');
  }
  const problems = checkBundle(code, { app: true });
  if (problems.length) throw new AppBuildError(`${path.relative(process.cwd(), app)} would fail on Espruino:\n  ${problems.join('\n  ')}`);
  if (!out && app.endsWith('.js')) return { code, out: app };
  out = out ?? defaultAppOut(app);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  return { code, out };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined;
  if (args.length !== 1 || !out && outAt >= 0) {
    console.error('usage: npm run build:app -- app.ts [--out build/app/app.js]');
    process.exit(2);
  }
  buildApp(args[0], out ? path.resolve(out) : defaultAppOut(args[0])).then(
    (built) => console.log(`${path.relative(process.cwd(), built.out)}: ${Buffer.byteLength(built.code)} bytes, passed the bundle gate`),
    (e: Error) => {
      console.error(`build:app: ${e.message}`);
      process.exit(1);
    },
  );
}
