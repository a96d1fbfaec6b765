/**
 * A secondary bundle (build/mqttClient.js): the MQTT session and the board's dial, without the
 * Alink layers, so conformance tests and benches can run the real compiled client in SimBoard.
 */
export { Session } from './session';
export { dial } from '../board/net';
