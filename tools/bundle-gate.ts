/**
 * The bundle gate: proves a built module is code Espruino 2v29 can load and run.
 *
 * Espruino parses ES5 plus a few later forms, but it lacks a number of built-ins, has a regex
 * engine with only `*` and `+`, treats `of` as a keyword, and hoists neither `function` nor `var`
 * declarations (test/sim/probe/ records what the interpreter answers). Each rule below names the
 * trap it keeps out. The checks are static, so they run on both the readable and the minified
 * bundle; SimBoard, being V8, cannot reproduce parse-time or hoisting failures.
 */
import * as acorn from 'acorn';

type Node = acorn.Node & Record<string, any>;

/** Globals the interpreter does not have; allowed only as the operand of `typeof`. */
const ABSENT_GLOBALS = new Set([
  'Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'TextEncoder', 'TextDecoder',
  'queueMicrotask', 'setImmediate', 'window', 'self', 'Buffer', 'process',
]);

/** `Object.member` pairs that are absent (or, for prototype, unreachable: built-in methods exist only on instances). */
const ABSENT_STATICS: Record<string, string[]> = {
  Array: ['from', 'of', 'prototype'],
  String: ['fromCodePoint', 'prototype'],
  Function: ['prototype'],
  Number: ['isInteger', 'isNaN', 'isFinite', 'parseInt', 'parseFloat', 'MAX_SAFE_INTEGER', 'EPSILON', 'prototype'],
  Math: ['trunc', 'imul', 'log2', 'log10', 'hypot', 'cbrt', 'clz32', 'fround'],
  Object: ['freeze', 'seal', 'is', 'getOwnPropertySymbols'],
  Promise: ['race', 'allSettled', 'any'],
  ArrayBuffer: ['isView'],
  Error: ['captureStackTrace'],
  Uint8Array: ['from', 'of', 'prototype'],
};

/** Instance methods Espruino lacks, called as `x.name(...)`. */
const ABSENT_METHODS = new Set([
  'finally', 'flat', 'flatMap', 'reduceRight', 'copyWithin', 'codePointAt', 'trimStart', 'trimEnd',
  'normalize', 'localeCompare', 'toPrecision',
]);

/** Words Espruino's lexer reserves although ES5 allows them as names. */
const ESPRUINO_KEYWORDS = new Set(['of', 'static', 'let', 'extends', 'super', 'yield', 'await']);

/** TypeScript helpers that fail on Espruino (see espruino-runtime.md §1.4). */
const BROKEN_HELPERS = new Set(['__spreadArray', '__awaiter', '__generator', '__spread']);

interface Scope {
  fn: Node | null;
  /** name -> start offset of its `var`/`function` declaration in this function. */
  decls: Map<string, number>;
  params: Set<string>;
  parent: Scope | null;
}

/** What differs when the code is an on-board app script rather than the module. */
export interface GateOptions {
  /** An app may print UTF-8 text (its bytes reach the console unchanged, as in examples/) and
   *  may use Espruino's own `process` (memory, env); the module may do neither. */
  app?: boolean;
}

/** Globals an app may use although the module must not. */
const APP_GLOBALS = new Set(['process']);

