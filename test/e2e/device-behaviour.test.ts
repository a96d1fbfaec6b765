/**
 * Device behaviour beyond the HaaS documents' examples, end to end: SimBoard runs build/aliyunIoT.js and
 * an app script; the emulator drives the cloud side over real sockets.
 */
import type { RunningCloud } from '../../sim/cloud';
import { cloudUp, boardUp, Rig, PK } from './support';

let cloud: RunningCloud;
let rig: Rig;

beforeAll(async () => {
  cloud = await cloudUp();
});
afterAll(async () => {
  await cloud.stop();
});
afterEach(async () => {
  await rig.close();
});

/**
 * Boots a board with an app: `setup` runs before connect() (handlers; it may replace the
 * default ON_CONNECT handler, then it prints its own marker), `body` right after it.
 * `device`, `cfg` and `log` are in scope; `files` are put in Storage first. Resolves once
 * `waitFor` was printed.
 */
async function app(setup: string, body = '', opts: { tls?: boolean; waitFor?: string; crypto?: boolean; memory?: boolean; files?: Record<string, string> } = {}) {
  rig = await boardUp(cloud, opts);
  for (const [name, data] of Object.entries(opts.files ?? {})) rig.board.storage.write(name, data);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    var device = new aliyunIoT.Device();
    var log = function (tag, d) { print(tag + " " + JSON.stringify(d)); };
    device.on(device.ON_CONNECT, function () { print("connected"); });
    ${setup}
    device.connect(cfg);
    ${body}
  `);
  await rig.printed(opts.waitFor ?? 'connected');
}

const dn = 'dev001';

test('property set from the cloud: ON_PROPS gets the JSON text, the platform gets 200', async () => {
  await app(`device.on(device.ON_PROPS, function (d) { log("props", d); });`);
  const r = await cloud.api.setProperties(PK, dn, { Brightness: 42 });
  expect(r).toMatchObject({ status: 'reply', code: 200 });
  await rig.printed('props ');
  const d = JSON.parse(rig.board.output.find((l) => l.startsWith('props '))!.slice(6));
  expect(JSON.parse(d.params)).toEqual({ Brightness: 42 });
  expect(d.params_len).toBe(d.params.length);
  expect(typeof d.msg_id).toBe('number');
});

test('property set refused by the app: the handler returns the code the platform sees', async () => {
  await app(`device.on(device.ON_PROPS, function (d) { return 460; });`);
  const r = await cloud.api.setProperties(PK, dn, { Brightness: 500 });
  expect(r).toMatchObject({ status: 'reply', code: 460 });
});

test('asynchronous service: the outputs the handler returns reach the platform', async () => {
  await app(`device.on(device.ON_SERVICE, function (d) { log("svc", {id: d.service_id, sync: d.sync, params: JSON.parse(d.params)}); return { Rtt: 7 }; });`);
  const r = await cloud.api.invokeService(PK, dn, 'Reboot', { DelaySec: 3 });
  expect(r).toMatchObject({ status: 'reply', code: 200, data: { Rtt: 7 } });
  await rig.printed('svc {"id":"Reboot","sync":false,"params":{"DelaySec":3}}');
});

test('synchronous service (RRPC): answered later with data.reply within the deadline', async () => {
  await app(`device.on(device.ON_SERVICE, function (d) { setTimeout(function () { d.reply({ Rtt: 3 }, 200); }, 300); });`);
  const r = await cloud.api.invokeService(PK, dn, 'Ping', {}, { sync: true, timeoutMs: 3000 });
  expect(r).toMatchObject({ status: 'reply', code: 200, data: { Rtt: 3 } });
});

test('raw data down: ON_RAWDATA gets the bytes', async () => {
  await app(`device.on(device.ON_RAWDATA, function (d) { var a = []; for (var i = 0; i < d.params.length; i++) a.push(d.params[i]); print("raw " + d.params_len + " " + a.join(",")); });`);
  expect(cloud.api.pushRaw(PK, dn, new Uint8Array([0, 1, 0xfe, 0xff]))).toBe(true);
  await rig.printed('raw 4 0,1,254,255');
});

test('Chinese text survives both ways: a posted property and a property set', async () => {
  await app(`
    device.on(device.ON_PROPS, function (d) { print("set " + JSON.parse(d.params).Label); });
    device.on(device.ON_CONNECT, function () { print("connected"); device.postProps({ params: JSON.stringify({ Label: "温度传感器" }) }); });
  `);
  await rig.board.waitFor(() => cloud.api.properties(PK, dn)?.Label?.value === '温度传感器', 5000);
  const r = await cloud.api.setProperties(PK, dn, { Label: '你好，世界' });
  expect(r).toMatchObject({ status: 'reply', code: 200 });
  await rig.printed('set 你好，世界');
});

test('post callback and ON_REPLY carry the platform reply code', async () => {
  await app(
    `device.on(device.ON_REPLY, function (d) { log("reply", d); });`,
    `device.postProps({ params: { Brightness: 5 } }, function (d) { log("cb", d); });`,
  );
  await rig.printed('cb {"code":0');
  await rig.printed('reply {"code":0');
});

test('a dropped connection: ON_DISCONNECT, reconnect by itself, and a post made offline is delivered', async () => {
  await app(
    `
    var n = 0;
    device.on(device.ON_CONNECT, function () { n++; print("connect " + n); });
    device.on(device.ON_DISCONNECT, function (d) { print("disconnect"); device.postProps({ params: { Brightness: 77 } }); });
  `,
    '',
    { waitFor: 'connect 1' },
  );
  expect(cloud.api.dropConnection(PK, dn)).toBe(true);
  await rig.printed('disconnect');
  await rig.printed('connect 2', 20000);
  await rig.board.waitFor(() => cloud.api.properties(PK, dn)?.Brightness?.value === 77, 5000);
});

test('TLS: connects with securemode 2 on the TLS port', async () => {
  await app('', `device.postProps({ params: { Brightness: 9 } });`, { tls: true });
  await rig.board.waitFor(() => cloud.api.properties(PK, dn)?.Brightness?.value === 9, 5000);
  expect(cloud.api.device(PK, dn)!.tls).toBe(true);
});

test('a wrong secret: refused, reported through ON_ERROR, never ON_CONNECT', async () => {
  rig = await boardUp(cloud);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    cfg.deviceSecret = "wrong";
    var device = new aliyunIoT.Device();
    device.on(device.ON_CONNECT, function () { print("connected"); });
    device.on(device.ON_ERROR, function (d) { print("error " + d.code); });
    device.connect(cfg);
  `);
  await rig.printed('error -30');
  expect(rig.board.output.some((l) => l === 'connected')).toBe(false);
});

