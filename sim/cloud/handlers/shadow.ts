/** Device shadow (§4.9): the device reports/reads/deletes on `/shadow/update/pk/dn`, the cloud
 *  answers and pushes desired state on `/shadow/get/pk/dn`. Metadata timestamps are seconds.
 *  Error layout `content.{errorcode,errormessage}` and code 409 (version conflict) are the
 *  emulator's reading of DOC-53932 (UNCONFIRMED). */
import { Code } from '../codes';
import type { CloudCore, ShadowDoc } from '../core';
import type { Uplink, Verdict } from '../uplink';
import { isObject } from '../is-object';

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

function getTopic(pk: string, dn: string): string {
  return '/shadow/get/' + pk + '/' + dn;
}

function send(core: CloudCore, pk: string, dn: string, body: unknown): void {
  core.sendDown(pk, dn, getTopic(pk, dn), JSON.stringify(body));
}

function error(up: Uplink, code: number, message: string): Verdict {
  send(up.core, up.productKey, up.deviceName, { method: 'reply', payload: { status: 'error', content: { errorcode: String(code), errormessage: message } }, timestamp: nowSec() });
  return { verdict: 'rejected', code, detail: message };
}

/** Merges `patch` into `target`; the string "null" deletes a key. */
function merge(target: Record<string, unknown>, meta: Record<string, { timestamp: number }>, patch: Record<string, unknown>): void {
  const ts = nowSec();
  for (const k in patch) {
    if (patch[k] === 'null' || patch[k] === null) {
      delete target[k];
      delete meta[k];
    } else {
      target[k] = patch[k];
      meta[k] = { timestamp: ts };
    }
  }
}

function snapshot(doc: ShadowDoc): unknown {
  const state: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {};
  if (Object.keys(doc.desired).length) { state.desired = doc.desired; metadata.desired = doc.metadata.desired; }
  if (Object.keys(doc.reported).length) { state.reported = doc.reported; metadata.reported = doc.metadata.reported; }
  return { status: 'success', state, metadata };
}

export function shadowUpdate(up: Uplink): Verdict {
  let body: unknown;
  try {
    body = JSON.parse(up.payload.toString('utf8'));
  } catch {
    return error(up, 400, 'invalid JSON');
  }
  if (!isObject(body) || typeof body.method !== 'string') return error(up, 401, 'method is missing');
  const doc = up.core.stateOf(up.productKey, up.deviceName).shadow;
  const { pk, dn } = { pk: up.productKey, dn: up.deviceName };
  if (body.method === 'get') {
    send(up.core, pk, dn, { method: 'reply', payload: snapshot(doc), version: doc.version, timestamp: nowSec() });
    return { verdict: 'replied' };
  }
  if (body.method !== 'update' && body.method !== 'delete') return error(up, 406, 'invalid method');
  const state = body.state;
  if (!isObject(state)) return error(up, 402, 'state is missing');
  let version = doc.version + 1;
  if (body.version !== undefined) {
    if (typeof body.version !== 'number') return error(up, 403, 'version is not a number');
    if (body.version !== -1 && body.version <= doc.version) return error(up, Code.ShadowVersionConflict, 'version conflict');
    if (body.version !== -1) version = body.version;
  }
  if (body.method === 'update') {
    if (state.desired === 'null') { doc.desired = {}; doc.metadata.desired = {}; }
    if (isObject(state.reported)) merge(doc.reported, doc.metadata.reported, state.reported);
    else if (state.desired !== 'null') return error(up, 404, 'reported is missing');
  } else {
    if (state.reported === 'null') { doc.reported = {}; doc.metadata.reported = {}; }
    else if (isObject(state.reported)) {
      const del: Record<string, unknown> = {};
      for (const k in state.reported) del[k] = 'null';
      merge(doc.reported, doc.metadata.reported, del);
    } else return error(up, 404, 'reported is missing');
  }
  doc.version = version;
  send(up.core, pk, dn, { method: 'reply', payload: { status: 'success', version }, timestamp: nowSec() });
  return { verdict: 'replied' };
}

/** Cloud side: set desired state and push a `control` message (if the device is online). */
export function setDesired(core: CloudCore, pk: string, dn: string, desired: Record<string, unknown>): boolean {
  const doc = core.stateOf(pk, dn).shadow;
  merge(doc.desired, doc.metadata.desired, desired);
  doc.version += 1;
  return core.sendDown(pk, dn, getTopic(pk, dn), JSON.stringify({ method: 'control', payload: snapshot(doc), version: doc.version, timestamp: nowSec() }));
}

export function installShadow(core: CloudCore): void {
  core.router.add('/shadow/update/:pk/:dn', shadowUpdate);
}
