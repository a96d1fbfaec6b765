/** The console's OTA endpoints (the platform's 监控运维 > OTA升级 page, in small):
 *
 *    GET  /api/devices/:pk/:dn/ota   {versions, packages (of its product), jobs}
 *    POST /api/ota/packages          {productKey, module?, version, signMethod?, fileName?, content: base64}
 *    POST /api/devices/:pk/:dn/ota   {packageId}: starts an upgrade of that device
 *
 *  A refusal is 400 {error} with the platform's reason. Package bytes and download tokens are
 *  never served here (the device gets the URL in its notice). */
import type { CloudApi } from '../api';
import { isRefusal, type OtaJob, type OtaPackage } from '../ota-store';
import type { ApiAnswer } from './routes';

/** Largest body of a package upload: a 16 MB package in base64, plus the JSON around it. */
export const OTA_UPLOAD_MAX_BODY = 23 * 1024 * 1024;
export const OTA_UPLOAD_PATH = '/api/ota/packages';

function packageView(p: OtaPackage) {
  return { id: p.id, productKey: p.productKey, module: p.module, version: p.version, fileName: p.fileName, size: p.size, signMethod: p.signMethod, md5: p.md5, sha256: p.sha256, createdAt: p.createdAt };
}

function jobView(j: OtaJob) {
  return { id: j.id, packageId: j.packageId, module: j.module, fromVersion: j.fromVersion, version: j.version, status: j.status, step: j.step, desc: j.desc, bytesServed: j.bytesServed, updatedAt: j.updatedAt };
}

function refused(error: string): ApiAnswer {
  return { status: 400, body: { error } };
}

/** Answers an OTA request, or undefined when `path` is not one. */
export function handleOtaApi(api: CloudApi, method: string, parts: string[], body: unknown): ApiAnswer | undefined {
  const b = (body ?? {}) as Record<string, unknown>;
  if (method === 'POST' && parts.length === 3 && parts[1] === 'ota' && parts[2] === 'packages') {
    if (typeof b.productKey !== 'string' || typeof b.version !== 'string' || typeof b.content !== 'string') return refused('body must be {"productKey", "version", "content" (base64), "module"?, "signMethod"?, "fileName"?}');
    const p = api.addOtaPackage({
      productKey: b.productKey, version: b.version, bytes: Buffer.from(b.content, 'base64'),
      module: typeof b.module === 'string' ? b.module : undefined,
      signMethod: typeof b.signMethod === 'string' ? b.signMethod : undefined,
      fileName: typeof b.fileName === 'string' ? b.fileName : undefined,
    });
    return isRefusal(p) ? refused(p.error) : { status: 200, body: packageView(p) };
  }
  if (parts.length !== 5 || parts[1] !== 'devices' || parts[4] !== 'ota') return undefined;
  const [, , pk, dn] = parts;
  if (!api.device(pk, dn)) return { status: 404, body: { error: 'no such device' } };
  if (method === 'GET') {
    const packages = [...api.ota.packages.values()].filter((p) => p.productKey === pk).map(packageView);
    return { status: 200, body: { versions: api.ota.versionsOf(pk, dn), packages, jobs: api.ota.jobsOf(pk, dn).map(jobView) } };
  }
  if (method === 'POST') {
    if (typeof b.packageId !== 'string') return refused('body must be {"packageId": ...}');
    const j = api.startOta(pk, dn, b.packageId);
    return isRefusal(j) ? refused(j.error) : { status: 200, body: jobView(j) };
  }
  return undefined;
}
