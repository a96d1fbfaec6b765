/**
 * A black hole under a live connection (the link passes nothing and is never closed, as when
 * a NAT forgets it): the module notices by its keep-alive (at most 1.5 x keepaliveSec) and
 * reconnects; no post made before, during or after is lost silently. keepaliveSec is the
 * smallest connect() takes (30 s), so this test runs for about 50 s.
 */
import { runScenario } from '../support/fault-scenario';

test('a black hole of 3 s under a live link: the link is dropped by keep-alive, every post delivered or reported', async () => {
  const posts = 100;
  const o = await runScenario({ name: 'black hole', posts, keepaliveSec: 30, incidents: [{ afterDelivered: posts / 2, kind: 'blackHole', holdMs: 3000 }] });
  expect({ lostSilently: o.lostSilently, unanswered: o.unanswered, answeredTwice: o.answeredTwice, falseSuccess: o.falseSuccess, uncaught: o.uncaught }).toEqual({ lostSilently: 0, unanswered: 0, answeredTwice: 0, falseSuccess: 0, uncaught: 0 });
  expect(o.proxy.swallowed).toBeGreaterThan(0);
  expect(o.disconnects).toBe(1);
  expect(o.connects).toBe(2);
}, 120000);
