/** rpc.ts: every tracked request ends exactly once (reply | timeout | failAll). Fake timers only. */
import { Rpc } from '../../src/alink/rpc';

const Timeout = -401, BadReply = -402, Busy = -106, LinkClosed = -314;

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('Rpc ids', () => {
  it('next() -> "1", "2", ... decimal strings', () => {
    const r = new Rpc();
    expect([r.next(), r.next(), r.next()]).toEqual(['1', '2', '3']);
  });

  it('wraps below 2^32: after 4294967295 comes 1', () => {
    const r = new Rpc();
    (r as any).n_ = 4294967294;
    expect(r.next()).toBe('4294967295');
    expect(r.next()).toBe('1');
  });
});

describe('Rpc held deadlines (the message has not left yet)', () => {
  it('a held request never times out while its message waits; its deadline runs from lost(id)(0)', () => {
    const r = new Rpc();
    const cb = jest.fn();
    expect(r.track('1', 10000, cb, true)).toBe(0);
    // no timer ticks for a request that only waits
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(600_000);
    expect(cb).not.toHaveBeenCalled();
    r.lost('1')(0);
    jest.advanceTimersByTime(9999);
    expect(cb).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1001);
    expect(cb.mock.calls).toEqual([[Timeout, undefined]]);
    expect(r.resolve('1', 200)).toBe(false);
  });

  it('a held request ends once: by a reply (before or after its message left), or at once when the message is lost', () => {
    const r = new Rpc();
    const a = jest.fn(), b = jest.fn(), c = jest.fn();
    r.track('a', 10000, a, true);
    r.track('b', 10000, b, true);
    r.track('c', 10000, c, true);
    expect(r.resolve('a', 200)).toBe(true);
    r.lost('a')(0);
    r.lost('b')(-312);
    r.lost('c')(0);
    r.resolve('c', 200);
    jest.advanceTimersByTime(60_000);
    r.failAll(LinkClosed);
    expect([a.mock.calls, b.mock.calls, c.mock.calls]).toEqual([[[0, undefined]], [[-312, undefined]], [[0, undefined]]]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a request that is not held starts its deadline at once, as before', () => {
    const r = new Rpc();
    const cb = jest.fn();
    r.track('1', 2000, cb);
    r.lost('1')(0);
    jest.advanceTimersByTime(2000);
    expect(cb.mock.calls).toEqual([[Timeout, undefined]]);
  });
});

