/** storage.ts on SimBoard's Storage (flash files; names of at most 28 chars). */
import { SimBoard } from '../../sim/board';
import { boardWith } from './simboard';

const BadArgument = -101;
let board: SimBoard;
beforeEach(() => {
  board = boardWith(['storage']);
  board.run(`S = require('board_storage');`);
});
afterEach(() => board.close());

describe('storage', () => {
  it('writeJSON then readJSON -> 0 and the same object', () => {
    expect(board.run(`S.writeJSON('aliyunIoT.json', { pk: 'a1', n: 3, l: [1, 'x'] })`)).toBe(0);
    expect(board.run(`JSON.stringify(S.readJSON('aliyunIoT.json'))`)).toBe('{"pk":"a1","n":3,"l":[1,"x"]}');
  });

  it('missing file -> undefined; invalid JSON in the file -> undefined, no exception', () => {
    expect(board.run(`S.readJSON('nope') === undefined`)).toBe(true);
    board.storage.write('bad.json', '{"a":');
    expect(board.run(`S.readJSON('bad.json') === undefined`)).toBe(true);
    expect(board.uncaught).toEqual([]);
  });

  it('a 28-char name works; 29 chars or empty -> BadArgument / undefined (Espruino would truncate silently)', () => {
    const n28 = 'n'.repeat(28), n29 = 'n'.repeat(29);
    board.global.A = n28;
    board.global.B = n29;
    expect(board.run(`S.writeJSON(A, 1)`)).toBe(0);
    expect(board.run(`S.readJSON(A)`)).toBe(1);
    expect(board.run(`S.writeJSON(B, 1)`)).toBe(BadArgument);
    expect(board.run(`S.writeJSON('', 1)`)).toBe(BadArgument);
    expect(board.run(`S.read(B) === undefined && S.readJSON(B) === undefined`)).toBe(true);
    expect(board.storage.list()).toEqual([n28]);
  });

  it('read -> the stored bytes (binary, all 256 values); missing -> undefined', () => {
    let all = '';
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i);
    board.storage.write('blob.bin', Buffer.from(all, 'latin1'));
    expect(board.run(`S.read('blob.bin')`)).toBe(all);
    expect(board.run(`S.read('missing') === undefined`)).toBe(true);
  });
});
