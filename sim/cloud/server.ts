/** aedes plus hooks, and the MQTT (plain and TLS) listeners. No broker logic is forked; each
 *  hook is one file in broker/: preConnect/authenticate decide logins, authorizePublish/
 *  authorizeSubscribe enforce topic ownership, `published` feeds the router, authorizeForward
 *  keeps device uplinks from being echoed to subscribers. Downlinks go straight to a
 *  connection (core.sendDown). */
import { Aedes } from 'aedes';
import type { CloudCore } from './core';
import { newConnections } from './broker/connections';
import { preConnect } from './broker/pre-connect';
import { authenticate } from './broker/authenticate';
import { authorizePublish } from './broker/authorize-publish';
import { authorizeSubscribe } from './broker/authorize-subscribe';
import { authorizeForward } from './broker/authorize-forward';
import { published } from './broker/published';
import { onClientReady } from './broker/client-ready';
import { onUnsubscribe } from './broker/unsubscribe';
import { onClientError } from './broker/client-error';
import { onClientDisconnect } from './broker/client-disconnect';
import { listen } from './broker/listeners';

export interface MqttServers {
  broker: Aedes;
  mqttPort: number;
  tlsPort: number;
  close(): Promise<void>;
}

export async function startMqtt(core: CloudCore, opts: { host: string; mqttPort: number; tlsPort: number; certPem: string; keyPem: string }): Promise<MqttServers> {
  const conns = newConnections(core);
  const broker = await Aedes.createBroker({
    // The real limit is the platform's; 64 chars of prefix plus the `|...|` options.
    maxClientsIdLength: 512,
    heartbeatInterval: 3600_000,
    connectTimeout: 10_000,
    drainTimeout: 10_000,
    preConnect: preConnect(conns),
    authenticate: authenticate(conns),
    authorizePublish: authorizePublish(conns),
    authorizeSubscribe: authorizeSubscribe(conns),
    authorizeForward,
    published: published(conns),
  });
  broker.on('clientReady', onClientReady(conns));
  broker.on('unsubscribe', onUnsubscribe(conns));
  broker.on('clientError', onClientError(conns));
  broker.on('clientDisconnect', onClientDisconnect(conns));
  const listeners = await listen(core, broker, opts);
  return {
    broker,
    mqttPort: listeners.mqttPort,
    tlsPort: listeners.tlsPort,
    close: async () => {
      const closing = listeners.close();
      await new Promise<void>((r) => broker.close(() => r()));
      await closing;
    },
  };
}
