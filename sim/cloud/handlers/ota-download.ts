/** OTA package downloads over HTTPS: `GET /ota/<job token>/<file name>`, the URL a notice
 *  carries (the platform's is a signed object-storage URL, valid 24 hours). Range requests
 *  (`bytes=a-` and `bytes=a-b`) get 206 with Content-Range, so a device can resume; a range past
 *  the end gets 416; an unknown token 403, as an expired signed URL would. Every request is
 *  logged with the range it asked for. `cutDownloadsAfter` (a test knob) closes each response
 *  after that many body bytes, as a dropped link would. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudCore } from '../core';
import type { OtaStore } from '../ota-store';

const PREFIX = '/ota/';

/** Serves the request if it is an OTA download; false leaves it to the other HTTPS routes. */
export function serveOtaDownloads(core: CloudCore, store: OtaStore, req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (!path.startsWith(PREFIX)) return false;
  const job = req.method === 'GET' ? store.jobByToken(path.slice(PREFIX.length).split('/')[0]) : undefined;
  const pkg = job && store.packages.get(job.packageId);
  const range = String(req.headers.range ?? '');
  const log = (status: number, detail?: string) =>
    core.log.add({ direction: 'down', productKey: job?.productKey, deviceName: job?.deviceName, topic: 'https:' + path, payload: 'GET ' + (range || 'whole file') + ' -> ' + status, verdict: status < 300 ? 'ok' : 'rejected', detail });
  if (!job || !pkg) {
    res.writeHead(403, { 'content-type': 'text/plain', 'content-length': 9 });
    res.end('forbidden');
    log(403, 'unknown or expired download URL');
    return true;
  }
  let start = 0;
  let end = pkg.size - 1;
  const m = /^bytes=(\d+)-(\d*)$/.exec(range);
  if (m) {
    start = Number(m[1]);
    if (m[2]) end = Math.min(end, Number(m[2]));
    if (start >= pkg.size || start > end) {
      res.writeHead(416, { 'content-range': 'bytes */' + pkg.size, 'content-length': 0 });
      res.end();
      log(416);
      return true;
    }
  }
  const body = pkg.bytes.subarray(start, end + 1);
  const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'content-length': body.length, 'accept-ranges': 'bytes' };
  if (m) headers['content-range'] = 'bytes ' + start + '-' + end + '/' + pkg.size;
  res.writeHead(m ? 206 : 200, headers);
  log(m ? 206 : 200);
  const cut = store.cutDownloadsAfter;
  if (cut !== undefined && cut < body.length) {
    job.bytesServed += cut;
    res.write(body.subarray(0, cut), () => res.socket?.destroy());
    return true;
  }
  job.bytesServed += body.length;
  res.end(body);
  return true;
}