/** Returns a list of problems; empty means the bundle passed. */
export function checkBundle(code: string, options: GateOptions = {}): string[] {
  const problems: string[] = [];
  const where = (n: { start: number }) => {
    const line = code.slice(0, n.start).split('\n').length;
    return `line ${line}: ${code.slice(n.start, n.start + 60).replace(/\s+/g, ' ')}`;
  };

  for (let i = 0; i < code.length && !options.app; i++) {
    if (code.charCodeAt(i) > 0x7e && code[i] !== '\n') {
      problems.push(`non-ASCII character at offset ${i} (Espruino strings are bytes; keep source ASCII)`);
      break;
    }
  }
  const bigEscape = /\\u([0-9a-fA-F]{4})/g;
  let m: RegExpExecArray | null;
  while ((m = bigEscape.exec(code))) {
    if (parseInt(m[1], 16) > 0xff) {
      problems.push(`\\u${m[1]} escape above 0xFF at offset ${m.index} (Espruino keeps only the low byte)`);
      break;
    }
  }

  let ast: Node;
  try {
    ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' }) as Node;
  } catch (e: any) {
    return problems.concat([`not ES5: ${e.message}`]);
  }

  // Pass 1: declarations per function scope, in source order.
  const scopes = new Map<Node | null, Scope>();
  const collect = (node: Node, scope: Scope, inBlock: boolean) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) if (!scope.decls.has(d.id.name)) scope.decls.set(d.id.name, d.start);
    }
    if (node.type === 'FunctionDeclaration') {
      if (inBlock) problems.push(`function declared inside a block (Espruino defines it only when the block runs): ${where(node)}`);
      if (!scope.decls.has(node.id.name)) scope.decls.set(node.id.name, node.start);
    }
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') {
      const inner: Scope = { fn: node, decls: new Map(), params: new Set(node.params.map((p: Node) => p.name)), parent: scope };
      if (node.type === 'FunctionExpression' && node.id) inner.params.add(node.id.name);
      inner.params.add('arguments');
      scopes.set(node, inner);
      for (const s of node.body.body) collect(s, inner, false);
      return;
    }
    const blocky = inBlock || (node.type !== 'Program' && node.type !== 'ExpressionStatement' && node.type !== 'VariableDeclaration');
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === 'string' && collect(c, scope, blocky));
      else if (v && typeof v.type === 'string') collect(v, scope, blocky);
    }
  };
  const top: Scope = { fn: null, decls: new Map(), params: new Set(['module', 'exports', 'require']), parent: null };
  scopes.set(null, top);
  for (const s of (ast as any).body) collect(s, top, false);

  // Pass 2: every rule that needs context.
  const visit = (node: Node, parent: Node | null, key: string, scope: Scope, catchNames: string[]) => {
    if (!node || typeof node.type !== 'string') return;
    switch (node.type) {
      case 'LabeledStatement':
        problems.push(`label (Espruino cannot parse labels): ${where(node)}`);
        break;
      case 'Literal':
        if (node.regex) checkRegex(node.regex.pattern, node.regex.flags, node);
        break;
      case 'NewExpression':
      case 'CallExpression':
        if (node.callee.type === 'Identifier' && node.callee.name === 'RegExp') {
          problems.push(`RegExp built at run time cannot be checked: ${where(node)}`);
        }
        if (isMember(node.callee, 'Object', 'create') && node.arguments.length > 1) {
          problems.push(`Object.create with a second argument throws on Espruino: ${where(node)}`);
        }
        if (node.callee.type === 'MemberExpression' && !node.callee.computed && ABSENT_METHODS.has(node.callee.property.name)) {
          problems.push(`.${node.callee.property.name}() does not exist on Espruino: ${where(node)}`);
        }
        break;
      case 'AssignmentExpression':
        if (node.left.type === 'MemberExpression' && !node.left.computed && node.left.property.name === 'length') {
          problems.push(`assigning .length throws on Espruino (use splice): ${where(node)}`);
        }
        break;
      case 'MemberExpression': {
        const obj = node.object;
        if (!node.computed && obj.type === 'Identifier' && ABSENT_STATICS[obj.name] && ABSENT_STATICS[obj.name].indexOf(node.property.name) >= 0) {
          const assigned = parent && parent.type === 'AssignmentExpression' && key === 'left';
          const underTypeof = parent && parent.type === 'UnaryExpression' && parent.operator === 'typeof';
          if (!assigned && !underTypeof) {
            problems.push(`${obj.name}.${node.property.name} is absent or unreachable on Espruino: ${where(node)}`);
          }
        }
        break;
      }
      case 'Identifier':
        checkIdentifier(node, parent, key, scope, catchNames);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression': {
        if (node.id && BROKEN_HELPERS.has(node.id.name)) problems.push(`helper ${node.id.name} fails on Espruino: ${where(node)}`);
        for (const p of node.params) if (ESPRUINO_KEYWORDS.has(p.name)) problems.push(`parameter named "${p.name}" (an Espruino keyword): ${where(p)}`);
        const inner = scopes.get(node)!;
        for (const s of node.body.body) visit(s, node.body, 'body', inner, catchNames);
        return;
      }
      case 'VariableDeclarator':
        if (BROKEN_HELPERS.has(node.id.name)) problems.push(`helper ${node.id.name} fails on Espruino: ${where(node)}`);
        if (ESPRUINO_KEYWORDS.has(node.id.name)) problems.push(`variable named "${node.id.name}" (an Espruino keyword): ${where(node)}`);
        break;
      case 'CatchClause': {
        visit(node.body, node, 'body', scope, catchNames.concat([node.param.name]));
        return;
      }
    }
    for (const k of Object.keys(node)) {
      if (k === 'regex') continue;
      const v = node[k];
      if (Array.isArray(v)) v.forEach((c) => c && typeof c.type === 'string' && visit(c, node, k, scope, catchNames));
      else if (v && typeof v.type === 'string') visit(v, node, k, scope, catchNames);
    }
  };

  const checkIdentifier = (node: Node, parent: Node | null, key: string, scope: Scope, catchNames: string[]) => {
    const name: string = node.name;
    const isPropertyName =
      (parent && parent.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
      (parent && parent.type === 'Property' && key === 'key' && !parent.computed);
    if (ESPRUINO_KEYWORDS.has(name)) {
      problems.push(`identifier "${name}" is an Espruino keyword: ${where(node)}`);
      return;
    }
    if (isPropertyName) return;
    const isDeclaration =
      (parent && parent.type === 'VariableDeclarator' && key === 'id') ||
      (parent && (parent.type === 'FunctionDeclaration' || parent.type === 'FunctionExpression') && (key === 'id' || key === 'params')) ||
      (parent && parent.type === 'CatchClause' && key === 'param') ||
      (parent && (parent.type === 'BreakStatement' || parent.type === 'ContinueStatement' || parent.type === 'LabeledStatement'));
    if (isDeclaration) return;
    if (catchNames.indexOf(name) >= 0) return;

    // Resolve: the nearest function scope that declares the name.
    let s: Scope | null = scope;
    let crossedFunction = false;
    while (s && !s.decls.has(name) && !s.params.has(name)) {
      s = s.parent;
      crossedFunction = true;
    }
    if (!s) {
      if (ABSENT_GLOBALS.has(name) && !(options.app && APP_GLOBALS.has(name)) && !(parent && parent.type === 'UnaryExpression' && parent.operator === 'typeof')) {
        problems.push(`global ${name} does not exist on Espruino: ${where(node)}`);
      }
      return;
    }
    // A direct use earlier in the same function than the declaration: Espruino does not hoist.
    if (!crossedFunction && s.decls.has(name) && !s.params.has(name) && node.start < s.decls.get(name)!) {
      problems.push(`"${name}" used before its declaration runs (no hoisting on Espruino): ${where(node)}`);
    }
  };

  const checkRegex = (pattern: string, flags: string, node: Node) => {
    let inClass = false;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') {
        const n = pattern[i + 1];
        if (!inClass && (n === 'b' || n === 'B')) problems.push(`regex \\${n} is unsupported: ${where(node)}`);
        if (n >= '1' && n <= '9') problems.push(`regex back-reference is unsupported: ${where(node)}`);
        i++;
        continue;
      }
      if (inClass) {
        if (c === ']') inClass = false;
        continue;
      }
      if (c === '[') inClass = true;
      else if (c === '?') problems.push(`regex "?" (optional, lazy, or group syntax) is unsupported: ${where(node)}`);
      else if (c === '{') problems.push(`regex {n,m} quantifier is unsupported: ${where(node)}`);
    }
    if (/[^gi]/.test(flags)) problems.push(`regex flag "${flags}" is unsupported: ${where(node)}`);
  };

  visit(ast, null, '', top, []);
  return problems;
}

