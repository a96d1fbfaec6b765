/**
 * Every Gateway example of the seed document, ported to examples/gateway/*.js, run on SimBoard
 * (build/aliyunIoT.js) against the emulator over real sockets: what the seed says the script
 * prints, and what the platform must have seen.
 */
import type { RunningCloud } from '../../sim/cloud';
import { cloudUp, boardUp, Rig, GW_PK, SUB_PK } from './support';

let cloud: RunningCloud;
let rig: Rig;

beforeAll(async () => {
  cloud = await cloudUp();
});
afterAll(async () => {
  await cloud.stop();
});
beforeEach(async () => {
  rig = await boardUp(cloud);
});
afterEach(async () => {
  await rig.close();
  expect(rig.board.uncaught).toEqual([]);
});

const offline = () => rig.board.waitFor(() => !cloud.api.isOnline(GW_PK, 'gw001'), 10000);
const topo = () => cloud.api.topology(GW_PK, 'gw001').map((d: any) => d.deviceName).sort();

test('create', async () => {
  rig.runExample('gateway/create.js');
  await rig.printed('create gateway succeed!');
});

test('gateway-handle', async () => {
  rig.runExample('gateway/gateway-handle.js');
  await rig.printed('get gateway handle succeed');
});

test('gateway-info: nothing stored yet', async () => {
  rig.runExample('gateway/gateway-info.js');
  await rig.printed('get gatewayinfo failed');
});

test('connect: online, then offline after end()', async () => {
  rig.runExample('gateway/connect.js');
  await rig.printed('物联网平台连接成功');
  expect(cloud.api.isOnline(GW_PK, 'gw001')).toBe(true);
  await offline();
});

test('ntp', async () => {
  rig.runExample('gateway/ntp.js');
  await rig.printed('timestamp:');
  await offline();
});

test('add-topo: both sub-devices bound at the platform', async () => {
  rig.runExample('gateway/add-topo.js');
  await rig.printed('enter on_topo_add');
  expect(topo()).toEqual(expect.arrayContaining(['sub001', 'sub002']));
  await offline();
});

test('get-topo: {code: 0, message: <JSON list>}', async () => {
  rig.runExample('gateway/get-topo.js');
  await rig.printed('"code": 0');
  const line = rig.board.output.find((l) => l.indexOf('"message"') >= 0)!;
  const data = JSON.parse(line);
  expect(JSON.parse(data.message).map((d: any) => d.deviceName)).toEqual(expect.arrayContaining(['sub001', 'sub002']));
  await offline();
});

test('login: the sub-devices are online through the gateway', async () => {
  rig.runExample('gateway/login.js');
  await rig.printed('login out succeed');
  expect(cloud.api.subdevicesOnline(GW_PK, 'gw001').map((d: any) => d.deviceName).sort()).toEqual(['sub001', 'sub002']);
  await offline();
});

test('register-subdevice: the platform issues a secret, kept on the board', async () => {
  rig.runExample('gateway/register-subdevice.js');
  await rig.printed('subdevice register succeed');
  const issued = cloud.core.registry.device(SUB_PK, 'sub003')!.deviceSecret;
  expect(issued).toBeTruthy();
  const stored = rig.board.storage.list().filter((n) => n.indexOf('aiot.sub.') === 0).map((n) => rig.board.storage.read(n)!);
  expect(stored.some((s) => s.indexOf(issued!) >= 0)).toBe(true);
  await offline();
});

test('subscribe', async () => {
  rig.runExample('gateway/subscribe.js');
  await rig.printed('topic subscribe succeed');
  await offline();
});

test('publish: the message comes back through ON_SUBCRIBE', async () => {
  rig.runExample('gateway/publish.js');
  await rig.printed('topic publsih succeed');
  await offline();
});

test('unsubscribe', async () => {
  rig.runExample('gateway/unsubscribe.js');
  await rig.printed('topic unsubscribe succeed');
  await offline();
});

test('logout: the sub-devices are offline again', async () => {
  rig.runExample('gateway/logout.js');
  await rig.printed('login out succeed');
  expect(cloud.api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
  await offline();
});

test('remove-topo: unbound at the platform', async () => {
  rig.runExample('gateway/remove-topo.js');
  await rig.printed('topo remove succeed');
  expect(topo()).not.toContain('sub001');
  await offline();
});

test('end', async () => {
  rig.runExample('gateway/end.js');
  await rig.printed('getway end succeed');
  await offline();
});
