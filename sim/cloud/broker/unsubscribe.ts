/** aedes 'unsubscribe': the filters leave the Session (see Session.filters). */
import type { Client } from 'aedes';
import type { Connections } from './connections';

export function onUnsubscribe(conns: Connections): (topics: string[], client: Client) => void {
  return (topics, client) => {
    const session = conns.core.bySocket.get(client);
    if (session) for (const t of topics) session.filters.delete(t);
  };
}
