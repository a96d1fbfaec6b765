/**
 * types/aliyunIoT.d.ts: an app written against it compiles to ES5 without errors, deliberate
 * mistakes are caught, the on-board example scripts type-check as JavaScript, and the
 * declared constants and methods are the ones the built module really has.
 */
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { SimBoard } from '../../sim/board';
import { APP_OPTIONS, ROOT, compile, describeDiagnostic } from './compile';

const FIXTURES = path.join(__dirname, 'fixtures');

test('the fixture app compiles to ES5 without errors, loading the module with require("aliyunIoT")', () => {
  const { diagnostics, output } = compile([path.join(FIXTURES, 'app.ts')]);
  expect(diagnostics.map(describeDiagnostic)).toEqual([]);
  expect(output.get('app.js')).toContain('var aliyunIoT = require("aliyunIoT");');
});

test.each(['haas-device.ts', 'haas-gateway.ts'])('%s: every example of the HaaS document, ported literally, type-checks with --strict', (file) => {
  const { diagnostics } = compile([path.join(FIXTURES, file)], APP_OPTIONS, { espruinoGlobals: true });
  expect(diagnostics.map(describeDiagnostic)).toEqual([]);
});

test('examples/app.ts type-checks with --strict against the declarations apps get', () => {
  const { diagnostics } = compile([path.join(ROOT, 'examples/app.ts')], APP_OPTIONS, { espruinoGlobals: true });
  expect(diagnostics.map(describeDiagnostic)).toEqual([]);
});

describe('the mistakes fixture', () => {
  const file = path.join(FIXTURES, 'mistakes.ts');
  const source = fs.readFileSync(file, 'utf8');
  const MARKER = /\/\/ @ts-expect-error (TS\d+) /;
  const expected = source.split('\n').flatMap((line, i) => {
    const m = MARKER.exec(line);
    return m ? [`${i + 2} ${m[1]}`] : [];
  });

  test('has its mistakes marked', () => {
    expect(expected.length).toBeGreaterThanOrEqual(10);
  });

  test('as written, every marker is used (an unused @ts-expect-error is itself an error)', () => {
    expect(compile([file]).diagnostics.map(describeDiagnostic)).toEqual([]);
  });

  test('without the markers, each marked line has exactly its error and no other line has any', () => {
    // In memory beside the fixture (its /// reference stays valid); blanking keeps the line numbers.
    const unmarked = path.join(FIXTURES, 'mistakes-unmarked.ts');
    const found = compile([], APP_OPTIONS, { inMemory: { [unmarked]: source.replace(/\/\/ @ts-expect-error .*/g, '//') } }).diagnostics.map((d) => {
      expect(d.file && d.file.fileName).toBe(unmarked);
      return `${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1} TS${d.code}`;
    });
    expect(found.sort()).toEqual([...expected].sort());
  });
});

test('the on-board example scripts type-check as JavaScript against the declarations', () => {
  const dirs = ['device', 'gateway', 'demo'];
  const scripts = [path.join(ROOT, 'examples/wifi.js'), ...dirs.flatMap((d) => fs.readdirSync(path.join(ROOT, 'examples', d)).filter((f) => f.endsWith('.js')).map((f) => path.join(ROOT, 'examples', d, f)))];
  expect(scripts.length).toBeGreaterThan(30);
  const { diagnostics } = compile(scripts, { ...APP_OPTIONS, allowJs: true, checkJs: true, strict: false, noEmit: true }, { espruinoGlobals: true });
  expect(diagnostics.map(describeDiagnostic)).toEqual([]);
});