describe('bad input: a code and ON_ERROR, no throw, nothing queued lost', () => {
  test('calls before connect and after end', async () => {
    rig = await boardUp(cloud);
    rig.board.run(`
      var aliyunIoT = require("aliyunIoT");
      var device = aliyunIoT.Device();
      var errors = [];
      device.on(device.ON_ERROR, function (d) { errors.push(d.code + ":" + d.message); });
      print("before " + device.postProps({ params: "{}" }) + " " + device.subscribe({ topic: "/x/y/user/get" }) + " " + device.getNtpTime(function () {}));
      device.end();
      print("after " + device.postProps({ params: "{}" }) + " " + device.connect({}));
      print("errors " + errors.join(","));
    `);
    await rig.printed('before -104 -104 -104');
    await rig.printed('after -105 -105');
    await rig.printed('errors -104:postProps,-104:subscribe,-104:getNtpTime,-105:postProps,-105:connect');
  });

  test('bad arguments while connected; what was queued before still arrives', async () => {
    // One of the calls builds a 270,000-character payload (about 27,000 JsVars): more than a board
    // holds, so the memory meter is off; what is tested is the refusal (-102).
    await app(`device.on(device.ON_ERROR, function (d) { print("error " + d.code + " " + d.message); });`, `
      device.postProps({ params: { Brightness: 61 } });
      var codes = [
        device.postProps(),
        device.postProps({ params: "{not json" }),
        device.postProps({ params: 5 }),
        device.postEvent({ params: "{}" }),
        device.publish({ topic: "/otherPK/otherDev/user/update", payload: "x" }),
        device.subscribe({ topic: 5 }),
        device.publish({ topic: "/${PK}/${dn}/user/update", payload: require("Storage").read("big") }),
        device.on(99, function () {}),
        device.on(device.ON_PROPS, "not a function"),
        device.connect(cfg)
      ];
      print("codes " + codes.join(","));
    `, { files: { big: 'a'.repeat(270000) } });
    await rig.printed('codes -101,-101,-101,-101,-103,-101,-102,-101,-101,-106');
    await rig.board.waitFor(() => cloud.api.properties(PK, dn)?.Brightness?.value === 61, 5000);
    expect(rig.board.uncaught).toEqual([]);
  });

  test('params and outputs no JSON can hold (circular, nested 20,000 deep, a throwing toJSON): -101 and ON_ERROR, no throw; a good post after them arrives', async () => {
    // An object nested 20,000 deep takes about 60,000 JsVars: more than a board holds, so the
    // memory meter is off; what is tested is the refusal.
    await app(`device.on(device.ON_ERROR, function (d) { print("error " + d.code + " " + d.message); });`, `
      var loop = { a: 1 };
      loop.self = loop;
      var deep = { leaf: 1 };
      for (var i = 0; i < 20000; i++) deep = { v: deep };
      var bad = { toJSON: function () { throw new Error("toJSON failed"); } };
      var codes = [
        device.postProps({ params: loop }),
        device.postProps({ params: deep }),
        device.postProps({ params: { ok: 1, inner: bad } }),
        device.postEvent({ id: "Alarm", params: [1, loop] }),
        device.postProps({ params: { Brightness: 62 } })
      ];
      print("codes " + codes.join(","));
    `, { memory: false });
    await rig.printed('codes -101,-101,-101,-101,0');
    expect(rig.board.output.filter((l) => l.startsWith('error '))).toEqual(['error -101 postProps', 'error -101 postProps', 'error -101 postProps', 'error -101 postEvent']);
    await rig.board.waitFor(() => cloud.api.properties(PK, dn)?.Brightness?.value === 62, 5000);
    expect(rig.board.uncaught).toEqual([]);
  });

  test('a service answered with outputs no JSON can hold: -101 and ON_ERROR, and the call can still be answered', async () => {
    await app(`
      device.on(device.ON_ERROR, function (d) { print("error " + d.code + " " + d.message); });
      device.on(device.ON_SERVICE, function (d) {
        var loop = { a: 1 };
        loop.self = loop;
        print("first " + d.reply(loop));
        print("second " + d.reply({ Rtt: 5 }));
      });`);
    const r = await cloud.api.invokeService(PK, dn, 'Ping', {}, { sync: true, timeoutMs: 3000 });
    expect(r).toMatchObject({ status: 'reply', code: 200, data: { Rtt: 5 } });
    await rig.printed('first -101');
    await rig.printed('error -101 reply');
    await rig.printed('second 0');
    expect(rig.board.uncaught).toEqual([]);
  });

  test('keepaliveSec outside 30..1200 is refused', async () => {
    rig = await boardUp(cloud);
    rig.board.run(`
      var cfg = require("Storage").readJSON("aliyunIoT.json").device;
      cfg.keepaliveSec = 10;
      print("ka " + new (require("aliyunIoT").Device)().connect(cfg));
    `);
    await rig.printed('ka -108');
  });
});

