/**
 * QoS 1 publish round trips per second (PUBLISH -> PUBACK) of the compiled MQTT client
 * (build/mqttClient.min.js) running inside SimBoard, against an in-process aedes broker on
 * loopback. Two shapes: one message at a time, and a full in-flight window (16). For reference,
 * the same loop with the TypeScript session running directly in Node.
 *
 *   npm run build && npx tsx bench/mqtt.ts [seconds]
 *
 * Prints figures; never fails on time.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { SimBoard } from '../sim/board';
import { Session } from '../src/mqtt/session';
import { nodeDial } from '../test/mqtt/support/node-dial';

const SECONDS = Number(process.argv[2]) || 3;
const PAYLOAD = '{"id":"1","version":"1.0","params":{"temperature":23.5},"method":"thing.event.property.post"}';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startAedes(): Promise<{ port: number; close(): Promise<void> }> {
  const { Aedes } = await import('aedes');
  const broker = await (Aedes as any).createBroker();
  const server = net.createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.close();
        broker.close(() => r());
      }),
  };
}

async function onBoard(port: number, window: number): Promise<number> {
  const file = path.resolve(__dirname, '../build/mqttClient.min.js');
  const board = new SimBoard({ log: () => undefined });
  board.loadModule('mqttClient', fs.readFileSync(file, 'utf8'));
  board.global.P = PAYLOAD;
  board.run(`
    var m = require('mqttClient');
    B = { n: 0, stop: 0, err: 0, up: 0 };
    B.s = new m.Session({ dial: m.dial, host: '127.0.0.1', port: ${port}, keepaliveSec: 60, cleanSession: true,
      credentials: function () { return { clientId: 'bench-board-${window}', username: 'u', password: 'p' }; } },
      { onConnect: function () { B.up = 1; }, onDisconnect: function (c) { B.err = c; }, onError: function (c) { B.err = c; },
        onMessage: function () {} });
    B.one = function () {
      B.s.publish('bench/t', P, 1, function (c) {
        if (c) { B.err = c; return; }
        B.n++;
        if (!B.stop) B.one();
      });
    };
    B.s.start();
  `);
  await board.waitFor(() => board.global.B.up === 1);
  board.run(`for (var i = 0; i < ${window}; i++) B.one();`);
  const t0 = Date.now();
  await sleep(SECONDS * 1000);
  board.run('B.stop = 1;');
  const n = board.global.B.n;
  const rate = n / ((Date.now() - t0) / 1000);
  const err = board.global.B.err;
  board.run('B.s.end();');
  await board.close();
  if (err) console.log(`  (board reported error ${err})`);
  return rate;
}

async function inNode(port: number, window: number): Promise<number> {
  let up = false;
  let stop = false;
  let n = 0;
  const s = new Session(
    { dial: nodeDial, host: '127.0.0.1', port, keepaliveSec: 60, cleanSession: true, credentials: () => ({ clientId: `bench-node-${window}`, username: 'u', password: 'p' }) },
    { onConnect: () => (up = true), onDisconnect: () => undefined, onError: () => undefined, onMessage: () => undefined },
  );
  s.start();
  while (!up) await sleep(5);
  const one = () => {
    s.publish('bench/t', PAYLOAD, 1, (c) => {
      if (c) return;
      n++;
      if (!stop) one();
    });
  };
  for (let i = 0; i < window; i++) one();
  const t0 = Date.now();
  await sleep(SECONDS * 1000);
  stop = true;
  const rate = n / ((Date.now() - t0) / 1000);
  s.end();
  return rate;
}

async function main() {
  const broker = await startAedes();
  console.log(`QoS 1 publish round trips (PUBLISH -> PUBACK), ${PAYLOAD.length}-byte payload, aedes on loopback, ${SECONDS} s each`);
  for (const window of [1, 16]) {
    const board = await onBoard(broker.port, window);
    const node = await inNode(broker.port, window);
    console.log(`  ${window === 1 ? 'one at a time     ' : 'window of 16      '}  SimBoard bundle: ${board.toFixed(0)}/s   Node (TS source): ${node.toFixed(0)}/s`);
  }
  await broker.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
