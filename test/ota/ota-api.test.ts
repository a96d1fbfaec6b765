/**
 * The app's side of OTA, end to end (the built module on SimBoard against the emulator):
 * reportVersion, queryOta (the firmware/get form), accept/reject, otaAuto, a board not flashed
 * OTA-ready (the verified file is the app's to apply), bad notices, and a gateway getting its
 * sub-devices' notices with their productKey and deviceName.
 */
import type { RunningCloud } from '../../sim/cloud';
import { isRefusal, type OtaJob } from '../../sim/cloud/ota-store';
import { boardUp, cloudUp, PK, SUB_PK, GW_PK, type Rig } from '../e2e/support';

let cloud: RunningCloud;
let rig: Rig;
let n = 0;

// a fresh platform per test: jobs must not leak between tests
beforeEach(async () => {
  cloud = await cloudUp();
});
afterEach(async () => {
  const uncaught = rig.board.uncaught;
  if (process.env.OTA_DEBUG) console.log(rig.board.output.join('\n'), cloud.api.messages({}).map((m) => m.topic + ' ' + m.verdict + ' ' + m.payload.slice(0, 200)).join('\n'));
  await rig.close();
  await cloud.stop();
  expect(uncaught).toEqual([]);
});

const TEXT = 'a package for the app to apply\n'.repeat(100);

function job(pk: string, dn: string, extra: { module?: string } = {}): OtaJob {
  const pkg = cloud.api.addOtaPackage({ productKey: pk, version: '5.0.' + ++n, bytes: Buffer.from(TEXT), ...extra });
  if (isRefusal(pkg)) throw new Error(pkg.error);
  const j = cloud.api.startOta(pk, dn, pkg.id);
  if (isRefusal(j)) throw new Error(j.error);
  return j;
}

/** A Device app; `on` is its ON_OTA handler body (the notice is `o`). */
async function device(dn: string, on: string, connectExtra = '') {
  rig = await boardUp(cloud, { device: dn });
  rig.board.run(`
    var iot = require("aliyunIoT");
    var info = require("Storage").readJSON("aliyunIoT.json").device;
    ${connectExtra}
    var device = new iot.Device();
    device.on(device.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
    device.on(device.ON_CONNECT, function () { print("connected"); });
    ${on ? 'device.on(device.ON_OTA, function (o) { print("notice " + o.module + " " + o.version + " " + o.productKey + "/" + o.deviceName); ' + on + ' });' : ''}
    device.connect(info);
  `);
  await rig.printed('connected');
}

test('a board not flashed OTA-ready reports nothing by itself; reportVersion reports now and at every reconnect', async () => {
  await device('dev002', '');
  const informs = () => cloud.api.messages({ where: (e) => e.topic === '/ota/device/inform/' + PK + '/dev002' }).map((e) => JSON.parse(e.payload).params);
  expect(informs()).toEqual([]);
  expect(rig.board.run('device.reportVersion("default", "3.1.0") + "," + device.reportVersion("mcu", "0.9")')).toBe('0,0');
  await rig.board.waitFor(() => informs().length >= 2);
  expect(informs()).toEqual([{ version: '3.1.0' }, { version: '0.9', module: 'mcu' }]);
  const sent = cloud.api.messages({ where: (e) => e.topic === '/ota/device/inform/' + PK + '/dev002' }).length;
  cloud.api.dropConnection(PK, 'dev002');
  // after the reconnect both are reported again (fresh messages, not only resends of unacknowledged ones)
  const fresh = () => cloud.api.messages({ where: (e) => e.topic === '/ota/device/inform/' + PK + '/dev002' }).slice(sent).map((e) => JSON.parse(e.payload)).filter((m) => +m.id > 2).map((m) => m.params);
  await rig.board.waitFor(() => fresh().length === 2, 10000);
  expect(fresh()).toEqual([{ version: '3.1.0' }, { version: '0.9', module: 'mcu' }]);
  expect(rig.board.run('device.reportVersion("default", 3) + "," + device.reportVersion("x".repeat(65), "1")')).toBe('-101,-101');
});

