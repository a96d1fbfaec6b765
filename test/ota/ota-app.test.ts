/**
 * Over-the-air update of the app, end to end: the built module on a SimBoard flashed OTA-ready,
 * against the emulator's OTA service.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cloudUp, ROOT } from '../e2e/support';
import type { RunningCloud } from '../../sim/cloud';
import { isRefusal, type OtaJob } from '../../sim/cloud/ota-store';
import { appSource, DN, MODULE_VERSION, OtaBoard, PK, until } from './support';

let cloud: RunningCloud;
let board: OtaBoard;

beforeAll(async () => {
  cloud = await cloudUp();
});
afterAll(async () => {
  await cloud.stop();
});
afterEach(async () => {
  cloud.api.ota.cutDownloadsAfter = undefined;
  cloud.api.ota.announcedDigest = undefined;
  await board?.close();
});

function upload(version: string, text: string, extra: { module?: string; signMethod?: string } = {}) {
  const pkg = cloud.api.addOtaPackage({ productKey: PK, version, bytes: Buffer.from(text, 'utf8'), ...extra });
  if (isRefusal(pkg)) throw new Error(pkg.error);
  return pkg;
}

function start(packageId: string): OtaJob {
  const job = cloud.api.startOta(PK, DN, packageId);
  if (isRefusal(job)) throw new Error(job.error);
  return job;
}

/** Steps the device reported for a job, in order. */
function stepsOf(job: OtaJob): number[] {
  return cloud.api
    .messages({ productKey: PK, deviceName: DN, where: (e) => e.topic === '/ota/device/progress/' + PK + '/' + DN && e.verdict === 'ok' })
    .map((e) => Number(JSON.parse(e.payload).params.step))
    .filter(() => job.module === 'default');
}

test('a board flashed OTA-ready reports the versions of its app and of the module when it connects', async () => {
  board = OtaBoard.flash(cloud, appSource('1.0.0'), '1.0.0');
  await board.printed('app 1.0.0 connected');
  await until(() => cloud.api.ota.versionOf(PK, DN, 'aliyunIoT') === MODULE_VERSION, 'module version reported');
  expect(cloud.api.ota.versionsOf(PK, DN)).toEqual({ default: '1.0.0', aliyunIoT: MODULE_VERSION });
  // the default module is reported without a module field, as the platform documents it
  const informs = cloud.api.messages({ where: (e) => e.topic === '/ota/device/inform/' + PK + '/' + DN }).map((e) => JSON.parse(e.payload).params);
  expect(informs).toEqual([{ version: '1.0.0' }, { version: MODULE_VERSION, module: 'aliyunIoT' }]);
});

test('app 1.0.0 is updated to 2.0.0 from the console: downloaded beside it, verified, switched, confirmed', async () => {
  cloud.api.clearMessages();
  board = OtaBoard.flash(cloud, appSource('1.0.0'), '1.0.0');
  await board.printed('app 1.0.0 connected');
  const v2 = appSource('2.0.0', { pad: 20000 });
  const job = start(upload('2.0.0', v2).id);
  await board.printed('app 1.0.0 notice default 2.0.0 ' + v2.length);
  await board.printed('app 2.0.0 connected');
  await until(() => job.status === 'succeeded', 'job succeeded');
  expect(board.boots).toBe(2);
  // the new app runs from the file beside the old one, which stays as it was
  expect(board.file('app.b')).toBe(v2);
  expect(board.file('app.a')).toBe(appSource('1.0.0'));
  const st = board.state();
  expect(st.m.default).toEqual({ f: 'app.b', o: 'app.a', v: '2.0.0' });
  expect(st.fail).toBeUndefined();
  // progress: 1, every 10 %, then 100; the platform then hears the new version
  const steps = stepsOf(job);
  expect(steps[0]).toBe(1);
  expect(steps[steps.length - 1]).toBe(100);
  expect(steps.filter((s) => s > 1 && s < 100)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  expect(cloud.api.ota.versionOf(PK, DN, 'default')).toBe('2.0.0');
  // the app heard every step through accept()'s callback
  await board.printed('app 1.0.0 ota default 2.0.0 step 100 code 0');
  expect(board.uncaught).toEqual([]);
});

test('examples/device/ota.js takes an update of itself', async () => {
  const example = fs.readFileSync(path.join(ROOT, 'examples/device/ota.js'), 'utf8');
  board = OtaBoard.flash(cloud, example, '1.0.0');
  await board.printed('物联网平台连接成功');
  const next = example + 'print("this is 1.1.0");\n';
  const job = start(upload('1.1.0', next).id);
  await board.printed('update offered: default 1.1.0, ' + Buffer.byteLength(next) + ' bytes');
  await board.printed('update default 1.1.0: step 100');
  const at = await board.printed('this is 1.1.0');
  await board.printed('物联网平台连接成功', at);
  await until(() => job.status === 'succeeded', 'job succeeded');
});
