/**
 * Real brokers on loopback for the MQTT conformance suite: aedes in-process, and Debian's
 * mosquitto as a child process. Both can be restarted on the same port (the broker-restart
 * scenario); neither keeps state across a restart.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface TestBroker {
  name: string;
  port: number;
  /** Stops the broker and starts a fresh one on the same port. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export const MOSQUITTO = '/usr/sbin/mosquitto';

export function mosquittoInstalled(): boolean {
  try {
    fs.accessSync(MOSQUITTO, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** aedes, with an optional authenticate hook. */
export async function aedesBroker(opts: { authenticate?: (client: any, username: any, password: any, done: (err: any, ok: boolean | null) => void) => void } = {}): Promise<TestBroker & { aedes: () => any }> {
  // aedes 1.x is ESM; jest transforms it (jest.config.js).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Aedes } = require('aedes');
  const port = await freePort();
  let broker: any = null;
  let server: net.Server | null = null;
  const sockets = new Set<net.Socket>();
  const start = async () => {
    broker = await Aedes.createBroker(opts.authenticate ? { authenticate: opts.authenticate } : {});
    server = net.createServer(broker.handle);
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', () => r()));
  };
  const stop = async () => {
    if (!server) return;
    const s = server;
    server = null;
    for (const c of sockets) c.destroy();
    await new Promise<void>((r) => s.close(() => r()));
    await new Promise<void>((r) => broker.close(() => r()));
  };
  await start();
  return {
    name: 'aedes',
    port,
    aedes: () => broker,
    start,
    stop,
    restart: async (downMs = 0) => {
      await stop();
      await sleep(downMs);
      await start();
    },
    close: stop,
  };
}

/** mosquitto on a random loopback port, no persistence; anonymous clients allowed unless `refuseAll`
 *  (then, having no password file, it refuses every CONNECT with return code 5). */
export async function mosquittoBroker(opts: { refuseAll?: boolean } = {}): Promise<TestBroker> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosq-'));
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous ${opts.refuseAll ? 'false' : 'true'}\npersistence false\n`);
  let child: ChildProcess | null = null;
  let log = '';
  const start = async () => {
    child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    // Ready when the port accepts a connection.
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited: ${log}`);
      const ok = await new Promise<boolean>((r) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          r(true);
        });
        s.on('error', () => r(false));
      });
      if (ok) return;
      await sleep(50);
    }
    throw new Error(`mosquitto did not listen on ${port}: ${log}`);
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    name: 'mosquitto',
    port,
    start,
    stop,
    restart: async (downMs = 0) => {
      await stop();
      await sleep(downMs);
      await start();
    },
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
