/**
 * Source rewriting before the board evaluates a script or module, for what V8 would otherwise do
 * differently at the syntax level (done with acorn; positions are kept where possible):
 * - "\u4e2d" escapes in string and template literals keep only their low byte ("\x2d"), as on a
 *   non-unicode build (UTF-8 characters written directly are already bytes, see bytes.ts).
 * - `x.length = n` becomes a call that throws TypeError "Assignment to a constant" when x is an
 *   array (Espruino does not support assigning an array's length).
 * - The argument of a direct `eval(code)` goes through the same rewriting (still a direct eval).
 * - A backslash-newline inside a string literal keeps the newline (Espruino: 'a\<newline>b' is "a\nb").
 * - `\u{...}` escapes throw Error "Invalid escape sequence" (thrown by transformSource: the script
 *   does not run, as a parse error would stop it on the board).
 * - `return` followed by a newline and an expression returns that expression (Espruino does not
 *   insert a semicolon there).
 * - `for (let i = ...; ...; ...)` shares one `i` between iterations (Espruino has no per-iteration
 *   binding: closures see the last value); rewritten as `{ let i = ...; for (; ...; ...) ... }`.
 * If the source does not parse, it is left as it is and V8 reports the syntax error.
 */
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

export const SET_LENGTH_HELPER = '__simSetLength';
export const EVAL_HELPER = '__simSource';

const HEX = '0123456789abcdef';

/** Replace \uXXXX escapes above 0xFF in a literal's raw text by \xLL. */
export function lowByteEscapes(raw: string): string {
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|[\s\S])/g, (all, hex: string | undefined) => {
    if (all === '\\\n') return '\\n';
    if (all === '\\\r') return '\\r';
    if (all === '\\u' && /\\u\{/.test(raw)) throw new InvalidEscape();
    if (hex === undefined) return all;
    const c = parseInt(hex, 16);
    return c > 0xff ? '\\x' + HEX[(c >> 4) & 15] + HEX[c & 15] : all;
  });
}

/** Thrown for source the board would refuse to parse ("Invalid escape sequence"). */
export class InvalidEscape extends Error {
  constructor() { super('Invalid escape sequence'); }
}

interface Edit { start: number; end: number; text: string }

export function transformSource(source: string): string {
  const mayNeed = source.includes('\\') || source.includes('length') || source.includes('eval') ||
    source.includes('return') || source.includes('let');
  if (!mayNeed) return source;
  let ast: acorn.Node;
  try {
    ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowHashBang: true });
  } catch {
    return source;
  }
  const edits: Edit[] = [];
  walk.full(ast, (node: any) => {
    if (node.type === 'Literal' && typeof node.value === 'string' && node.raw.includes('\\')) {
      const text = lowByteEscapes(node.raw);
      if (text !== node.raw) edits.push({ start: node.start, end: node.end, text });
    } else if (node.type === 'TemplateElement') {
      const raw: string = source.slice(node.start, node.end);
      if (raw.includes('\\')) {
        const text = lowByteEscapes(raw);
        if (text !== raw) edits.push({ start: node.start, end: node.end, text });
      }
    } else if (node.type === 'AssignmentExpression' && node.operator === '=' && node.left.type === 'MemberExpression' &&
      !node.left.computed && node.left.property.type === 'Identifier' && node.left.property.name === 'length') {
      edits.push({ start: node.start, end: node.left.object.start, text: SET_LENGTH_HELPER + '(' });
      edits.push({ start: node.left.object.end, end: node.right.start, text: ', ' });
      edits.push({ start: node.right.end, end: node.end, text: ')' });
    } else if ((node.type === 'BlockStatement' || node.type === 'Program') && Array.isArray(node.body)) {
      for (let i = 0; i + 1 < node.body.length; i++) {
        const st = node.body[i], next = node.body[i + 1];
        if (st.type === 'ReturnStatement' && st.argument === null && next.type === 'ExpressionStatement' &&
          source.slice(st.start, st.end) === 'return') {
          edits.push({ start: st.end, end: next.start, text: ' ' });
        }
      }
    } else if (node.type === 'ForStatement' && node.init && node.init.type === 'VariableDeclaration' && node.init.kind !== 'var') {
      const initText = source.slice(node.init.start, node.init.end);
      edits.push({ start: node.start, end: node.start, text: '{ ' + initText + '; ' });
      edits.push({ start: node.init.start, end: node.init.end, text: '' });
      edits.push({ start: node.end, end: node.end, text: ' }' });
    } else if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'eval' && node.arguments.length >= 1) {
      const arg = node.arguments[0];
      edits.push({ start: arg.start, end: arg.start, text: EVAL_HELPER + '(' });
      edits.push({ start: arg.end, end: arg.end, text: ')' });
    }
  });
  if (!edits.length) return source;
  // Apply from the end; edits never overlap except nested ones, which are applied inner-first.
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
