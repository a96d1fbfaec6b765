/**
 * Builds the on-device module: tsc (ES5) -> esbuild (one CommonJS body) -> terser.
 *
 * Why three tools: esbuild cannot lower classes or rest arguments to ES5, so tsc down-levels
 * first; esbuild then bundles the ES5 output; terser's `hoist_funs` moves function declarations
 * ahead of their use, because Espruino does not hoist them, and mangles internal names.
 *
 * Outputs, per entry: build/<name>.js (readable, hoisted, not mangled) and build/<name>.min.js
 * (mangled, what goes onto the board). Both pass the bundle gate (tools/bundle-gate.ts) or the
 * build fails. build/sizes.json records raw/min/gzip bytes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as esbuild from 'esbuild';
import { minify, type MinifyOptions } from 'terser';
import * as acorn from 'acorn';
import { checkBundle, moduleJsVars } from './bundle-gate';

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'build');

/**
 * The module users load, plus smaller bundles built the same way for focused tests and benches.
 * Code that many apps never run (the Gateway, registration, upload, the pure-JS SHA, OTA) is
 * written in src/ as factories their owners call on first use; the build moves nothing.
 */
export const ENTRIES: { name: string; entry: string }[] = [
  { name: 'aliyunIoT', entry: 'index.js' },
  { name: 'mqttClient', entry: 'mqtt/client-entry.js' },
  { name: 'aliyunIoT-device', entry: 'device-entry.js' },
];

/** Espruino's built-in modules: resolved on the board, never bundled. */
export const BOARD_MODULES = ['net', 'tls', 'crypto', 'Storage', 'Wifi', 'http'];

/** The factories of optional parts: `createGateway`, `createUpload`... (esbuild may add a digit). */
const OPTIONAL_PART = /^create(Gateway|Subdevices)[0-9]*$/;

/** Internal object properties end in `_` and are renamed in the minified build. */
const INTERNAL_PROPERTY = /_$/;

/**
 * esbuild's CommonJS wrapper (getters, __toCommonJS) costs about 600 bytes; an ES module bundle
 * ends with one `export { a as B }` list instead, which becomes plain `exports.B = a` lines.
 * They run last, when every declaration above has run, so nothing depends on hoisting.
 */
function esmExportsToModuleBody(code: string): string {
  const ast = acorn.parse(code, { ecmaVersion: 2020, sourceType: 'module' }) as any;
  let out = code;
  for (const node of [...ast.body].reverse()) {
    if (node.type !== 'ExportNamedDeclaration') continue;
    if (node.declaration || node.source) throw new Error('unexpected export form in bundle');
    const lines = node.specifiers.map((s: any) => `exports.${s.exported.name} = ${s.local.name};`).join('\n');
    out = out.slice(0, node.start) + lines + out.slice(node.end);
  }
  if (/^\s*(import|export)\s/m.test(out)) throw new Error('bundle still has import/export statements');
  return out;
}

/**
 * esbuild rewrites `require(...)` in an ES module bundle (board code asking for 'net', 'tls'...)
 * to `__require(...)`, a shim that probes for Proxy. An Espruino module body always has
 * `require` in scope, so the shim becomes a plain alias.
 */
function plainRequire(code: string): string {
  const ast = acorn.parse(code, { ecmaVersion: 2020, sourceType: 'module' }) as any;
  for (const node of ast.body) {
    if (node.type !== 'VariableDeclaration') continue;
    const d = node.declarations[0];
    if (node.declarations.length === 1 && d.id.name === '__require') {
      return code.slice(0, node.start) + 'var __require = require;' + code.slice(node.end);
    }
  }
  return code;
}

export interface BuildSizes { raw: number; min: number; gzip: number }

/** How esbuild bundles the ES5 output (bench/size reuses it to attribute bytes to sources). */
export const BUNDLE_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  format: 'esm',
  target: 'es5',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  external: BOARD_MODULES,
  write: false,
  legalComments: 'none',
  logLevel: 'error',
};

