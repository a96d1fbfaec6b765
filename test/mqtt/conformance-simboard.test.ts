/**
 * The conformance scenarios on the compiled client: build/mqttClient.min.js runs inside SimBoard
 * (Espruino-shaped vm, real loopback sockets, 536-byte string chunks) against aedes and mosquitto.
 * Needs `npm run build` first.
 */
import { conformanceAgainstBrokers } from './support/scenarios';
import { simBoardClient } from './support/simboard-client';

conformanceAgainstBrokers('mqttClient bundle in SimBoard', simBoardClient);
