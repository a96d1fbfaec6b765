/**
 * The MQTT conformance scenarios, written once and run for each (client runner x broker):
 * the runner decides how the session runs (TypeScript source in Node, or the compiled bundle
 * inside SimBoard), the broker is aedes or mosquitto on loopback.
 */
import { Err } from '../../../src/errors';
import { TestBroker, aedesBroker, mosquittoBroker, mosquittoInstalled } from './brokers';

export interface ClientOptions {
  port: number;
  clientId: string;
  keepaliveSec?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

export type ClientEvent = ['connect', boolean] | ['disconnect', number] | ['error', number];

/** A device-side session as the scenarios see it; every call crosses into the runner. */
export interface Client {
  publish(topic: string, payload: string, qos: 0 | 1): Promise<number>;
  subscribe(topic: string, qos: 0 | 1): Promise<number>;
  /** Messages received so far (topic and payload as byte strings). */
  received(): Promise<{ topic: string; payload: string; qos: number }[]>;
  events(): Promise<ClientEvent[]>;
  isConnected(): Promise<boolean>;
  end(): Promise<void>;
}

export type MakeClient = (o: ClientOptions) => Promise<Client>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v).substring(0, 300)}`);
    await sleep(10);
  }
}

const connects = (ev: ClientEvent[]) => ev.filter((e) => e[0] === 'connect').length;

let seq = 0;
const uid = () => `${process.pid}-${Date.now() % 100000}-${++seq}`;

export function conformance(makeBroker: () => Promise<TestBroker>, makeClient: MakeClient, only?: { refusal?: (port: number) => Promise<TestBroker> }): void {
  let broker: TestBroker;
  const clients: Client[] = [];
  const client = async (o: Partial<ClientOptions> = {}) => {
    const c = await makeClient({ port: broker.port, clientId: `dev-${uid()}`, keepaliveSec: 30, backoffMinMs: 100, backoffMaxMs: 400, ...o });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    broker = await makeBroker();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end();
  });
  afterAll(async () => {
    await broker.close();
  });

  it('QoS 1 round trips: every publish is acknowledged and comes back on the subscription, in order', async () => {
    const c = await client();
    await waitFor('CONNACK', () => c.isConnected(), (v) => v);
    const topic = `rt/${uid()}`;
    expect(await c.subscribe(topic, 1)).toBe(0);
    const codes = await Promise.all(Array.from({ length: 40 }, (_, i) => c.publish(topic, `m${i}`, 1)));
    expect(codes).toEqual(Array(40).fill(0));
    const got = await waitFor('40 messages', () => c.received(), (r) => r.length >= 40);
    expect(got.map((m) => m.payload)).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
    expect(got.every((m) => m.topic === topic && m.qos === 1)).toBe(true);
  });

  it('UTF-8 topic and binary payload (all 256 byte values) arrive byte for byte', async () => {
    const c = await client();
    await waitFor('CONNACK', () => c.isConnected(), (v) => v);
    const topic = Buffer.from(`温度/${uid()}`, 'utf8').toString('latin1');
    let payload = '';
    for (let i = 0; i < 256; i++) payload += String.fromCharCode(i);
    expect(await c.subscribe(topic, 1)).toBe(0);
    expect(await c.publish(topic, payload, 1)).toBe(0);
    const [m] = await waitFor('the message', () => c.received(), (r) => r.length >= 1);
    expect(m.topic).toBe(topic);
    expect(m.payload === payload).toBe(true);
  });

  it('keepalive: an idle connection outlives 1.5 x keepalive because the client pings', async () => {
    const c = await client({ keepaliveSec: 1 });
    await waitFor('CONNACK', () => c.isConnected(), (v) => v);
    await sleep(3500);
    expect(await c.isConnected()).toBe(true);
    expect(await c.events()).toEqual([['connect', false]]);
  });

  it('broker restart mid-stream: nothing is lost (queued while offline, sent after reconnect)', async () => {
    const c = await client();
    await waitFor('CONNACK', () => c.isConnected(), (v) => v);
    const topic = `restart/${uid()}`;
    expect(await c.subscribe(topic, 1)).toBe(0);
    for (let i = 0; i < 10; i++) expect(await c.publish(topic, `m${i}`, 1)).toBe(0);
    await waitFor('the first 10 echoes', () => c.received(), (r) => r.length >= 10);
    await broker.stop();
    await waitFor('the disconnect', () => c.isConnected(), (v) => !v);
    // Published while the broker is down: accepted (0) and queued; callbacks wait.
    const pending = Array.from({ length: 10 }, (_, i) => c.publish(topic, `m${10 + i}`, 1));
    await sleep(300);
    await broker.start();
    expect(await Promise.all(pending)).toEqual(Array(10).fill(0));
    for (let i = 20; i < 25; i++) expect(await c.publish(topic, `m${i}`, 1)).toBe(0);
    const got = await waitFor('all 25 messages', () => c.received(), (r) => new Set(r.map((m) => m.payload)).size >= 25);
    expect([...new Set(got.map((m) => m.payload))].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`).sort());
    const ev = await c.events();
    expect(connects(ev)).toBe(2);
    expect(ev.filter((e) => e[0] === 'disconnect').length).toBe(1);
  });

  it('a 256 KB payload goes out and comes back intact', async () => {
    const c = await client();
    await waitFor('CONNACK', () => c.isConnected(), (v) => v);
    const topic = `big/${uid()}`;
    let payload = '';
    for (let i = 0; i < 256 * 1024; i++) payload += String.fromCharCode((i * 7 + (i >> 8)) & 255);
    expect(await c.subscribe(topic, 1)).toBe(0);
    expect(await c.publish(topic, payload, 1)).toBe(0);
    const [m] = await waitFor('the 256 KB message', () => c.received(), (r) => r.length >= 1, 30000);
    expect(m.payload.length).toBe(payload.length);
    expect(m.payload === payload).toBe(true);
  });

  if (only && only.refusal) {
    it('a refused CONNECT (return code 5) is reported as -305 and never as connected', async () => {
      const refusing = await only.refusal!(0);
      try {
        const c = await makeClient({ port: refusing.port, clientId: `dev-${uid()}`, keepaliveSec: 30, backoffMinMs: 100, backoffMaxMs: 200 });
        clients.push(c);
        const ev = await waitFor('two refusals', () => c.events(), (e) => e.filter((x) => x[0] === 'error').length >= 2);
        expect(ev.slice(0, 2)).toEqual([['error', Err.ConnackRefused - 5], ['error', Err.ConnackRefused - 5]]);
        expect(connects(ev)).toBe(0);
        expect(await c.isConnected()).toBe(false);
      } finally {
        for (const c of clients.splice(0)) await c.end();
        await refusing.close();
      }
    });
  }
}