test('queryOta asks with thing/ota/firmware/get; accept() downloads and verifies the file, which the app applies and reports', async () => {
  await device('dev002', 'o.accept(function (p) { print("step " + p.step + " code " + p.code + " file " + p.file); });');
  const j = job(PK, 'dev002', { module: 'mcu' });
  await rig.printed('notice mcu ' + j.version + ' ' + PK + '/dev002'); // the push
  await rig.printed('step 100 code 0 file ota.mcu');
  expect(rig.board.storage.read('ota.mcu')).toBe(TEXT);
  expect(j.status).toBe('upgrading');
  rig.board.run(`device.reportVersion("mcu", "${j.version}")`);
  await rig.board.waitFor(() => j.status === 'succeeded');
  // the request form: the pending job of a module comes to ON_OTA again
  const k = job(PK, 'dev002');
  await rig.printed('notice default ' + k.version);
  await rig.printed('step 100 code 0 file ota.default');
  const before = rig.board.output.length;
  expect(rig.board.run('device.queryOta()')).toBe(0);
  await rig.board.waitFor(() => rig.board.output.slice(before).some((l) => l.startsWith('notice default ' + k.version)));
  expect(cloud.api.messages({ where: (e) => e.topic === '/sys/' + PK + '/dev002/thing/ota/firmware/get' })).toHaveLength(1);
});

test('reject(code) reports that step; a bad notice is ON_ERROR -560; otaAuto accepts without a handler', async () => {
  await device('dev002', 'o.reject(-4);');
  const j = job(PK, 'dev002');
  await rig.board.waitFor(() => j.status === 'failed');
  expect(j).toMatchObject({ step: -4, desc: 'rejected by the app' });
  cloud.core.sendDown(PK, 'dev002', '/ota/device/upgrade/' + PK + '/dev002', '{"code":"1000","data":{"size":10,"version":"1","url":"https://x/y","signMethod":"Md5","sign":"00"}}');
  await rig.printed('error -560 ota');
  await rig.close();

  await device('dev002', '', 'info.otaAuto = true;');
  const k = job(PK, 'dev002');
  await rig.board.waitFor(() => k.step === 100);
  expect(rig.board.storage.read('ota.default')).toBe(TEXT);
});

test('a gateway gets its sub-devices\' notices with their productKey and deviceName, and can fetch the package', async () => {
  rig = await boardUp(cloud);
  rig.board.run(`
    var iot = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json");
    var gateway = new iot.Gateway();
    gateway.on(gateway.ON_ERROR, function (e) { print("error " + e.code + " " + e.message); });
    gateway.on(gateway.ON_LOGIN, function (code) { print("login " + code); });
    gateway.on(gateway.ON_TOPOADD, function () { gateway.login([cfg.subdevices[0]]); });
    gateway.on(gateway.ON_CONNECT, function () { gateway.addTopo([cfg.subdevices[0]]); });
    gateway.on(gateway.ON_OTA, function (o) {
      print("notice " + o.module + " " + o.version + " " + o.productKey + "/" + o.deviceName + " ON_OTA=" + gateway.ON_OTA);
      o.file = "sub001.bin";
      o.accept(function (p) { print("sub step " + p.step + " code " + p.code); });
    });
    gateway.connect(cfg.gateway);
  `);
  await rig.printed('login 0');
  const j = job(SUB_PK, 'sub001');
  await rig.printed('notice default ' + j.version + ' ' + SUB_PK + '/sub001 ON_OTA=16');
  await rig.printed('sub step 100 code 0');
  expect(rig.board.storage.read('sub001.bin')).toBe(TEXT);
  expect(j.status).toBe('upgrading');
  expect(cloud.api.ota.jobsOf(GW_PK, 'gw001')).toEqual([]);
});
