import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { SimBoard } from '../../sim/board';
import { closeServer, listen } from './helpers';

const tick = () => new Promise((r) => setImmediate(r));

describe('SimBoard context', () => {
  let board: SimBoard;
  beforeEach(() => { board = new SimBoard(); });
  afterEach(() => board.close());

  it('lacks the globals and methods Espruino lacks', () => {
    const absent = ['Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'TextEncoder', 'TextDecoder',
      'queueMicrotask', 'setImmediate', 'Buffer', 'Array.from', 'Array.of', 'Number.isInteger', 'Number.isNaN',
      'Number.isFinite', 'Number.parseInt', 'Number.parseFloat', 'Math.trunc', 'Math.imul', 'Object.freeze',
      'Object.seal', 'Object.is', 'Promise.race', 'Promise.allSettled', 'Promise.any', 'Promise.prototype.finally',
      '"".trimStart', '"".codePointAt', '"".normalize', '"".localeCompare', '[].flat', '[].lastIndexOf',
      'Array.prototype.slice', 'String.prototype.split', 'Function.prototype.call', 'Uint8Array.prototype.set',
      'Uint8Array.from', 'ArrayBuffer.isView', 'Error.captureStackTrace', 'window', 'module', 'exports'];
    const got = board.run(`[${absent.map((e) => `typeof ${e}`).join(',')}].join()`);
    expect(got.split(',')).toEqual(absent.map(() => 'undefined'));
    expect(board.run('typeof process.memory().free + "," + typeof process.env + "," + [].slice.call([1,2],1)')).toBe('number,object,2');
  });

  it('mirrors array-length assignment, Object.create with properties and apply limits', () => {
    board.run(`
      try { var a = [1,2,3]; a.length = 1; r1 = "no throw"; } catch (e) { r1 = String(e); }
      try { Object.create({}, {x: {value: 1}}); r2 = "no throw"; } catch (e) { r2 = e.message; }
      var big = []; for (var i = 0; i < 300; i++) big.push(i);
      try { Math.max.apply(null, big); r3 = "no throw"; } catch (e) { r3 = "throws"; }
      r4 = Math.max.apply(null, big.slice(0, 256));
    `);
    expect(board.global.r1).toBe('TypeError: Assignment to a constant');
    expect(board.global.r2).toBe('propertiesObject is not supported yet');
    expect(board.global.r3).toBe('throws');
    expect(board.global.r4).toBe(255);
  });

  it('keeps strings as bytes: sources are UTF-8 bytes, fromCharCode masks, JSON escapes >= 0x7F', () => {
    board.run(`
      r1 = "中".length; r2 = String.fromCharCode(0x4e2d).charCodeAt(0); r3 = JSON.stringify("é");
      r4 = JSON.parse('"\\\\u4e2d"').charCodeAt(0); r5 = "\\u4e2d".charCodeAt(0);
      print("中文");
    `);
    expect([board.global.r1, board.global.r2, board.global.r3, board.global.r4, board.global.r5])
      .toEqual([3, 0x2d, '"\\u00C3\\u00A9"', 0x2d, 0x2d]);
    expect(board.output).toContain('中文');
  });

  it('runs emit listeners after the current code returns, with at most 4 arguments', async () => {
    board.run(`
      var order = [], o = {};
      o.on("x", function (a, b) { order.push("listener:" + a + b); });
      o.emit("x", 1, 2);
      order.push("after emit");
      try { o.emit("x", 1, 2, 3, 4, 5); r = "no throw"; } catch (e) { r = e.message; }
    `);
    expect([...board.global.order]).toEqual(['after emit']);
    await board.waitFor(() => board.global.order.length === 2);
    expect([...board.global.order]).toEqual(['after emit', 'listener:12']);
    expect(board.global.r).toBe('Too many arguments (>4)');
    expect(board.run('typeof ({}).once + typeof ({}).off + typeof ({}).listeners')).toBe('undefinedundefinedundefined');
  });

  it('reports exceptions from timers and listeners as uncaught and keeps running', async () => {
    board.run(`
      var n = 0;
      var iv = setInterval(function () { n++; if (n >= 3) clearInterval(iv); throw new Error("tick " + n); }, 1);
      var o = {}; o.on("e", function () { throw new Error("listener"); }); o.on("e", function () { second = true; });
    `);
    await board.waitFor(() => board.global.n >= 3);
    await board.settled();
    // each interval run is a pass of its own; the listeners run in a later one
    board.run('o.emit("e")');
    await board.settled();
    expect(board.global.second).toBe(true);
    expect(board.output).toEqual(['Uncaught Error: tick 1', 'Uncaught Error: tick 2', 'Uncaught Error: tick 3', 'Uncaught Error: listener']);
    expect(board.uncaught.length).toBe(4);
    expect(board.run('1 + 1')).toBe(2);
  });

  it('clearTimeout(undefined) throws, as on Espruino; clearTimeout() clears every timer', () => {
    board.run('var a = setTimeout(function () {}, 5000), b = setInterval(function () {}, 5000);');
    expect(board.run('try { clearTimeout(undefined); r = "ok"; } catch (e) { r = e.message; } r')).toBe('clearTimeout(undefined) not allowed. Use clearTimeout() instead');
    expect(board.run('try { clearInterval(undefined); r = "ok"; } catch (e) { r = e.message; } r')).toBe('clearInterval(undefined) not allowed. Use clearInterval() instead');
    expect(board.timerCount).toBe(2);
    board.run('clearTimeout();');
    expect(board.timerCount).toBe(0);
  });

  it('reports unhandled promise rejections through the uncaught path', async () => {
    board.run('Promise.reject(new Error("nope")); Promise.reject(1).catch(function () { handled = true; });');
    await board.waitFor(() => board.output.includes('Unhandled promise rejection: Error: nope'));
    expect(board.global.handled).toBe(true);
    expect(board.uncaught.length).toBe(1);
  });

  it('has a fractional Date.now() that follows setTime, and an optional initial clock', async () => {
    await board.close();
    board = new SimBoard({ time: 1000 });
    expect(board.run('Date.now()')).toBeGreaterThanOrEqual(1000);
    expect(board.run('Date.now()')).toBeLessThan(60000);
    board.run('setTime(1700000000)');
    const t = board.run('getTime()');
    expect(Math.floor(t)).toBe(1700000000);
    expect(board.run('new Date().getFullYear()')).toBe(2023);
    board.run('var fr = false; for (var i = 0; i < 50 && !fr; i++) fr = Date.now() % 1 !== 0;');
    expect(board.global.fr).toBe(true);
  });

  it('resolves require from the module cache, built-ins, then Storage, else throws', () => {
    board.loadModule('greet', 'exports.hi = function (n) { return "hi " + n; }; exports.self = (this === exports); var local = 1;');
    board.storage.write('fromStorage', 'module.exports = { v: 42 };');
    board.run(`
      r1 = require("greet").hi("x"); r2 = require("greet").self; r3 = typeof local;
      r4 = require("fromStorage").v; r5 = typeof require("crypto").SHA256;
      try { require("nope"); } catch (e) { r6 = e.message; }
    `);
    expect([board.global.r1, board.global.r2, board.global.r3, board.global.r4, board.global.r5, board.global.r6])
      .toEqual(['hi x', true, 'undefined', 42, 'function', 'Module "nope" not found']);
  });

  it('crypto: SHA256 returns an ArrayBuffer with the right digest; no HMAC or MD5; crypto:false removes it', async () => {
    const hex = board.run(`
      var ab = require("crypto").SHA256("abc");
      var u = new Uint8Array(ab), s = "";
      for (var i = 0; i < u.length; i++) s += (u[i] < 16 ? "0" : "") + u[i].toString(16);
      (ab instanceof ArrayBuffer) + ":" + typeof require("crypto").HMAC + typeof require("crypto").MD5 + ":" + s
    `);
    expect(hex).toBe('true:undefinedundefined:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    await board.close();
    board = new SimBoard({ crypto: false });
    board.run('try { require("crypto"); r = "found"; } catch (e) { r = e.message; }');
    expect(board.global.r).toBe('Module "crypto" not found');
  });
});

describe('SimBoard Storage', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simboard-test-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('persists files across boards sharing a storageDir, truncates long names, refuses empty files', async () => {
    const a = new SimBoard({ storageDir: dir });
    a.run(`
      var S = require("Storage");
      S.write("cfg", "\\x00\\xff bytes");
      S.writeJSON("secret.json", { deviceSecret: "s3", n: 1 });
      r1 = S.write("a-very-long-storage-name-exceeding-28", "x");
      try { S.write("empty", ""); r2 = "no throw"; } catch (e) { r2 = e.message; }
      r3 = S.read("missing");
    `);
    expect(a.global.r1).toBe(true);
    expect(a.global.r2).toBe("Can't create zero length file");
    expect(a.global.r3).toBeUndefined();
    expect(a.storage.list()).toEqual(['a-very-long-storage-name-exc', 'cfg', 'secret.json']);
    await a.close();
    const b = new SimBoard({ storageDir: dir });
    b.run('var S = require("Storage"); r1 = S.read("cfg"); r2 = S.readJSON("secret.json").deviceSecret; r3 = S.list().length; S.erase("cfg"); r4 = S.getStats().fileCount; r5 = S.getFree() > 0;');
    expect(b.global.r1).toBe('\x00\xff bytes');
    expect([b.global.r2, b.global.r3, b.global.r4, b.global.r5]).toEqual(['s3', 3, 2, true]);
    expect(b.storage.read('cfg')).toBeUndefined();
    await b.close();
  });
});

