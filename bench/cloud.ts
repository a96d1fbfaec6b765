/** Emulator scale bench: N raw MQTT devices (mqtt@5) connect at once, then each posts
 *  properties in a closed loop (one outstanding request per device) and waits for the reply.
 *  Prints connections/s, property posts/s and p50/p99 reply latency. Clients and emulator share
 *  this process (and its event loop), so the figures are conservative for the emulator.
 *  A second, fixed-rate mode then has every device post at `rate` posts/s (open loop: posts go
 *  out on a timer whether or not earlier replies arrived) for postsPerDevice/rate seconds, so
 *  latency is measured at a known offered load rather than with N requests always outstanding.
 *  Usage: tsx bench/cloud.ts [devices=1000] [postsPerDevice=20] [ratePerDevice=5] */
import { createHmac } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { start } from '../sim/cloud/index';
import type { RegistryFile } from '../sim/cloud/registry';

const N = Number(process.argv[2] ?? 1000);
const POSTS = Number(process.argv[3] ?? 20);
const RATE = Number(process.argv[4] ?? 5);
/** Fixed-rate ids start here, far from the closed loop's 1..POSTS. */
const FIXED_RATE_FIRST_ID = 1000000;
/** After the last fixed-rate post, replies still count for this long. */
const DRAIN_MS = 2000;
const PK = 'a1BenchPK01';
const SECRET = '0123456789abcdef0123456789abcdef';

function registry(): RegistryFile {
  const devices = [];
  for (let i = 0; i < N; i++) devices.push({ productKey: PK, deviceName: 'd' + i, deviceSecret: SECRET });
  return {
    products: [{ productKey: PK, productSecret: 'x', tsl: { properties: [{ identifier: 'Temp', dataType: { type: 'float' } }, { identifier: 'Count', dataType: { type: 'int' } }] } }],
    devices,
  };
}

function connect(port: number, dn: string): Promise<MqttClient> {
  const prefix = PK + '.' + dn;
  const ts = '2524608000000';
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      clientId: `${prefix}|timestamp=${ts},_ss=1,securemode=3,signmethod=hmacsha256|`,
      username: `${dn}&${PK}`,
      password: createHmac('sha256', SECRET).update(`clientId${prefix}deviceName${dn}productKey${PK}timestamp${ts}`).digest('hex'),
      keepalive: 300, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 60000,
    });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Open loop: every device posts every 1000/RATE ms (first post at a random offset within one
 *  period) for POSTS/RATE seconds; each reply's latency is matched to its post by id. */
async function fixedRate(clients: MqttClient[]): Promise<{ seconds: number; sent: number; latencies: number[] }> {
  const periodMs = 1000 / RATE;
  const seconds = POSTS / RATE;
  const latencies: number[] = [];
  const timers: NodeJS.Timeout[] = [];
  let sent = 0;
  const t0 = performance.now();
  const endAt = t0 + seconds * 1000;
  clients.forEach((c, i) => {
    const topic = `/sys/${PK}/d${i}/thing/event/property/post`;
    const sentAt = new Map<string, number>();
    let nextId = FIXED_RATE_FIRST_ID;
    c.on('message', (_t: string, payload: Buffer) => {
      const id = String(JSON.parse(payload.toString()).id);
      const at = sentAt.get(id);
      if (at === undefined) return;
      sentAt.delete(id);
      latencies.push(performance.now() - at);
    });
    const post = () => {
      if (performance.now() >= endAt) return;
      const id = String(nextId++);
      sent++;
      sentAt.set(id, performance.now());
      c.publish(topic, `{"id":"${id}","version":"1.0","params":{"Temp":21.5,"Count":${nextId}},"sys":{"ack":1}}`);
    };
    timers.push(setTimeout(() => {
      post();
      timers.push(setInterval(post, periodMs));
    }, Math.random() * periodMs));
  });
  await new Promise((r) => setTimeout(r, seconds * 1000 + DRAIN_MS));
  for (const t of timers) clearTimeout(t);
  latencies.sort((a, b) => a - b);
  return { seconds, sent, latencies };
}

async function main(): Promise<void> {
  const cloud = await start({ registry: registry(), logCapacity: 10000 });
  const t0 = performance.now();
  const clients = await Promise.all(Array.from({ length: N }, (_, i) => connect(cloud.mqttPort, 'd' + i)));
  const connectSec = (performance.now() - t0) / 1000;

  const latencies: number[] = [];
  const t1 = performance.now();
  await Promise.all(clients.map((c, i) => new Promise<void>((done) => {
    const topic = `/sys/${PK}/d${i}/thing/event/property/post`;
    let sent = 0;
    let at = 0;
    const post = () => {
      sent++;
      at = performance.now();
      c.publish(topic, `{"id":"${sent}","version":"1.0","params":{"Temp":21.5,"Count":${sent}},"sys":{"ack":1}}`);
    };
    c.on('message', () => {
      latencies.push(performance.now() - at);
      if (sent < POSTS) post();
      else done();
    });
    post();
  })));
  const postSec = (performance.now() - t1) / 1000;
  latencies.sort((a, b) => a - b);

  console.log(`devices            ${N} (all connected at once)`);
  console.log(`connect            ${connectSec.toFixed(2)} s  -> ${(N / connectSec).toFixed(0)} connections/s`);
  console.log(`property posts     ${latencies.length} in ${postSec.toFixed(2)} s -> ${(latencies.length / postSec).toFixed(0)} posts/s`);
  console.log(`reply latency      p50 ${pct(latencies, 50).toFixed(1)} ms   p99 ${pct(latencies, 99).toFixed(1)} ms   max ${latencies[latencies.length - 1].toFixed(1)} ms`);
  console.log(`online per emulator ${cloud.api.devices().filter((d) => d.online).length}`);

  for (const c of clients) c.removeAllListeners('message');
  const fixed = await fixedRate(clients);
  const offered = N * RATE;
  const unanswered = fixed.sent - fixed.latencies.length;
  console.log(`fixed rate         ${RATE} posts/s per device -> ${offered} posts/s offered for ${fixed.seconds.toFixed(1)} s; ${fixed.sent} sent (${(fixed.sent / fixed.seconds).toFixed(0)}/s as the timers fired), ${fixed.latencies.length} replied${unanswered ? `, ${unanswered} without reply ${DRAIN_MS} ms after the last post` : ''}`);
  if (fixed.latencies.length) console.log(`  reply latency    p50 ${pct(fixed.latencies, 50).toFixed(1)} ms   p99 ${pct(fixed.latencies, 99).toFixed(1)} ms   max ${fixed.latencies[fixed.latencies.length - 1].toFixed(1)} ms (at ${offered} posts/s offered)`);
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await cloud.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
