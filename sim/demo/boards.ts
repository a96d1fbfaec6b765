/** Boots a SimBoard the way a flashed ESP32 starts: the module loaded, the configuration in
 *  the Storage file aliyunIoT.json, examples/wifi.js as boot code, then the app script. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimBoard } from '../board';

export const ROOT = path.resolve(__dirname, '../..');
export const BUNDLE = path.join(ROOT, 'build/aliyunIoT.js');

export interface DemoBoard {
  board: SimBoard;
  close(): Promise<void>;
}

/** `script`: a file relative to the repository root, or `{ source }` for an inline script. */
export async function bootBoard(opts: { config: unknown; script: string | { source: string }; log?: (line: string) => void }): Promise<DemoBoard> {
  if (!fs.existsSync(BUNDLE)) throw new Error(`${path.relative(ROOT, BUNDLE)} is missing: run \`npm run build\` first`);
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-board-'));
  const board = new SimBoard({ storageDir, log: opts.log });
  const close = async () => {
    await board.close();
    fs.rmSync(storageDir, { recursive: true, force: true });
  };
  try {
    board.loadModuleFile('aliyunIoT', BUNDLE);
    board.storage.write('aliyunIoT.json', JSON.stringify(opts.config));
    board.runFile(path.join(ROOT, 'examples/wifi.js'));
    await board.waitFor(() => board.output.some((l) => l.startsWith('connect succeed!')), 5000);
    if (typeof opts.script === 'string') board.runFile(path.join(ROOT, opts.script));
    else board.run(opts.script.source);
  } catch (e) {
    await close();
    throw e;
  }
  return { board, close };
}
