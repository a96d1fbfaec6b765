/** The message log never serves any part of a secret, even when a reply carrying secrets is
 *  longer than the log keeps (2,048 characters) and the cut falls inside a secret: the log
 *  masks the whole text first and cuts after. */
import http from 'node:http';
import type { MqttClient } from 'mqtt';
import { start, type RunningCloud } from '../../sim/cloud/index';
import type { LogEntry } from '../../sim/cloud/log';
import { end, login, nextMessage } from '../cloud/helpers';
import { request } from './http';

const GW_PK = 'a1LogGwPK01';
const SUB_PK = 'a1LogSubPK1';
const GW_SECRET = '00112233445566778899aabbccddeeff';
/** Where the log cuts a payload. */
const CUT = 2048;

let cloud: RunningCloud;
let gw: MqttClient;
const streamed: string[] = [];
let stream: http.ClientRequest;

beforeAll(async () => {
  cloud = await start({
    registry: {
      products: [
        { productKey: GW_PK, productSecret: 'logGwProductSec1', nodeType: 'gateway' },
        { productKey: SUB_PK, productSecret: 'logSubProductSe1', nodeType: 'subdevice', dynamicRegistration: true },
      ],
      devices: [{ productKey: GW_PK, deviceName: 'gw001', deviceSecret: GW_SECRET }],
    },
  });
  gw = await login(cloud, { pk: GW_PK, dn: 'gw001', secret: GW_SECRET, extra: '_ss=1' });
  await new Promise<void>((resolve, reject) => {
    stream = http.get(cloud.consoleUrl + 'api/stream', (res) => {
      res.setEncoding('utf8');
      res.on('data', (t: string) => streamed.push(t));
      resolve();
    });
    stream.on('error', reject);
  });
});

afterAll(async () => {
  stream?.destroy();
  await end(gw);
  await cloud?.stop();
});

let nextId = 700;

/** thing/sub/register for `names`; resolves with the reply exactly as the gateway got it. */
async function registerSubs(names: string[]): Promise<string> {
  const topic = `/sys/${GW_PK}/gw001/thing/sub/register`;
  const id = String(++nextId);
  const reply = nextMessage(gw, (t) => t === topic + '_reply');
  await gw.publishAsync(topic, JSON.stringify({ id, version: '1.0', method: 'thing.sub.register', params: names.map((deviceName) => ({ productKey: SUB_PK, deviceName })) }));
  return (await reply).payload.toString('utf8');
}

/** Where each deviceSecret's value starts and ends in a reply's text. */
function secretSpans(text: string): { start: number; end: number; secret: string }[] {
  const out: { start: number; end: number; secret: string }[] = [];
  for (const m of text.matchAll(/"deviceSecret":"([^"]*)"/g)) {
    const start = m.index! + '"deviceSecret":"'.length;
    out.push({ start, end: start + m[1].length, secret: m[1] });
  }
  return out;
}

/** 30 sub-device names (the most one request takes), the first padded by `pad` characters. */
const names = (prefix: string, pad: number) => Array.from({ length: 30 }, (_, i) => prefix + String(i).padStart(2, '0') + (i === 0 ? 'p'.repeat(pad) : ''));

test('a thing/sub/register reply longer than the log keeps, cut inside a secret, serves nothing of any secret', async () => {
  // A first reply shows the layout; the second pads the first name so that the cut falls in
  // the middle of a secret (same layout, same secret length, new devices).
  const probe = await registerSubs(names('a', 0));
  expect(probe.length).toBeGreaterThan(CUT);
  const before = secretSpans(probe).filter((s) => s.start + 16 <= CUT).pop()!;
  const pad = CUT - (before.start + 16);
  const text = await registerSubs(names('b', pad));
  const spans = secretSpans(text);
  expect(spans).toHaveLength(30);
  const straddling = spans.find((s) => s.start < CUT && s.end > CUT);
  expect(straddling && CUT - straddling.start).toBe(16);

  const secrets = [...secretSpans(probe), ...spans].map((s) => s.secret);
  const served = [
    JSON.stringify(cloud.api.messages()),
    (await request(cloud.consoleUrl + 'api/messages')).text,
  ];
  await waitFor(() => streamed.join('').includes('sub/register_reply'));
  served.push(streamed.join(''));
  const logged = cloud.api.messages({ where: (e: LogEntry) => e.topic.endsWith('sub/register_reply') });
  expect(logged).toHaveLength(2);
  expect(logged[1].payload.length).toBeLessThanOrEqual(CUT + 1);
  for (const text of served) {
    // Every deviceSecret value in what is served is the mask, whether JSON-escaped or not.
    expect(text).not.toMatch(/deviceSecret\\*":\\*"(?!\*\*\*)/);
    for (const secret of secrets) expect(text).not.toContain(secret.slice(0, 8));
  }
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}
