/**
 * Every Gateway example of the HaaS document "aliyunIoT 网关类接口", ported to examples/gateway/*.js, run on SimBoard
 * (build/aliyunIoT.js) against the emulator over real sockets: what the document says the script
 * prints, and what the platform must have seen.
 */
import { exampleSuite, GW_PK, SUB_PK } from './support';

const suite = exampleSuite();
const offline = () => suite.offline(GW_PK, 'gw001');
const topo = () => suite.cloud().api.topology(GW_PK, 'gw001').map((d: any) => d.deviceName).sort();

test('create', async () => {
  suite.rig().runExample('gateway/create.js');
  await suite.rig().printed('create gateway succeed!');
});

test('gateway-handle', async () => {
  suite.rig().runExample('gateway/gateway-handle.js');
  await suite.rig().printed('get gateway handle succeed');
});

test('gateway-info: nothing stored yet', async () => {
  suite.rig().runExample('gateway/gateway-info.js');
  await suite.rig().printed('get gatewayinfo failed');
});

test('connect: online, then offline after end()', async () => {
  suite.rig().runExample('gateway/connect.js');
  await suite.rig().printed('物联网平台连接成功');
  expect(suite.cloud().api.isOnline(GW_PK, 'gw001')).toBe(true);
  await offline();
});

test('ntp', async () => {
  suite.rig().runExample('gateway/ntp.js');
  await suite.rig().printed('timestamp:');
  await offline();
});

test('add-topo: both sub-devices bound at the platform', async () => {
  suite.rig().runExample('gateway/add-topo.js');
  await suite.rig().printed('enter on_topo_add');
  expect(topo()).toEqual(expect.arrayContaining(['sub001', 'sub002']));
  await offline();
});

test('get-topo: {code: 0, message: <JSON list>}', async () => {
  suite.rig().runExample('gateway/get-topo.js');
  await suite.rig().printed('"code": 0');
  // print(data) spreads the object over lines, as the interpreter does: '{ "code": 0, ' ... ' }'
  const out = suite.rig().board.output;
  const from = out.findIndex((l) => l.startsWith('{ "code": 0'));
  const data = JSON.parse(out.slice(from, out.indexOf(' }', from) + 1).join('\n'));
  expect(JSON.parse(data.message).map((d: any) => d.deviceName)).toEqual(expect.arrayContaining(['sub001', 'sub002']));
  await offline();
});

test('login: the sub-devices are online through the gateway', async () => {
  suite.rig().runExample('gateway/login.js');
  await suite.rig().printed('login out succeed');
  expect(suite.cloud().api.subdevicesOnline(GW_PK, 'gw001').map((d: any) => d.deviceName).sort()).toEqual(['sub001', 'sub002']);
  await offline();
});

test('register-subdevice: the platform issues a secret, kept on the board', async () => {
  suite.rig().runExample('gateway/register-subdevice.js');
  await suite.rig().printed('subdevice register succeed');
  const issued = suite.cloud().core.registry.device(SUB_PK, 'sub003')!.deviceSecret;
  expect(issued).toBeTruthy();
  const stored = suite.rig().board.storage.list().filter((n) => n.indexOf('aiot.sub.') === 0).map((n) => suite.rig().board.storage.read(n)!);
  expect(stored.some((s) => s.indexOf(issued!) >= 0)).toBe(true);
  await offline();
});

test('subscribe', async () => {
  suite.rig().runExample('gateway/subscribe.js');
  await suite.rig().printed('topic subscribe succeed');
  await offline();
});

test('publish: the message comes back through ON_SUBCRIBE', async () => {
  suite.rig().runExample('gateway/publish.js');
  await suite.rig().printed('topic publsih succeed');
  await offline();
});

test('unsubscribe', async () => {
  suite.rig().runExample('gateway/unsubscribe.js');
  await suite.rig().printed('topic unsubscribe succeed');
  await offline();
});

test('logout: the sub-devices are offline again', async () => {
  suite.rig().runExample('gateway/logout.js');
  await suite.rig().printed('login out succeed');
  expect(suite.cloud().api.subdevicesOnline(GW_PK, 'gw001')).toEqual([]);
  await offline();
});

test('remove-topo: unbound at the platform', async () => {
  suite.rig().runExample('gateway/remove-topo.js');
  await suite.rig().printed('topo remove succeed');
  expect(topo()).not.toContain('sub001');
  await offline();
});

test('end', async () => {
  suite.rig().runExample('gateway/end.js');
  await suite.rig().printed('getway end succeed');
  await offline();
});