describe('uploads', () => {
  test('progress per acknowledged block, then one final result', async () => {
    await app(
      '',
      `var data = ""; for (var i = 0; i < 5000; i++) data += String.fromCharCode(i & 255);
       print("task " + device.uploadContent("p.bin", data, function (r) { log("up", { o: r.offset, c: r.complete, code: r.code }); }));`,
    );
    await rig.printed('task 1');
    await rig.printed('up {"o":5000,"c":true,"code":0}');
    const ups = rig.board.output.filter((l) => l.startsWith('up '));
    expect(ups).toEqual(['up {"o":2048,"c":false,"code":0}', 'up {"o":4096,"c":false,"code":0}', 'up {"o":5000,"c":true,"code":0}']);
  });

  test('a dropped connection mid-upload: the upload resumes and the file arrives whole', async () => {
    const size = 120 * 1024;
    await app(
      '',
      `var data = ""; for (var i = 0; i < ${size}; i++) data += String.fromCharCode((i * 13) & 255);
       var dropped = false;
       device.uploadContent("big.bin", data, function (r) {
         if (r.offset >= 20480 && !dropped) { dropped = true; print("half way"); }
         if (r.complete) log("done", { code: r.code, size: r.size });
       });`,
    );
    await rig.printed('half way');
    expect(cloud.api.dropConnection(PK, dn)).toBe(true);
    await rig.printed(`done {"code":0,"size":${size}}`, 40000);
    const expected = Buffer.from(Array.from({ length: size }, (_, i) => (i * 13) & 255));
    expect(cloud.api.readFile(PK, dn, 'big.bin')).toEqual(expected);
  }, 60000);

  test('bad name, over 16 MB, missing Storage file: null and ON_ERROR, nothing sent', async () => {
    // A 16 MB string is far more than a board holds (about 1.7 million JsVars): the memory
    // meter is off; what is tested is that the module refuses it without sending anything.
    await app(
      `device.on(device.ON_ERROR, function (d) { print("error " + d.code + " " + d.message); });`,
      `var big = new Array(16777216 + 2).join("a");
       print("results " + [device.uploadContent("../x", "abc"), device.uploadContent("ok.bin", big), device.uploadFile("missing.bin")].join(","));`,
      { memory: false },
    );
    await rig.printed('results ,,');
    await rig.printed('error -101 uploadContent');
    await rig.printed('error -102 uploadContent');
    await rig.printed('error -107 uploadFile');
    expect(cloud.api.uploadsInProgress(PK, dn)).toEqual([]);
  });
});

