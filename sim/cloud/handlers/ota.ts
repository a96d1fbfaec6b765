/** OTA (alink-protocol.md §4.10; facts and their sources: test/ota/FACTS.md), device side:
 *
 *  ↑ /ota/device/inform/:pk/:dn        {"id","params":{"version","module"?}}   no reply
 *  ↓ /ota/device/upgrade/:pk/:dn       {"code":"1000","data":{size,sign,signMethod,md5?,version,url,module?},"id","message":"success"}
 *  ↑ /ota/device/progress/:pk/:dn      {"id","params":{"step":"-4".."100","desc","module"?}}   no reply
 *  ↑ /sys/:pk/:dn/thing/ota/firmware/get  {"id","params":{"module"?}} → _reply with the same data
 *
 *  A job's notice goes out when it starts (device online) and again whenever the device reports
 *  a version that is not the job's target while the job runs (the platform pushes pending
 *  upgrades when a device comes back online). The job succeeds when the device reports the
 *  target version, and fails on a negative step. With no pending job, firmware/get is answered
 *  200 with empty data (emulator choice: the platform's answer then is not documented). */
import { parseRequest } from '../alink';
import { Code } from '../codes';
import type { CloudCore } from '../core';
import { OtaStore, isRefusal, type OtaJob, type Refusal } from '../ota-store';
import type { Uplink, Verdict } from '../uplink';
import { serveOtaDownloads } from './ota-download';

const stores = new WeakMap<CloudCore, OtaStore>();

export function otaOf(core: CloudCore): OtaStore {
  let s = stores.get(core);
  if (!s) stores.set(core, (s = new OtaStore(core)));
  return s;
}

/** The data block of a notice (and of firmware/get's reply) for `job`. */
export function noticeData(core: CloudCore, job: OtaJob): Record<string, unknown> {
  const store = otaOf(core);
  const pkg = store.packages.get(job.packageId)!;
  const digest = store.announcedDigest ?? (pkg.signMethod === 'MD5' ? pkg.md5 : pkg.sha256);
  const data: Record<string, unknown> = {
    size: pkg.size,
    sign: digest,
    version: pkg.version,
    url: (core.httpsUrl ?? 'https://127.0.0.1') + '/ota/' + job.token + '/' + pkg.fileName,
    signMethod: pkg.signMethod === 'MD5' ? 'Md5' : 'SHA256',
  };
  if (pkg.signMethod === 'MD5') data.md5 = digest;
  if (pkg.module !== 'default') data.module = pkg.module;
  return data;
}

/** Pushes the job's notice; true when the device was online to receive it. */
export function notify(core: CloudCore, job: OtaJob): boolean {
  const payload = JSON.stringify({ code: '1000', data: noticeData(core, job), id: Date.now(), message: 'success' });
  const sent = core.sendDown(job.productKey, job.deviceName, '/ota/device/upgrade/' + job.productKey + '/' + job.deviceName, payload, { qos: 1 });
  if (sent && job.status === 'queued') otaOf(core).update(job, { status: 'notified' });
  return sent;
}

function paramsOf(up: Uplink): Record<string, unknown> | string {
  const parsed = parseRequest(up.payload);
  if (!parsed.ok) return parsed.message;
  const p = parsed.req.params;
  return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : 'params must be an object';
}

function inform(up: Uplink): Verdict {
  const p = paramsOf(up);
  if (typeof p === 'string') return { verdict: 'rejected', detail: p };
  if (typeof p.version !== 'string' || !p.version) return { verdict: 'rejected', detail: 'version missing' };
  const module = typeof p.module === 'string' && p.module ? p.module : 'default';
  const store = otaOf(up.core);
  store.setVersion(up.productKey, up.deviceName, module, p.version);
  const job = store.activeJob(up.productKey, up.deviceName, module);
  if (job && p.version === job.version) store.update(job, { status: 'succeeded', step: 100, desc: '' });
  else if (job) notify(up.core, job);
  return { verdict: 'ok' };
}

function progress(up: Uplink): Verdict {
  const p = paramsOf(up);
  if (typeof p === 'string') return { verdict: 'rejected', detail: p };
  const step = typeof p.step === 'number' ? p.step : typeof p.step === 'string' && /^-?\d+$/.test(p.step) ? Number(p.step) : NaN;
  if (!Number.isInteger(step) || step < -4 || step > 100) return { verdict: 'rejected', detail: 'step must be -4..100' };
  const module = typeof p.module === 'string' && p.module ? p.module : 'default';
  const store = otaOf(up.core);
  const job = store.activeJob(up.productKey, up.deviceName, module);
  if (!job) return { verdict: 'rejected', detail: 'no upgrade of module ' + module + ' in progress' };
  const desc = typeof p.desc === 'string' ? p.desc : '';
  store.update(job, step < 0 ? { status: 'failed', step, desc } : { status: 'upgrading', step, desc });
  return { verdict: 'ok' };
}

function firmwareGet(up: Uplink): Verdict {
  const parsed = parseRequest(up.payload);
  if (!parsed.ok) return { verdict: 'rejected', code: parsed.code, detail: parsed.message };
  const p = parsed.req.params as Record<string, unknown> | null;
  const module = p && typeof p === 'object' && typeof p.module === 'string' && p.module ? p.module : 'default';
  const job = otaOf(up.core).activeJob(up.productKey, up.deviceName, module);
  return up.core.replyAlink(up, { id: parsed.req.id, method: 'thing.ota.firmware.get' }, Code.Ok, job ? noticeData(up.core, job) : {});
}

export function installOta(core: CloudCore): void {
  otaOf(core);
  core.router.add('/ota/device/inform/:pk/:dn', inform);
  core.router.add('/ota/device/progress/:pk/:dn', progress);
  core.router.add('/sys/:pk/:dn/thing/ota/firmware/get', firmwareGet);
  core.httpsHandlers.push((req, res) => serveOtaDownloads(core, otaOf(core), req, res));
}

/** Starts an upgrade of device pk/dn to package `packageId`: the notice goes out now if the
 *  device is online, else when it next reports a version. */
export function startJob(core: CloudCore, pk: string, dn: string, packageId: string): OtaJob | Refusal {
  const job = otaOf(core).createJob(pk, dn, packageId);
  if (!isRefusal(job)) notify(core, job);
  return job;
}
