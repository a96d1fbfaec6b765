/**
 * Defers the code that only one export, or one top-level function, needs until it is first used.
 *
 * Why: a module required from Storage keeps its function bodies in flash, but every function a
 * module body creates as it runs costs JsVars (its header, scope and name). Code nested inside a
 * function that has not run yet costs nothing but flash. Measured on the interpreter, the
 * Gateway's share (its class, sub-devices, topology) is about 440 of the module's 1,570 JsVars,
 * paid by every Device user who never touches `aliyunIoT.Gateway`. Once built, deferred code
 * costs about 3 JsVars more per function than it would have at top level (each nested function
 * keeps a scope chain), so only code many apps never run is worth deferring.
 *
 * How: on esbuild's ES module bundle (one flat scope; top-level names are unique), the top-level
 * statements the deferred root needs and nothing else needs are moved, in their order, into one
 * loader function. An export becomes a getter that runs the loader once (deferExport); a
 * function leaves a stub of its name that runs the loader once and passes each call on
 * (deferFunction). The moved code still sees every top-level name it used, which all exist by
 * the time it runs.
 *
 * Which statements move: declarations reachable from the root and not from the other exports
 * or any statement that stays, and, for an export, the other statements (e.g.
 * `install(Gateway, ...)`) that use a moved name. A moved statement must not assign to a name
 * that stays (that effect would come late); the build fails if one does, as it does if an
 * export cannot be separated. Calls are not checked: a moved statement must not change shared
 * state through a function it calls.
 */
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

type Node = acorn.Node & Record<string, any>;

interface Item {
  node: Node;
  /** Top-level names this statement declares (a function, or one var declarator). */
  declares: string[];
  /** Top-level names it refers to (an over-approximation: it only keeps more code eager). */
  refs: Set<string>;
  /** Its source text, as a statement. */
  text: string;
}

/** Identifiers a node refers to, leaving out property names and the declared bindings. */
function referenced(node: Node): Set<string> {
  const names = new Set<string>();
  walk.fullAncestor(node, (n: Node, _state: unknown, ancestors: Node[]) => {
    if (n.type !== 'Identifier') return;
    const parent = ancestors[ancestors.length - 2];
    if (parent && parent.type === 'MemberExpression' && parent.property === n && !parent.computed) return;
    if (parent && parent.type === 'Property' && parent.key === n && !parent.computed && !parent.shorthand) return;
    names.add(n.name);
  });
  return names;
}

function itemsOf(code: string, ast: Node): Item[] {
  const items: Item[] = [];
  for (const node of ast.body as Node[]) {
    if (node.type === 'ExportNamedDeclaration') continue;
    if (node.type === 'VariableDeclaration') {
      // One item per declarator, so a shared `var a = ..., b = ...` can be split.
      for (const d of node.declarations as Node[]) {
        items.push({ node: d, declares: [d.id.name], refs: d.init ? referenced(d.init) : new Set(), text: `var ${code.slice(d.start, d.end)};` });
      }
    } else {
      const declares = node.type === 'FunctionDeclaration' ? [node.id.name] : [];
      items.push({ node, declares, refs: referenced(node), text: code.slice(node.start, node.end) });
    }
  }
  return items;
}

/** Every top-level name reachable from `roots` through the declarations' references. */
function closure(roots: Iterable<string>, declaredBy: Map<string, Item>): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop()!;
    const item = declaredBy.get(name);
    if (!item || seen.has(name)) continue;
    seen.add(name);
    for (const r of item.refs) todo.push(r);
  }
  return seen;
}

/**
 * Names a statement assigns to as it runs (directly, or through a member of them). Function
 * bodies are skipped: what they do happens when they are called, deferred or not.
 */
function assignedBases(node: Node): Set<string> {
  const bases = new Set<string>();
  const base = (t: Node): void => {
    while (t.type === 'MemberExpression') t = t.object;
    if (t.type === 'Identifier') bases.add(t.name);
  };
  const visit = (n: Node): void => {
    if (n.type === 'AssignmentExpression') base(n.left);
    if (n.type === 'UpdateExpression') base(n.argument);
    for (const k of Object.keys(n)) {
      const v = n[k];
      for (const c of Array.isArray(v) ? v : [v]) {
        if (c && typeof c.type === 'string' && !/^(Function|ArrowFunction)/.test(c.type)) visit(c);
      }
    }
  };
  if (!/^Function/.test(node.type)) visit(node);
  return bases;
}

/** The split of a bundle's statements around one deferred root. */
interface Split {
  kept: Item[];
  moved: Item[];
}

/**
 * Finds what can move with `root`: `skip` is the item whose references do not count as eager
 * (a deferred function's own declaration, which moves while a stub keeps its name).
 */
