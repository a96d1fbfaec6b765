/**
 * How print() and console.log show a value that is not a string, as Espruino 2v29 does:
 * jswrap_print calls jsfPrintJSON with JSON_PRETTY | JSON_SOME_NEWLINES | JSON_SHOW_OBJECT_NAMES
 * (src/jswrap_functions.c, src/jswrap_json.c jsfGetJSONWithCallback). The rules it follows:
 * - `{ ` and ` }`, `[ ` and ` ]` around the items, `, ` between them, `"key": value`;
 * - an item that is not undefined, null, a number or a boolean (so a string, an object, an
 *   array, a function) starts a new line, and so does the item after it; in an object, so does
 *   the item after four on one line; a new line is indented two spaces per level;
 * - strings inside are quoted with C-style escapes (\n, \xE9: bytes, not UTF-8);
 * - an instance of a constructor found in the global scope is prefixed "Name: ", and when it
 *   has its own toString, that text is shown instead of its contents (an Error: "Error: Error: text");
 * - a value already being printed (a cycle) shows as " ... ".
 * test/sim/interpreter/console-esp32like.txt is what the interpreter printed; SimBoard must agree.
 */
import * as util from 'util';

const INDENT = '  ';

/** Espruino's %q: a double-quoted string with escapes for control bytes and bytes >= 127. */
export function quoteC(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    const next = i + 1 < s.length ? s.charCodeAt(i + 1) & 0xff : -1;
    switch (c) {
      case 0x0a: out += '\\n'; continue;
      case 0x09: out += '\\t'; continue;
      case 0x08: out += '\\b'; continue;
      case 0x0b: out += '\\v'; continue;
      case 0x0c: out += '\\f'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x5c: out += '\\\\'; continue;
      case 0x22: out += '\\"'; continue;
    }
    if (c < 8 && (next < 0x30 || next > 0x37)) out += '\\' + c;
    else if (c < 32 || c >= 127) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
    else out += s[i];
  }
  return out + '"';
}

/** jsonNeedsNewLine: everything but undefined, null, numbers and booleans goes on its own line. */
function needsLine(v: unknown): boolean {
  return !(v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean');
}

function newLine(level: number): string {
  return '\n' + INDENT.repeat(level);
}

/** The name under which the global scope holds v's constructor, if any. */
function constructorName(v: object, global: any): string | undefined {
  const proto = Object.getPrototypeOf(v);
  if (!proto || proto === global.Object?.prototype || proto === global.Array?.prototype) return undefined;
  const ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') ? proto.constructor : undefined;
  if (typeof ctor !== 'function') return undefined;
  for (const k of Object.getOwnPropertyNames(global)) {
    try {
      if (global[k] === ctor) return k;
    } catch {
      /* an accessor that throws: not the one */
    }
  }
  return undefined;
}

function functionForm(fn: Function): string {
  const src = Function.prototype.toString.call(fn);
  const m = /^[^(]*\(([^)]*)\)\s*(?:=>\s*)?\{([\s\S]*)\}\s*$/.exec(src);
  if (!m) return 'function () { [native code] }';
  if (/\{\s*\[native code\]\s*\}$/.test(src)) return 'function (' + m[1].replace(/\s+/g, '') + ') { [native code] }';
  const body = m[2];
  const nl = body.indexOf('\n') >= 0;
  return 'function (' + m[1].replace(/\s+/g, '') + ') ' + (nl ? '{\n  ' + body.trim() + '\n}' : '{' + body.trim() + '}');
}

/** The text print() shows for `v` (a string as it is, anything else in the pretty form). */
export function printForm(v: unknown, global: any): string {
  return typeof v === 'string' ? v : form(v, 0, [], global);
}

function form(v: unknown, level: number, stack: object[], global: any): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteC(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'function') return functionForm(v);
  if (typeof v !== 'object') return String(v);
  if (stack.indexOf(v) >= 0) return ' ... ';
  stack.push(v);
  try {
    return container(v, level, stack, global);
  } finally {
    stack.pop();
  }
}

function container(v: object, level: number, stack: object[], global: any): string {
  if (util.types.isArrayBuffer(v) || util.types.isTypedArray(v)) {
    const u = util.types.isArrayBuffer(v) ? new Uint8Array(v) : (v as unknown as ArrayLike<number>);
    const name = util.types.isArrayBuffer(v) ? 'ArrayBuffer' : (v as any).constructor.name;
    const items = Array.prototype.slice.call(u) as number[];
    if (items.every((x) => x === 0)) return 'new ' + name + '(' + items.length + ')';
    const shown = name === 'ArrayBuffer' ? 'Uint8Array' : name;
    return 'new ' + shown + '([' + items.join(', ') + '])' + (name === 'ArrayBuffer' ? '.buffer' : '');
  }
  let out = '';
  if (Array.isArray(v)) {
    out = '[ ';
    let first = true;
    let pendingLine = false;
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (!first) out += ', ';
      first = false;
      const needs = needsLine(item);
      if (pendingLine || needs) out += newLine(level + 1);
      out += i in v ? form(item, level + 1, stack, global) : 'undefined';
      pendingLine = needs;
    }
    const named = Object.keys(v).filter((k) => !/^(0|[1-9]\d*)$/.test(k));
    const r = members(v, named, level, stack, global, first);
    out += r.text;
    if (pendingLine || r.pendingLine) out += newLine(level);
    return out + ' ]';
  }
  // An Error is an instance of the global Error with its own toString: "Error: Error: text"
  // (recorded on the interpreter); across realms the tag check is the reliable one.
  if (util.types.isNativeError(v)) return (constructorName(v, global) ?? 'Error') + ': ' + String(v);
  if (util.types.isDate(v)) return String(v);
  const name = constructorName(v, global);
  if (name !== undefined) {
    const own = (v as any).toString;
    if (typeof own === 'function' && own !== global.Object?.prototype?.toString) return name + ': ' + String(own.call(v));
    out = name + ': ';
  }
  const r = members(v, Object.keys(v), level, stack, global, true);
  return out + '{ ' + r.text + (r.pendingLine ? newLine(level) : '') + ' }';
}

/** jsfGetJSONForObjectItWithCallback: `"key": value` items, getters left out. */
function members(v: object, keys: string[], level: number, stack: object[], global: any, first: boolean): { text: string; pendingLine: boolean } {
  let text = '';
  let pendingLine = false;
  let sinceLine = 0;
  for (const k of keys) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (d && (d.get || d.set)) continue;
    const item = (v as any)[k];
    sinceLine++;
    if (!first) text += ', ';
    const needs = needsLine(item);
    if (sinceLine > 4) pendingLine = true;
    if (pendingLine || needs) {
      text += newLine(level + 1);
      pendingLine = false;
      sinceLine = 0;
    }
    text += quoteC(k) + ': ';
    first = false;
    text += form(item, level + 1, stack, global);
    pendingLine = needs;
  }
  return { text, pendingLine };
}
