/**
 * The bundle gate: the built module must be code Espruino can load and run. The gate is static
 * (tools/bundle-gate.ts); these tests run it on the real artifacts and prove, on small samples,
 * that each trap it guards against is actually caught.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkBundle, moduleJsVars } from '../../tools/bundle-gate';

const build = path.resolve(__dirname, '../../build');
const board = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../boards/esp32.json'), 'utf8'));

describe('built artifacts', () => {
  for (const file of ['aliyunIoT.js', 'aliyunIoT.min.js']) {
    it(`${file} passes the gate`, () => {
      const code = fs.readFileSync(path.join(build, file), 'utf8');
      expect(checkBundle(code)).toEqual([]);
    });
  }

  it('aliyunIoT.min.js is within the board budget', () => {
    const bytes = fs.statSync(path.join(build, 'aliyunIoT.min.js')).size;
    expect(bytes).toBeLessThanOrEqual(board.bundle.budgetBytes);
  });

  it('the estimated JsVar cost of the module stays within its ratchet', () => {
    const cost = moduleJsVars(fs.readFileSync(path.join(build, 'aliyunIoT.min.js'), 'utf8'));
    expect(cost.functions).toBeGreaterThan(100);
    expect(cost.estimate).toBeLessThanOrEqual(board.memory.moduleJsVarEstimateCeiling);
  });

  it('the JsVar estimate counts the functions created at load, and their parameters', () => {
    // The inner function is created only when f runs.
    expect(moduleJsVars('function f(a, b) { return function (c) {}; }')).toEqual({ functions: 1, params: 2, estimate: 12 });
    // Methods of an object built at load are created at load.
    expect(moduleJsVars('var o = { m: function (a) {}, n: function () {} };')).toEqual({ functions: 2, params: 1, estimate: 21 });
    // An IIFE runs at load: it and what it declares count; a function merely passed along does not run.
    expect(moduleJsVars('var x = (function (a) { function g(b) {} return g; })(); h(function () { function k() {} });')).toEqual({ functions: 3, params: 2, estimate: 32 });
  });

  it('the module body exports through `exports`, as Modules.addCached expects', () => {
    const code = fs.readFileSync(path.join(build, 'aliyunIoT.min.js'), 'utf8');
    const exports: Record<string, unknown> = {};
    new Function('exports', 'module', 'require', code)(exports, { exports }, () => ({}));
    expect(Object.keys(exports).length).toBeGreaterThan(0);
  });
});

describe('the gate catches each trap', () => {
  const caught: [string, string, RegExp][] = [
    ['ES2015 syntax', 'var f = (a) => a;', /not ES5/],
    ['a label', 'a: for (;;) { break a; }', /label/],
    ['use before var declaration', 'exports.f = f; var f = 1;', /used before its declaration/],
    ['use before function declaration', 'g(); function g() {}', /used before its declaration/],
    ['function declared in a block', 'if (x) { function h() {} }', /inside a block/],
    ['Map', 'var m = new Map();', /global Map/],
    ['Symbol.iterator', 'var s = Symbol.iterator;', /global Symbol/],
    ['Array.from', 'var a = Array.from(x);', /Array\.from/],
    ['Array.prototype.slice', 'var s = Array.prototype.slice;', /Array\.prototype/],
    ['Number.isInteger', 'var b = Number.isInteger(1);', /Number\.isInteger/],
    ['Object.create with properties', 'var o = Object.create(null, {});', /Object\.create/],
    ['length assignment', 'a.length = 0;', /\.length/],
    ['regex ?', 'var r = /colou?r/;', /regex "\?"/],
    ['regex {n}', 'var r = /a{2}/;', /\{n,m\}/],
    ['regex non-capturing group', 'var r = /(?:a)/;', /regex "\?"/],
    ['regex \\b', 'var r = /\\bword/;', /\\b/],
    ['regex back-reference', 'var r = /(a)\\1/;', /back-reference/],
    ['regex m flag', 'var r = /a/m;', /flag/],
    ['identifier of', 'var of = 1;', /keyword/],
    ['property named of', 'x.of = 1;', /keyword/],
    ['non-ASCII source', 'var s = "\u4e2d";', /non-ASCII/],
    ['escape above 0xFF', 'var s = "\\u4e2d";', /above 0xFF/],
    ['__spreadArray helper', 'var __spreadArray = function () {};', /__spreadArray/],
    ['Promise.finally', 'p.finally(f);', /finally/],
  ];
  for (const [name, code, expected] of caught) {
    it(`flags ${name}`, () => {
      const problems = checkBundle(code);
      expect(problems.join('\n')).toMatch(expected);
    });
  }

  const allowed: [string, string][] = [
    ['typeof Symbol guard', 'var hasSymbol = typeof Symbol === "function";'],
    ['Object.prototype.hasOwnProperty', 'var h = Object.prototype.hasOwnProperty;'],
    ['a closure using a later var', 'function f() { return later; } var later = 1; f();'],
    ['character classes with ? and {', 'var r = /[?{]+/g;'],
    ['escaped ?', 'var r = /a\\?/;'],
    ['getters in literals', 'var o = { get x() { return 1; } };'],
  ];
  for (const [name, code] of allowed) {
    it(`allows ${name}`, () => {
      expect(checkBundle(code)).toEqual([]);
    });
  }
});
