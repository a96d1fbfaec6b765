/** aedes 'clientDisconnect': the device's live connection and the sub-devices it proxied are
 *  forgotten (unless a newer login already replaced it), and the disconnect is announced. */
import type { Client } from 'aedes';
import type { Connections } from './connections';

export function onClientDisconnect(conns: Connections): (client: Client) => void {
  const core = conns.core;
  return (client) => {
    const session = core.bySocket.get(client);
    if (!session || session.kind !== 'device') return;
    if (core.sessions.get(session.key) === session) core.sessions.delete(session.key);
    for (const [key, s] of core.proxies) if (s === session) core.proxies.delete(key);
    core.emit('disconnect', { productKey: session.productKey, deviceName: session.deviceName, clientId: session.clientId, reason: conns.lastError.get(client) ?? 'closed' });
  };
}
