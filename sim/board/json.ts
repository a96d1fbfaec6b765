/**
 * JSON as Espruino 2v29 does it (src/jswrap_json.c, src/jsutils.c), installed over the context's JSON:
 * - stringify escapes every byte < 0x20 or >= 0x7F as \u00XX (upper-case hex), ignores the
 *   replacer, turns typed arrays into arrays, NaN/Infinity into null, honours toJSON, and indents
 *   with Espruino's layout ("{ \n  \"a\": [ \n    1, \n    2\n   ]\n }").
 * - parse ignores the reviver, keeps only the low byte of \uXXXX escapes above 0xFF, and throws
 *   SyntaxError with Espruino-style wording ("Got ID:a expected STRING") for invalid text.
 * Not reproduced: number formatting (V8's shortest round-trip instead of ~12 significant digits)
 * and property order (V8 lists integer-like keys first).
 */
import * as util from 'util';
import { maskToBytes } from './bytes';
import type { Realm } from './realm';

const HEX = '0123456789ABCDEF';

export function quoteJson(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c && s.charCodeAt(i) < 0x100) continue;
    out += s.slice(start, i);
    start = i + 1;
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      default:
        if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
        else out += '\\u00' + HEX[c >> 4] + HEX[c & 15];
    }
  }
  return out + s.slice(start) + '"';
}

function numberText(n: number): string {
  if (!isFinite(n)) return 'null';
  return Object.is(n, -0) ? '0' : String(n);
}

export function espruinoStringify(value: unknown, indentArg?: unknown): string | undefined {
  const step = typeof indentArg === 'number' ? ' '.repeat(Math.max(0, Math.min(10, Math.floor(indentArg))))
    : typeof indentArg === 'string' ? indentArg.slice(0, 10) : '';
  const stack: unknown[] = [];
  const ser = (v: any, key: string, depth: number): string | undefined => {
    if (v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.toJSON === 'function') v = v.toJSON(key);
    switch (typeof v) {
      case 'undefined': case 'function': case 'symbol': return undefined;
      case 'boolean': return v ? 'true' : 'false';
      case 'number': return numberText(v);
      case 'bigint': return String(v);
      case 'string': return quoteJson(v);
    }
    if (v === null) return 'null';
    if (stack.indexOf(v) >= 0) return undefined; // a cycle: Espruino would run out of memory; leave it out
    stack.push(v);
    try {
      const items: string[] = [];
      let open = '{', close = '}';
      if (util.types.isTypedArray(v) || Array.isArray(v) || util.types.isArrayBuffer(v)) {
        open = '['; close = ']';
        const arr: ArrayLike<unknown> = util.types.isArrayBuffer(v) ? new Uint8Array(v as ArrayBuffer) : v;
        for (let i = 0; i < arr.length; i++) items.push(ser(arr[i], String(i), depth + 1) ?? 'null');
      } else {
        for (const k of Object.keys(v)) {
          const s = ser(v[k], k, depth + 1);
          if (s !== undefined) items.push(quoteJson(k) + (step ? ': ' : ':') + s);
        }
      }
      if (!step) return open + items.join(',') + close;
      if (items.length === 0) return open + close;
      const inner = ' \n' + step.repeat(depth + 1);
      return open + items.map((it, i) => (i ? ',' : '') + inner + it).join('') + '\n' + step.repeat(depth) + ' ' + close;
    } finally {
      stack.pop();
    }
  };
  return ser(value, '', 0);
}

/** Espruino's wording for the first error in invalid JSON text (best effort). */
export function jsonErrorText(text: string): string {
  const toks: { t: string; d: string }[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\[\s\S])*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_$][\w$]*)|(\S))/y;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1] !== undefined) toks.push({ t: 'STRING', d: 'STRING' });
    else if (m[2] !== undefined) toks.push({ t: 'NUM', d: /[.eE]/.test(m[2]) ? 'FLOAT:' + m[2] : 'INT:' + m[2] });
    else if (m[3] !== undefined) toks.push(['true', 'false', 'null'].includes(m[3]) ? { t: m[3], d: m[3] } : { t: 'ID', d: 'ID:' + m[3] });
    else toks.push({ t: m[4], d: "'" + m[4] + "'" });
  }
  let p = 0;
  const got = () => (p < toks.length ? toks[p].d : 'EOF');
  class Fail { constructor(readonly msg: string) {} }
  const expect = (t: string, d = t) => { if (p < toks.length && toks[p].t === t) { p++; return; } throw new Fail(`Got ${got()} expected ${d}`); };
  const value = (): void => {
    const t = p < toks.length ? toks[p].t : 'EOF';
    if (t === '{') {
      p++;
      if (toks[p]?.t === '}') { p++; return; }
      for (;;) { expect('STRING'); expect(':', "':'"); value(); if (toks[p]?.t === ',') { p++; continue; } expect('}', "'}'"); return; }
    }
    if (t === '[') {
      p++;
      if (toks[p]?.t === ']') { p++; return; }
      for (;;) { value(); if (toks[p]?.t === ',') { p++; continue; } expect(']', "']'"); return; }
    }
    if (t === '-' ) { p++; expect('NUM', 'INT'); return; }
    if (t === 'STRING' || t === 'NUM' || t === 'true' || t === 'false' || t === 'null') { p++; return; }
    throw new Fail(`Got ${got()} expected a value`);
  };
  try {
    value();
    if (p < toks.length) return `Got ${got()} expected EOF`;
    return 'Invalid JSON';
  } catch (e) {
    return e instanceof Fail ? e.msg : 'Invalid JSON';
  }
}

/** Reduce \uXXXX escapes above 0xFF to their low byte, as a non-unicode build does. */
function lowByteEscapes(text: string): string {
  if (text.indexOf('\\u') < 0) return text;
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|[\s\S])/g, (all, hex: string | undefined) => {
    if (hex === undefined) return all;
    const c = parseInt(hex, 16);
    return c > 0xff ? '\\u00' + HEX[(c >> 4) & 15] + HEX[c & 15] : all;
  });
}

export function installJson(realm: Realm): void {
  const JSONObj = realm.global.JSON;
  const nativeParse = realm.I.jsonParse;
  const define = (name: string, fn: Function) => realm.I.defineProperty(JSONObj, name, { value: fn, writable: true, configurable: true, enumerable: false });
  define('stringify', function stringify(value: unknown, _replacer?: unknown, indent?: unknown) {
    return espruinoStringify(value, indent);
  });
  define('parse', function parse(text: unknown) {
    const s = lowByteEscapes(maskToBytes(String(text)));
    try {
      return nativeParse(s);
    } catch {
      throw realm.error('SyntaxError', jsonErrorText(s));
    }
  });
}
