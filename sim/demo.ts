/** `npm start`: the user's first run. The cloud emulator with demo devices, a smart light and
 *  a gateway with two sensors on SimBoards running examples/demo/*.js, the cloud side driven
 *  through the API, a live log here and the console page in a browser. Ctrl-C stops it.
 *
 *  --once (or DEMO_ONCE=1): run the scenario, print a summary, exit 0 only if every step
 *  happened (what test/demo runs). DEMO_DATA_DIR picks where the CA and uploaded files go
 *  (default .cloud-data/demo); DEMO_CONSOLE_PORT the console's port (default 8080, 0 = any). */
import { resolve } from 'node:path';
import { startDemo, type RunningDemo } from './demo/scenario';
import { bold, dim, green, red, terminal } from './demo/terminal';

/** --once gives up after this long; the steps normally take a few seconds. */
const ONCE_TIMEOUT_MS = 25000;

function intEnv(name: string, fallback: number): number {
  const v = process.env[name];
  return v !== undefined && v !== '' ? Number.parseInt(v, 10) : fallback;
}

function printSummary(demo: RunningDemo): boolean {
  terminal.info('\n' + bold('Summary'));
  for (const s of demo.checklist.report()) {
    terminal.info(s.note !== null ? `  ${green('✔')} ${s.label} ${dim('— ' + s.note)}` : `  ${red('✘')} ${s.label} ${red('— did not happen')}`);
  }
  const ok = demo.checklist.complete();
  terminal.info(ok ? green('\nAll steps happened.') : red('\nSome steps did not happen.'));
  return ok;
}

async function main(): Promise<void> {
  const once = process.argv.includes('--once') || process.env.DEMO_ONCE === '1';
  const dataDir = resolve(process.env.DEMO_DATA_DIR ?? '.cloud-data/demo');
  const demo = await startDemo({
    dataDir,
    consolePort: intEnv('DEMO_CONSOLE_PORT', once ? 0 : 8080),
    postPeriodSec: once ? 2 : 5,
    onCloudUp: (c) =>
      terminal.info(
        [
          '',
          bold('aliyunIoT demo') + ' — the cloud emulator and three simulated boards (a light, a gateway, two sensors behind it)',
          `  console page  ${bold(c.consoleUrl)}   (open it in a browser)`,
          `  MQTT          mqtt://${c.host}:${c.mqttPort}   MQTT/TLS mqtts://${c.host}:${c.tlsPort}`,
          `  CA            ${c.caPath}   (the TLS ports' certificate authority)`,
          `  files         ${resolve(dataDir, 'files')}   (uploads land here)`,
          once ? '' : '  Ctrl-C to stop.\n',
        ].join('\n'),
      ),
  });

  let stopping = false;
  const shutdown = (code: number) => {
    if (stopping) return;
    stopping = true;
    demo.stop().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => {
    terminal.info('\nstopping…');
    shutdown(once ? 1 : 0);
  });
  process.on('SIGTERM', () => shutdown(once ? 1 : 0));

  if (!once) {
    await demo.checklist.whenComplete();
    terminal.info(green('\nEverything the demo shows has happened. The boards keep reporting; try the console page. Ctrl-C to stop.\n'));
    return;
  }
  const timeout = new Promise<void>((r) => setTimeout(r, ONCE_TIMEOUT_MS).unref());
  await Promise.race([demo.checklist.whenComplete(), timeout]);
  shutdown(printSummary(demo) ? 0 : 1);
}

main().catch((e: Error & { code?: string }) => {
  const hint = e.code === 'EADDRINUSE' ? ' (another program has the console port: try DEMO_CONSOLE_PORT=0 npm start)' : '';
  console.error('demo failed: ' + e.message + hint);
  process.exit(1);
});