describe('SimBoard Wifi', () => {
  it('drop() emits disconnected and fails sockets and connects until the app re-joins after restore()', async () => {
    const board = new SimBoard();
    try {
      board.run(`
        var wifi = require("Wifi"), ev = [];
        wifi.on("disconnected", function (d) { ev.push("disconnected:" + d.reason); });
        wifi.on("connected", function (d) { ev.push("connected:" + d.ip); });
      `);
      board.wifi.drop('beacon_timeout');
      expect(board.wifi.isUp()).toBe(false);
      await board.waitFor(() => board.global.ev.length === 1);
      expect(board.global.ev[0]).toBe('disconnected:beacon_timeout');
      board.run('try { require("net").connect({host: "x.iot-as-mqtt.cn-shanghai.aliyuncs.com", port: 1883}); r1 = "ok"; } catch (e) { r1 = e.message; }');
      expect(board.global.r1).toBe('Unable to locate host');
      board.run('wifi.connect("ap", {password: "p"}, function (err) { r2 = err; });');
      await board.waitFor(() => board.global.r2 !== undefined);
      expect(board.global.r2).toBe('no_ap_found');
      board.wifi.restore();
      expect(board.wifi.isUp()).toBe(false); // the firmware does not re-join by itself
      board.run('r3 = undefined; wifi.connect("ap", {password: "p"}, function (err) { r3 = err; });');
      await board.waitFor(() => board.global.r3 !== undefined);
      expect(board.global.r3).toBeNull();
      expect(board.wifi.isUp()).toBe(true);
      expect(board.run('wifi.getIP().ip')).not.toBe('0.0.0.0');
    } finally {
      await board.close();
    }
  });

  it('drop() closes open sockets with an error and close(true)', async () => {
    const net = await import('net');
    const srv = net.createServer((s) => s.resume());
    const port = await listen(srv);
    const board = new SimBoard();
    try {
      board.run(`var ev = []; var s = require("net").connect({host: "127.0.0.1", port: ${port}}, function () { ev.push("connect"); });
        s.on("error", function (e) { ev.push("error"); }); s.on("close", function (h) { ev.push("close:" + h); });`);
      await board.waitFor(() => board.global.ev.length === 1);
      board.wifi.drop();
      await board.waitFor(() => board.global.ev.length === 3);
      expect([...board.global.ev]).toEqual(['connect', 'error', 'close:true']);
      board.run('try { s.write("x"); r = "ok"; } catch (e) { r = e.message; }');
      expect(board.global.r).toBe('This socket is closed');
    } finally {
      await board.close();
      await closeServer(srv);
    }
  });
});