function split(items: Item[], root: string, eagerExports: string[], skip?: Item): Split {
  const declaredBy = new Map<string, Item>();
  for (const it of items) if (it !== skip) for (const d of it.declares) declaredBy.set(d, it);
  const statements = items.filter((it) => !it.declares.length);
  const rootRefs = skip ? [...skip.refs] : [root];

  // Grow the deferred set until the statements that use it and the names they need agree.
  let movedStatements = new Set<Item>(skip ? [] : statements.filter((s) => s.refs.has(root)));
  let eager: Set<string>;
  let deferred: Set<string>;
  for (;;) {
    const eagerRoots = [...eagerExports];
    for (const s of statements) if (!movedStatements.has(s)) eagerRoots.push(...s.refs);
    eager = closure(eagerRoots, declaredBy);
    if (!skip && eager.has(root)) throw new Error(`defer: ${root} is needed by the rest of the module`);
    const wanted = [...rootRefs];
    for (const s of movedStatements) wanted.push(...s.refs);
    deferred = new Set([...closure(wanted, declaredBy)].filter((n) => !eager.has(n)));
    // A deferred function's callers keep calling its stub: only statements about the export move.
    const next = skip ? movedStatements : new Set(statements.filter((s) => [...s.refs].some((r) => deferred.has(r))));
    if (next.size === movedStatements.size) break;
    movedStatements = next;
  }

  const moved = items.filter((it) => it === skip || movedStatements.has(it) || it.declares.some((d) => deferred.has(d)));
  for (const it of moved) {
    const late = [...assignedBases(it.node)].filter((b) => eager.has(b));
    if (late.length) throw new Error(`defer: a deferred statement assigns to ${late.join(', ')}, which stays eager`);
  }
  return { kept: items.filter((it) => !moved.includes(it)), moved };
}

function parseBundle(code: string): { ast: Node; specs: Node[] } {
  const ast = acorn.parse(code, { ecmaVersion: 2020, sourceType: 'module' }) as Node;
  const exportNode = (ast.body as Node[]).find((n) => n.type === 'ExportNamedDeclaration');
  if (!exportNode || exportNode.declaration || exportNode.source) throw new Error('defer: expected one `export { ... }` list');
  return { ast, specs: exportNode.specifiers as Node[] };
}

/** The loader: the moved statements in their order, returning the root. */
function loaderText(loader: string, moved: Item[], root: string): string {
  return `function ${loader}() {\n${moved.map((it) => it.text).join('\n')}\nreturn ${root};\n}`;
}

/**
 * Rewrites an ES module bundle so that export `name` is built on first read. Returns the new
 * bundle (still ES module syntax; its `export {}` list no longer names `name`).
 */
export function deferExport(code: string, name: string): string {
  const { ast, specs } = parseBundle(code);
  const spec = specs.find((s) => s.exported.name === name);
  if (!spec) throw new Error(`defer: no export named ${name}`);
  const others = specs.filter((s) => s !== spec);
  const { kept, moved } = split(itemsOf(code, ast), spec.local.name, others.map((s) => s.local.name));
  const cache = `${name}$built`;
  return [
    ...kept.map((it) => it.text),
    `var ${cache};`,
    loaderText(`${name}$load`, moved, spec.local.name),
    `export { ${others.map((s) => code.slice(s.start, s.end)).join(', ')} };`,
    `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: function () { return ${cache} || (${cache} = ${name}$load()); } });`,
  ].join('\n');
}

/**
 * Rewrites an ES module bundle so that top-level function `name`, and what only it needs, is
 * created on its first call. Its callers call a stub of the same name that loads it once and
 * passes the call (this and arguments) on.
 */
export function deferFunction(code: string, name: string): string {
  const { ast, specs } = parseBundle(code);
  const items = itemsOf(code, ast);
  const real = items.find((it) => it.node.type === 'FunctionDeclaration' && it.declares[0] === name);
  if (!real) throw new Error(`defer: no top-level function ${name}`);
  const { kept, moved } = split(items, name, specs.map((s) => s.local.name), real);
  const cache = `${name}$built`;
  const stub = `function ${name}() {\nreturn (${cache} || (${cache} = ${name}$load())).apply(this, arguments);\n}`;
  const at = items.indexOf(real);
  const before = kept.filter((it) => items.indexOf(it) < at);
  const after = kept.filter((it) => items.indexOf(it) > at);
  return [
    ...before.map((it) => it.text),
    `var ${cache};`,
    stub,
    loaderText(`${name}$load`, moved, name),
    ...after.map((it) => it.text),
    `export { ${specs.map((s) => code.slice(s.start, s.end)).join(', ')} };`,
  ].join('\n');
}
