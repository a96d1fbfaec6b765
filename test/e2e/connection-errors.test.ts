/**
 * Connection errors say what failed: the code names the kind (DNS, refused, TLS handshake, bad
 * credentials), the message names where (mqtt:// or mqtts://, host and port), and nothing in
 * them is a secret. The app flashed by default (examples/app.ts) prints them.
 */
import * as net from 'net';
import * as path from 'path';
import type { RunningCloud } from '../../sim/cloud';
import { SimBoard } from '../../sim/board';
import { buildApp } from '../../tools/build-app';
import { BUNDLE, PK, ROOT, cloudUp, testRegistry } from './support';

const SECRET = testRegistry().devices.find((d) => d.deviceName === 'dev001')!.deviceSecret!;

let cloud: RunningCloud;
let board: SimBoard;
/** A port that speaks plain MQTT only, as a broker such as mosquitto on 1883 does: a TLS
 *  ClientHello is not an MQTT packet, so it closes the connection on the first bytes. (The
 *  emulator's 1883, like the platform's, takes TLS too, so it cannot play this part.) */
let plainOnly: net.Server;
let plainOnlyPort: number;
beforeAll(async () => {
  cloud = await cloudUp();
  plainOnly = net.createServer((s) => s.once('data', () => s.destroy()));
  await new Promise<void>((resolve) => plainOnly.listen(0, '127.0.0.1', resolve));
  plainOnlyPort = (plainOnly.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => plainOnly.close(resolve));
  await cloud.stop();
});
afterEach(() => board.close());

/** Connects dev001 with `overrides`; resolves with the first ON_ERROR data. */
async function firstError(overrides: Record<string, unknown>): Promise<{ code: number; message: string }> {
  board = new SimBoard();
  board.loadModuleFile('aliyunIoT', BUNDLE);
  board.global.INFO = { productKey: PK, deviceName: 'dev001', deviceSecret: SECRET, host: '127.0.0.1', port: cloud.mqttPort, tls: false, ...overrides };
  board.run(`var d = new (require("aliyunIoT").Device)(); var errors = [];
    d.on(d.ON_ERROR, function (e) { errors.push(e); }); d.connect(INFO);`);
  await board.waitFor(() => board.global.errors.length > 0, 15000);
  board.run('d.end()');
  const e = board.global.errors[0];
  return { code: e.code, message: e.message };
}

test('TLS to a plain-only MQTT port: -208, naming mqtts://host:port; never a bare "Uncaught undefined"', async () => {
  expect(await firstError({ tls: true, port: plainOnlyPort })).toEqual({ code: -208, message: `mqtts://127.0.0.1:${plainOnlyPort}` });
  expect(board.output.filter((l) => /^Uncaught undefined/.test(l))).toEqual([]);
});

test('a host name that does not resolve: -207 (DNS), naming the host', async () => {
  expect(await firstError({ host: 'no-such-host.invalid' })).toEqual({ code: -207, message: `mqtt://no-such-host.invalid:${cloud.mqttPort}` });
});

test('nothing listening on the port: -201 (refused), naming the plain endpoint', async () => {
  expect(await firstError({ port: 1 })).toEqual({ code: -201, message: 'mqtt://127.0.0.1:1' });
});

test('a wrong deviceSecret: -304 (bad user name or password), and the secret appears nowhere', async () => {
  const wrong = 'wrongSecret0123456789abcdef01234';
  const e = await firstError({ deviceSecret: wrong });
  expect(e).toEqual({ code: -304, message: `mqtt://127.0.0.1:${cloud.mqttPort}` });
  expect(JSON.stringify(e) + board.output.join('\n')).not.toContain(wrong);
});

test('the default app (examples/app.ts) prints errors and disconnections with what failed', async () => {
  const { code } = await buildApp(path.join(ROOT, 'examples/app.ts'), path.join(ROOT, 'build/app/app-errors-test.js'));
  board = new SimBoard();
  board.loadModuleFile('aliyunIoT', BUNDLE);
  board.storage.write('aliyunIoT.json', JSON.stringify({ device: { productKey: PK, deviceName: 'dev001', deviceSecret: SECRET, host: '127.0.0.1', port: plainOnlyPort, tls: true } }));
  board.run(code);
  await board.waitFor(() => board.output.some((l) => l.startsWith('error ')), 15000);
  expect(board.output).toContain(`error -208: mqtts://127.0.0.1:${plainOnlyPort}`);
  board.run('device.end()');

  board.close();
  board = new SimBoard();
  board.loadModuleFile('aliyunIoT', BUNDLE);
  board.storage.write('aliyunIoT.json', JSON.stringify({ device: { productKey: PK, deviceName: 'dev002', deviceSecret: testRegistry().devices.find((d) => d.deviceName === 'dev002')!.deviceSecret, host: '127.0.0.1', port: cloud.mqttPort, tls: false } }));
  board.run(code);
  await board.waitFor(() => board.output.indexOf('connected') >= 0, 15000);
  await cloud.api.dropConnection(PK, 'dev002');
  await board.waitFor(() => board.output.some((l) => l.startsWith('disconnected')), 15000);
  expect(board.output.find((l) => l.startsWith('disconnected'))).toMatch(new RegExp(`^disconnected \\(-?\\d+: mqtt://127\\.0\\.0\\.1:${cloud.mqttPort}\\); reconnecting$`));
  board.run('device.end()');
});