describe('SimBoard http', () => {
  it('POSTs a form with the caller\'s Content-Length and reads a JSON reply; statusCode is a string', async () => {
    let seen: { method?: string; body: string; headers: http.IncomingHttpHeaders } = { body: '', headers: {} };
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        seen = { method: req.method, body, headers: req.headers };
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 200, data: { deviceSecret: 'abc' } }));
      });
    });
    const port = await listen(srv);
    const board = new SimBoard();
    try {
      board.run(`
        var body = "productKey=pk&deviceName=dn";
        var req = require("http").request({host: "127.0.0.1", port: ${port}, path: "/auth/register/device", method: "POST",
          headers: {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length}}, function (res) {
          status = res.statusCode; var text = "";
          res.on("data", function (d) { text += d; });
          res.on("end", function () { reply = JSON.parse(text); });
        });
        req.end(body);
      `);
      await board.waitFor(() => board.global.reply !== undefined);
      expect(board.global.status).toBe('200');
      expect(board.global.reply.data.deviceSecret).toBe('abc');
      expect(seen.method).toBe('POST');
      expect(seen.body).toBe('productKey=pk&deviceName=dn');
      expect(seen.headers['user-agent']).toBe('Espruino 2v29');
      board.run('try { require("http").request({host: "nowhere.example", port: 80}); r = "ok"; } catch (e) { r = e.message; }');
      expect(board.global.r).toBe('Unable to locate host');
    } finally {
      await board.close();
      await closeServer(srv);
    }
  });

  it('sends no body length when the caller gives none (as Espruino)', async () => {
    let headers: http.IncomingHttpHeaders = {};
    const srv = http.createServer((req, res) => { headers = req.headers; req.resume(); res.end('ok'); });
    const port = await listen(srv);
    const board = new SimBoard();
    try {
      board.run(`require("http").request({host: "127.0.0.1", port: ${port}, method: "POST"}, function (res) { res.on("data", function (d) { got = d; }); }).end("abc");`);
      await board.waitFor(() => board.global.got === 'ok');
      expect(headers['content-length']).toBeUndefined();
      expect(headers['transfer-encoding']).toBeUndefined();
    } finally {
      await board.close();
      await closeServer(srv);
    }
  });
});

