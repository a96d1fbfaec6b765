/**
 * What keeps an OTA update safe, end to end: a package that fails verification is refused and
 * the old app keeps running; a new app that never connects is rolled back by the board itself;
 * a power cut at any stage leaves a board that boots a verified app; a cut download resumes.
 */
import { cloudUp } from '../e2e/support';
import type { RunningCloud } from '../../sim/cloud';
import { isRefusal, type OtaJob } from '../../sim/cloud/ota-store';
import { appSource, DN, OtaBoard, PK, until } from './support';

let cloud: RunningCloud;
let board: OtaBoard;
let version = 0;

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

/** A package of a new app version (a fresh version number per test: the product keeps them all). */
function release(opts: { connect?: boolean; pad?: number } = {}): { version: string; text: string; job: () => OtaJob } {
  const v = '2.0.' + ++version;
  const text = appSource(v, { pad: 20000, ...opts });
  const pkg = cloud.api.addOtaPackage({ productKey: PK, version: v, bytes: Buffer.from(text, 'latin1') });
  if (isRefusal(pkg)) throw new Error(pkg.error);
  let job: OtaJob | undefined;
  return {
    version: v,
    text,
    job: () => {
      if (job) return job;
      const j = cloud.api.startOta(PK, DN, pkg.id);
      if (isRefusal(j)) throw new Error(j.error);
      return (job = j);
    },
  };
}

async function boardAt1(): Promise<void> {
  board = OtaBoard.flash(cloud, appSource('1.0.0'), '1.0.0');
  await board.printed('app 1.0.0 connected');
  await until(() => cloud.api.ota.versionOf(PK, DN, 'default') === '1.0.0', 'version reported');
}

test('a package whose md5 differs from the notice is refused with step -3; the app keeps running', async () => {
  await boardAt1();
  const r = release();
  cloud.api.ota.announcedDigest = '0123456789abcdef0123456789abcdef';
  const job = r.job();
  await board.printed('app 1.0.0 error -562 ota');
  await until(() => job.status === 'failed', 'job failed');
  expect(job.step).toBe(-3);
  // nothing changed on the board: same boot, same app, the refused bytes erased
  expect(board.boots).toBe(1);
  expect(board.file('app.b')).toBeUndefined();
  expect(board.state().m.default).toEqual({ f: 'app.a', o: 'app.b', v: '1.0.0' });
  expect(cloud.api.isOnline(PK, DN)).toBe(true);
  expect(board.uncaught).toEqual([]);
});

test('a new app that never connects is rolled back by the board after its deadline, and the failure is reported', async () => {
  await boardAt1();
  const r = release({ connect: false });
  const job = r.job();
  await board.printed('app ' + r.version + ' started, never connects');
  // the deadline (4 s here) restarts the board, the selector goes back to 1.0.0
  const back = await board.printed('app 1.0.0 connected', board.lines.indexOf('--- boot 2'));
  expect(back).toBeGreaterThan(board.lines.indexOf('--- boot 3'));
  await board.printed('app 1.0.0 error -565 ota');
  await until(() => job.status === 'failed', 'job failed');
  expect(job.step).toBe(-1);
  const st = board.state();
  expect(st.m.default).toEqual({ f: 'app.a', o: 'app.b', v: '1.0.0' });
  expect(st.fail).toBeUndefined();
  expect(cloud.api.ota.versionOf(PK, DN, 'default')).toBe('1.0.0');
});

test('a download cut by the link resumes where it stopped (HTTP Range), without starting over', async () => {
  await boardAt1();
  const r = release();
  cloud.api.ota.cutDownloadsAfter = 7000;
  const job = r.job();
  await board.printed('app ' + r.version + ' connected', 0, 30000);
  await until(() => job.status === 'succeeded', 'job succeeded');
  const gets = cloud.api.messages({ where: (e) => e.topic.startsWith('https:/ota/' + job.token) }).map((e) => e.payload);
  // one request from 0, then ranges from the blocks already in Storage
  expect(gets[0]).toBe('GET bytes=0- -> 206');
  expect(gets.length).toBeGreaterThanOrEqual(3);
  expect(gets.slice(1).every((g) => /^GET bytes=[1-9]\d*- -> 206$/.test(g))).toBe(true);
  // what was fetched twice is at most one block per cut
  expect(job.bytesServed).toBeLessThan(r.text.length + gets.length * 1024);
  expect(board.file('app.b')).toBe(r.text);
});

describe('a power cut at each stage leaves a board that boots a verified app', () => {
  test('during the download: the old app boots, and the update starts again', async () => {
    await boardAt1();
    const r = release();
    cloud.api.ota.cutDownloadsAfter = 5000;
    const job = r.job();
    await until(() => job.bytesServed >= 5000 && board.file('app.b') !== undefined, 'part of the package stored');
    await board.powerCycle();
    cloud.api.ota.cutDownloadsAfter = undefined;
    const at = board.lines.indexOf('--- boot 2');
    await board.printed('app 1.0.0 connected', at);
    // the platform pushes the running job again at the version report; this time it completes
    await board.printed('app ' + r.version + ' connected', at);
    await until(() => job.status === 'succeeded', 'job succeeded');
  });

  test('staged but not yet restarted: the next power-on runs the new app on trial and it is confirmed', async () => {
    await boardAt1();
    const r = release();
    board.holdOnLoad = true;
    const job = r.job();
    await until(() => board.held, 'restart asked');
    const st = board.state();
    expect(st.m.default.t).toBe('app.b');
    expect(st.m.default.k).toBeUndefined();
    board.holdOnLoad = false;
    board.start();
    await board.printed('app ' + r.version + ' connected');
    await until(() => job.status === 'succeeded', 'job succeeded');
    expect(board.state().m.default).toEqual({ f: 'app.b', o: 'app.a', v: r.version });
  });

  test('during the trial, before the new app connected: the board goes back to the old app and reports it', async () => {
    await boardAt1();
    const r = release();
    board.holdOnLoad = true;
    const job = r.job();
    await until(() => board.held, 'restart asked');
    board.holdOnLoad = false;
    board.start();
    // the selector marked the trial before starting it; the power goes before it connects
    expect(board.state().m.default.k).toBe(1);
    await board.powerCycle();
    await board.printed('app 1.0.0 connected', board.lines.indexOf('--- boot 3'));
    await board.printed('app 1.0.0 error -565 ota');
    await until(() => job.status === 'failed', 'job failed');
    expect(board.state().m.default).toEqual({ f: 'app.a', o: 'app.b', v: '1.0.0' });
  });

  test('after the new app was confirmed: it keeps running', async () => {
    await boardAt1();
    const r = release();
    const job = r.job();
    await until(() => job.status === 'succeeded', 'job succeeded');
    await board.powerCycle();
    await board.printed('app ' + r.version + ' connected', board.lines.indexOf('--- boot 3'));
    expect(board.state().m.default.f).toBe('app.b');
  });
});
