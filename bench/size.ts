/**
 * Bundle size: raw / minified / gzip bytes of every build in build/, the budget of
 * boards/esp32.json, the Device-only build, and where the minified bytes go, source module by
 * source module (terser output attributed through source maps; see
 * bench/support/minified-attribution.ts).
 *
 *   npm run bench:size          (builds first)
 *   npx tsx bench/size.ts       (uses the build/ that is there)
 *
 * Prints figures and writes the deterministic ones to bench/figures.json under "bundle"; never
 * fails on size (the build's gate does that).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { ENTRIES } from '../tools/build';
import { moduleJsVars } from '../tools/bundle-gate';
import { attributeMinified } from './support/minified-attribution';
import { writeFigures } from './support/figures';

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');

interface FileSizes { raw: number; min: number; gzip: number }

function measure(name: string): FileSizes | undefined {
  const readable = path.join(BUILD, `${name}.js`);
  const minified = path.join(BUILD, `${name}.min.js`);
  if (!fs.existsSync(readable) || !fs.existsSync(minified)) return undefined;
  const min = fs.readFileSync(minified);
  return { raw: fs.statSync(readable).size, min: min.length, gzip: zlib.gzipSync(min, { level: 9 }).length };
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const kb = (n: number) => (n / 1024).toFixed(1) + ' KB';

/** The first level below src/ ("board", "mqtt", ...) or the file itself at the top. */
function layerOf(source: string): string {
  if (!source.startsWith('src/')) return source.startsWith('tslib') ? 'tslib (ES5 helpers)' : source;
  const parts = source.slice(4).split('/');
  return parts.length > 1 ? parts[0] + '/' : 'top level (device, gateway, facade, errors, entries)';
}

async function main(): Promise<void> {
  const sizes = new Map<string, FileSizes>();
  for (const e of ENTRIES) {
    const s = measure(e.name);
    if (s) sizes.set(e.name, s);
  }
  if (!sizes.has('aliyunIoT')) throw new Error('build/aliyunIoT.min.js not found: run `npm run build` first');

  console.log('Bundle bytes (files in build/)');
  console.log(`  ${'build'.padEnd(20)} ${pad('raw', 8)} ${pad('min', 8)} ${pad('gzip', 8)}`);
  for (const [name, s] of sizes) console.log(`  ${name.padEnd(20)} ${pad(s.raw, 8)} ${pad(s.min, 8)} ${pad(s.gzip, 8)}`);

  const board = JSON.parse(fs.readFileSync(path.join(ROOT, 'boards/esp32.json'), 'utf8'));
  const main = sizes.get('aliyunIoT')!;
  const ceiling: number = board.bundle.budgetBytes;
  const target: number = board.bundle.designTargetBytes;
  console.log(`\nBudget (boards/esp32.json) for aliyunIoT.min.js = ${main.min} B (${kb(main.min)})`);
  console.log(`  enforced ceiling ${ceiling} B: ${main.min <= ceiling ? `${ceiling - main.min} B headroom` : `OVER by ${main.min - ceiling} B`}`);
  console.log(`  design target    ${target} B: ${main.min <= target ? 'met' : `over by ${main.min - target} B (${((main.min / target) * 100).toFixed(0)}% of target)`}`);
  if (board.bundle.goalBytes) console.log(`  goal             ${board.bundle.goalBytes} B`);

  const device = sizes.get('aliyunIoT-device');
  if (device) {
    console.log(`\nDevice-only build (aliyunIoT-device.min.js): ${device.min} B min, ${device.gzip} B gzip; design target ${device.min <= target ? 'met' : `over by ${device.min - target} B`}`);
    console.log(`  Gateway's marginal cost (full - Device-only): ${main.min - device.min} B min, ${main.gzip - device.gzip} B gzip`);
  }
  const cost = moduleJsVars(fs.readFileSync(path.join(BUILD, 'aliyunIoT.min.js'), 'utf8'));
  writeFigures('bundle', {
    minBytes: main.min,
    deviceOnlyMinBytes: device ? device.min : 0,
    jsVarEstimate: cost.estimate,
    functionsAtLoad: cost.functions,
    parametersAtLoad: cost.params,
  });
  const mqtt = sizes.get('mqttClient');
  if (mqtt) console.log(`  MQTT client alone (mqttClient.min.js): ${mqtt.min} B min`);

  const full = await attributeMinified(ROOT, 'index.js');
  const deviceOnly = device ? await attributeMinified(ROOT, 'device-entry.js') : undefined;
  const rows = [...full.perSource.entries()].sort((a, b) => b[1] - a[1]);
  console.log('\nMinified bytes per source module (terser output of the whole bundle, attributed by source map)');
  console.log(`  ${'module'.padEnd(34)} ${pad('full', 7)} ${pad('share', 6)} ${pad('device-only', 12)}`);
  for (const [src, n] of rows) {
    const d = deviceOnly ? deviceOnly.perSource.get(src) ?? 0 : NaN;
    console.log(`  ${src.padEnd(34)} ${pad(n, 7)} ${pad(((n / full.total) * 100).toFixed(1) + '%', 6)} ${pad(deviceOnly ? d : '-', 12)}`);
  }
  const layers = new Map<string, number>();
  for (const [src, n] of rows) layers.set(layerOf(src), (layers.get(layerOf(src)) ?? 0) + n);
  console.log('  by layer:');
  for (const [layer, n] of [...layers.entries()].sort((a, b) => b[1] - a[1])) {
    console.log(`    ${layer.padEnd(54)} ${pad(n, 7)} ${pad(((n / full.total) * 100).toFixed(1) + '%', 6)}`);
  }
  console.log(`  attributed total ${full.total} B vs build/aliyunIoT.min.js ${main.min} B (difference ${full.total - main.min} B: tools/build.ts rewrites the export/require glue and adds the loaders of deferred code)`);
  if (deviceOnly && device) {
    console.log(`  device-only attributed total ${deviceOnly.total} B vs build/aliyunIoT-device.min.js ${device.min} B`);
    // What a Device would weigh with none of the optional parts: the floor under the byte budget.
    const optional = OPTIONAL_SOURCES.reduce((t, src) => t + (deviceOnly.perSource.get(src) ?? 0), 0);
    console.log(`  device-only without ${OPTIONAL_SOURCES.map((f) => path.basename(f, '.ts')).join(', ')}: ${deviceOnly.total - optional} B attributed (design target ${target} B)`);
  }
}

/** Sources a Device could do without: dynamic registration (MQTT and HTTPS), file upload, the pure-JS SHA. */
const OPTIONAL_SOURCES = ['src/features/register.ts', 'src/board/https.ts', 'src/features/upload.ts', 'src/board/sha.ts'];

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
