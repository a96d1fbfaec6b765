/** aedes authorizeSubscribe: topic ownership (acl.ts), at most QoS 1, and the filter recorded
 *  on the Session at once (see Session.filters). */
import type { Subscription } from 'aedes';
import { subscribeDenied } from '../acl';
import type { Connections, Hook } from './connections';

export function authorizeSubscribe(conns: Connections): Hook<'authorizeSubscribe'> {
  const core = conns.core;
  const product = (pk: string) => core.registry.product(pk);
  return (client, sub, done) => {
    const session = core.bySocket.get(client);
    const denied = !session ? 'not logged in' : session.kind !== 'device' ? 'registration connections may not subscribe' : subscribeDenied(session, sub.topic, product);
    if (denied) {
      core.log.add({ direction: 'up', productKey: session?.productKey, deviceName: session?.deviceName, topic: sub.topic, payload: 'SUBSCRIBE', verdict: 'forbidden', detail: denied });
      return done(null, null); // SUBACK 0x80 for this filter [MQTT-3.9.3]
    }
    // The platform grants at most QoS 1 (§8).
    const qos = Math.min(sub.qos, 1) as Subscription['qos'];
    session!.filters.set(sub.topic, qos);
    done(null, { ...sub, qos });
  };
}
