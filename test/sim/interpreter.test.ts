/**
 * Fidelity of SimBoard's console against the interpreter's own output
 * (test/sim/interpreter/console-esp32like.txt, recorded as test/sim/interpreter/README.md says):
 * print() of objects in Espruino's pretty form, and one uncaught exception per pass of the idle
 * loop (the last one thrown), which is why the module rethrows app exceptions one per tick.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SimBoard } from '../../sim/board';

const dir = path.join(__dirname, 'interpreter');

test('console.js prints in SimBoard what it printed on the interpreter', async () => {
  const expected = fs.readFileSync(path.join(dir, 'console-esp32like.txt'), 'latin1').split('\n').filter((l) => l.length);
  const board = new SimBoard({ log: () => undefined });
  try {
    board.runFile(path.join(dir, 'console.js'));
    await board.waitFor(() => board.output.includes('--- end'));
    await board.settled();
    expect(board.output.map((l) => Buffer.from(l, 'utf8').toString('latin1'))).toEqual(expected);
  } finally {
    await board.close();
  }
});
