/**
 * `npm run build:app`: an app written in TypeScript becomes a script the board runs, through
 * the module's own pipeline and bundle gate: require("aliyunIoT") stays a runtime require and
 * none of CommonJS's glue (`exports`, the __esModule marker) is left.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as acorn from 'acorn';
import { SimBoard } from '../../sim/board';
import { buildApp } from '../../tools/build-app';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-app-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function app(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

test('examples/app.ts becomes a plain script: a runtime require, no CommonJS glue, ES5 that parses as a script', async () => {
  const { code } = await buildApp(path.join(ROOT, 'examples/app.ts'), path.join(dir, 'app.js'));
  expect(code).toContain('require("aliyunIoT")');
  expect(code).not.toMatch(/__esModule|\bexports\b|\bmodule\./);
  expect(() => acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
  expect(fs.readFileSync(path.join(dir, 'app.js'), 'utf8')).toBe(code);
});

test('the script runs as a board script: functions used before their declaration are hoisted, ES import forms work', async () => {
  const src = app('hoist.ts', [
    'import * as iot from "aliyunIoT";',
    'import { Device } from "aliyunIoT";',
    'import Storage = require("Storage");',
    'greet(typeof iot.Device, typeof Device);',
    'function greet(a: string, b: string): void { print("hello " + a + " " + b + " " + typeof Storage.read); }',
  ].join('\n'));
  const { code } = await buildApp(src, path.join(dir, 'hoist.js'));
  const board = new SimBoard();
  try {
    board.loadModuleFile('aliyunIoT', path.join(ROOT, 'build/aliyunIoT.js'));
    board.run(code);
    expect(board.uncaught).toEqual([]);
    expect(board.output).toEqual(['hello function function function']);
  } finally {
    await board.close();
  }
});

test('a helper file the app imports is bundled into the one script', async () => {
  app('helper.ts', 'export function twice(x: number): number { return 2 * x; }\n');
  const src = app('main.ts', 'import { twice } from "./helper";\nprint("twice " + twice(21));\n');
  const { code } = await buildApp(src, path.join(dir, 'main.js'));
  expect(code).not.toContain('require("./helper")');
  const board = new SimBoard();
  try {
    board.run(code);
    expect(board.output).toEqual(['twice 42']);
  } finally {
    await board.close();
  }
});

test('a type error stops the build and names the line', async () => {
  const src = app('wrong.ts', 'import aliyunIoT = require("aliyunIoT");\nvar d = new aliyunIoT.Device();\nd.postProps({ param: "{}" });\n');
  await expect(buildApp(src, path.join(dir, 'wrong.js'))).rejects.toThrow(/wrong\.ts:3: .*param/);
});

test('an app that exports something is refused: on the board it is a script', async () => {
  const src = app('exports.ts', 'export var x = 1;\nprint(x);\n');
  await expect(buildApp(src, path.join(dir, 'exports.js'))).rejects.toThrow(/exports something/);
});

test('what Espruino lacks fails the bundle gate, as it does for the module', async () => {
  const src = app('absent.ts', 'declare var Map: any;\nvar m = new Map();\nprint(m);\n');
  await expect(buildApp(src, path.join(dir, 'absent.js'))).rejects.toThrow(/global Map does not exist on Espruino/);
});

test('npm run build:app -- app.ts writes build/app/<name>.js and says so; a failure exits non-zero', () => {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  const ok = spawnSync(tsx, [path.join(ROOT, 'tools/build-app.ts'), path.join(ROOT, 'examples/app.ts'), '--out', path.join(dir, 'cli.js')], { cwd: ROOT, encoding: 'utf8' });
  expect(ok.stderr).toBe('');
  expect(ok.status).toBe(0);
  expect(ok.stdout).toMatch(/cli\.js: \d+ bytes, passed the bundle gate/);
  const bad = spawnSync(tsx, [path.join(ROOT, 'tools/build-app.ts'), path.join(dir, 'wrong.ts'), '--out', path.join(dir, 'x.js')], { cwd: ROOT, encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/^build:app: .*does not compile/);
});
