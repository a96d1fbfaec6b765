/**
 * A conformance-scenario client that runs the compiled bundle (build/mqttClient.min.js, what
 * would go onto the board) inside SimBoard, dialing through SimBoard's Espruino-like `net`
 * (real loopback sockets, data in at most 536-byte string chunks).
 *
 * Host <-> board: strings are primitives, so arguments are handed over as board globals and
 * results are read back from a board-side record `T`; callbacks run on the board.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SimBoard } from '../../../sim/board';
import { Client, ClientEvent, MakeClient } from './scenarios';

export const BUNDLE = path.resolve(__dirname, '../../../build/mqttClient.min.js');

export function bundleSource(): string {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  return fs.readFileSync(BUNDLE, 'utf8');
}

const BOARD_SIDE = `
var m = require('mqttClient');
T = { ev: [], rx: [], done: {} };
T.make = function (o, clientId) {
  o.dial = m.dial;
  o.credentials = function () { return { clientId: clientId, username: 'u', password: 'p' }; };
  T.s = new m.Session(o, {
    onConnect: function (p) { T.ev.push(['connect', p]); },
    onDisconnect: function (c) { T.ev.push(['disconnect', c]); },
    onError: function (c) { T.ev.push(['error', c]); },
    onMessage: function (t, p, q) { T.rx.push([t, p, q]); }
  });
  T.s.start();
};
T.call = function (id, rc) { if (rc) T.done[id] = rc; };
T.pub = function (id, t, p, q) { T.call(id, T.s.publish(t, p, q, function (c) { T.done[id] = c; })); };
T.sub = function (id, t, q) { T.call(id, T.s.subscribe(t, q, function (c) { T.done[id] = c; })); };
`;

export interface BoardClient extends Client {
  board: SimBoard;
}

export const simBoardClient: MakeClient = async (o) => {
  // The scenarios send and receive a 256 KB message (about 26,000 JsVars): more than a board
  // holds. The memory meter is off: this suite is about the protocol, not about memory.
  const board = new SimBoard({ log: () => undefined, memory: false });
  board.loadModule('mqttClient', bundleSource());
  board.run(BOARD_SIDE);
  const g = board.global;
  g.a0 = o.clientId;
  board.run(`T.make({ host: '127.0.0.1', port: ${o.port}, keepaliveSec: ${o.keepaliveSec ?? 30}, cleanSession: true, backoffMinMs: ${o.backoffMinMs ?? 1000}, backoffMaxMs: ${o.backoffMaxMs ?? 60000} }, a0)`);
  let next = 0;
  const call = async (script: string, args: string[]): Promise<number> => {
    const id = ++next;
    args.forEach((a, i) => (g[`a${i}`] = a));
    board.run(script.replace('ID', String(id)));
    await board.waitFor(() => g.T.done[id] !== undefined, 30000);
    return g.T.done[id];
  };
  const client: BoardClient = {
    board,
    publish: (t, p, q) => call(`T.pub(ID, a0, a1, ${q})`, [t, p]),
    subscribe: (t, q) => call(`T.sub(ID, a0, ${q})`, [t]),
    received: async () => Array.from(g.T.rx as any[], (r: any) => ({ topic: r[0], payload: r[1], qos: r[2] })),
    events: async () => Array.from(g.T.ev as any[], (e: any) => [e[0], e[1]] as ClientEvent),
    isConnected: async () => board.run('T.s.isConnected()') === true,
    end: async () => {
      board.run('T.s.end(function () { T.ended = 1; })');
      const ended = g.T.ended === 1;
      const uncaught = board.uncaught.slice();
      await board.close();
      if (!ended) throw new Error('end(cb) did not call cb');
      if (uncaught.length) throw new Error(`uncaught on the board: ${uncaught.map((e) => (e && e.message) || String(e)).join('; ')}`);
    },
  };
  return client;
};
