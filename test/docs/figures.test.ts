/**
 * Measured figures live in bench/figures.json (the benches write it); the README,
 * docs/internals.md and boards/esp32.json quote them. Every quote below must read as the file
 * says, so a figure cannot drift in one place; the `bundle` section must be the current
 * build's (refresh it with `npx tsx bench/size.ts` after `npm run build`), and the pages name
 * its keys rather than copy its numbers, since it changes with every build.
 */
import * as fs from 'fs';
import * as path from 'path';
import { moduleJsVars } from '../../tools/bundle-gate';

const root = path.resolve(__dirname, '../..');
const figures = JSON.parse(fs.readFileSync(path.join(root, 'bench/figures.json'), 'utf8'));
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Phrases as each file words them; `{section.key}` is the figure, with thousands separators. */
const QUOTES: Record<string, string[]> = {
  'README.md': [
    'and {qos0Burst.deliveredBefore} arrived; now {qos0Burst.accepted} were accepted, {qos0Burst.refused} refused, all {qos0Burst.delivered} arrived',
    '{qos0Burst.jsVarsAfterBurst} JsVars in use right after the burst',
    '{tls.socketStateBytes} bytes = {tls.socketStateJsVars} JsVars',
    '**{tls.linuxConnectionJsVars} JsVars (38 KB)**',
    '(peak {tls.linuxConnectionPeakJsVars} during the',
    '{interpreterBench.burstAccepted} accepted and delivered, the rest refused `-312`; peak {interpreterBench.burstPeakJsVars} JsVars',
    'all {interpreterBench.gatewaySubdevices} posted; peak {interpreterBench.gatewayPeakJsVars} JsVars of 16,383 ({interpreterBench.gatewayConnectedJsVars} connected)',
    'take {interpreter.moduleAndDevice} JsVars', '({interpreter.moduleAndGateway} JsVars with a Gateway instead)', '占用 {interpreter.moduleAndDevice} 个', '换成 Gateway 为 {interpreter.moduleAndGateway} 个',
    'about {largeGateway.listEntryJsVars} JsVars an entry', 'peak {largeGateway.peakJsVars} JsVars of 16,383\n({largeGateway.connectedJsVars} with the gateway connected)', '峰值 {largeGateway.peakJsVars} 个 JsVar',
    'used {memoryFlat.jsVarsBefore} JsVars before and {memoryFlat.jsVarsAfter} after', '分别占用 {memoryFlat.jsVarsBefore} 和 {memoryFlat.jsVarsAfter} 个 JsVar'],
  'docs/internals.md': [
    '**{interpreter.moduleAndDevice} JsVars** with the module in Storage',
    '({interpreter.moduleAlone} JsVars for the module alone)',
    '**{interpreter.moduleAndGateway} JsVars** with a Gateway instead',
    '{interpreter.deviceOnlyBuild} JsVars for the Device-only build',
    'measured on the {interpreter.bundleMinBytes} B build',
  ],
  'boards/esp32.json': ['module alone {interpreter.moduleAlone} JsVars', 'module + a connected, idle Device {interpreter.moduleAndDevice}', '+ a Gateway instead {interpreter.moduleAndGateway}'],
};

function render(phrase: string): string {
  return phrase.replace(/\{(\w+)\.(\w+)\}/g, (_m, section: string, key: string) => {
    const v = figures[section]?.[key];
    if (v === undefined) throw new Error('bench/figures.json has no ' + section + '.' + key);
    return typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
  });
}

test.each(Object.keys(QUOTES))('%s quotes bench/figures.json as it stands', (file) => {
  const text = read(file);
  const missing = QUOTES[file].map(render).filter((q) => !text.includes(q));
  expect(missing).toEqual([]);
});

test('no other JsVar figure in the quoting files: each number before "JsVars" is a quote ("~" rounding one), a budget or a rule', () => {
  const quoted = new Set<string>();
  const numbers: number[] = [];
  for (const section of Object.values(figures) as Record<string, unknown>[]) {
    for (const v of Object.values(section)) {
      if (typeof v !== 'number') continue;
      quoted.add(v.toLocaleString('en-US'));
      numbers.push(v);
    }
  }
  // Design budgets (boards/esp32.json, DESIGN) and the estimate's rule, not measurements.
  const budgets = new Set(['1,200', '1,500', '2,000', '12,000', '16,383', '40', '10', '1', '3']);
  for (const file of ['README.md', 'docs/internals.md']) {
    const stray: string[] = [];
    for (const m of read(file).matchAll(/(~?)(\d[\d,]*) (?:more )?JsVars/g)) {
      const n = Number(m[2].replace(/,/g, ''));
      // "~2,800" may round a figure (within 1%); an exact-looking number must be one.
      const rounds = m[1] === '~' && [...numbers].some((f) => Math.abs(f - n) <= f / 100);
      if (!quoted.has(m[2]) && !budgets.has(m[2]) && !rounds) stray.push(m[0]);
    }
    expect({ file, stray }).toEqual({ file, stray: [] });
  }
});

test('the bundle section is the current build', () => {
  const min = fs.readFileSync(path.join(root, 'build/aliyunIoT.min.js'), 'utf8');
  const cost = moduleJsVars(min);
  expect(figures.bundle).toEqual({
    minBytes: Buffer.byteLength(min),
    deviceOnlyMinBytes: fs.statSync(path.join(root, 'build/aliyunIoT-device.min.js')).size,
    jsVarEstimate: cost.estimate,
    functionsAtLoad: cost.functions,
    parametersAtLoad: cost.params,
  });
});
