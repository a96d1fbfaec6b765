/**
 * The documentation keeps up with the code: every result code of src/errors.ts has words in
 * sim/errors-text.ts and a row in the README's table, and every public method and event of the
 * built module is in the README's API reference.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ERROR_TEXT } from '../../sim/errors-text';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The members of `const enum Err` as [name, value]. */
function errCodes(): [string, number][] {
  const src = fs.readFileSync(path.join(root, 'src/errors.ts'), 'utf8');
  return [...src.matchAll(/^\s+(\w+) = (-?\d+),/gm)].map((m) => [m[1], Number(m[2])]);
}

function builtModule(): any {
  const code = fs.readFileSync(path.join(root, 'build/aliyunIoT.js'), 'utf8');
  const exports: any = {};
  new Function('exports', 'module', 'require', code)(exports, { exports }, () => ({}));
  return exports;
}

test('src/errors.ts is read (the check below is not vacuous)', () => {
  expect(errCodes().length).toBeGreaterThan(25);
});

test.each(errCodes())('%s (%d) has words and a README row', (_name, code) => {
  expect(ERROR_TEXT[code]).toBeTruthy();
  expect(readme).toMatch(new RegExp('\\| `' + code + '` \\|'));
});

test('every public method and ON_* event of Device and Gateway is in the README', () => {
  const m = builtModule();
  for (const cls of ['Device', 'Gateway']) {
    const proto = m[cls].prototype;
    const names = Object.keys(proto).filter((k) => !k.endsWith('_') && (typeof proto[k] === 'function' || /^ON_/.test(k)));
    expect(names.length).toBeGreaterThan(10);
    for (const n of names) expect({ cls, n, inReadme: readme.includes('`' + n) }).toEqual({ cls, n, inReadme: true });
  }
});

test('the README has the two set-up lines', () => {
  expect(readme).toContain('npm install && npm start');
  expect(readme).toContain('npm install && npm test');
});
