/**
 * SimBoard's memory meter against the interpreter (issue #12, item 3): test/sim/memory/memory.js
 * measures what values cost in JsVars, closures.js what values held only by closures cost;
 * the *-esp32like.txt files are what the ESP32-like interpreter answered (recorded as
 * test/sim/memory/README.md says). SimBoard must agree within 3 JsVars or 5%, except the
 * explained items below. And past 16,383 JsVars SimBoard runs out of memory as the board does:
 * OUT OF MEMORY, the LOW_MEMORY and MEMORY error flags, the data lost; also when what fills the
 * memory is held only by a closure (closure-list.js).
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { SimBoard } from '../../sim/board';

const dir = path.join(__dirname, 'memory');

/** Lines where the meter knowingly differs, and why. */
const KNOWN: Record<string, string> = {
  'string 1': 'the first string the script builds also allocates the interpreter\'s own state',
  'string repeat 1000': 'repeat() grows its result in steps; the meter counts the final string',
  'function, 2 params': 'a function typed into RAM keeps its code in RAM; the meter counts code as in flash (the module in Storage)',
  'function, 2 params, 100-char body': 'as above: the code of a function typed into RAM',
  'closure, 2 sharing 1 scope': 'V8 gives a scope no identity: scopes with the same variables and values are taken for one, and the scope of "closure over 1 local" (x = 1) is still held',
  'bound function': 'a bound function holds its target and arguments where V8 does not show them',
  'Uint8Array 100': 'a small typed array is not flat on the interpreter; the meter counts every buffer as flat',
  'E.toString 1000 bytes': 'E.toString makes a flat string (1 JsVar per 14 bytes); the meter cannot tell flat strings from others',
};

function parse(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) {
    const i = l.indexOf(' :: ');
    if (i > 0) m.set(l.slice(0, i), Number(l.slice(i + 4)));
  }
  return m;
}

