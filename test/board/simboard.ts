/**
 * Runs src/board files on SimBoard (the Espruino-shaped Node vm): each file is bundled from its
 * TypeScript source to one ES5 CommonJS module with esbuild and loaded like Modules.addCached.
 * Results come back through a board-side record `R`; callbacks run on the board.
 */
import * as path from 'path';
import * as esbuild from 'esbuild';
import { SimBoard, SimBoardOptions } from '../../sim/board';

const BOARD_MODULES = ['net', 'tls', 'crypto', 'Storage', 'Wifi', 'http'];

export function boardModule(file: string): string {
  const out = esbuild.buildSync({
    entryPoints: [path.resolve(__dirname, '../../src/board', file + '.ts')],
    bundle: true,
    format: 'cjs',
    // es2015: esbuild refuses to lower the const enum declaration; src/board itself is ES5
    target: 'es2015',
    platform: 'neutral',
    external: BOARD_MODULES,
    write: false,
    logLevel: 'error',
  });
  return out.outputFiles[0].text;
}

/** A SimBoard with the given src/board files loaded as modules "board_<file>" (the cache comes
 *  before built-ins, so "net" would shadow require("net")), and a board global R = { ev: [] }. */
export function boardWith(files: string[], opts: SimBoardOptions = {}): SimBoard {
  const board = new SimBoard({ log: () => undefined, ...opts });
  for (const f of files) board.loadModule('board_' + f, boardModule(f));
  board.run('R = { ev: [] };');
  return board;
}
