/** aedes 'clientError': remembered as the reason of the disconnect that follows. */
import type { Client } from 'aedes';
import type { Connections } from './connections';

export function onClientError(conns: Connections): (client: Client, err: Error) => void {
  return (client, err) => conns.lastError.set(client, err.message);
}