describe('declarations match the built module', () => {
  const { program } = compile([]);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getAmbientModules().find((m) => m.getName() === '"aliyunIoT"')!;
  const exported = (name: string) => checker.getExportsOfModule(moduleSymbol).find((s) => s.getName() === name)!;
  const interfaceOf = (name: string) => checker.getDeclaredTypeOfSymbol(exported(name));

  /** ON_* constants as declared: name -> number (from their literal types). */
  function declaredConstants(typeName: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of checker.getPropertiesOfType(interfaceOf(typeName))) {
      const t = checker.getTypeOfSymbol(p);
      if (p.getName().startsWith('ON_') && t.isNumberLiteral()) out[p.getName()] = t.value;
    }
    return out;
  }

  /** Methods as declared (everything that is not an ON_* constant). */
  function declaredMethods(typeName: string): string[] {
    return checker.getPropertiesOfType(interfaceOf(typeName)).map((p) => p.getName()).filter((n) => !n.startsWith('ON_')).sort();
  }

  /** The event numbers the `on` overloads accept. */
  function onEvents(typeName: string): number[] {
    const on = checker.getPropertyOfType(interfaceOf(typeName), 'on')!;
    const events = checker.getSignaturesOfType(checker.getTypeOfSymbol(on), ts.SignatureKind.Call).flatMap((sig) => {
      const t = checker.getTypeOfSymbol(sig.getParameters()[0]);
      return (t.isUnion() ? t.types : [t]).map((u) => (u as ts.NumberLiteralType).value);
    });
    return events.sort((a, b) => a - b);
  }

  let board: SimBoard;
  let built: any;
  beforeAll(() => {
    board = new SimBoard();
    board.loadModuleFile('aliyunIoT', path.join(ROOT, 'build/aliyunIoT.js'));
    board.run('var built = require("aliyunIoT");');
    built = board.global.built;
  });
  afterAll(() => board.close());

  /** What the module really has: ON_* on the class and on instances, public prototype methods. */
  function actual(cls: 'Device' | 'Gateway') {
    const ctor = built[cls];
    const instance = new ctor();
    const constants: Record<string, number> = {};
    for (const k of Object.keys(ctor)) if (k.startsWith('ON_')) constants[k] = ctor[k];
    const onInstance: Record<string, number> = {};
    for (const k in instance) if (k.startsWith('ON_')) onInstance[k] = instance[k];
    const methods = Object.keys(ctor.prototype).filter((k) => typeof ctor.prototype[k] === 'function' && !k.endsWith('_') && k !== 'constructor').sort();
    return { constants, onInstance, methods };
  }

  test.each(['Device', 'Gateway'] as const)('%s: the ON_* constants, on the class and on instances', (cls) => {
    const real = actual(cls);
    expect(declaredConstants(`${cls}Events`)).toEqual(real.constants);
    expect(declaredConstants(cls)).toEqual(real.onInstance);
    expect(declaredConstants(`${cls}Constructor`)).toEqual(real.constants);
  });

  test.each(['Device', 'Gateway'] as const)('%s: every public method is declared, and nothing more', (cls) => {
    expect(declaredMethods(cls)).toEqual(actual(cls).methods);
  });

  test.each(['Device', 'Gateway'] as const)('%s: on() has an overload for each event number, and only those', (cls) => {
    const values = [...new Set(Object.values(actual(cls).constants))].sort((a, b) => a - b);
    expect(onEvents(cls)).toEqual(values);
  });

  test('the HaaS numbers', () => {
    expect(declaredConstants('DeviceEvents')).toEqual({ ON_CONNECT: 1, ON_CLOSE: 2, ON_DISCONNECT: 3, ON_EVENT: 4, ON_SERVICE: 5, ON_SUBCRIBE: 6, ON_SUBSCRIBE: 6, ON_PROPS: 7, ON_ERROR: 8, ON_REPLY: 9, ON_RAWDATA: 10, ON_OTA: 11 });
    expect(declaredConstants('GatewayEvents')).toEqual({
      ON_CONNECT: 0, ON_DISCONNECT: 1, ON_CLOSE: 2, ON_SUBCRIBE: 3, ON_SUBSCRIBE: 3, ON_LOGIN: 4, ON_LOGOUT: 5, ON_TOPOADD: 6, ON_TOPOREMOVE: 7,
      ON_TOPOGET: 8, ON_SUBREGISTER: 9, ON_SERVICE: 10, ON_PROPS: 11, ON_ERROR: 12, ON_REPLY: 13, ON_RAWDATA: 14, ON_TOPOCHANGE: 15, ON_OTA: 16,
    });
  });
});

describe('what the types accept from the HaaS documents, the module accepts too', () => {
  let board: SimBoard;
  beforeAll(() => {
    board = new SimBoard();
    board.loadModuleFile('aliyunIoT', path.join(ROOT, 'build/aliyunIoT.js'));
    board.storage.write('1.jpg', 'not really a picture');
  });
  afterAll(() => board.close());

  test('Device: register with keepaliveSec, subscribe/unsubscribe with the publish dictionary, uploads with a null callback', () => {
    board.run(`var iot = require("aliyunIoT"); var errors = [];
      var reg = new iot.Device(); reg.on(reg.ON_ERROR, function (e) { errors.push(e); });
      var d = new iot.Device(); d.on(d.ON_ERROR, function (e) { errors.push(e); });
      var info = { topic: "/a1Haas00001/dev/user/aos_test", qos: 1, payload: "device publish and subcribe test" };
      var r = {
        register: reg.register({ productKey: "a1Haas00001", deviceName: "dev2", productSecret: "ps", region: "cn-shanghai", keepaliveSec: 60, host: "127.0.0.1", port: 1 }, function () {}),
        connect: d.connect({ productKey: "a1Haas00001", deviceName: "dev", deviceSecret: "s", region: "cn-shanghai", keepaliveSec: 60, host: "127.0.0.1", port: 1, tls: false }),
        subscribe: d.subscribe(info),
        publish: d.publish(info),
        unsubscribe: d.unsubscribe(info),
        uploadFile: typeof d.uploadFile("1.jpg", null),
        uploadContent: typeof d.uploadContent("1.jpg", "frame", null)
      };`);
    expect(board.global.r).toEqual({ register: 0, connect: 0, subscribe: 0, publish: 0, unsubscribe: 0, uploadFile: 'number', uploadContent: 'number' });
    expect(board.global.errors.filter((e: any) => e.code === -101)).toEqual([]);
    board.run('reg.end(); d.end();');
  });

  test('Gateway: connect with productSecret, topology and registration lists with the keys the document lists', () => {
    board.run(`var g = new iot.Gateway(); var gerrors = []; g.on(g.ON_ERROR, function (e) { gerrors.push(e); });
      var subs = [{ productKey: "a1HaasSub01", deviceName: "s1", deviceSecret: "x", productSecret: "ps", region: "cn-shanghai", keepaliveSec: 60 }];
      var gr = {
        connect: g.connect({ productKey: "a1HaasGw001", deviceName: "gw", deviceSecret: "s", productSecret: "ps", region: "cn-shanghai", keepaliveSec: 60, host: "127.0.0.1", port: 1, tls: false }),
        addTopo: g.addTopo(subs),
        login: g.login(subs),
        registerSubDevice: g.registerSubDevice([{ productKey: "a1HaasSub01", deviceName: "s3", productSecret: "ps", region: "cn-shanghai", keepaliveSec: 60 }])
      };`);
    expect(board.global.gr).toEqual({ connect: 0, addTopo: 0, login: 0, registerSubDevice: 0 });
    // port 1 refuses (-201); what matters is that no call was refused as bad input (-101)
    expect(board.global.gerrors.filter((e: any) => e.code === -101)).toEqual([]);
    board.run('g.end();');
  });
});