/** terser options of the .min.js build. `of` is not reserved in JavaScript but is a keyword to
 *  Espruino's lexer; top-level names are local to an Espruino module, so they may be mangled.
 *  terser inlines a function used once into its caller; the factories of optional parts
 *  (`create...`, see src/index.ts) stay top-level functions, as written: inlined into their
 *  caller, every function they build would sit one scope deeper and cost more JsVars. */
export const MIN_OPTIONS: MinifyOptions = {
  ecma: 5,
  toplevel: true,
  compress: { hoist_funs: true, hoist_vars: true, passes: 2, pure_getters: true, inline: 1, top_retain: OPTIONAL_PART },
  mangle: { reserved: ['of'], properties: { regex: INTERNAL_PROPERTY } },
  format: { ascii_only: true, comments: false },
};

async function bundleOne(e: (typeof ENTRIES)[number]): Promise<BuildSizes> {
  const name = e.name;
  const bundled = (await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: [path.join(out, 'es5', e.entry)] })) as esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  const code = plainRequire(esmExportsToModuleBody(bundled.outputFiles[0].text));

  const readable = await minify(code, {
    ecma: 5,
    compress: { hoist_funs: true, hoist_vars: true, defaults: false, dead_code: true, unused: true },
    mangle: false,
    format: { beautify: true, comments: false, ascii_only: true },
  });
  const min = await minify(code, MIN_OPTIONS);

  const files: [string, string][] = [
    [`${name}.js`, readable.code!],
    [`${name}.min.js`, min.code!],
  ];
  for (const [file, text] of files) {
    const problems = checkBundle(text);
    if (problems.length) {
      fs.writeFileSync(path.join(out, file.replace(/\.js$/, '.rejected.js')), text);
      throw new Error(`bundle gate failed for build/${file}:\n  ${problems.join('\n  ')}`);
    }
    fs.writeFileSync(path.join(out, file), text);
  }
  return {
    raw: Buffer.byteLength(readable.code!),
    min: Buffer.byteLength(min.code!),
    gzip: zlib.gzipSync(min.code!, { level: 9 }).length,
  };
}

export async function build(): Promise<Record<string, BuildSizes>> {
  fs.rmSync(path.join(out, 'es5'), { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  const sizes: Record<string, BuildSizes> = {};
  for (const e of ENTRIES) sizes[e.name] = await bundleOne(e);
  fs.writeFileSync(path.join(out, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
  return sizes;
}

if (require.main === module) {
  build().then(
    (sizes) => {
      const board = JSON.parse(fs.readFileSync(path.join(root, 'boards/esp32.json'), 'utf8'));
      for (const [name, s] of Object.entries(sizes)) {
        console.log(`build/${name}.js ${s.raw} B, .min.js ${s.min} B, gzip ${s.gzip} B`);
      }
      const main = sizes.aliyunIoT;
      const budget = board.bundle.budgetBytes;
      const target = board.bundle.designTargetBytes;
      console.log(`aliyunIoT.min.js: ${main.min} B; enforced ceiling ${budget} B; design target ${target} B (${main.min > target ? 'over by ' + (main.min - target) : 'met'}), goal ${board.bundle.goalBytes} B`);
      const cost = moduleJsVars(fs.readFileSync(path.join(out, 'aliyunIoT.min.js'), 'utf8'));
      console.log(`aliyunIoT.min.js: about ${cost.estimate} JsVars from Storage (${cost.functions} functions, ${cost.params} parameters); ceiling ${board.memory.moduleJsVarEstimateCeiling}`);
      if (cost.estimate > board.memory.moduleJsVarEstimateCeiling) {
        console.error(`module JsVar estimate over its ceiling by ${cost.estimate - board.memory.moduleJsVarEstimateCeiling}`);
        process.exit(1);
      }
      if (main.min > budget) {
        console.error(`bundle over budget by ${main.min - budget} B`);
        process.exit(1);
      }
    },
    (err) => {
      console.error(err.message || err);
      process.exit(1);
    },
  );
}
