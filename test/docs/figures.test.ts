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
    '{tls.socketStateBytes} bytes = {tls.socketStateJsVars} JsVars',
    '**{tls.linuxConnectionJsVars} JsVars (38 KB)**',
    '(peak {tls.linuxConnectionPeakJsVars} during the',
    '{tls.socketStateBytes} 字节，即 {tls.socketStateJsVars} 个 JsVar',
    '**{tls.linuxConnectionJsVars} 个 JsVar（38 KB）**（握手峰值 {tls.linuxConnectionPeakJsVars}；',
    '{interpreterBench.burstAccepted} accepted and delivered, the rest refused `-312`; peak {interpreterBench.burstPeakJsVars} JsVars added after `require`',
    'all {interpreterBench.gatewaySubdevices} posted; peak {interpreterBench.gatewayPeakJsVars} JsVars added after `require`, of the 16,383 ({interpreterBench.gatewayConnectedJsVars} once connected',
    '{interpreterBench.burstAccepted} 条被接受并送达', '`require` 之后新增的 JsVar 峰值为 {interpreterBench.burstPeakJsVars} 个',
    '网关带 {interpreterBench.gatewaySubdevices} 个子设备', '`require` 之后新增的 JsVar 峰值为 {interpreterBench.gatewayPeakJsVars} 个（共 16,383 个；连接后为 {interpreterBench.gatewayConnectedJsVars} 个',
    '| JsVars added after `require`: module + a connected, idle Device (32-bit, `npm run bench:memory`) | | {interpreter.moduleAndDevice} (',
    '模块加一个已连接的空闲 Device 在 `require` 之后新增 {interpreter.moduleAndDevice} 个 JsVar',
    'Device add {interpreter.moduleAndDevice} JsVars after `require("aliyunIoT")` ({interpreter.moduleAlone} for the module alone; {interpreter.moduleAndGateway} JsVars',
    '之后新增 {interpreter.moduleAndDevice} 个 JsVar（仅模块 {interpreter.moduleAlone} 个；换成 Gateway 为 {interpreter.moduleAndGateway} 个）',
    'about {largeGateway.listEntryJsVars} JsVars an entry',
    'peaked at {largeGateway.peakJsVars} of the 16,383 ({largeGateway.connectedJsVars} once the',
    '在 32 位解释器上，Storage 中列出的 {largeGateway.subdevices} 个子设备', '`require` 之后新增的 JsVar 峰值为 {largeGateway.peakJsVars} 个（共 16,383 个）',
    'held {memoryFlat.jsVarsBefore} JsVars added after `require` before and {memoryFlat.jsVarsAfter} after', '新增的 JsVar 分别为 {memoryFlat.jsVarsBefore} 和 {memoryFlat.jsVarsAfter} 个'],
  'docs/internals.md': [
    '**{interpreter.moduleAndDevice} JsVars** with the module in Storage',
    '({interpreter.moduleAlone} JsVars for the module alone)',
    '**{interpreter.moduleAndGateway} JsVars** with a Gateway instead',
    '{interpreter.deviceOnlyBuild} JsVars for the Device-only build',
    'measured on the {interpreter.bundleMinBytes} B build',
  ],
  'boards/esp32.json': [
    'counted as JsVars added after require',
    'module alone {interpreter.moduleAlone} JsVars',
    'module + a connected, idle Device {interpreter.moduleAndDevice}',
    '+ a Gateway instead {interpreter.moduleAndGateway}',
    'posting peak at {largeGateway.peakJsVars} JsVars added after require',
  ],
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

test('no other JsVar figure in the quoting files: each number before "JsVars" ("个 JsVar") is a quote ("~", "约" rounding one), a budget or a rule', () => {
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
    for (const m of read(file).matchAll(/(~|约 )?(\d[\d,]*) (?:(?:more )?JsVars|个 ?JsVar)/g)) {
      const n = Number(m[2].replace(/,/g, ''));
      // "~2,800" may round a figure (within 1%); an exact-looking number must be one.
      const rounds = !!m[1] && [...numbers].some((f) => Math.abs(f - n) <= f / 100);
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
