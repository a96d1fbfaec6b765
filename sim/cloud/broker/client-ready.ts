/** aedes 'clientReady' (CONNACK sent): a registration connection gets its one push; a device
 *  is announced as connected. */
import type { Client } from 'aedes';
import { pushRegistration } from '../handlers/register';
import type { Connections } from './connections';

export function onClientReady(conns: Connections): (client: Client) => void {
  const core = conns.core;
  return (client) => {
    const session = core.bySocket.get(client);
    if (!session) return;
    if (session.kind !== 'device') return pushRegistration(core, session);
    core.emit('connect', { productKey: session.productKey, deviceName: session.deviceName, clientId: session.clientId, tls: session.tls });
  };
}
