/**
 * The conformance scenarios with the session running from its TypeScript source in Node (over a
 * Node socket cut into 536-byte chunks), against aedes and mosquitto. The same scenarios run the
 * compiled bundle inside SimBoard in conformance-simboard.test.ts.
 */
import { Session } from '../../src/mqtt/session';
import { aedesBroker, mosquittoBroker, mosquittoInstalled } from './support/brokers';
import { nodeDial } from './support/node-dial';
import { Client, ClientEvent, MakeClient, conformance } from './support/scenarios';

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

describe('session (TS source in Node) against aedes', () => {
  conformance(() => aedesBroker(), makeClient, {
    refusal: () =>
      aedesBroker({
        authenticate: (_c, _u, _p, done) => {
          const err: any = new Error('not authorized');
          err.returnCode = 5;
          done(err, null);
        },
      }),
  });
});

if (mosquittoInstalled()) {
  describe('session (TS source in Node) against mosquitto', () => {
    conformance(() => mosquittoBroker(), makeClient, { refusal: () => mosquittoBroker({ refuseAll: true }) });
  });
} else {
  // eslint-disable-next-line no-console
  console.log('mosquitto not installed: suite skipped');
  describe.skip('session (TS source in Node) against mosquitto (mosquitto not installed: suite skipped)', () => {
    it('needs /usr/sbin/mosquitto', () => undefined);
  });
}
