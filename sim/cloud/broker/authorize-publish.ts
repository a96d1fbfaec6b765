/** aedes authorizePublish: payload size, topic ownership (acl.ts), no retained messages, and
 *  the held PUBACK of a QoS 1 uplink (Connections.heldAcks). */
import { publishDenied } from '../acl';
import { payloadText } from '../log';
import type { Connections, Hook } from './connections';

/** Forbidden publishes are diverted here: the device still gets its PUBACK (the emulator drops,
 *  it does not disconnect), nothing is routed, and no device may subscribe to `$` topics. */
export const DROP_PREFIX = '$dropped/';

export function authorizePublish(conns: Connections): Hook<'authorizePublish'> {
  const core = conns.core;
  const product = (pk: string) => core.registry.product(pk);
  return (client, packet, done) => {
    const session = client ? core.bySocket.get(client) : undefined;
    if (!session) return done(new Error('not logged in'));
    const size = packet.payload ? packet.payload.length : 0;
    if (size > core.options.maxPayloadBytes) {
      core.log.add({ direction: 'up', productKey: session.productKey, deviceName: session.deviceName, topic: packet.topic, payload: '(' + size + ' bytes)', verdict: 'rejected', detail: 'payload larger than ' + core.options.maxPayloadBytes + ' bytes; connection closed' });
      return done(new Error('payload too large'));
    }
    // The platform keeps no retained messages: the flag is dropped, so aedes stores nothing.
    packet.retain = false;
    const denied = session.kind !== 'device' ? 'registration connections may not publish' : publishDenied(session, packet.topic, product);
    if (denied) {
      core.log.add({ direction: 'up', productKey: session.productKey, deviceName: session.deviceName, topic: packet.topic, payload: payloadText(packet.payload as Buffer), verdict: 'forbidden', detail: denied });
      const refusedTopic = packet.topic;
      packet.topic = DROP_PREFIX + session.key;
      for (const hook of core.deniedPublishHooks) {
        try {
          hook(session, refusedTopic, (packet.payload ?? Buffer.alloc(0)) as Buffer);
        } catch {
          // an extension's bug must not take the broker down
        }
      }
    }
    // A QoS 1/2 uplink: its PUBACK is held back until the uplink has been routed (see
    // `published`), so the acknowledgement and the reply leave in one segment.
    if (packet.qos && client) {
      client.conn.cork();
      conns.heldAcks.add(packet);
    }
    done(null);
  };
}
