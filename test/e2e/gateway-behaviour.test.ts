/**
 * Gateway behaviour beyond the HaaS documents' examples, end to end on SimBoard against the emulator:
 * platform limits handled for the app, sub-device traffic both ways, re-login after a
 * reconnect, topology changes from the cloud, and bad input.
 */
import type { RunningCloud } from '../../sim/cloud';
import { cloudUp, boardUp, bulkSubdevices, Rig, GW_PK, SUB_PK } from './support';

let cloud: RunningCloud;
let rig: Rig;

beforeEach(async () => {
  // A fresh platform per test: topology and sessions must not leak between tests.
  cloud = await cloudUp();
});
afterEach(async () => {
  const uncaught = rig ? rig.board.uncaught : [];
  await rig?.close();
  await cloud?.stop();
  expect(uncaught).toEqual([]);
});

/**
 * Boots a board with a gateway app: `setup` runs before connect(), `body` in ON_CONNECT's first
 * call. `gateway`, `cfg`, `subs` and `log` are in scope; `files` are put in Storage first.
 */
async function app(setup: string, body: string, subs: unknown[] = [], opts: { memory?: boolean; files?: Record<string, string> } = {}) {
  rig = await boardUp(cloud, opts);
  for (const [name, data] of Object.entries(opts.files ?? {})) rig.board.storage.write(name, data);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json");
    var subs = ${JSON.stringify(subs)};
    var gateway = new aliyunIoT.Gateway();
    var log = function (tag, d) { print(tag + " " + JSON.stringify(d)); };
    var started = false;
    gateway.on(gateway.ON_ERROR, function (d) { log("error", d); });
    ${setup}
    gateway.on(gateway.ON_CONNECT, function () {
      print("connected");
      if (started) return;
      started = true;
      ${body}
    });
    gateway.connect(cfg.gateway);
  `);
}

const online = () => cloud.api.subdevicesOnline(GW_PK, 'gw001').map((d: any) => d.deviceName).sort();
const two = bulkSubdevices(2);

test('35 sub-devices: topo add split into requests of 30, one combined ON_TOPOADD', async () => {
  const list = bulkSubdevices(35);
  await app(`gateway.on(gateway.ON_TOPOADD, function (code, d) { log("topoadd", {code: d.code, n: JSON.parse(d.message).length}); });`, `gateway.addTopo(subs);`, list);
  await rig.printed('topoadd {"code":0,"n":35}');
  expect(cloud.api.topology(GW_PK, 'gw001')).toHaveLength(35);
  const requests = cloud.api.messages({ productKey: GW_PK, deviceName: 'gw001' }).filter((m) => m.direction === 'up' && m.topic.endsWith('/thing/topo/add'));
  expect(requests).toHaveLength(2);
});

test('60 sub-devices: login split into batches of 50, all online', async () => {
  const list = bulkSubdevices(60);
  await app(
    `gateway.on(gateway.ON_TOPOADD, function (code, d) { gateway.login(subs); });
     gateway.on(gateway.ON_LOGIN, function (code, d) { log("login", {code: d.code}); });`,
    `gateway.addTopo(subs);`,
    list,
  );
  await rig.printed('login {"code":0}', 15000);
  expect(online()).toHaveLength(60);
});

test('sub-device traffic: posts go up as the sub-device; property set and services come down to it', async () => {
  await app(
    `gateway.on(gateway.ON_TOPOADD, function () { gateway.login(subs); });
     gateway.on(gateway.ON_LOGIN, function () {
       gateway.postProps({ productKey: subs[0].productKey, deviceName: subs[0].deviceName, params: { Temp: 21.5 } }, function (d) { log("posted", d.code); });
     });
     gateway.on(gateway.ON_PROPS, function (d) { log("props", { dn: d.deviceName, params: JSON.parse(d.params) }); });
     gateway.on(gateway.ON_SERVICE, function (d) { return { who: d.deviceName, sync: d.sync }; });`,
    `gateway.addTopo(subs);`,
    two,
  );
  await rig.printed('posted 0');
  expect(cloud.api.properties(SUB_PK, two[0].deviceName)?.Temp?.value).toBe(21.5);
  const set = await cloud.api.setProperties(SUB_PK, two[1].deviceName, { Mode: 2 });
  expect(set).toMatchObject({ status: 'reply', code: 200 });
  await rig.printed(`props {"dn":"${two[1].deviceName}","params":{"Mode":2}}`);
  const asyncCall = await cloud.api.invokeService(SUB_PK, two[0].deviceName, 'Check', {});
  expect(asyncCall).toMatchObject({ status: 'reply', code: 200, data: { who: two[0].deviceName, sync: false } });
  const syncCall = await cloud.api.invokeService(SUB_PK, two[1].deviceName, 'Check', {}, { sync: true });
  expect(syncCall).toMatchObject({ status: 'reply', code: 200, data: { who: two[1].deviceName, sync: true } });
});

test('after a reconnect the gateway logs its sub-devices in again by itself', async () => {
  await app(
    `gateway.on(gateway.ON_TOPOADD, function () { gateway.login(subs); });
     gateway.on(gateway.ON_LOGIN, function (code, d) { log("login", d.code); });`,
    `gateway.addTopo(subs);`,
    two,
  );
  await rig.printed('login 0');
  expect(online()).toHaveLength(2);
  expect(cloud.api.dropConnection(GW_PK, 'gw001')).toBe(true);
  await rig.board.waitFor(() => rig.board.output.filter((l) => l === 'connected').length === 2, 20000);
  await rig.board.waitFor(() => online().length === 2, 5000);
});

test('a sub-device deleted in the cloud: ON_TOPOCHANGE, and it can no longer post', async () => {
  await app(
    `gateway.on(gateway.ON_TOPOADD, function () { gateway.login(subs); });
     gateway.on(gateway.ON_LOGIN, function (code, d) { print("logged in"); });
     gateway.on(gateway.ON_TOPOCHANGE, function (d) {
       log("change", JSON.parse(d.message).params.subList);
       print("post " + gateway.postProps({ productKey: subs[0].productKey, deviceName: subs[0].deviceName, params: {} }));
     });`,
    `gateway.addTopo(subs);`,
    two,
  );
  await rig.printed('logged in');
  expect(cloud.api.deleteDevice(SUB_PK, two[0].deviceName)).toBeTruthy();
  await rig.printed(`change [{"productKey":"${SUB_PK}","deviceName":"${two[0].deviceName}"}]`);
  await rig.printed('post -541');
});

describe('bad input: a clear code, nothing else disturbed', () => {
  test('a sub-device with a wrong secret: the platform refusal (401) reaches ON_TOPOADD as its bare first argument', async () => {
    const bad = [{ ...two[0], deviceSecret: 'wrong-secret' }];
    await app(`gateway.on(gateway.ON_TOPOADD, function (code, d) { log("topoadd", [code, d.code]); });`, `gateway.addTopo(subs);`, bad);
    await rig.printed('topoadd [401,401]');
    expect(cloud.api.topology(GW_PK, 'gw001')).toHaveLength(0);
  });

  test('login before topo add: the platform refusal reaches ON_LOGIN', async () => {
    await app(`gateway.on(gateway.ON_LOGIN, function (code, d) { log("login", code); });`, `gateway.login(subs);`, two);
    await rig.printed('login 6401');
    expect(online()).toEqual([]);
  });

  test('empty list, duplicates, logout of a device not logged in, unknown secret: codes, and the gateway still works', async () => {
    await app(
      `gateway.on(gateway.ON_TOPOADD, function (code, d) { log("topoadd", d.code); });`,
      `
      var unknown = [{ productKey: "${SUB_PK}", deviceName: "nosecret" }];
      print("codes " + [
        gateway.addTopo([]),
        gateway.addTopo("x"),
        gateway.addTopo([subs[0], subs[0]]),
        gateway.login(unknown),
        gateway.logout(subs),
        gateway.postProps({ productKey: subs[0].productKey, deviceName: subs[0].deviceName, params: {} })
      ].join(","));
      gateway.addTopo(subs);
      `,
      two,
    );
    await rig.printed('codes -101,-101,-101,-540,-541,-541');
    await rig.printed('topoadd 0');
    expect(rig.board.output.filter((l) => l.startsWith('error ')).length).toBe(6);
  });
});

test('1,000 sub-devices in one addTopo: 34 requests sent one after another, one ON_TOPOADD', async () => {
  const list = bulkSubdevices(1000);
  await cloud.stop();
  cloud = await cloudUp({ extraDevices: list });
  // The list is a Storage file: as an array in RAM the 1,000 entries would take about 15 JsVars
  // each (measured on the interpreter), more than the board's 16,383. The memory meter stays on.
  await app(
    `gateway.on(gateway.ON_TOPOADD, function (code, d) { log("topoadd", {code: d.code, message: d.message}); });`,
    `print("ret " + gateway.addTopo("subs"));`,
    [],
    { files: { subs: JSON.stringify(list) } },
  );
  await rig.printed('ret 0');
  await rig.printed('topoadd {"code":0,"message":"[]"}', 60000);
  expect(cloud.api.topology(GW_PK, 'gw001')).toHaveLength(1000);
  const requests = cloud.api.messages({ productKey: GW_PK, deviceName: 'gw001' }).filter((m) => m.direction === 'up' && m.topic.endsWith('/thing/topo/add'));
  expect(requests).toHaveLength(34);
  expect(rig.board.memory.outOfMemory).toBe(0);
}, 90000);
