/**
 * The module updates itself the way the app is updated: the new aliyunIoT goes beside the
 * running one, the boot selector loads it on trial, and the app, unchanged, keeps working with
 * it. A module that does not load is rolled back at once, one that does not connect at its
 * deadline.
 */
import * as fs from 'fs';
import { BUNDLE, cloudUp } from '../e2e/support';
import type { RunningCloud } from '../../sim/cloud';
import { isRefusal } from '../../sim/cloud/ota-store';
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
  await board?.close();
});

function moduleRelease(version: string, text: string) {
  const pkg = cloud.api.addOtaPackage({ productKey: PK, module: 'aliyunIoT', version, bytes: Buffer.from(text, 'latin1'), signMethod: 'SHA256' });
  if (isRefusal(pkg)) throw new Error(pkg.error);
  const job = cloud.api.startOta(PK, DN, pkg.id);
  if (isRefusal(job)) throw new Error(job.error);
  return job;
}

async function boardAt1(): Promise<void> {
  board = OtaBoard.flash(cloud, appSource('1.0.0'), '1.0.0');
  await board.printed('app 1.0.0 connected');
  await until(() => cloud.api.ota.versionOf(PK, DN, 'aliyunIoT') === MODULE_VERSION, 'module version reported');
}

test('the module is updated over the air (sha256-signed) and the app keeps working with it', async () => {
  await boardAt1();
  const text = fs.readFileSync(BUNDLE, 'latin1') + '\nprint("module 0.2.0 loaded");\n';
  const job = moduleRelease('0.2.0', text);
  await board.printed('app 1.0.0 notice aliyunIoT 0.2.0 ' + text.length);
  const at = await board.printed('module 0.2.0 loaded');
  await board.printed('app 1.0.0 connected', at);
  await until(() => job.status === 'succeeded', 'job succeeded');
  expect(board.file('aliyunIoT.b')).toBe(text);
  expect(board.state().m).toEqual({
    default: { f: 'app.a', o: 'app.b', v: '1.0.0' },
    aliyunIoT: { f: 'aliyunIoT.b', o: 'aliyunIoT', v: '0.2.0' },
  });
  expect(cloud.api.ota.versionsOf(PK, DN)).toEqual({ default: '1.0.0', aliyunIoT: '0.2.0' });
  // and it stays after a power cut
  await board.powerCycle();
  const again = await board.printed('module 0.2.0 loaded', board.lines.indexOf('--- boot 3'));
  await board.printed('app 1.0.0 connected', again);
  expect(board.uncaught).toEqual([]);
});

test('a module that throws when loaded is rolled back at once: the app runs on the previous one and reports it', async () => {
  await boardAt1();
  const job = moduleRelease('0.3.0', 'throw new Error("broken module");\n');
  const at = await board.printed('--- boot 2');
  await board.printed('app 1.0.0 connected', at);
  await board.printed('app 1.0.0 error -565 ota', at);
  await until(() => job.status === 'failed', 'job failed');
  expect(job.step).toBe(-1);
  expect(board.state().m.aliyunIoT).toEqual({ f: 'aliyunIoT', o: 'aliyunIoT.b', v: MODULE_VERSION });
  expect(cloud.api.ota.versionOf(PK, DN, 'aliyunIoT')).toBe(MODULE_VERSION);
});
