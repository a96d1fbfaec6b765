/**
 * wifi.ts on SimBoard's Wifi (ESP32 firmware semantics: after a drop it gives up re-joining).
 * Backoff delays are real (2 s, then 4 s), so these tests take a few seconds; nothing asserts
 * on time itself, and nothing sleeps: each step waits for the event it needs, and "nothing
 * happened" is checked once the board has settled (no timer, queued event or join left).
 */
import { SimBoard } from '../../sim/board';
import { boardWith } from './simboard';

let board: SimBoard;
afterEach(() => board.close());

const WATCH = `
var W = require('Wifi');
var c0 = W.connect;
R.calls = [];
R.results = [];
W.connect = function (ssid, o, cb) {
  R.calls.push(ssid + "/" + (o && o.password));
  return c0.call(W, ssid, o, function (err) { R.results.push(err || "ok"); if (cb) cb(err); });
};
N = require('board_wifi').network();
N.onChange(function (up) { R.ev.push(up); });
`;

describe('network()', () => {
  it('no Wifi module -> null', () => {
    board = boardWith(['wifi'], { wifi: false });
    expect(board.run(`require('board_wifi').network() === null`)).toBe(true);
  });

  it('the same object on every call', () => {
    board = boardWith(['wifi']);
    expect(board.run(`var w = require('board_wifi'); w.network() === w.network()`)).toBe(true);
  });

  it('joined at start -> isUp; drop -> onChange(false); AP back -> re-joins with the learnt ssid and password -> onChange(true)', async () => {
    board = boardWith(['wifi']);
    board.run(WATCH);
    expect(board.run('N.isUp()')).toBe(true);
    board.wifi.drop();
    await board.waitFor(() => board.global.R.ev.length === 1);
    expect(board.run('N.isUp()')).toBe(false);
    board.wifi.restore();
    await board.waitFor(() => board.global.R.ev.length === 2, 10000);
    expect(Array.from(board.global.R.ev)).toEqual([false, true]);
    expect(Array.from(board.global.R.calls)).toEqual(['simboard-ap/simboard-pass']);
    expect(board.run('N.isUp()')).toBe(true);
  });

  it('AP still away at the first retry -> keeps retrying with backoff until it is back', async () => {
    board = boardWith(['wifi']);
    board.run(WATCH);
    board.wifi.drop();
    // the first retry has failed (its callback said so) before the AP comes back
    await board.waitFor(() => board.global.R.results.length === 1, 10000);
    expect(Array.from(board.global.R.results)).toEqual(['no_ap_found']);
    expect(board.run('N.isUp()')).toBe(false);
    board.wifi.restore();
    await board.waitFor(() => board.run('N.isUp()') === true, 15000);
    expect(board.global.R.calls.length).toBe(2);
    expect(Array.from(board.global.R.results)).toEqual(['no_ap_found', 'ok']);
    expect(Array.from(board.global.R.ev)).toEqual([false, true]);
    expect(board.uncaught).toEqual([]);
  });

  it('the app disconnects on purpose (assoc_leave) -> reported, not undone', async () => {
    board = boardWith(['wifi']);
    board.run(WATCH);
    board.run('W.disconnect()');
    await board.waitFor(() => board.global.R.ev.length === 1);
    // whatever the module scheduled (a re-join would be a timer) has run
    await board.settled();
    expect(Array.from(board.global.R.calls)).toEqual([]);
    expect(board.run('N.isUp()')).toBe(false);
  });

  it('not joined at start, the app joins -> onChange(true); after a drop it re-joins with what the app used', async () => {
    board = boardWith(['wifi'], { wifiJoined: false });
    board.run(WATCH);
    expect(board.run('N.isUp()')).toBe(false);
    board.run(`W.connect('myap', { password: 'pw' })`);
    await board.waitFor(() => board.global.R.ev.length === 1);
    expect(Array.from(board.global.R.ev)).toEqual([true]);
    board.wifi.drop();
    board.wifi.restore();
    await board.waitFor(() => board.global.R.ev.length === 3, 10000);
    expect(Array.from(board.global.R.calls)).toEqual(['myap/pw', 'myap/pw']);
  });
});
