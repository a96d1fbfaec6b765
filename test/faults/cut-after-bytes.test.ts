/**
 * A link that dies after a few KB, every time (#11 item 4): each connection is cut once the
 * board has sent 2,000 bytes. With 16 posts outstanding, what waits to be re-sent after a
 * reconnect is more than 2,000 bytes; re-sent all at once, no acknowledgement would ever come
 * back. The module re-sends with a window that starts small and grows with acknowledgements,
 * so every connection makes progress, and every post is delivered or reported.
 */
import { runScenario } from '../support/fault-scenario';

test('each connection cut after 2,000 bytes, 16 posts outstanding: progress on every link, every post delivered or reported', async () => {
  const posts = 200;
  const o = await runScenario({ name: 'cut after 2,000 bytes', posts, window: 16, faults: { cutAfterBytes: 2000 } });
  expect({ lostSilently: o.lostSilently, unanswered: o.unanswered, answeredTwice: o.answeredTwice, falseSuccess: o.falseSuccess, uncaught: o.uncaught }).toEqual({ lostSilently: 0, unanswered: 0, answeredTwice: 0, falseSuccess: 0, uncaught: 0 });
  expect(o.delivered).toBe(posts);
  expect(o.proxy.cuts).toBeGreaterThanOrEqual(5);
}, 120000);