describe('dynamic registration variants', () => {
  const REG = 'a1E2eRegPK1';

  test('HTTPS: the callback gets the secret (as HaaS) and it is stored; a second register answers from Storage without the cloud', async () => {
    rig = await boardUp(cloud);
    rig.board.run(`
      var device = new (require("aliyunIoT").Device)();
      var info = { productKey: "${REG}", deviceName: "reg002", productSecret: "e2eRegSecret0001", transport: "https", host: "127.0.0.1", port: ${cloud.httpsPort} };
      device.register(info, function (secret, d) {
        print("first " + d.code + " " + secret);
        info.productSecret = "wrong";
        device.register(info, function (s2, d2) { print("second " + d2.code + " " + (s2 === device.getDeviceInfo().deviceSecret)); });
      });
    `);
    await rig.printed('first 0');
    const issued = cloud.core.registry.device(REG, 'reg002')!.deviceSecret!;
    expect(rig.board.output).toContain('first 0 ' + issued);
    await rig.printed('second 0 true');
    expect(rig.board.run('new (require("aliyunIoT").Device)().getDeviceInfo().deviceSecret')).toBe(issued);
  });

  test('pre-registration-free (regnwl): a token is stored and connect() logs in with it (connwl)', async () => {
    rig = await boardUp(cloud);
    rig.board.run(`
      var device = new (require("aliyunIoT").Device)();
      device.on(device.ON_CONNECT, function () { print("connected"); });
      device.register({ productKey: "${REG}", deviceName: "nwl001", productSecret: "e2eRegSecret0001", preRegister: false, host: "127.0.0.1", port: ${cloud.tlsPort} }, function (token, d) {
        print("registered " + d.code);
        device.connect({ productKey: "${REG}", deviceName: "nwl001", host: "127.0.0.1", port: ${cloud.tlsPort}, tls: true });
      });
    `);
    await rig.printed('registered 0');
    await rig.printed('connected');
    expect(cloud.api.isOnline(REG, 'nwl001')).toBe(true);
    expect(cloud.api.device(REG, 'nwl001')!.clientId).toContain('authType=connwl');
  });

  test('a wrong productSecret: refused on ON_ERROR (HaaS never calls the callback without a secret), nothing stored', async () => {
    rig = await boardUp(cloud);
    rig.board.run(`
      var device = new (require("aliyunIoT").Device)();
      device.on(device.ON_ERROR, function (e) { print("code " + e.code + " " + e.message + " " + device.getDeviceInfo()); });
      device.register({ productKey: "${REG}", deviceName: "reg001", productSecret: "wrong", host: "127.0.0.1", port: ${cloud.tlsPort} }, function () {
        print("callback called");
      });
    `);
    await rig.printed('code -30');
    expect(rig.board.output.find((l) => l.startsWith('code '))).toMatch(/^code -30\d register null$/);
    expect(rig.board.output).not.toContain('callback called');
  });
});

