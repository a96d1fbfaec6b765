/**
 * A SimBoard for benches: the minified module (what goes on the board) cached as "aliyunIoT",
 * Wi-Fi joined by an app script as the board's boot code would, nothing printed to the console.
 */
import * as path from 'path';
import { SimBoard } from '../../sim/board';

export const BUILD_DIR = path.resolve(__dirname, '../../build');

/** `memory: false` turns the memory meter off: only for a bench that holds what no board could, and says so. */
export async function benchBoard(bundle = 'aliyunIoT.min.js', opts: { memory?: boolean } = {}): Promise<SimBoard> {
  const board = new SimBoard({ log: () => undefined, memory: opts.memory });
  board.loadModuleFile('aliyunIoT', path.join(BUILD_DIR, bundle));
  board.run(`
    require("Wifi").connect("bench-ap", { password: "not-a-real-password" }, function (err) {
      print(err ? "wifi failed " + err : "wifi joined");
    });
  `);
  await board.waitFor(() => board.output.some((l) => l.startsWith('wifi ')), 5000);
  if (!board.output.includes('wifi joined')) throw new Error('SimBoard: ' + board.output.join(' | '));
  return board;
}