test('memory.js measures in SimBoard what it measured on the interpreter, but for the explained items', async () => {
  const expected = parse(fs.readFileSync(path.join(dir, 'memory-esp32like.txt'), 'latin1').split('\n'));
  const server = net.createServer((c) => { c.on('data', () => undefined); c.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const board = new SimBoard({ log: () => undefined });
  try {
    board.run(`var PORT = ${(server.address() as net.AddressInfo).port};\n` + fs.readFileSync(path.join(dir, 'memory.js'), 'utf8'));
    await board.waitFor(() => board.output.includes('--- end'), 20000);
    const got = parse(board.output);
    expect([...got.keys()]).toEqual([...expected.keys()]);
    // each figure includes what adding it to K costs; that differs, and is taken out
    const base = { board: expected.get('nothing')!, sim: got.get('nothing')! };
    const off = [...expected]
      .filter(([name]) => !(name in KNOWN))
      .map(([name, n]) => ({ name, board: n - base.board, sim: got.get(name)! - base.sim }))
      .filter((x) => Math.abs(x.board - x.sim) > Math.max(3, x.board * 0.05));
    expect(off).toEqual([]);
    for (const name of Object.keys(KNOWN)) expect(expected.has(name)).toBe(true);
  } finally {
    await board.close();
    server.close();
  }
});

/** closures.js lines where the meter knowingly differs, and why. */
const KNOWN_CLOSURES: Record<string, string> = {
  'closure not using the list in its scope': 'V8 keeps only the variables some inner function uses; the interpreter keeps every variable of the scope',
};

test('closures.js: what only a closure holds is counted as on the interpreter, but for the explained items', async () => {
  const expected = parse(fs.readFileSync(path.join(dir, 'closures-esp32like.txt'), 'latin1').split('\n'));
  const board = new SimBoard({ log: () => undefined });
  try {
    board.run(fs.readFileSync(path.join(dir, 'closures.js'), 'utf8'));
    await board.waitFor(() => board.output.includes('--- end'), 20000);
    const got = parse(board.output);
    expect([...got.keys()]).toEqual([...expected.keys()]);
    const base = { board: expected.get('nothing')!, sim: got.get('nothing')! };
    const rows = [...expected].map(([name, n]) => ({ name, board: n - base.board, sim: got.get(name)! - base.sim }));
    const off = rows.filter((x) => !(x.name in KNOWN_CLOSURES) && Math.abs(x.board - x.sim) > Math.max(3, x.board * 0.05));
    expect(off).toEqual([]);
    // the list of 1,000 entries: about 15,000 JsVars held by nothing but a closure
    expect(rows.find((x) => x.name === 'closure over a list of 1000 entries')!.sim).toBeGreaterThan(14000);
    for (const name of Object.keys(KNOWN_CLOSURES)) expect(expected.has(name)).toBe(true);
  } finally {
    await board.close();
  }
});

test('a string read from Storage is a view of flash, not a copy in RAM, as on the interpreter (storage-read.js)', async () => {
  const expected = parse(fs.readFileSync(path.join(dir, 'storage-read-esp32like.txt'), 'latin1').split('\n'));
  const board = new SimBoard({ log: () => undefined });
  try {
    board.storage.write('big', '0123456789'.repeat(200));
    board.run(fs.readFileSync(path.join(dir, 'storage-read.js'), 'utf8'));
    await board.waitFor(() => board.output.includes('--- end'), 20000);
    const got = parse(board.output);
    // net of the array elements holding them: about 1 JsVar per string read (a copy: 200)
    const net = (m: Map<string, number>) => m.get('100 reads of 2000 bytes')! - m.get('100 ints')!;
    // within 10%: the interpreter adds a little of its own per read (about 1 per 10), not modelled
    expect(Math.abs(net(got) - net(expected))).toBeLessThanOrEqual(net(expected) * 0.1);
  } finally {
    await board.close();
  }
});

describe('past the ceiling', () => {
  let server: net.Server;
  let port: number;
  let received = 0;
  beforeAll(async () => {
    server = net.createServer((c) => { c.on('data', (d) => { received += d.length; }); c.on('error', () => undefined); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test('a burst of 1,000 MQTT-sized writes in one go runs out of memory: OUT OF MEMORY, LOW_MEMORY and MEMORY, data lost', async () => {
    received = 0;
    const board = new SimBoard({ log: () => undefined });
    try {
      board.run(`
        var s = require("net").connect({ host: "127.0.0.1", port: ${port} });
        var packet = ""; for (var i = 0; i < 180; i++) packet += "x";
        s.on("connect", function () {
          for (var i = 0; i < 1000; i++) s.write(packet);
          flags = E.getErrorFlags();
          setTimeout(function () { s.end(); done = true; }, 200);
        });`);
      await board.waitFor(() => board.global.done === true, 10000);
      await board.settled();
      expect(board.output).toContain('OUT OF MEMORY');
      expect(board.output).toContain('Execution Interrupted');
      expect([...board.global.flags]).toEqual(['LOW_MEMORY', 'MEMORY']);
      expect(board.memory.outOfMemory).toBeGreaterThan(0);
      expect(received).toBeLessThan(1000 * 180);
      expect(received).toBeGreaterThan(0);
    } finally {
      await board.close();
    }
  });

  test('the same burst with the meter off (memory: false) loses nothing: the meter is what makes the difference', async () => {
    received = 0;
    const board = new SimBoard({ log: () => undefined, memory: false });
    try {
      board.run(`
        var s = require("net").connect({ host: "127.0.0.1", port: ${port} });
        var packet = ""; for (var i = 0; i < 180; i++) packet += "x";
        s.on("connect", function () { for (var i = 0; i < 1000; i++) s.write(packet); s.end(); });`);
      await board.waitFor(() => received === 1000 * 180, 10000);
      expect(board.output).not.toContain('OUT OF MEMORY');
    } finally {
      await board.close();
    }
  });

  test('an app holding a list only inside a closure fits at 1,000 entries and runs out at 1,200, as on the interpreter', async () => {
    // the interpreter's answers, by N (closure-list-esp32like.txt)
    const recorded = new Map<number, string[]>();
    let at = 0;
    for (const l of fs.readFileSync(path.join(dir, 'closure-list-esp32like.txt'), 'latin1').split('\n')) {
      const m = /^N = (\d+)$/.exec(l);
      if (m) recorded.set((at = Number(m[1])), []);
      else if (at) recorded.get(at)!.push(l);
    }
    expect([...recorded.keys()]).toEqual([1000, 1200]);
    const script = fs.readFileSync(path.join(dir, 'closure-list.js'), 'utf8');
    for (const [n, lines] of recorded) {
      const board = new SimBoard({ log: () => undefined });
      try {
        board.run(`var N = ${n};\n` + script);
        board.run('setTimeout(function () {}, 0);');
        await board.settled();
        const interpreterRanOut = lines.some((l) => l.startsWith('OUT OF MEMORY'));
        expect(interpreterRanOut).toBe(n === 1200);
        if (interpreterRanOut) {
          expect(lines).toContain('New interpreter error: LOW_MEMORY,MEMORY');
          expect(board.output).toContain('OUT OF MEMORY');
          expect(board.run('E.getErrorFlags()').join()).toBe('LOW_MEMORY,MEMORY');
        } else {
          expect(board.output).not.toContain('OUT OF MEMORY');
          const held = (text: string[]) => parse(text).get(`closure list of ${n}`)!;
          expect(Math.abs(held(board.output) - held(lines))).toBeLessThanOrEqual(held(lines) * 0.05);
        }
      } finally {
        await board.close();
      }
    }
  });

  test('what was let go since the last look is not held against a write: the meter looks again before it reports a shortage', async () => {
    received = 0;
    const board = new SimBoard({ log: () => undefined });
    try {
      // The global list (about 15,000 JsVars) is counted by process.memory(); dropped, it is garbage, and
      // the interpreter collects garbage before it gives up. The 20 writes that follow (about
      // 2,000 JsVars held in the socket's buffer) come too soon for a periodic walk.
      board.run(`
        var s = require("net").connect({ host: "127.0.0.1", port: ${port} });
        var packet = ""; for (var i = 0; i < 900; i++) packet += "x";
        s.on("connect", function () {
          big = []; for (var i = 0; i < 1000; i++) big.push({ productKey: "a1bcdefghij", deviceName: "sub" + i, deviceSecret: "0123456789abcdef0123456789abcdef" });
          held = process.memory().usage;
          big = undefined;
          for (var i = 0; i < 20; i++) s.write(packet);
          setTimeout(function () { s.end(); done = true; }, 200);
        });`);
      await board.waitFor(() => board.global.done === true, 10000);
      expect(board.global.held).toBeGreaterThan(15000);
      expect(board.output).not.toContain('OUT OF MEMORY');
      await board.waitFor(() => received === 20 * 900, 5000);
    } finally {
      await board.close();
    }
  });

  test('an app holding 16,383 JsVars of its own is out of memory at the end of the pass', async () => {
    const board = new SimBoard({ log: () => undefined });
    try {
      board.run('var big = []; for (var i = 0; i < 1700; i++) big.push({ productKey: "a1bcdefghij", deviceName: "sub" + i, deviceSecret: "0123456789abcdef0123456789abcdef" });');
      board.run('setTimeout(function () {}, 0);');
      await board.settled();
      expect(board.output).toContain('OUT OF MEMORY');
      expect(board.run('E.getErrorFlags()').join()).toBe('LOW_MEMORY,MEMORY');
    } finally {
      await board.close();
    }
  });
});
