/** Synchronous calls (RRPC). Classic: `/sys/pk/dn/rrpc/request/<msgId>` ↔ `.../response/<msgId>`
 *  (§4.4). Ext (clientId `ext` bit 0, LSDK): `/ext/rrpc/<id>/<topic>` both ways on the same
 *  topic (§4.5). Correlation is by messageId / rrpcId in the topic, not by the body's id. */
import { buildRequest, nextRequestId, parseDeviceReply } from '../alink';
import { Code } from '../codes';
import type { CloudCore, DownlinkResult } from '../core';
import type { Uplink, Verdict } from '../uplink';
import { checkServiceCall } from './thing';

let rrpcCounter = 0;

/** Platform RRPC ids are long decimal strings; unique per process is enough here. */
function nextRrpcId(): string {
  rrpcCounter = (rrpcCounter + 1) % 1000000;
  return String(Date.now()) + String(rrpcCounter).padStart(6, '0');
}

function classicKey(pk: string, dn: string, msgId: string): string {
  return 'rrpc:' + pk + '/' + dn + ':' + msgId;
}

function extKey(rrpcId: string): string {
  return 'extrrpc:' + rrpcId;
}

function resultOf(payload: Buffer): DownlinkResult {
  const r = parseDeviceReply(payload);
  if (r) return { status: 'reply', code: r.code, data: r.data, message: r.message, id: r.id };
  // A raw (non-JSON) RRPC response: hand the bytes back as they are.
  return { status: 'reply', code: 200, data: payload };
}

export function classicResponse(up: Uplink): Verdict {
  const ok = up.core.settle(classicKey(up.productKey, up.deviceName, up.vars.msgId), resultOf(up.payload));
  return ok ? { verdict: 'ok' } : { verdict: 'unmatched', detail: 'no pending RRPC ' + up.vars.msgId + ' (late or unknown)' };
}

export function extResponse(up: Uplink): Verdict {
  const ok = up.core.settle(extKey(up.vars.rrpcId), resultOf(up.payload));
  return ok ? { verdict: 'ok' } : { verdict: 'unmatched', detail: 'no pending RRPC ' + up.vars.rrpcId + ' (late or unknown)' };
}

/** Synchronous service call: ext RRPC when the device declared `ext` bit 0, else classic. */
export function invokeSync(core: CloudCore, pk: string, dn: string, serviceId: string, params: Record<string, unknown>, timeoutMs?: number): Promise<DownlinkResult> {
  const refused = checkServiceCall(core, pk, serviceId, params);
  if (refused) return Promise.resolve(refused);
  const s = core.sessionFor(pk, dn);
  if (!s) return Promise.resolve({ status: 'offline' });
  const body = buildRequest(nextRequestId(), 'thing.service.' + serviceId, params);
  const rrpcId = nextRrpcId();
  if (s.extRrpc) {
    const wait = core.expect(extKey(rrpcId), timeoutMs);
    core.sendDown(pk, dn, '/ext/rrpc/' + rrpcId + '/sys/' + pk + '/' + dn + '/thing/service/' + serviceId, body);
    return wait;
  }
  const wait = core.expect(classicKey(pk, dn, rrpcId), timeoutMs);
  core.sendDown(pk, dn, '/sys/' + pk + '/' + dn + '/rrpc/request/' + rrpcId, body);
  return wait;
}

/** The `RRpc` cloud API: arbitrary bytes down on the classic topic, the response bytes back. */
export function rrpcRaw(core: CloudCore, pk: string, dn: string, payload: Buffer, timeoutMs?: number): Promise<DownlinkResult> {
  if (!core.sessionFor(pk, dn)) return Promise.resolve({ status: 'offline' });
  const rrpcId = nextRrpcId();
  const wait = core.expect(classicKey(pk, dn, rrpcId), timeoutMs);
  core.sendDown(pk, dn, '/sys/' + pk + '/' + dn + '/rrpc/request/' + rrpcId, payload);
  return wait;
}

/** Custom-topic RRPC (DOC "RRPC: custom topics"): `payload` down on `/ext/rrpc/<id>/<topic>`
 *  to a device that subscribed `/ext/rrpc/+/<topic>`; its answer comes back on the same topic. */
export function rrpcCustom(core: CloudCore, pk: string, dn: string, topic: string, payload: Buffer, timeoutMs?: number): Promise<DownlinkResult> {
  if (!core.sessionFor(pk, dn)) return Promise.resolve({ status: 'offline' });
  const rrpcId = nextRrpcId();
  const wait = core.expect(extKey(rrpcId), timeoutMs);
  if (!core.sendDown(pk, dn, '/ext/rrpc/' + rrpcId + topic, payload)) core.settle(extKey(rrpcId), { status: 'offline' });
  return wait;
}

/** A synchronous call on a raw (透传) product: the bytes the parsing script made go down on
 *  `/ext/rrpc/<id>/sys/pk/dn/thing/model/down_raw` (ext bit 0, LSDK `aiot_dm_api.c`), and the
 *  device's raw answer comes back on the same topic. */
export function rawSync(core: CloudCore, pk: string, dn: string, bytes: Buffer, timeoutMs?: number): Promise<DownlinkResult> {
  const s = core.sessionFor(pk, dn);
  if (!s) return Promise.resolve({ status: 'offline' });
  if (!s.extRrpc) return Promise.resolve({ status: 'refused', code: Code.BadParams, message: 'synchronous raw calls need ext=1 in the clientId' });
  return rrpcCustom(core, pk, dn, '/sys/' + pk + '/' + dn + '/thing/model/down_raw', bytes, timeoutMs);
}

export function installRrpc(core: CloudCore): void {
  core.router.add('/sys/:pk/:dn/rrpc/response/:msgId', classicResponse);
  core.router.add('/ext/rrpc/:rrpcId/*inner', extResponse);
}
