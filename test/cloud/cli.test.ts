/**
 * `npm run cloud` tells a user with a board on the LAN what to put in the secrets file: bound to
 * every interface, the machine's addresses and the two ports (plain and TLS); bound to loopback
 * only, how to open it to the LAN.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/** Starts the CLI on free ports, returns what it printed up to "Ctrl-C to stop.", then stops it. */
function startupText(env: Record<string, string>): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-cli-'));
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'sim/cloud/cli.ts')], {
    cwd: ROOT,
    env: { ...process.env, CLOUD_DATA_DIR: dataDir, CLOUD_MQTT_PORT: '0', CLOUD_TLS_PORT: '0', CLOUD_HTTPS_PORT: '0', CLOUD_CONSOLE_PORT: '0', ...env },
  });
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no start-up text within 25 s:\n' + out)), 25000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  }).finally(() => {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
}

test('bound to 0.0.0.0: the LAN addresses and both ports, with the tls setting each needs', async () => {
  const text = await startupText({ CLOUD_HOST: '0.0.0.0' });
  expect(text).toMatch(/A board on your LAN: "host": one of .*, "port": \d+ with "tls": false, or \d+ with "tls": true\./);
});

test('bound to loopback: says so, and how to open it to the LAN', async () => {
  const text = await startupText({});
  expect(text).toContain('Listening on 127.0.0.1 only; for a board on your LAN: CLOUD_HOST=0.0.0.0 npm run cloud');
});
