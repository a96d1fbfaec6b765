/**
 * tools/defer-export.ts on small ES module bundles shaped like esbuild's: what moves into a
 * loader, that it runs once and only when needed, and that the rest behaves as before; then
 * that the built module keeps its rarely used parts out of load time.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import * as acorn from 'acorn';
import { deferExport, deferFunction } from '../../tools/defer-export';

/** Runs a transformed bundle as a module body; `export {}` becomes `exports.X = Y` as the build does. */
function load(esm: string): { exports: any; log: string[] } {
  const body = esm.replace(/export \{([^}]*)\};?/, (_m, list: string) =>
    list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const [local, as] = s.split(/\s+as\s+/);
        return `exports.${as ?? local} = ${local};`;
      })
      .join('\n'),
  );
  const exports: any = {};
  const log: string[] = [];
  vm.runInNewContext(body, { exports, log });
  return { exports, log };
}

const BUNDLE = `
var shared = { n: 0 };
function helper(x) { return x + 1; }
function onlyGw(x) { return helper(x) * 2; }
var GW_TABLE = [1, 2, 3];
log.push("module ran");
function Device() { this.v = helper(shared.n); }
function Gateway() { log.push("gateway made"); this.v = onlyGw(GW_TABLE[2]); }
function install(C, m) { for (var k in m) C.prototype[k] = m[k]; }
install(Device, {});
install(Gateway, { hello: function () { return "gw"; } });
export { Device, Gateway };
`;

describe('deferExport', () => {
  const out = deferExport(BUNDLE, 'Gateway');

  it('moves what only the export needs, and the statements that use it, into one loader', () => {
    const loader = out.slice(out.indexOf('function Gateway$load'));
    for (const moved of ['function onlyGw', 'var GW_TABLE', 'function Gateway()', 'install(Gateway']) expect(loader).toContain(moved);
    const before = out.slice(0, out.indexOf('function Gateway$load'));
    for (const kept of ['var shared', 'function helper', 'function Device', 'function install', 'log.push("module ran")']) expect(before).toContain(kept);
  });

  it('builds the export once, on first read, and it behaves as before', () => {
    const { exports, log } = load(out);
    expect(Object.keys(exports).sort()).toEqual(['Device', 'Gateway']);
    expect(new exports.Device().v).toBe(1);
    const G = exports.Gateway;
    expect(exports.Gateway).toBe(G);
    const g = new G();
    expect(g.v).toBe(8);
    expect(g.hello()).toBe('gw');
    expect(log).toEqual(['module ran', 'gateway made']);
  });

  it('refuses an export the rest of the module needs', () => {
    expect(() => deferExport(BUNDLE.replace('this.v = helper(shared.n);', 'this.v = Gateway;'), 'Gateway')).toThrow(/needed by the rest/);
  });

  it('refuses to defer a statement that changes state the rest keeps', () => {
    const bad = BUNDLE.replace('install(Gateway,', '(shared.n = Gateway, 0); install(Gateway,');
    expect(() => deferExport(bad, 'Gateway')).toThrow(/assigns to shared/);
  });
});

describe('deferFunction', () => {
  const SRC = `
function pad(s) { return "<" + s + ">"; }
function table() { return [pad("a"), pad("b")]; }
function big(x) { log.push("big " + this.tag); return table().join("") + x; }
function small(x) { return pad(x); }
function Api() { this.tag = "api"; }
Api.prototype.run = function (x) { return big.call(this, x); };
export { Api, small };
`;
  const out = deferFunction(SRC, 'big');

  it('leaves a stub of the same name and moves what only the function needs', () => {
    const loader = out.slice(out.indexOf('function big$load'));
    expect(loader).toContain('function table');
    expect(loader).toContain('function big(x)');
    expect(loader).not.toContain('function pad');
    expect(out.slice(0, out.indexOf('function big$load'))).toContain('function big() {');
  });

  it('the stub passes this and the arguments on, and loads once', () => {
    const { exports, log } = load(out);
    const a = new exports.Api();
    expect(a.run('!')).toBe('<a><b>!');
    expect(a.run('?')).toBe('<a><b>?');
    expect(exports.small('s')).toBe('<s>');
    expect(log).toEqual(['big api', 'big api']);
    expect((out.match(/function big\$load/g) ?? []).length).toBe(1);
  });

  it('names a function that is not there: the build fails', () => {
    expect(() => deferFunction(SRC, 'missing')).toThrow(/no top-level function missing/);
  });
});

describe('the built module (build/aliyunIoT.js)', () => {
  const code = fs.readFileSync(path.resolve(__dirname, '../../build/aliyunIoT.js'), 'utf8');
  const body = (acorn.parse(code, { ecmaVersion: 5 }) as any).body as any[];
  const topLevel = new Set(body.filter((n) => n.type === 'FunctionDeclaration').map((n) => n.id.name));
  const inside = (loader: string) => {
    const fn = body.find((n) => n.type === 'FunctionDeclaration' && n.id.name === loader);
    return new Set<string>(fn ? fn.body.body.filter((n: any) => n.type === 'FunctionDeclaration').map((n: any) => n.id.name) : []);
  };

  // A change that makes the rest of the module reach into these would quietly bring them back to load time
  // (md5Js$load also holds MD5's shift table, so an app signing with SHA never builds it).
  it.each([
    ['Gateway$load', ['Gateway', 'Subdevs', 'subSign']],
    ['register$load', ['register', 'postForm', 'authHost']],
    ['upload$load', ['upload', 'crc16']],
    ['shaJs$load', ['shaJs', 'digest', 'sha1', 'sha256']],
    ['md5Js$load', ['md5Js']],
  ])('%s holds %j, which the module body does not create at load', (loader, names) => {
    const held = inside(loader);
    for (const n of names as string[]) expect([n, held.has(n)]).toEqual([n, true]);
    for (const n of names as string[]) if (n !== loader.replace('$load', '')) expect([n, topLevel.has(n)]).toEqual([n, false]);
  });

  it('exports Gateway as a getter and Device as a plain value', () => {
    const exports: any = {};
    new Function('exports', 'module', 'require', code)(exports, { exports }, () => ({}));
    const d = Object.getOwnPropertyDescriptor(exports, 'Gateway')!;
    expect(typeof d.get).toBe('function');
    expect(d.enumerable).toBe(true);
    expect(typeof Object.getOwnPropertyDescriptor(exports, 'Device')!.value).toBe('function');
    expect(exports.Gateway).toBe(exports.Gateway);
  });
});
