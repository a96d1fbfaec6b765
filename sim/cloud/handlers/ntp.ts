/** NTP (§4.7): `/ext/ntp/pk/dn/request` → `/response` with the server times as strings and
 *  `deviceSendTime` echoed verbatim (CV3 even sends uptime or a constant — never validated). */
import type { CloudCore } from '../core';
import type { Uplink, Verdict } from '../uplink';

export function ntpRequest(up: Uplink): Verdict {
  const serverRecvTime = String(Date.now());
  let body: unknown;
  try {
    body = JSON.parse(up.payload.toString('utf8'));
  } catch {
    return { verdict: 'rejected', detail: 'payload is not JSON' };
  }
  if (body === null || typeof body !== 'object' || !('deviceSendTime' in body)) return { verdict: 'rejected', detail: 'deviceSendTime missing' };
  const sent = (body as { deviceSendTime: unknown }).deviceSendTime;
  const deviceSendTime = typeof sent === 'string' || typeof sent === 'number' ? String(sent) : '';
  const response = JSON.stringify({ deviceSendTime, serverRecvTime, serverSendTime: String(Date.now()) });
  up.core.sendDown(up.productKey, up.deviceName, '/ext/ntp/' + up.productKey + '/' + up.deviceName + '/response', response);
  return { verdict: 'replied' };
}

export function installNtp(core: CloudCore): void {
  core.router.add('/ext/ntp/:pk/:dn/request', ntpRequest);
}
