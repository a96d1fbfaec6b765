/**
 * Zero posts lost silently through a bad network (test/support/fault-proxy.ts): the built
 * module in SimBoard posts QoS 1 property reports through a proxy that chunks, delays and cuts
 * the link or swallows it whole, and the emulator restarts under it. Every post must be either
 * delivered (the emulator saw it) or reported failed to the app, its callback called exactly
 * once, and nothing may throw into the board. Sizes fit CI; `npm run bench:faults` runs
 * larger ones and prints the figures.
 */
import { runScenario, type Outcome } from '../support/fault-scenario';

const POSTS = 300;

function expectNoSilentLoss(o: Outcome): void {
  const accounted = { lostSilently: o.lostSilently, unanswered: o.unanswered, answeredTwice: o.answeredTwice, falseSuccess: o.falseSuccess, uncaught: o.uncaught };
  expect({ name: o.name, ...accounted }).toEqual({ name: o.name, lostSilently: 0, unanswered: 0, answeredTwice: 0, falseSuccess: 0, uncaught: 0 });
  expect(o.delivered + o.reportedFailed).toBeGreaterThanOrEqual(o.tried);
}

test('1-byte chunks both ways: every post delivered or reported', async () => {
  const o = await runScenario({ name: '1-byte chunks', posts: POSTS, faults: { chunkBytes: 1 } });
  expectNoSilentLoss(o);
  expect(o.delivered).toBe(POSTS);
}, 120000);

test('20 ms latency each way: every post delivered or reported', async () => {
  const o = await runScenario({ name: '20 ms delay', posts: POSTS, faults: { delayMs: 20 } });
  expectNoSilentLoss(o);
  expect(o.delivered).toBe(POSTS);
}, 120000);

test('the link cut every 700 ms: every post delivered or reported, duplicates counted', async () => {
  // Paced at one post per 10 ms, the run lasts at least 3 s: at least four cuts.
  const o = await runScenario({ name: 'cut every 700 ms', posts: POSTS, paceMs: 10, faults: { cutEveryMs: 700 } });
  expectNoSilentLoss(o);
  expect(o.proxy.cuts).toBeGreaterThanOrEqual(2);
  expect(o.connects).toBeGreaterThanOrEqual(3);
}, 120000);

test('the emulator restarts twice under the device: every post delivered or reported', async () => {
  const o = await runScenario({
    name: 'emulator restarted twice',
    posts: POSTS,
    incidents: [
      { afterDelivered: POSTS / 3, kind: 'restart' },
      { afterDelivered: (2 * POSTS) / 3, kind: 'restart' },
    ],
  });
  expectNoSilentLoss(o);
  expect(o.connects).toBe(3);
}, 120000);
