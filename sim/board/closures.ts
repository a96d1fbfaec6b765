/**
 * The variables a function's closure holds, read through Node's inspector (V8 shows them to a
 * debugger as the function's internal [[Scopes]]; nothing else does).
 *
 * One same-thread inspector session serves every board: its `post` answers synchronously. For a
 * batch of functions it asks V8 for each one's [[Scopes]] (one request per function), then gets
 * all those scope lists back as JS values in one request, so their variables are read as plain
 * properties rather than through the protocol. V8 hands out copies of the scopes, made at each
 * request: a scope has no identity the caller could keep (see memory.ts for how they are told
 * apart). The global scope and the script scope (top-level let/const) are left out.
 */
import * as inspector from 'inspector';
import * as vm from 'vm';

/** A scope a function closes over: its kind as V8 describes it (e.g. "Closure (name)"), its variables. */
export interface Scope {
  kind: string;
  vars: Record<string, unknown>;
}

/** A name on the main context's global, used only while the holder's id is fetched. */
const SLOT = '__simboardClosureHolder';
const GROUP = 'simboard-closures';
const KEPT = /^(Closure|Block|Catch)\b/;

let reader: { session: inspector.Session; holder: unknown[]; holderId: string } | null | undefined;

function post(session: inspector.Session, method: string, params: object): any {
  let out: any;
  let error: Error | null = null;
  session.post(method, params, (e, r) => { error = e; out = r; });
  if (error) throw error;
  return out;
}

function open(): typeof reader {
  if (reader !== undefined) return reader;
  try {
    const session = new inspector.Session();
    session.connect();
    // the holder lives in the main context, which is where the protocol evaluates expressions
    // (under jest, this module's own global is another context)
    const main = vm.runInThisContext('globalThis');
    const holder: unknown[] = vm.runInThisContext('[]');
    main[SLOT] = holder;
    const r = post(session, 'Runtime.evaluate', { expression: `globalThis.${SLOT}`, objectGroup: GROUP + '-holder' });
    delete main[SLOT];
    const holderId = r?.result?.objectId;
    reader = typeof holderId === 'string' ? { session, holder, holderId } : null;
  } catch {
    reader = null;
  }
  return reader;
}

/**
 * The scopes each function closes over, innermost first (undefined where V8 would not tell).
 * Functions that close over nothing but the global scope get an empty list.
 */
export function readScopes(fns: Function[]): (Scope[] | undefined)[] {
  const r = open();
  const out: (Scope[] | undefined)[] = fns.map(() => undefined);
  if (!r || fns.length === 0) return out;
  const { session, holder, holderId } = r;
  try {
    holder.length = 0;
    holder.push(...fns);
    const items = post(session, 'Runtime.getProperties', { objectId: holderId, ownProperties: true, objectGroup: GROUP });
    const fnIds: (string | undefined)[] = fns.map(() => undefined);
    for (const p of items.result) {
      const i = Number(p.name);
      if (Number.isInteger(i) && i >= 0 && i < fns.length) fnIds[i] = p.value?.objectId;
    }
    const listIds: string[] = [];
    const listOf: number[] = [];
    fnIds.forEach((id, i) => {
      if (!id) return;
      const props = post(session, 'Runtime.getProperties', { objectId: id, ownProperties: true, objectGroup: GROUP });
      const scopes = (props.internalProperties ?? []).find((p: any) => p.name === '[[Scopes]]');
      const listId = scopes?.value?.objectId;
      if (listId) { listIds.push(listId); listOf.push(i); } else out[i] = [];
    });
    holder.length = 0;
    // the scope lists themselves, back as JS values, in as few requests as the argument count allows
    for (let s = 0; s < listIds.length; s += 4096) {
      post(session, 'Runtime.callFunctionOn', {
        objectId: holderId,
        functionDeclaration: 'function () { for (var i = 0; i < arguments.length; i++) this.push(arguments[i]); }',
        arguments: listIds.slice(s, s + 4096).map((objectId) => ({ objectId })),
        objectGroup: GROUP,
      });
    }
    holder.forEach((list: any, j) => {
      const scopes: Scope[] = [];
      for (let k = 0; k < list.length; k++) {
        const kind = String(list[k]?.description);
        if (KEPT.test(kind) && list[k].object) scopes.push({ kind, vars: list[k].object });
      }
      out[listOf[j]] = scopes;
    });
  } catch {
    // a failed read leaves those functions' closures uncounted
  } finally {
    holder.length = 0;
    try { post(session, 'Runtime.releaseObjectGroup', { objectGroup: GROUP }); } catch { /* nothing held */ }
  }
  return out;
}
