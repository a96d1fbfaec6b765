/** aedes authorizeForward: device uplinks reach the cloud, not other subscribers — except
 *  custom topics, which the broker routes as usual (only the device itself can hold such a
 *  subscription). */
import { ownerOf } from '../acl';
import type { Hook } from './connections';

export const authorizeForward: Hook<'authorizeForward'> = (_client, packet) => {
  if ((packet as { clientId?: string }).clientId !== undefined && ownerOf(packet.topic)?.family !== 'custom') return null;
  return packet;
};
