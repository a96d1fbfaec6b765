/** What the broker hooks remember about each connection between aedes' callbacks, and the
 *  one place a device's login takes over from an older one. */
import type tls from 'node:tls';
import type { AedesOptions, Client } from 'aedes';
import type { CloudCore, Session } from '../core';

export interface Connections {
  core: CloudCore;
  /** CONNECT's keepalive, read in preConnect, checked in authenticate. */
  keepalives: WeakMap<Client, number>;
  /** The clientId each device sent. aedes keys its clients by clientId and closes the older of
   *  two with the same one; the platform keys connections by device (productKey+deviceName), so
   *  aedes is given "<username> <clientId>" and a device using another's clientId string
   *  disconnects nobody but, through takeOver(), an older login of itself. */
  sentIds: WeakMap<Client, string>;
  /** Why a connection ended, for the 'disconnect' event. */
  lastError: WeakMap<Client, string>;
  /** QoS > 0 uplinks whose connection was corked in authorizePublish, until `published`.
   *  aedes sends the PUBACK before it publishes, and the reply one turn of the event loop
   *  later: two writes, two segments and two reads on the device for every request. Corked,
   *  both go out in one write, as a TCP stack may coalesce them anyway; the order of the
   *  packets is unchanged. Every other path of a corked uplink closes the connection. */
  heldAcks: WeakSet<object>;
}

export function newConnections(core: CloudCore): Connections {
  return { core, keepalives: new WeakMap(), sentIds: new WeakMap(), lastError: new WeakMap(), heldAcks: new WeakSet() };
}

export function isTls(client: Client): boolean {
  return (client.conn as tls.TLSSocket).encrypted === true;
}

/** A device's login becomes its live connection; a second login closes the first (DOC-73742).
 *  The first login marks the device activated. */
export function takeOver(conns: Connections, session: Session): void {
  const core = conns.core;
  const previous = core.sessions.get(session.key);
  core.sessions.set(session.key, session);
  if (previous && previous.client !== session.client) {
    conns.lastError.set(previous.client, 'replaced by a new login of the same device');
    previous.client.close();
  }
  const device = core.registry.device(session.productKey, session.deviceName);
  if (device && !device.activated) {
    device.activated = true;
    core.registry.changed();
  }
}

/** The type of one of aedes' hook options (aedes does not export them by name). */
export type Hook<K extends keyof AedesOptions> = NonNullable<AedesOptions[K]>;
