/** aedes published: every accepted device uplink goes through the router (router.ts) to its
 *  handler, and is logged with the handler's verdict; then the held PUBACK is released. */
import type { AedesPublishPacket, Client, PublishPacket } from 'aedes';
import { ownerOf } from '../acl';
import type { CloudCore } from '../core';
import { payloadText } from '../log';
import type { Verdict } from '../uplink';
import type { Connections, Hook } from './connections';

export function published(conns: Connections): Hook<'published'> {
  const core = conns.core;
  return (packet, client, done) => {
    if (client && packet.topic.charCodeAt(0) !== 36 /* $ */) route(core, client, packet);
    // aedes writes a reply in an immediate queued while routing; this one runs after it.
    if (client && conns.heldAcks.delete(packet)) setImmediate(() => client.conn.uncork());
    done(null);
  };
}

/** One uplink: find its route, run the handler, log the message with the handler's verdict. */
function route(core: CloudCore, client: Client, packet: AedesPublishPacket | PublishPacket): void {
  const session = core.bySocket.get(client);
  if (!session) return;
  const topic = packet.topic;
  const payload = (packet.payload ?? Buffer.alloc(0)) as Buffer;
  const match = core.router.match(topic);
  const vars = match?.vars ?? {};
  const owner = vars.pk && vars.dn ? { productKey: vars.pk, deviceName: vars.dn } : ownerOf(topic) ?? session;
  const entry = core.log.reserve({ direction: 'up', productKey: owner.productKey, deviceName: owner.deviceName, topic, payload: payloadText(payload), verdict: 'pending' });
  let v: Verdict;
  if (!match) v = { verdict: 'unhandled', detail: 'no handler for this topic' };
  else {
    try {
      v = match.handler({ core, session, topic, payload, vars, productKey: owner.productKey, deviceName: owner.deviceName });
    } catch (e) {
      // A handler bug must not take the broker down; the device simply gets no reply.
      v = { verdict: 'error', code: 500, detail: (e as Error).message };
    }
  }
  entry.verdict = v.verdict;
  if (v.code !== undefined) entry.code = v.code;
  if (v.detail !== undefined) entry.detail = v.detail;
  core.log.commit(entry);
}
