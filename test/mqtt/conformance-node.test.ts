/**
 * The conformance scenarios with the session running from its TypeScript source in Node (over a
 * Node socket cut into 536-byte chunks), against aedes and mosquitto. The same scenarios run the
 * compiled bundle inside SimBoard in conformance-simboard.test.ts.
 */
import { Session } from '../../src/mqtt/session';
import { nodeDial } from './support/node-dial';
import { Client, ClientEvent, MakeClient, conformanceAgainstBrokers } from './support/scenarios';

const makeClient: MakeClient = async (o) => {
  const received: { topic: string; payload: string; qos: number }[] = [];
  const events: ClientEvent[] = [];
  const s = new Session(
    {
      dial: nodeDial,
      host: '127.0.0.1',
      port: o.port,
      keepaliveSec: o.keepaliveSec ?? 30,
      cleanSession: true,
      backoffMinMs: o.backoffMinMs,
      backoffMaxMs: o.backoffMaxMs,
      credentials: () => ({ clientId: o.clientId, username: 'u', password: 'p' }),
    },
    {
      onConnect: (p) => events.push(['connect', p]),
      onDisconnect: (c) => events.push(['disconnect', c]),
      onError: (c) => events.push(['error', c]),
      onMessage: (topic, payload, qos) => received.push({ topic, payload, qos }),
    },
  );
  s.start();
  const call = (f: (cb: (code: number) => void) => number) =>
    new Promise<number>((resolve) => {
      const rc = f(resolve);
      if (rc) resolve(rc);
    });
  const c: Client = {
    publish: (t, p, q) => call((cb) => s.publish(t, p, q, cb)),
    subscribe: (t, q) => call((cb) => s.subscribe(t, q, cb)),
    received: async () => received,
    events: async () => events,
    isConnected: async () => s.isConnected(),
    end: () => new Promise<void>((r) => s.end(() => r())),
  };
  return c;
};

conformanceAgainstBrokers('session (TS source in Node)', makeClient);