/**
 * Runs the scenarios for `makeClient` against aedes (refusing with return code 5 through its
 * authenticate hook) and, when the binary is installed, against Debian's mosquitto.
 */
export function conformanceAgainstBrokers(label: string, makeClient: MakeClient): void {
  describe(`${label} against aedes`, () => {
    conformance(() => aedesBroker(), makeClient, {
      refusal: () =>
        aedesBroker({
          authenticate: (_c, _u, _p, done) => {
            const err: any = new Error('not authorized');
            err.returnCode = 5;
            done(err, null);
          },
        }),
    });
  });
  if (mosquittoInstalled()) {
    describe(`${label} against mosquitto`, () => {
      conformance(() => mosquittoBroker(), makeClient, { refusal: () => mosquittoBroker({ refuseAll: true }) });
    });
  } else {
    // CI installs mosquitto (.ci/run): there a missing broker is a failure, never a skipped suite.
    if (process.env.CI) throw new Error('mosquitto is not installed: .ci/run installs it (apt-get install -y mosquitto)');
    // eslint-disable-next-line no-console
    console.log('mosquitto not installed: suite skipped');
    describe.skip(`${label} against mosquitto (mosquitto not installed: suite skipped)`, () => {
      it('needs /usr/sbin/mosquitto', () => undefined);
    });
  }
}
