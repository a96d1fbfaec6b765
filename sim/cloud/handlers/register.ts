/** MQTT dynamic registration (§2.2, §2.3): after CONNACK a `register` connection gets one push
 *  on `/ext/register` {productKey, deviceName, deviceSecret}, a `regnwl` one on `/ext/regnwl`
 *  {clientId, deviceToken}; then the cloud closes it. The secrets never reach the message log. */
import type { CloudCore, Session } from '../core';
import { randomSecret } from '../registry';

export function pushRegistration(core: CloudCore, session: Session): void {
  const { productKey: pk, deviceName: dn } = session;
  const reg = core.registry;
  let topic: string;
  let body: Record<string, string>;
  if (session.kind === 'register') {
    const device = reg.device(pk, dn);
    if (!device) return session.client.close();
    device.deviceSecret = randomSecret(); // the last registration wins until the device logs in
    topic = '/ext/register';
    body = { productKey: pk, deviceName: dn, deviceSecret: device.deviceSecret };
  } else {
    const device = reg.device(pk, dn) ?? reg.addDevice({ productKey: pk, deviceName: dn });
    device.deviceToken = randomSecret();
    topic = '/ext/regnwl';
    body = { clientId: pk + '.' + dn + '.' + randomSecret(4), deviceToken: device.deviceToken };
  }
  reg.changed();
  core.sendToSession(session, topic, JSON.stringify(body), { force: true, then: () => session.client.close() });
}
