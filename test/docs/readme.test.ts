/**
 * The README serves users first: what it is and how to start fit on its first screen; the
 * internals live in docs/internals.md; the API reference, the result codes and the
 * troubleshooting table are there in Chinese as well; what it says about ON_CLOSE is what the
 * module does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SimBoard } from '../../sim/board';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The text of the section that starts with `heading` (up to the next heading of that level). */
function section(heading: string): string {
  const start = readme.indexOf('\n' + heading + '\n');
  expect({ heading, found: start >= 0 }).toEqual({ heading, found: true });
  const level = heading.split(' ')[0];
  const rest = readme.slice(start + heading.length + 2);
  const next = rest.search(new RegExp('^' + level + ' ', 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

function builtModule(): any {
  const code = fs.readFileSync(path.join(root, 'build/aliyunIoT.js'), 'utf8');
  const exports: any = {};
  new Function('exports', 'module', 'require', code)(exports, { exports }, () => ({}));
  return exports;
}

test('the first screen: what it is, the two set-up lines, the first board, the first own script', () => {
  const firstScreen = readme.slice(0, readme.indexOf('\n## 简介'));
  expect(firstScreen.split('\n').length).toBeLessThanOrEqual(60);
  for (const s of ['ESP32', 'Alibaba Cloud IoT Platform', 'npm install && npm test', 'npm install && npm start', 'npm run flash', 'npm run sim', 'npm run build:app', 'aliyunIoT.secrets.json']) {
    expect({ s, inFirstScreen: firstScreen.includes(s) }).toEqual({ s, inFirstScreen: true });
  }
  for (const internal of [/ratchet/i, /JsVar/, /budget/i, /bundle gate/i, /per[- ]file/i]) expect(firstScreen).not.toMatch(internal);
});

test('internals are in docs/internals.md, which the README links to', () => {
  const internals = fs.readFileSync(path.join(root, 'docs/internals.md'), 'utf8');
  for (const s of ['## Build and the bundle gate', '## Budgets and measured figures', 'ratchet', 'bench:size']) expect(internals).toContain(s);
  expect(readme).toContain('(docs/internals.md)');
  expect(readme).not.toMatch(/^## (Build|Budgets)/m);
});

test('the Chinese API reference names every public method and event of Device and Gateway', () => {
  const zh = section('## 接口说明（中文）');
  const m = builtModule();
  for (const cls of ['Device', 'Gateway']) {
    const proto = m[cls].prototype;
    const names = Object.keys(proto).filter((k) => !k.endsWith('_') && (typeof proto[k] === 'function' || /^ON_/.test(k)));
    for (const n of names) expect({ cls, n, inChinese: zh.includes('`' + n) }).toEqual({ cls, n, inChinese: true });
  }
});

test('every result code has its meaning in English and in Chinese', () => {
  const rows = section('## Result codes · 错误码').split('\n').filter((l) => /^\| `-?\d+` \|/.test(l));
  expect(rows.length).toBeGreaterThan(30);
  for (const row of rows) {
    const cells = row.split(' | ');
    expect({ row, cells: cells.length }).toEqual({ row, cells: 3 });
    expect({ row, chinese: /[\u4e00-\u9fff]/.test(cells[2]) }).toEqual({ row, chinese: true });
  }
});

test('the troubleshooting table covers the connection failures, in English and in Chinese', () => {
  const t = section('## Troubleshooting · 故障排查');
  for (const code of ['-201', '-207', '-208', '-304', '-314', '-205']) {
    const rows = t.split('\n').filter((l) => l.startsWith('| `' + code + '`'));
    expect({ code, rows: rows.length }).toEqual({ code, rows: 2 });
    expect(rows.some((r) => /[\u4e00-\u9fff]/.test(r))).toBe(true);
  }
});

test('the Chinese summary says what the tools really do', () => {
  const zh = section('## 简介');
  expect(zh).toContain('不烧录固件'); // flashing writes Storage
  expect(zh).toContain('Storage');
  expect(zh).toContain('它本身不运行这个模块'); // the emulator plays the cloud; SimBoard runs the bundle
  expect(zh).not.toContain('运行的是同一个打包文件');
});

test('ON_CLOSE is documented as it behaves: fired inside end(), before it returns', async () => {
  expect(readme).toContain('`ON_CLOSE` fires inside `end()`, before it returns');
  const board = new SimBoard();
  try {
    board.loadModuleFile('aliyunIoT', path.join(root, 'build/aliyunIoT.js'));
    board.run(`var d = new (require("aliyunIoT").Device)(); var seen = [];
      d.on(d.ON_CLOSE, function (e) { seen.push("ON_CLOSE " + e.code); });
      d.connect({ productKey: "a1Close0001", deviceName: "dev", deviceSecret: "s", host: "127.0.0.1", port: 1, tls: false });
      seen.push("end returned " + d.end());`);
    expect(board.global.seen).toEqual(['ON_CLOSE 0', 'end returned 0']);
  } finally {
    await board.close();
  }
});
