/**
 * The conformance scenarios on the compiled client: build/mqttClient.min.js runs inside SimBoard
 * (Espruino-shaped vm, real loopback sockets, 536-byte string chunks) against aedes and mosquitto.
 * Needs `npm run build` first.
 */
import { aedesBroker, mosquittoBroker, mosquittoInstalled } from './support/brokers';
import { conformance } from './support/scenarios';
import { simBoardClient } from './support/simboard-client';

describe('mqttClient bundle in SimBoard against aedes', () => {
  conformance(() => aedesBroker(), simBoardClient, {
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
  describe('mqttClient bundle in SimBoard against mosquitto', () => {
    conformance(() => mosquittoBroker(), simBoardClient, { refusal: () => mosquittoBroker({ refuseAll: true }) });
  });
} else {
  // eslint-disable-next-line no-console
  console.log('mosquitto not installed: suite skipped');
  describe.skip('mqttClient bundle in SimBoard against mosquitto (mosquitto not installed: suite skipped)', () => {
    it('needs /usr/sbin/mosquitto', () => undefined);
  });
}
