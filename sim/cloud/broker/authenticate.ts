/** aedes authenticate: the login decision (login.ts) and, when it passes, the Session. */
import type { Session } from '../core';
import { decideLogin } from '../login';
import { deviceKey } from '../registry';
import { isTls, takeOver, type Connections, type Hook } from './connections';

export function authenticate(conns: Connections): Hook<'authenticate'> {
  const core = conns.core;
  return (client, username, password, done) => {
    const clientId = conns.sentIds.get(client) ?? client.id;
    const d = decideLogin(core.registry, { clientId, username, password, keepalive: conns.keepalives.get(client) ?? 0, tls: isTls(client), instanceId: core.options.instanceId });
    if (!d.ok) {
      const who = (username ?? '').split('&');
      core.log.add({ direction: 'up', productKey: who[1], deviceName: who[0], topic: '$connect', payload: 'clientId=' + clientId, verdict: 'refused', code: d.returnCode, detail: d.reason });
      const err = Object.assign(new Error(d.reason), { returnCode: d.returnCode });
      return done(err, false);
    }
    const session: Session = {
      client, productKey: d.productKey, deviceName: d.deviceName, key: deviceKey(d.productKey, d.deviceName),
      clientId, tls: isTls(client), autoSubscribe: d.autoSubscribe, extRrpc: d.extRrpc, kind: d.kind,
      connectedAt: Date.now(), proxied: new Set(), filters: new Map(),
    };
    core.bySocket.set(client, session);
    // Registered before CONNACK goes out: the device may publish the moment it sees it.
    if (session.kind === 'device') takeOver(conns, session);
    done(null, true);
  };
}
