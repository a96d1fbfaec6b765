/** `npm start`'s demo, run as a user would with --once: every step of the scenario must
 *  happen (the process exits 0 only then), the summary says so, the uploaded file lands in
 *  the data folder, and the terminal never shows a secret. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { STEP_LABELS } from '../../sim/demo/steps';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface Run {
  code: number | null;
  output: string;
}

function runDemoOnce(dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['sim/demo.ts', '--once'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', DEMO_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

let dataDir: string;
let run: Run;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-data-'));
  run = await runDemoOnce(dataDir);
}, 60000);

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('--once exits 0 and the summary ticks every step', () => {
  const summary = run.output.slice(run.output.lastIndexOf('Summary'));
  for (const label of Object.values(STEP_LABELS)) expect(summary).toContain('✔ ' + label);
  expect(summary).not.toContain('✘');
  expect(summary).toContain('All steps happened.');
  expect({ code: run.code, tail: run.output.slice(-400) }).toMatchObject({ code: 0 });
});

test('the terminal tells where the console page and the CA are', () => {
  expect(run.output).toMatch(/console page\s+http:\/\/127\.0\.0\.1:\d+\//);
  expect(run.output).toContain(path.join(dataDir, 'ca.pem'));
  expect(fs.existsSync(path.join(dataDir, 'ca.pem'))).toBe(true);
});

test('the log shows the cloud driving the device and the device answering', () => {
  expect(run.output).toMatch(/light001 cloud sets properties \{"LightSwitch":1,"Brightness":80\}/);
  expect(run.output).toMatch(/light001 answers the property set → 200/);
  expect(run.output).toMatch(/light001 answers service Blink → 200/);
  expect(run.output).toMatch(/sensor001 posts properties .* → 200/);
  expect(run.output).toMatch(/sensor002 posts properties .* → 200/);
});

test('the file the light uploaded from its Storage is in the data folder', () => {
  const file = path.join(dataDir, 'files', 'a1DemoLight', 'light001', 'notes.txt');
  expect(fs.readFileSync(file, 'utf8')).toBe('light light001 booted; brightness 60\n');
});

test('no secret reaches the terminal', () => {
  expect(run.output).not.toMatch(/secret/i);
  expect(run.output).not.toMatch(/[0-9a-f]{32}/);
});
