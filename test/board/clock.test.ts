/** clock.ts on SimBoard: whole milliseconds although Date.now() is fractional; setClockMs sets the board clock. */
import { SimBoard } from '../../sim/board';
import { boardWith } from './simboard';

let board: SimBoard;
afterEach(() => board.close());

describe('clock', () => {
  it('nowMs -> an integer close to Date.now()', () => {
    board = boardWith(['clock'], { time: 1700000000123.75 });
    const v = board.run(`require('board_clock').nowMs()`);
    expect(Number.isInteger(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(1700000000123);
    expect(v - 1700000000123).toBeLessThan(60000);
  });

  it('setClockMs(t) -> nowMs() continues from t', () => {
    board = boardWith(['clock'], { time: 1000 });
    board.run(`require('board_clock').setClockMs(1800000000000)`);
    const v = board.run(`require('board_clock').nowMs()`);
    expect(v).toBeGreaterThanOrEqual(1800000000000);
    expect(v - 1800000000000).toBeLessThan(60000);
  });
});
