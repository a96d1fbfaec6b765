/**
 * The optional parts (the Gateway, registration, upload, the pure-JS SHA, OTA) are factories in
 * src/ that their owners call on first use: in the built module, their functions exist only
 * inside those factories, so loading the module creates none of them. A change that makes the
 * rest of the module reach into a part would bring it back to load time and fail here.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as acorn from 'acorn';

const build = (name: string) => fs.readFileSync(path.resolve(__dirname, '../../build', name), 'utf8');

function shape(code: string): { topLevel: Set<string>; inside(factory: string): Set<string> } {
  const body = (acorn.parse(code, { ecmaVersion: 5 }) as any).body as any[];
  const named = (nodes: any[]) => new Set<string>(nodes.filter((n) => n.type === 'FunctionDeclaration').map((n) => n.id.name));
  return {
    topLevel: named(body),
    inside(factory: string) {
      const fn = body.find((n) => n.type === 'FunctionDeclaration' && n.id.name === factory);
      return named(fn ? fn.body.body : []);
    },
  };
}

const PARTS: [string, string[]][] = [
  ['createGateway', ['Gateway']],
  ['createSubdevices', ['Subdevs', 'signed', 'reader']],
  ['createSubdeviceSigning', ['subSign']],
  ['createRegistration', ['register', 'authHost']],
  ['createRegistrationSigning', ['registerSign', 'registerCreds', 'registerForm']],
  ['createFormPost', ['postForm', 'form', 'enc']],
  ['createUpload', ['upload', 'crc16', 'validName']],
  ['createSha', ['sha1', 'sha256', 'digest', 'tables']],
];

describe.each(['aliyunIoT.js', 'aliyunIoT-device.js'])('build/%s', (file) => {
  const { topLevel, inside } = shape(build(file));
  const parts = file === 'aliyunIoT.js' ? PARTS : PARTS.filter(([f]) => !/Gateway|Subdevice/.test(f));

  it.each(parts)('%s holds %j, which the module body does not create at load', (factory, names) => {
    expect(topLevel.has(factory)).toBe(true);
    const held = inside(factory);
    for (const n of names) expect([n, held.has(n), topLevel.has(n)]).toEqual([n, true, false]);
  });
});

test('the Device-only build has no Gateway at all', () => {
  const { topLevel } = shape(build('aliyunIoT-device.js'));
  expect(topLevel.has('createGateway')).toBe(false);
  expect(topLevel.has('createSubdevices')).toBe(false);
});

test('aliyunIoT.Gateway is a getter that builds the class once; Device is a plain value', () => {
  const exports: any = {};
  new Function('exports', 'module', 'require', build('aliyunIoT.js'))(exports, { exports }, () => ({}));
  const d = Object.getOwnPropertyDescriptor(exports, 'Gateway')!;
  expect(typeof d.get).toBe('function');
  expect(d.enumerable).toBe(true);
  expect(typeof Object.getOwnPropertyDescriptor(exports, 'Device')!.value).toBe('function');
  const G = exports.Gateway;
  expect(exports.Gateway).toBe(G);
  expect(G.ON_LOGIN).toBe(4);
});
