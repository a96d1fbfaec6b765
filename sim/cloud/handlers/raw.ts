/** Raw (pass-through) data (§4.6): `up_raw` bytes go through the product's data-parsing script
 *  to an Alink request, which is handled like its JSON twin; the Alink reply goes back through
 *  the script as bytes on `up_raw_reply`. `down_raw` is pushed from the API. */
import { Code, messageOf } from '../codes';
import type { CloudCore } from '../core';
import { compileRawScript, defaultRawScript, type RawScript } from '../raw-script';
import type { Uplink, Verdict } from '../uplink';
import { applyEvent, applyProperties } from './thing';

const compiled = new WeakMap<object, RawScript>();

function scriptFor(core: CloudCore, pk: string): RawScript {
  const fromOptions = core.options.rawScripts[pk];
  if (fromOptions) return fromOptions;
  const product = core.registry.product(pk);
  if (!product?.rawScript) return defaultRawScript;
  let s = compiled.get(product);
  if (!s) {
    s = compileRawScript(product.rawScript);
    compiled.set(product, s);
  }
  return s;
}

function sendRawReply(up: Uplink, script: RawScript, reply: Record<string, unknown>): void {
  let bytes: Buffer;
  try {
    bytes = Buffer.from(script.protocolToRawData(reply) as number[]);
  } catch {
    bytes = Buffer.from(JSON.stringify(reply));
  }
  up.core.sendDown(up.productKey, up.deviceName, up.topic + '_reply', bytes);
}

export function upRaw(up: Uplink): Verdict {
  const script = scriptFor(up.core, up.productKey);
  let alink: unknown;
  try {
    alink = script.rawDataToProtocol([...up.payload]);
  } catch (e) {
    const reply = { code: Code.ScriptError, data: {}, id: '', message: messageOf(Code.ScriptError), version: '1.0' };
    sendRawReply(up, script, reply);
    return { verdict: 'rejected', code: Code.ScriptError, detail: 'rawDataToProtocol threw: ' + (e as Error).message };
  }
  if (alink === null || typeof alink !== 'object') {
    sendRawReply(up, script, { code: Code.NotJson, data: {}, id: '', message: messageOf(Code.NotJson), version: '1.0' });
    return { verdict: 'rejected', code: Code.NotJson };
  }
  const req = alink as { id?: unknown; method?: unknown; params?: unknown };
  const id = req.id === undefined ? '' : String(req.id);
  const method = typeof req.method === 'string' ? req.method : '';
  let result: { code: number; message?: string };
  const ev = /^thing\.event\.([^.]+)\.post$/.exec(method);
  if (method === 'thing.event.property.post') result = applyProperties(up.core, up.productKey, up.deviceName, req.params);
  else if (ev) result = applyEvent(up.core, up.productKey, up.deviceName, ev[1], req.params);
  else result = { code: Code.ScriptNoMethod, message: messageOf(Code.ScriptNoMethod) };
  const reply = { code: result.code, data: {}, id, message: result.message ?? messageOf(result.code), method, version: '1.0' };
  sendRawReply(up, script, reply);
  return result.code === Code.Ok ? { verdict: 'replied', code: result.code } : { verdict: 'rejected', code: result.code, detail: result.message };
}

export function downRawReply(up: Uplink): Verdict {
  if (up.core.listenerCount('rawReply') > 0) up.core.emit('rawReply', { productKey: up.productKey, deviceName: up.deviceName, payload: up.payload });
  return { verdict: 'ok' };
}

/** Pushes bytes on `down_raw`; false when the device cannot receive them now. */
export function pushRaw(core: CloudCore, pk: string, dn: string, bytes: Uint8Array): boolean {
  return core.sendDown(pk, dn, '/sys/' + pk + '/' + dn + '/thing/model/down_raw', Buffer.from(bytes));
}

export function installRaw(core: CloudCore): void {
  core.router.add('/sys/:pk/:dn/thing/model/up_raw', upRaw);
  core.router.add('/sys/:pk/:dn/thing/model/down_raw_reply', downRawReply);
}
