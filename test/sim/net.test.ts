import * as net from 'net';
import * as tls from 'tls';
import { SimBoard } from '../../sim/board';
import { closeServer, freePort, listen, selfSignedCert } from './helpers';

describe('SimBoard net/tls sockets', () => {
  let board: SimBoard;
  const servers: net.Server[] = [];
  beforeEach(() => { board = new SimBoard(); });
  afterEach(async () => {
    await board.close();
    for (const s of servers.splice(0)) await closeServer(s);
  });

  async function server(onConn: (s: net.Socket) => void): Promise<number> {
    const srv = net.createServer(onConn);
    servers.push(srv);
    return listen(srv);
  }

  it('delivers received data as byte strings of at most 536 bytes, then end and close(false)', async () => {
    const payload = Buffer.alloc(1500);
    for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
    const port = await server((s) => { s.end(payload); });
    board.run(`
      var chunks = [], events = [];
      var sock = require("net").connect({host: "127.0.0.1", port: ${port}}, function () { events.push("connect"); });
      sock.on("data", function (d) { chunks.push(d); events.push(typeof d); });
      sock.on("end", function () { events.push("end"); });
      sock.on("close", function (e) { events.push("close:" + e); });
    `);
    await board.waitFor(() => board.global.events.includes('close:false'));
    const chunks: string[] = board.global.chunks;
    expect(chunks.every((c) => c.length <= 536)).toBe(true);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const all = chunks.join('');
    expect(Buffer.from(all, 'latin1').equals(payload)).toBe(true);
    const ev: string[] = [...board.global.events];
    expect(ev[0]).toBe('connect');
    expect(ev.slice(-2)).toEqual(['end', 'close:false']);
    expect(ev.filter((e) => e === 'string').length).toBe(chunks.length);
  });

  it('sends a Uint8Array as its text "1,2,3", binary strings as bytes, and write returns false', async () => {
    const received: Buffer[] = [];
    let done!: () => void;
    const closed = new Promise<void>((r) => { done = r; });
    const port = await server((s) => { s.on('data', (d) => received.push(d)); s.on('end', () => { s.end(); done(); }); });
    board.run(`
      var sock = require("net").connect({host: "127.0.0.1", port: ${port}}, function () {
        r1 = sock.write(new Uint8Array([1,2,3]));
        sock.write("|\\x00\\xff\\x80");
        sock.end();
      });
    `);
    await closed;
    expect(Buffer.concat(received)).toEqual(Buffer.from([0x31, 0x2c, 0x32, 0x2c, 0x33, 0x7c, 0x00, 0xff, 0x80]));
    expect(board.global.r1).toBe(false);
  });

  it('throws synchronously for an unknown host and for a refused connection', async () => {
    const port = await freePort();
    board.run(`
      try { require("net").connect({host: "no.such.host.example", port: 80}); r1 = "no throw"; } catch (e) { r1 = String(e); }
      try { require("net").connect({host: "127.0.0.1", port: ${port}}); r2 = "no throw"; } catch (e) { r2 = String(e); }
    `);
    expect(board.global.r1).toBe('InternalError: Unable to locate host');
    expect(board.global.r2).toBe('InternalError: Unable to create socket');
    expect(board.output).toContain('Connect failed (err 111)');
  });

  it('resolves *.aliyuncs.com to the local machine by default', async () => {
    const port = await server((s) => s.end('hi'));
    board.run(`
      var got = "";
      require("net").connect({host: "a1b2c3.iot-as-mqtt.cn-shanghai.aliyuncs.com", port: ${port}}).on("data", function (d) { got += d; });
    `);
    await board.waitFor(() => board.global.got === 'hi');
  });

  it('throws "This socket is closed" when writing after end()', async () => {
    const port = await server((s) => s.resume());
    board.run(`
      var s = require("net").connect({host: "127.0.0.1", port: ${port}}, function () {
        s.end();
        try { s.write("x"); r = "no throw"; } catch (e) { r = e.message; }
      });
    `);
    await board.waitFor(() => board.global.r !== undefined);
    expect(board.global.r).toBe('This socket is closed');
  });

  it('TLS: connect fires before the handshake, writes wait for it; a server close gives error -30848, end, close(true)', async () => {
    const { key, cert } = selfSignedCert();
    let gotFromBoard = '';
    const srv = tls.createServer({ key, cert }, (s) => {
      s.on('data', (d) => {
        gotFromBoard += d.toString('latin1');
        s.end('bye');
      });
    });
    servers.push(srv);
    let handshakes = 0;
    srv.on('secureConnection', () => { handshakes++; });
    const port = await listen(srv);
    board.run(`
      var ev = [];
      var s = require("tls").connect({host: "127.0.0.1", port: ${port}}, function () {
        ev.push("connect");
        s.write("hello");
      });
      s.on("data", function (d) { ev.push("data:" + d); });
      s.on("error", function (e) { ev.push("error:" + e.code); });
      s.on("end", function () { ev.push("end"); });
      s.on("close", function (h) { ev.push("close:" + h); });
    `);
    await board.waitFor(() => board.global.ev.some((e: string) => e.startsWith('close')));
    expect([...board.global.ev]).toEqual(['connect', 'data:bye', 'error:-30848', 'end', 'close:true']);
    expect(gotFromBoard).toBe('hello');
    expect(handshakes).toBe(1);
  });

  it('TLS: "connect" is reported before the server has completed the handshake', async () => {
    const { key, cert } = selfSignedCert();
    let secureAtConnect: boolean | undefined;
    let secured = false;
    const srv = tls.createServer({ key, cert }, (s) => s.resume());
    srv.on('secureConnection', () => { secured = true; });
    servers.push(srv);
    const port = await listen(srv);
    board.run(`
      var s = require("tls").connect({host: "127.0.0.1", port: ${port}});
      s.on("connect", function () { onConnect(); });
    `);
    board.global.onConnect = () => { secureAtConnect = secured; };
    await board.waitFor(() => secureAtConnect !== undefined);
    expect(secureAtConnect).toBe(false);
  });

  it('closes sockets on board.close() so servers see the end', async () => {
    let serverSawClose = false;
    const port = await server((s) => { s.resume(); s.on('close', () => { serverSawClose = true; }); });
    board.run(`var s = require("net").connect({host: "127.0.0.1", port: ${port}}, function () { connected = true; });`);
    await board.waitFor(() => board.global.connected === true);
    await board.close();
    await new Promise<void>((r) => { const t = setInterval(() => { if (serverSawClose) { clearInterval(t); r(); } }, 5); });
    expect(serverSawClose).toBe(true);
  });
});