describe('SimBoard power-on and load()', () => {
  it('boot() runs .boot0 ... .boot3 then .bootcde from Storage; load() halts and onLoad starts the next interpreter', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simboard-boot-'));
    const lines: string[] = [];
    const boards: SimBoard[] = [];
    const power = () => {
      const b = new SimBoard({ storageDir: dir, log: (l) => lines.push(l), onLoad: () => power() });
      boards.push(b);
      b.boot();
    };
    try {
      const writer = new SimBoard({ storageDir: dir });
      writer.storage.write('.bootcde', 'var n = (require("Storage").readJSON("n", 1) || 0) + 1; require("Storage").writeJSON("n", n); print("bootcde " + n + " " + typeof early); if (n < 3) setTimeout(function () { load(); }, 1);');
      writer.storage.write('.boot1', 'var early = 1; print("boot1");');
      writer.storage.write('.boot0', 'print("boot0");');
      await writer.close();
      power();
      await boards[0].waitFor(() => lines.includes('bootcde 3 number'));
      expect(lines).toEqual(['boot0', 'boot1', 'bootcde 1 number', 'boot0', 'boot1', 'bootcde 2 number', 'boot0', 'boot1', 'bootcde 3 number']);
      // a halted board runs nothing more
      expect(boards[0].halted && boards[1].halted && !boards[2].halted).toBe(true);
    } finally {
      for (const b of boards) await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an HTTP body cut by the server ends with end and close, as on Espruino', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(300, 65), () => res.socket?.destroy());
    });
    const port = await listen(server);
    const board = new SimBoard({ dns: { '*': '127.0.0.1' } });
    try {
      board.run(`var got = 0, ev = []; require("http").get("http://example.com:${port}/", function (res) {
        res.on("data", function (d) { got += d.length; });
        res.on("end", function () { ev.push("end"); });
        res.on("close", function () { ev.push("close " + got); });
      });`);
      await board.waitFor(() => board.run('ev.length') === 2);
      expect(board.run('ev.join()')).toBe('end,close 300');
    } finally {
      await board.close();
      await closeServer(server);
    }
  });
});
