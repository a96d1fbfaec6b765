/**
 * Reading board values on the host: the bytes a value stands for (E.toString, E.toUint8Array,
 * socket and Storage writes), E.toJS, and E.getSizeOf's estimate (print() is print-form.ts).
 */
import * as util from 'util';
import { quoteJson } from './json';

/** Bytes of E.toString/E.toUint8Array arguments: strings, numbers, arrays, typed arrays,
 *  ArrayBuffers, and {data, count} objects (data repeated count times). */
export function collectBytes(args: ArrayLike<unknown>, out: number[] = []): number[] {
  for (let i = 0; i < args.length; i++) {
    const a: any = args[i];
    if (typeof a === 'string') for (let j = 0; j < a.length; j++) out.push(a.charCodeAt(j) & 0xff);
    else if (typeof a === 'number' || typeof a === 'boolean') out.push(Number(a) & 0xff);
    else if (util.types.isArrayBuffer(a)) collectBytes(new Uint8Array(a), out);
    else if (util.types.isTypedArray(a) || Array.isArray(a)) collectBytes(a as ArrayLike<unknown>, out);
    else if (a && typeof a === 'object' && 'data' in a) {
      const n = a.count === undefined ? 1 : Number(a.count);
      for (let k = 0; k < n; k++) collectBytes([a.data], out);
    }
  }
  return out;
}

/** E.toJS: a JS source text for the value. */
export function toJS(v: unknown, seen: unknown[] = []): string {
  if (typeof v === 'string') return quoteJson(v);
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'function') return Function.prototype.toString.call(v);
  if (typeof v !== 'object') return String(v);
  if (seen.includes(v)) return 'undefined';
  seen = seen.concat([v]);
  if (util.types.isTypedArray(v)) return 'new ' + (v as any).constructor.name + '([' + Array.prototype.join.call(v, ',') + '])';
  if (Array.isArray(v)) return '[' + v.map((x) => toJS(x, seen)).join(',') + ']';
  return '{' + Object.keys(v).map((k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quoteJson(k)) + ':' + toJS((v as any)[k], seen)).join(',') + '}';
}

const CHARS_FIRST_BLOCK = 9;
const CHARS_PER_BLOCK = 10;
const KEY_CHARS_IN_NAME = 4;

function stringBlocks(len: number): number {
  return 1 + Math.ceil(Math.max(0, len - CHARS_FIRST_BLOCK) / CHARS_PER_BLOCK);
}

function packs(v: unknown): boolean {
  return typeof v === 'boolean' || v === null || v === undefined || (typeof v === 'number' && (v | 0) === v);
}

/** E.getSizeOf: an estimate of the 14-byte JsVar blocks a value uses on the ESP32 (approximate:
 *  the layout of Espruino's variables is modelled only roughly). */
export function sizeOf(v: unknown, seen: WeakSet<object> = new WeakSet()): number {
  if (typeof v === 'string') return stringBlocks(v.length);
  if (v === null || typeof v !== 'object' && typeof v !== 'function') return 1;
  if (seen.has(v as object)) return 0;
  seen.add(v as object);
  if (typeof v === 'function') return 1 + stringBlocks(Function.prototype.toString.call(v).length) - 1;
  if (util.types.isTypedArray(v)) return 2 + Math.ceil((v as unknown as Uint8Array).byteLength / 12);
  if (util.types.isArrayBuffer(v)) return 1 + Math.ceil((v as ArrayBuffer).byteLength / 12);
  let n = 1;
  for (const k of Object.keys(v)) {
    let val: unknown;
    try { val = (v as any)[k]; } catch { val = undefined; }
    n += 1 + Math.ceil(Math.max(0, k.length - KEY_CHARS_IN_NAME) / CHARS_PER_BLOCK);
    if (!packs(val)) n += sizeOf(val, seen);
  }
  return n;
}
