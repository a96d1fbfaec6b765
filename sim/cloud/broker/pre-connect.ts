/** aedes preConnect: remembers what CONNECT carried and gives aedes a clientId per device
 *  (see Connections.sentIds). */
import type { Connections, Hook } from './connections';

export function preConnect(conns: Connections): Hook<'preConnect'> {
  return (client, packet, done) => {
    conns.keepalives.set(client, packet.keepalive ?? 0);
    conns.sentIds.set(client, packet.clientId);
    packet.clientId = (packet.username ?? '') + ' ' + packet.clientId;
    done(null, true);
  };
}
