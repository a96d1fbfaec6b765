/**
 * json.ts: UTF-8 stays UTF-8 on an 8-bit-string interpreter. Device strings are modelled as
 * Latin-1 "byte strings" (one char = one byte), exactly what Espruino holds for UTF-8 text.
 */
import { stringify, repairText, parse } from '../../src/alink/json';
import { espruinoStringify as interpreterStringify } from '../../sim/board/json';

/** A JS (UTF-16) string -> the byte string a device holds for its UTF-8. */
const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
/** A byte string -> the text it encodes as UTF-8. */
const text = (b: string) => Buffer.from(b, 'latin1').toString('utf8');

/** What Espruino's JSON.stringify does to a byte string: every byte >= 0x7F -> \u00XX. */
const espruinoStringify = (v: any) =>
  JSON.stringify(v).replace(/[\u007f-\u00ff]/g, (c) => '\\u00' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));

describe('stringify', () => {
  it('Chinese byte string -> raw UTF-8 bytes in the output, no \\u escapes', () => {
    const out = stringify({ name: bytes('中文温度'), v: 1 });
    expect(out).toBe('{"name":"' + bytes('中文温度') + '","v":1}');
    expect(out).not.toMatch(/\\u/);
    // what the cloud receives (the bytes, read as UTF-8) is the original text
    expect(JSON.parse(text(out))).toEqual({ name: '中文温度', v: 1 });
  });

  it('scalars, arrays, nesting -> same text as JSON.stringify for ASCII', () => {
    const v = { a: [1, -2.5, true, false, null, 'x'], b: { c: { d: [] } }, e: {}, f: 0 };
    expect(stringify(v)).toBe(JSON.stringify(v));
    expect(stringify('s')).toBe('"s"');
    expect(stringify(3)).toBe('3');
    expect(stringify(null)).toBe('null');
  });

  it('quotes, backslashes and control chars -> escaped; result parses back', () => {
    const s = 'q"b\\n\nr\rt\tz\u0000\u001f\u0008end';
    const out = stringify(s);
    expect(out).toMatch(/^"q\\"b\\\\n\\nr\\rt\\tz\\u0000\\u001[fF](\\b|\\u0008)end"$/);
    expect(JSON.parse(out)).toBe(s);
  });

  it('NaN/Infinity -> null; undefined and functions dropped in objects, null in arrays', () => {
    expect(stringify({ a: NaN, b: Infinity, c: undefined, d: () => 1, e: 2 })).toBe('{"a":null,"b":null,"e":2}');
    expect(stringify([undefined, () => 1, 1])).toBe('[null,null,1]');
    expect(stringify(undefined)).toBeUndefined();
  });

  it('toJSON -> honoured (Date)', () => {
    expect(stringify({ t: new Date(0) })).toBe('{"t":"1970-01-01T00:00:00.000Z"}');
  });

  it('chars above 0xFF (only possible in Node) -> still valid JSON', () => {
    expect(JSON.parse(stringify('中'))).toBe('中');
    expect(JSON.parse(stringify({ k: '中' }))).toEqual({ k: '中' });
  });

  it('non-ASCII object keys -> raw bytes too', () => {
    expect(text(stringify({ [bytes('键')]: 1 }))).toBe('{"键":1}');
  });
});

describe('stringify with the interpreter\'s JSON.stringify (as Espruino 2v29 writes)', () => {
  const v8 = JSON.stringify;
  beforeEach(() => {
    JSON.stringify = ((v: unknown) => interpreterStringify(v)) as typeof JSON.stringify;
  });
  afterEach(() => {
    JSON.stringify = v8;
  });

  it('UTF-8 bytes and byte 0x7F -> raw in the output, as the cloud must receive them', () => {
    const out = stringify({ name: bytes('客厅'), del: '\x7f', [bytes('键')]: 1 });
    expect(out).toBe('{"name":"' + bytes('客厅') + '","del":"\x7f","' + bytes('键') + '":1}');
    expect(JSON.parse(text(out))).toEqual({ name: '客厅', del: '\x7f', 键: 1 });
  });

  it('a function in an array -> null (the interpreter would write `undefined`)', () => {
    // what the interpreter's own JSON.stringify writes there, modelled here
    JSON.stringify = ((v: unknown) => interpreterStringify(v)?.replace('null', 'undefined')) as typeof JSON.stringify;
    expect(stringify({ a: [1, () => 1, 'x'] })).toBe('{"a":[1,null,"x"]}');
  });

  it('toJSON inside what a toJSON returned -> honoured (the interpreter skips it)', () => {
    const inner = { toJSON: () => 7 };
    expect(stringify({ t: { toJSON: () => ({ z: inner }) } })).toBe('{"t":{"z":7}}');
  });
});

describe('stringify refuses what cannot be written (undefined, never a throw)', () => {
  const nest = (n: number) => {
    let v: any = { leaf: 1 };
    for (let i = 0; i < n; i++) v = { v };
    return v;
  };

  it('nested 20 levels -> written; 21 or 20,000 -> undefined', () => {
    expect(stringify(nest(19))).toBe(JSON.stringify(nest(19)));
    expect(stringify(nest(20))).toBeUndefined();
    expect(stringify(nest(20000))).toBeUndefined();
  });

  it('circular object or array -> undefined', () => {
    const o: any = { a: 1 };
    o.self = o;
    const a: any[] = [1];
    a.push({ back: a });
    expect(stringify(o)).toBeUndefined();
    expect(stringify({ p: a })).toBeUndefined();
  });

  it('a value shared 2^19 times over (exponential when written) -> undefined, quickly', () => {
    let v: any = { x: 1 };
    for (let i = 0; i < 19; i++) v = [v, v];
    expect(stringify(v)).toBeUndefined();
  });

  it('throwing toJSON, at the top or inside -> undefined', () => {
    const bad = {
      toJSON() {
        throw new Error('no');
      },
    };
    expect(stringify(bad)).toBeUndefined();
    expect(stringify({ a: [1, bad] })).toBeUndefined();
  });
});

describe('repairText', () => {
  it("Espruino's JSON.stringify of Chinese bytes -> the raw UTF-8 JSON again", () => {
    const params = { temp: 25.5, label: bytes('客厅温度'), list: [bytes('中')] };
    const broken = espruinoStringify(params);
    expect(broken).toContain('\\u00E5');
    const fixed = repairText(broken);
    expect(fixed).toBe(stringify(params));
    expect(JSON.parse(text(fixed))).toEqual({ temp: 25.5, label: '客厅温度', list: ['中'] });
  });

  it('lowercase hex escapes -> repaired as well', () => {
    expect(repairText('"\\u00e4\\u00b8\\u00ad"')).toBe('"' + bytes('中') + '"');
  });

  it('escapes below 0x80, above 0xFF, \\\\u and other escapes -> left as they were', () => {
    const t = '{"a":"\\u0041\\u007F\\u4e2d\\\\u00e9\\"\\n\\u00"}';
    expect(repairText(t)).toBe(t);
  });

  it('text without escapes -> unchanged', () => {
    expect(repairText('{"a":1}')).toBe('{"a":1}');
  });
});

describe('parse', () => {
  it('cloud-sent \\u4e2d\\u6587 -> the UTF-8 bytes of 中文', () => {
    const v = parse('{"params":{"name":"\\u4e2d\\u6587","n":1}}');
    expect(v.params.name).toBe(bytes('中文'));
    expect(v.params.name.length).toBe(6);
    expect(text(v.params.name)).toBe('中文');
  });

  it('raw UTF-8 bytes in the text -> kept as bytes', () => {
    const v = parse(bytes('{"k":"温度"}'));
    expect(text(v.k)).toBe('温度');
  });

  it('\\u00e9 from the cloud (a Unicode é) -> 2 UTF-8 bytes C3 A9', () => {
    expect(parse('"\\u00e9"')).toBe('\xc3\xa9');
  });

  it('surrogate pair -> one 4-byte UTF-8 sequence', () => {
    expect(text(parse('"\\ud83d\\ude00"'))).toBe('😀');
    expect(parse('"\\ud83d\\ude00"').length).toBe(4);
  });

  it('ASCII escapes and \\\\u -> standard JSON.parse results', () => {
    expect(parse('"a\\u0041\\n\\\\u4e2d"')).toBe('aA\n\\u4e2d');
  });

  it('invalid JSON -> undefined, never throws', () => {
    for (const bad of ['', '{', '{"a":}', 'nul', '"\\u12"', '{"a":1}x', '\u0000']) expect(parse(bad)).toBeUndefined();
  });

  it('round trip: stringify -> (cloud reads UTF-8, re-serialises with escapes) -> parse -> same bytes', () => {
    const original = { s: bytes('设备名称：风扇①'), n: [1, 2], o: { t: true } };
    const wire = stringify(original);
    const cloudView = JSON.parse(text(wire));
    const back = JSON.stringify(cloudView).replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    expect(back).toMatch(/\\u8bbe/);
    expect(parse(back)).toEqual(original);
  });
});
