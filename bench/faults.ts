/**
 * Posts through a bad network, at sizes beyond what CI runs (test/faults runs 100-300 posts per
 * fault): the built module in SimBoard posts QoS 1 property reports through the fault proxy
 * (test/support/fault-proxy.ts) to the emulator, and every post is accounted for.
 *
 *   npm run build && npx tsx bench/faults.ts [posts] [fault,fault,...]
 *
 * posts defaults to 2,000; faults to all of: chunks, delay, cut, cutbytes, restart, blackhole,
 * combined. Prints per fault: posts tried / delivered / duplicated / reported failed / lost
 * silently, and reconnects and seconds for context. Never fails on a figure.
 */
import { runScenario, type Outcome, type Scenario } from '../test/support/fault-scenario';

const POSTS = Number(process.argv[2]) || 2000;
const ONLY = process.argv[3] ? process.argv[3].split(',') : undefined;

const third = Math.floor(POSTS / 3);
const twoRestarts = [
  { afterDelivered: third, kind: 'restart' as const },
  { afterDelivered: 2 * third, kind: 'restart' as const },
];

const SCENARIOS: Record<string, Scenario> = {
  chunks: { name: '1-byte chunks', posts: POSTS, faults: { chunkBytes: 1 } },
  delay: { name: '20 ms latency each way', posts: POSTS, faults: { delayMs: 20 } },
  cut: { name: 'cut every 2 s', posts: POSTS, paceMs: 5, faults: { cutEveryMs: 2000 } },
  // 16 outstanding: after a reconnect up to 16 posts wait to be re-sent, more than 2,000 bytes.
  cutbytes: { name: 'cut after 2,000 bytes (16 out)', posts: POSTS, window: 16, faults: { cutAfterBytes: 2000 } },
  restart: { name: 'emulator restarted twice', posts: POSTS, incidents: twoRestarts },
  blackhole: { name: 'black hole 3 s (keepalive 30 s)', posts: POSTS, keepaliveSec: 30, incidents: [{ afterDelivered: Math.floor(POSTS / 2), kind: 'blackHole', holdMs: 3000 }] },
  combined: { name: 'all at once*', posts: POSTS, faults: { chunkBytes: 1, delayMs: 20, cutEveryMs: 2000 }, incidents: twoRestarts },
};

function row(cells: (string | number)[]): string {
  const widths = [32, 6, 10, 11, 16, 14, 11, 8];
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('');
}

async function main(): Promise<void> {
  console.log(`QoS 1 property posts through the fault proxy, ${POSTS} per fault (8 outstanding unless said)`);
  console.log(row(['fault', 'tried', 'delivered', 'duplicated', 'reported failed', 'lost silently', 'reconnects', 'seconds']));
  const outcomes: Outcome[] = [];
  for (const [key, s] of Object.entries(SCENARIOS)) {
    if (ONLY && !ONLY.includes(key)) continue;
    const o = await runScenario(s);
    outcomes.push(o);
    console.log(row([o.name, o.tried, o.delivered, o.duplicated, o.reportedFailed, o.lostSilently, Math.max(0, o.connects - 1), (o.ms / 1000).toFixed(1)]));
    if (o.unanswered || o.answeredTwice || o.uncaught) console.log(`  ${o.name}: ${o.unanswered} never answered, ${o.answeredTwice} answered twice, ${o.uncaught} uncaught on the board`);
  }
  if (!ONLY || ONLY.includes('combined')) console.log('* 1-byte chunks, 20 ms latency, a cut every 2 s and two emulator restarts together');
  const lost = outcomes.reduce((n, o) => n + o.lostSilently, 0);
  console.log(`lost silently in all: ${lost}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