describe('Rpc completion', () => {
  it('reply 200 -> cb(0, data) once; the timer never fires afterwards', () => {
    const r = new Rpc();
    const cb = jest.fn();
    expect(r.track('1', 1000, cb)).toBe(0);
    expect(r.resolve('1', 200, { a: 1 })).toBe(true);
    jest.advanceTimersByTime(5000);
    r.failAll(LinkClosed);
    expect(r.resolve('1', 200)).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
    expect(cb.mock.calls).toEqual([[0, { a: 1 }]]);
    expect(r.size()).toBe(0);
  });

  it('cloud code 6813 -> passes through positive; missing code -> BadReply', () => {
    const r = new Rpc();
    const a = jest.fn(), b = jest.fn();
    r.track('1', 1000, a);
    r.track('2', 1000, b);
    r.resolve('1', 6813, {});
    r.resolve('2', undefined);
    expect(a.mock.calls[0][0]).toBe(6813);
    expect(b.mock.calls[0][0]).toBe(BadReply);
  });

  it('no reply -> Timeout at the deadline, not before; a late reply is ignored', () => {
    const r = new Rpc();
    const cb = jest.fn();
    r.track('5', 3000, cb);
    jest.advanceTimersByTime(2999);
    expect(cb).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(cb.mock.calls).toEqual([[Timeout, undefined]]);
    expect(r.resolve('5', 200)).toBe(false);
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('failAll -> every open request once with the code; timers cleared; later replies ignored', () => {
    const r = new Rpc();
    const cbs = [jest.fn(), jest.fn(), jest.fn()];
    cbs.forEach((cb, i) => r.track(String(i), 1000, cb));
    r.failAll(LinkClosed);
    jest.advanceTimersByTime(10000);
    cbs.forEach((cb, i) => {
      expect(r.resolve(String(i), 200)).toBe(false);
      expect(cb.mock.calls).toEqual([[LinkClosed]]);
    });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a throwing callback in failAll -> the others still end', () => {
    const r = new Rpc();
    const ok = jest.fn();
    r.track('1', 1000, () => {
      throw new Error('app bug');
    });
    r.track('2', 1000, ok);
    r.failAll(LinkClosed);
    expect(ok).toHaveBeenCalledWith(LinkClosed);
  });

  it('a callback that tracks a new request -> the new one is independent', () => {
    const r = new Rpc();
    const second = jest.fn();
    r.track('1', 1000, () => r.track('2', 1000, second));
    r.resolve('1', 200);
    expect(r.size()).toBe(1);
    r.resolve('2', 200);
    expect(second).toHaveBeenCalledWith(0, undefined);
  });

  it('unknown ids, incl. Object.prototype names -> false, nothing called', () => {
    const r = new Rpc();
    const cb = jest.fn();
    r.track('1', 1000, cb);
    for (const id of ['2', 'toString', '__proto__', 'hasOwnProperty']) expect(r.resolve(id, 200)).toBe(false);
    expect(cb).not.toHaveBeenCalled();
  });
});

describe('Rpc bounds', () => {
  it('table full -> Busy and cb never called; room again after a completion', () => {
    const r = new Rpc(2);
    const cb = jest.fn();
    expect(r.track('1', 1000, cb)).toBe(0);
    expect(r.track('2', 1000, cb)).toBe(0);
    expect(r.track('3', 1000, cb)).toBe(Busy);
    r.resolve('1', 200);
    expect(r.track('3', 1000, cb)).toBe(0);
    // '3' was tracked while the tick timer ran: its deadline may be up to one tick later.
    jest.advanceTimersByTime(2000);
    expect(cb.mock.calls.map((c) => c[0]).sort()).toEqual([-401, -401, 0]);
  });

  it('the same id twice -> Busy, the first stays tracked', () => {
    const r = new Rpc();
    const a = jest.fn(), b = jest.fn();
    r.track('1', 1000, a);
    expect(r.track('1', 1000, b)).toBe(Busy);
    r.resolve('1', 200);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).not.toHaveBeenCalled();
  });

  it('random interleaving of track/resolve/timeout/failAll -> each request ends exactly once', () => {
    let seed = 99;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const r = new Rpc(8);
    const ends = new Map<string, number>();
    const tracked: string[] = [];
    for (let step = 0; step < 2000; step++) {
      const x = rand();
      if (x < 0.4) {
        const id = r.next();
        if (r.track(id, 100 + Math.floor(rand() * 500), () => ends.set(id, (ends.get(id) || 0) + 1)) === 0) tracked.push(id);
      } else if (x < 0.8 && tracked.length) {
        r.resolve(tracked[Math.floor(rand() * tracked.length)], 200);
      } else if (x < 0.98) {
        jest.advanceTimersByTime(Math.floor(rand() * 200));
      } else r.failAll(LinkClosed);
    }
    r.failAll(LinkClosed);
    expect(tracked.length).toBeGreaterThan(100);
    for (const id of tracked) expect([id, ends.get(id)]).toEqual([id, 1]);
  });
});

describe('Rpc deadlines on one shared tick timer', () => {
  it('never early: a request tracked between ticks ends between its ms and ms + 1 s', () => {
    const r = new Rpc();
    const a = jest.fn(), b = jest.fn();
    r.track('a', 3000, a);
    jest.advanceTimersByTime(400);
    r.track('b', 3000, b);
    jest.advanceTimersByTime(2600);
    expect(a.mock.calls).toEqual([[Timeout, undefined]]);
    expect(b).not.toHaveBeenCalled();
    jest.advanceTimersByTime(399);
    expect(b).not.toHaveBeenCalled();
    jest.advanceTimersByTime(601);
    expect(b.mock.calls).toEqual([[Timeout, undefined]]);
  });

  it('one timer however many requests are open; it stops on the first tick that finds the table empty', () => {
    const r = new Rpc();
    for (let i = 0; i < 16; i++) r.track(r.next(), 10000, () => undefined);
    expect(jest.getTimerCount()).toBe(1);
    for (let i = 1; i <= 15; i++) r.resolve(String(i), 200);
    r.drop('16');
    jest.advanceTimersByTime(1000);
    expect(jest.getTimerCount()).toBe(0);
    r.track(r.next(), 10000, () => undefined);
    expect(jest.getTimerCount()).toBe(1);
    r.failAll(LinkClosed);
    jest.advanceTimersByTime(1000);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a throwing timeout callback does not keep the others from ending; the exception surfaces', () => {
    const r = new Rpc();
    const ends: string[] = [];
    r.track('x', 2000, () => {
      ends.push('x');
      throw new Error('app bug');
    });
    r.track('y', 1000, () => ends.push('y'));
    r.track('z', 5000, () => ends.push('z'));
    // x and y are both due on the second tick.
    jest.advanceTimersByTime(1000);
    expect(ends).toEqual([]);
    expect(() => jest.advanceTimersByTime(1000)).toThrow('app bug');
    expect(ends.sort()).toEqual(['x', 'y']);
    jest.advanceTimersByTime(4000);
    expect(ends).toContain('z');
  });
});

describe('Rpc.drop', () => {
  it('drop(id) -> forgotten without a callback; timer cleared; room freed', () => {
    const r = new Rpc(1);
    const cb = jest.fn();
    r.track('1', 1000, cb);
    r.drop('1');
    r.drop('1');
    jest.advanceTimersByTime(5000);
    expect(cb).not.toHaveBeenCalled();
    expect(r.size()).toBe(0);
    expect(r.resolve('1', 200)).toBe(false);
    expect(r.track('2', 1000, cb)).toBe(0);
  });
});