function isMember(n: Node, object: string, property: string): boolean {
  return n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && n.object.name === object && n.property.name === property;
}

/**
 * An estimate of the JsVars the module costs once required from Storage on the board, where
 * function bodies stay in flash. What costs RAM is the functions the module body creates as it
 * runs (header, scope, name, parameters): a function inside another function's body costs
 * nothing until that function runs, unless it is called right there (an IIFE). So only
 * functions created at load are counted, at 10 each plus 1 per parameter. Compared with what
 * bench/memory.ts measures on the interpreter (bench/figures.json) it is an overestimate, and
 * deterministic, so CI can gate it.
 */
export function moduleJsVars(code: string): { functions: number; params: number; estimate: number } {
  const ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' }) as Node;
  let functions = 0;
  let params = 0;
  const walk = (n: Node, atLoad: boolean, calledNow = false): void => {
    const isFunction = n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression';
    if (isFunction && atLoad) {
      functions++;
      params += n.params.length;
    }
    // A function's body runs at load only when it is called there and then.
    const inner = isFunction ? atLoad && calledNow : atLoad;
    for (const k of Object.keys(n)) {
      const v = n[k];
      for (const c of Array.isArray(v) ? v : [v]) {
        if (c && typeof c.type === 'string') walk(c, inner, n.type === 'CallExpression' && c === n.callee);
      }
    }
  };
  walk(ast, true);
  return { functions, params, estimate: functions * 10 + params };
}
