/** Custom topics `/${pk}/${dn}/user/...` (§4.8). Permission is checked before routing (acl.ts);
 *  here an allowed uplink is recorded and announced to API listeners. Delivery to the
 *  device's own matching subscriptions (pub+sub classes) is the broker's ordinary routing. */
import type { CloudCore } from '../core';
import type { Uplink, Verdict } from '../uplink';

export function customUplink(up: Uplink): Verdict {
  if (up.core.listenerCount('custom') > 0) up.core.emit('custom', { productKey: up.productKey, deviceName: up.deviceName, topic: up.topic, payload: up.payload });
  return { verdict: 'ok' };
}

/** Cloud → device on a custom topic (the `Pub` cloud API); false if it cannot be delivered. */
export function publishCustom(core: CloudCore, pk: string, dn: string, suffix: string, payload: Buffer | string, qos: 0 | 1 = 0): boolean {
  return core.sendDown(pk, dn, '/' + pk + '/' + dn + '/' + suffix, payload, { qos });
}

export function installCustom(core: CloudCore): void {
  core.router.add('/:pk/:dn/user/*suffix', customUplink);
}