test("an exception in the app's callback is the app's: reported by the board, the device keeps working", async () => {
  await app(
    '',
    `device.postProps({ params: { Brightness: 1 } }, function () { throw new Error("app bug"); });
     device.getNtpTime(function () { throw new Error("app bug 2"); });
     setTimeout(function () { device.postProps({ params: { Brightness: 2 } }, function (d) { print("second " + d.code); }); }, 300);`,
  );
  await rig.printed('second 0');
  expect(rig.board.uncaught.map((e: any) => String(e.message ?? e))).toEqual(expect.arrayContaining([expect.stringContaining('app bug'), expect.stringContaining('app bug 2')]));
  expect(cloud.api.properties(PK, dn)?.Brightness?.value).toBe(2);
});

test('Wi-Fi drops and the access point comes back: the module re-joins Wi-Fi and reconnects by itself', async () => {
  await app(
    `
    var n = 0;
    device.on(device.ON_CONNECT, function () { n++; print("connect " + n); });
    device.on(device.ON_DISCONNECT, function (d) { print("disconnect " + d.code); });
  `,
    '',
    { waitFor: 'connect 1' },
  );
  rig.board.wifi.drop('beacon_timeout');
  await rig.printed('disconnect');
  await rig.board.waitFor(() => !cloud.api.isOnline(PK, dn), 10000);
  rig.board.wifi.restore();
  // Nobody in the app calls wifi.connect(): the module re-joins (first retry after 2 s).
  await rig.printed('connect 2', 30000);
  expect(rig.board.wifi.isUp()).toBe(true);
  expect(cloud.api.isOnline(PK, dn)).toBe(true);
}, 40000);

test('a message over maxPacketBytes: reported as ON_ERROR -316, never held whole; the device carries on', async () => {
  // The app subscribes, then publishes "ready" to the same topic: its echo proves the subscription is in place.
  await app(
    `cfg.maxPacketBytes = 8192;
     var topic = "/${PK}/${dn}/user/aos_test";
     device.on(device.ON_ERROR, function (d) { print("error " + d.code); });
     device.on(device.ON_SUBCRIBE, function (d) { print("got " + d.payload.length); });
     device.on(device.ON_CONNECT, function () {
       device.subscribe({ topic: topic, qos: 1 });
       device.publish({ topic: topic, qos: 1, payload: "ready" });
     });`,
    '',
    { waitFor: 'got 5' },
  );
  expect(cloud.api.publish(PK, dn, 'user/aos_test', 'x'.repeat(100_000), 1)).toBe(true);
  await rig.printed('error -316');
  expect(cloud.api.publish(PK, dn, 'user/aos_test', 'y'.repeat(8000), 1)).toBe(true);
  await rig.printed('got 8000');
  expect(rig.board.output.filter((l) => l.startsWith('got '))).toEqual(['got 5', 'got 8000']);
  expect(cloud.api.isOnline(PK, dn)).toBe(true);
});

test('firmware without crypto: the pure-JS SHA signs, with hmacsha256 and with hmacsha1', async () => {
  await app(
    `device.on(device.ON_CONNECT, function () {
       var c; try { c = require("crypto"); } catch (e) {}
       print("connected " + typeof c);
       device.end();
       var d2 = new aliyunIoT.Device();
       d2.on(d2.ON_CONNECT, function () { print("sha1 connected"); d2.end(); });
       cfg.signMethod = "hmacsha1";
       d2.connect(cfg);
     });`,
    '',
    { crypto: false, waitFor: 'sha1 connected' },
  );
  expect(rig.board.output).toContain('connected undefined');
});
