/**
 * The module on the Espruino interpreter itself, against the cloud emulator, with the module in
 * Storage as `npm run flash` installs it (build/aliyunIoT.min.js):
 *
 * - interpreter time per acknowledged post without a network (the peer is a minimal broker in
 *   the same script; only the module's work is timed), windows 1 and 16;
 * - per call: interpreter time of each API method (batches of 8 calls, acknowledgements drained
 *   between batches; the socket write is part of the call);
 * - acknowledged posts/s: postProps with a callback, 1 and 16 outstanding, for a few seconds;
 * - JsVars of the module and a connected Device, and per post in flight (16 awaiting their replies);
 * - one TLS connection: JsVars of a Device connected over TLS against plain TCP (on the Linux
 *   build mbedTLS allocates from the JsVar pool; on the ESP32 it uses the native heap);
 * - QoS 0 burst: publish() called N times in a row (500 and 1,000): how many returned 0, how
 *   many the emulator received, peak JsVars, and whether the interpreter ran low on memory;
 * - gateway scale: sub-devices added to the topology and logged in by batches, each posting
 *   once; JsVars connected, and peak;
 * - large gateway: the same with the sub-device list in a Storage file, added and logged in by
 *   one call each, then logged in again from the file after the emulator drops the connection;
 * - side by side, when MQTT_MODULE names the EspruinoDocs MQTT module's file (modules/MQTT.js):
 *   its publish() per call and its QoS 1 PUBACKs/s at windows 1 and 16, on the same interpreter.
 *
 *   ESPRUINO=/path/to/espruino [MQTT_MODULE=/path/to/MQTT.js] npx tsx bench/interpreter.ts [seconds = 3] [sub-devices = 200] [cpu,device,tls,burst,gateway,gatewayfile,mqtt]
 *   npm run bench:interpreter
 *
 * Every JsVar figure is counted as bench/memory.ts counts: JsVars in use (process.memory().usage)
 * above what the interpreter used just before require("aliyunIoT") (or require("MQTT")), that
 * reading taken in a timer callback once the script's top level has run (the interpreter frees
 * the script's text then). What the scenario's own app code holds (its handlers, lists of
 * sub-devices...) is in the figures, as it would be on a board.
 *
 * The interpreter is named by ESPRUINO (an ESP32-like Linux build of Espruino 2v29: 16,383
 * variables, no unicode; the README says which builds the quoted figures came from); without
 * it the bench says so and exits 0. Needs build/ (npm run build). Prints figures; never fails
 * on time.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { start, type RegistryFile } from '../sim/cloud';
import { espruinoDir, figureLines, runEspruino, storeFile } from './support/espruino';

const ROOT = path.resolve(__dirname, '..');
const SECONDS = Number(process.argv[2]) || 3;
const SUBS = Number(process.argv[3]) || 200;
/** Which scenarios to run (default all): cpu, device, tls, burst, gateway, gatewayfile, mqtt. */
const ONLY = (process.argv[4] || 'cpu,device,tls,burst,gateway,gatewayfile,mqtt').split(',');
const PK = 'a1BenchInt1';
const DN = 'int001';
/** Bench fixtures, not real credentials. */
const SECRET = 'benchIntSecret0123456789abcdef01';
const GW_PK = 'a1BenchIgw1';
const GW_DN = 'igw1';
const GW_SECRET = 'benchGwSecret0123456789abcdef012';
const SUB_PK = 'a1BenchIsb1';
const subName = (i: number) => 's' + String(i).padStart(4, '0');
const subSecret = (i: number) => ('sub' + i + 'Secret0123456789abcdef0123456789').slice(0, 32);

function registry(): RegistryFile {
  const devices = [
    { productKey: PK, deviceName: DN, deviceSecret: SECRET },
    { productKey: GW_PK, deviceName: GW_DN, deviceSecret: GW_SECRET },
  ];
  for (let i = 0; i < SUBS; i++) devices.push({ productKey: SUB_PK, deviceName: subName(i), deviceSecret: subSecret(i) });
  return {
    products: [
      { productKey: PK, productSecret: 'benchIntProductSecret', nodeType: 'device' },
      { productKey: GW_PK, productSecret: 'benchIgwProductSecret', nodeType: 'gateway' },
      { productKey: SUB_PK, productSecret: 'benchIsbProductSecret', nodeType: 'subdevice' },
    ],
    devices,
  } as RegistryFile;
}

/** Helpers every board script starts with: timing, figures, a sequence of steps. */
const PRELUDE = `
function fig(k, v) { print("FIG " + k + " " + v); }
var steps = [], stepAt = 0;
function next() { var s = steps[stepAt++]; if (s) setTimeout(s, 50); else { print("BENCH DONE"); setTimeout(quit, 10); } }
/**
 * Interpreter ms per call of fn(i): rounds of 8 calls, 150 ms between rounds for acks to drain.
 * Printed: the fastest round (least disturbed by other work on the host) and the mean.
 */
function perCall(name, rounds, fn, then) {
  var total = 0, best = 1e9, calls = 0, bad = 0, r = 0;
  function round() {
    var t = getTime();
    for (var i = 0; i < 8; i++) if (fn(calls + i)) bad++;
    t = getTime() - t;
    total += t;
    if (t < best) best = t;
    calls += 8;
    if (++r < rounds) setTimeout(round, 150);
    else { fig("call." + name, (best * 1000 / 8).toFixed(3) + " ms (mean " + (total * 1000 / calls).toFixed(3) + ")" + (bad ? " (" + bad + " refused)" : "")); setTimeout(then, 300); }
  }
  round();
}
/**
 * Interpreter time spent in socket data handlers (where replies are handled, and the app's
 * callbacks issue the next operations): net.connect is wrapped so that every socket's "data"
 * listener is timed. With the time of the calls made outside them, it gives what one
 * operation costs the interpreter whatever share of the host it gets.
 */
var busy = 0;
(function () {
  var net = require("net"), connect = net.connect;
  net.connect = function (o, cb) {
    var sock = connect.call(net, o, cb), on = sock.on;
    sock.on = function (ev, fn) {
      if (ev == "data") { var f = fn; fn = function (d) { var t = getTime(); f(d); busy += getTime() - t; }; }
      return on.call(sock, ev, fn);
    };
    return sock;
  };
})();
/**
 * Closed loop: \`issue(done)\` starts one operation that calls done() when acknowledged. Prints
 * operations/s, and the interpreter ms per operation (see busy) with the rate that gives if
 * the interpreter has the host to itself.
 */
function loop(name, window, seconds, issue, then) {
  var n = 0, stop = 0, t0 = getTime(), b0 = busy;
  function one() { if (!stop) issue(function () { n++; one(); }); }
  var t = getTime();
  for (var i = 0; i < window; i++) one();
  busy += getTime() - t;
  setTimeout(function () {
    stop = 1;
    var per = (busy - b0) * 1000 / n;
    fig("acked." + name + ".w" + window, (n / (getTime() - t0)).toFixed(0) + " /s; interpreter " + per.toFixed(3) + " ms each (" + (1000 / per).toFixed(0) + " /s if it had the host to itself)");
    setTimeout(then, 1500);
  }, seconds * 1000);
}
`;

/**
 * A scenario's body, run from a timer once the script's top level has run, with `base` the
 * JsVars in use just before it (see the header).
 */
function scenario(body: string): string {
  return `${PRELUDE}
var base = 0;
function main() {
  base = process.memory().usage;
${body}
}
setTimeout(main, 1);
`;
}

function deviceScript(port: number): string {
  return scenario(`
var iot = require("aliyunIoT");
var d = new iot.Device();
var P = { temp: 25.5, hum: 60, name: "living room", on: true };
var PT = JSON.stringify(P);
var CUSTOM = "/${PK}/${DN}/user/update";
var errors = {};
d.on(d.ON_ERROR, function (e) { var k = e.code + " " + e.message; errors[k] = (errors[k] || 0) + 1; });
d.on(d.ON_CONNECT, function () { if (!stepAt) next(); });
fig("jsvars.module+device", process.memory().usage - base);
steps.push(function () {
  fig("jsvars.connected", process.memory().usage - base);
  perCall("postProps(object)", 25, function () { return d.postProps({ params: P }); }, next);
});
steps.push(function () { perCall("postProps(object,cb)", 25, function () { return d.postProps({ params: P }, function () {}); }, next); });
steps.push(function () { perCall("postProps(text)", 25, function () { return d.postProps({ params: PT }); }, next); });
steps.push(function () { perCall("postEvent(object)", 25, function () { return d.postEvent({ id: "alarm", params: { level: 3, where: "door" } }); }, next); });
steps.push(function () { perCall("postRaw(16B)", 25, function () { return d.postRaw({ param: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] }); }, next); });
steps.push(function () { perCall("publish(qos1)", 25, function () { return d.publish({ topic: CUSTOM, qos: 1, payload: PT }); }, next); });
steps.push(function () { perCall("publish(qos0)", 25, function () { return d.publish({ topic: CUSTOM, qos: 0, payload: PT }); }, next); });
steps.push(function () { perCall("subscribe", 4, function (i) { return d.subscribe({ topic: "/${PK}/${DN}/user/get" + i, qos: 1 }); }, next); });
steps.push(function () { perCall("unsubscribe", 4, function (i) { return d.unsubscribe({ topic: "/${PK}/${DN}/user/get" + i }); }, next); });
steps.push(function () { perCall("getDeviceInfo", 25, function () { d.getDeviceInfo(); }, next); });
steps.push(function () {
  var before = process.memory().usage;
  for (var i = 0; i < 16; i++) d.postProps({ params: P }, function () {});
  var held = process.memory().usage;
  fig("jsvars.per-post-in-flight", ((held - before) / 16).toFixed(1) + " (16 outstanding: " + (held - base) + ")");
  setTimeout(next, 1500);
});
[1, 16].forEach(function (w) {
  steps.push(function () { loop("postProps", w, ${SECONDS}, function (done) { if (d.postProps({ params: P }, done)) setTimeout(done, 1); }, next); });
});
steps.push(function () { fig("errors", JSON.stringify(errors)); next(); });
d.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${port}, tls: false, keepaliveSec: 60 });
`);
}

/**
 * Interpreter time per acknowledged post with no network at all: net.connect is replaced by a
 * socket whose peer is a minimal broker in the same script (CONNACK, SUBACK, PUBACK, and the
 * cloud's reply to each property post). Only the module's own work is timed: postProps, and the
 * socket's data handler fed the PUBACK and the reply, as the interpreter would. The broker's
 * work is not counted. Host noise still scales the figures, but no socket or emulator is in them.
 */
function cpuScript(n: number): string {
  return `${PRELUDE}
var net = require("net"), handlers = {}, written = [];
net.connect = function () {
  var sock = { on: function (ev, fn) { handlers[ev] = fn; return sock; }, write: function (d) { written.push(d); return false; }, end: function () {} };
  setTimeout(function () { handlers.connect(); }, 0);
  return sock;
};
function len(n) { var s = ""; do { var b = n & 127; n >>= 7; s += String.fromCharCode(n ? b | 128 : b); } while (n); return s; }
function publish0(topic, payload) { var b = String.fromCharCode(topic.length >> 8, topic.length & 255) + topic + payload; return "\\x30" + len(b.length) + b; }
/** What the broker (and the cloud behind it) answers to everything the module wrote. */
function serve() {
  var buf = written.join(""), i = 0, out = "", replies = "";
  written = [];
  while (i < buf.length) {
    var first = buf.charCodeAt(i++), n = 0, mul = 1, c;
    do { c = buf.charCodeAt(i++); n += (c & 127) * mul; mul *= 128; } while (c & 128);
    var body = buf.substr(i, n), type = first >> 4;
    i += n;
    if (type == 1) out += "\\x20\\x02\\x00\\x00";
    else if (type == 8) {
      var k = 0, j = 2, codes = "";
      while (j < body.length) { j += 3 + ((body.charCodeAt(j) << 8) | body.charCodeAt(j + 1)); codes += "\\x01"; }
      out += String.fromCharCode(0x90, 2 + codes.length) + body.substr(0, 2) + codes;
    } else if (type == 3) {
      var tl = (body.charCodeAt(0) << 8) | body.charCodeAt(1), topic = body.substr(2, tl), p = 2 + tl;
      if (first & 6) { out += "\\x40\\x02" + body.substr(p, 2); p += 2; }
      if (topic.substr(-14) == "/property/post") {
        var id = /"id":"(\\d+)"/.exec(body.substr(p))[1];
        replies += publish0(topic + "_reply", '{"code":200,"data":{},"id":"' + id + '","message":"success","method":"thing.event.property.post","version":"1.0"}');
      }
    } else if (type == 12) out += "\\xd0\\x00";
  }
  served = [out, replies];
  return out + replies;
}
var served = ["", ""];
/** Feeds the broker's answer to the module as the interpreter would (chunks of 536 bytes); returns the ms it took the module. */
function feed(out) {
  var t = getTime();
  for (var i = 0; i < out.length; i += 536) handlers.data(out.substr(i, 536));
  if (handlers.drain) handlers.drain();
  return getTime() - t;
}
var pump = setInterval(function () { var o = serve(); if (o) feed(o); }, 5);
var iot = require("aliyunIoT");
var d = new iot.Device();
var P = { temp: 25.5, hum: 60, name: "living room", on: true };
function run(window, then) {
  var acked = 0, call = 0, recv = 0, sent = 0, ackT = 0;
  function post() {
    var t = getTime();
    var r = d.postProps({ params: P }, function (rep) { if (!rep.code) acked++; });
    call += getTime() - t;
    if (!r) sent++;
  }
  var t0 = getTime();
  for (var i = 0; i < window; i++) post();
  while (sent < ${n}) {
    var before = acked;
    serve();
    var a = feed(served[0]);
    ackT += a;
    recv += a + feed(served[1]);
    for (var k = acked - before; k > 0 && sent < ${n}; k--) post();
    if (acked == before && !written.length) break;
  }
  while (written.length) recv += feed(serve());
  var per = (call + recv) * 1000 / acked;
  fig("cpu.w" + window, acked + " acked of ${n}: postProps " + (call * 1000 / sent).toFixed(3) + " ms, PUBACK " + (ackT * 1000 / acked).toFixed(3) + " ms, reply " + ((recv - ackT) * 1000 / acked).toFixed(3) + " ms; " + per.toFixed(3) + " ms per acknowledged post (" + (1000 / per).toFixed(0) + " /s)");
  setTimeout(then, 200);
}
d.on(d.ON_CONNECT, function () {
  if (stepAt) return;
  setTimeout(function () { clearInterval(pump); while (written.length) feed(serve()); next(); }, 300);
});
steps.push(function () { run(1, next); });
steps.push(function () { run(16, next); });
d.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: 1883, tls: false, keepaliveSec: 60 });
`;
}

/**
 * What one TLS connection costs in JsVars: a Device connected over TLS and idle, against the
 * same Device over plain TCP; the peak is sampled every 10 ms through the handshake.
 */
function tlsScript(port: number, tls: boolean): string {
  return scenario(`
var peak = base;
var iot = require("aliyunIoT");
var d = new iot.Device();
var sampler = setInterval(function () { var u = process.memory(false).usage; if (u > peak) peak = u; }, 10);
d.on(d.ON_ERROR, function (e) { print("ON_ERROR " + e.code + " " + e.message); });
d.on(d.ON_CONNECT, function () {
  setTimeout(function () {
    clearInterval(sampler);
    fig("link.${tls ? 'tls' : 'plain'}", (process.memory().usage - base) + " " + (peak - base));
    print("BENCH DONE");
    setTimeout(quit, 10);
  }, 500);
});
d.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${port}, tls: ${tls}, keepaliveSec: 60 });
`);
}

/** A QoS 0 burst of n publishes in one go; the emulator counts what arrives. */
function burstScript(port: number, n: number): string {
  return scenario(`
var iot = require("aliyunIoT");
var d = new iot.Device();
var errs = {};
d.on(d.ON_ERROR, function (e) { errs[e.code] = (errs[e.code] || 0) + 1; });
d.on(d.ON_CONNECT, function () {
  if (stepAt) return;
  stepAt = 1;
  setTimeout(function () {
    var ok = 0, peak = 0, t = getTime();
    for (var i = 0; i < ${n}; i++) {
      if (!d.publish({ topic: "/${PK}/${DN}/user/update", qos: 0, payload: '{"seq":' + i + ',"pad":"0123456789012345678901234567890123456789"}' })) ok++;
      if (!(i % 50)) { var u = process.memory(false).usage; if (u > peak) peak = u; }
    }
    fig("burst.returned0", ok);
    fig("burst.ms", ((getTime() - t) * 1000).toFixed(0));
    fig("burst.peak", peak - base);
    setTimeout(function () { fig("burst.errors", JSON.stringify(errs)); fig("burst.flags", JSON.stringify(E.getErrorFlags())); print("BENCH DONE"); setTimeout(quit, 10); }, 3000);
  }, 300);
});
d.connect({ productKey: "${PK}", deviceName: "${DN}", deviceSecret: "${SECRET}", host: "127.0.0.1", port: ${port}, tls: false, keepaliveSec: 60 });
`);
}

/** A gateway with `n` sub-devices: topology add and login by batches, each posts once; peak JsVars sampled. */
function gatewayScript(port: number, n: number): string {
  return scenario(`
var iot = require("aliyunIoT");
var g = new iot.Gateway();
var peak = 0, errors = 0, lastErr = "";
var sampler = setInterval(function () { var u = process.memory(false).usage; if (u > peak) peak = u; }, 20);
function sub(i) { var s = "000" + i; return "s" + s.substring(s.length - 4); }
function secret(i) { return ("sub" + i + "Secret0123456789abcdef0123456789").substring(0, 32); }
var BATCH = 25, at = 0, posted = 0, t0;
g.on(g.ON_ERROR, function (e) { errors++; lastErr = e.code + " " + e.message; });
function topo() {
  if (at >= ${n}) { at = 0; fig("gateway.topo-s", (getTime() - t0).toFixed(1)); fig("gateway.peak-topo", peak - base); t0 = getTime(); return login(); }
  var list = [];
  for (var i = at; i < Math.min(at + BATCH, ${n}); i++) list.push({ productKey: "${SUB_PK}", deviceName: sub(i), deviceSecret: secret(i) });
  at += BATCH;
  if (g.addTopo(list)) { fig("gateway.failed", "addTopo at " + at + " " + lastErr); return finish(); }
}
function login() {
  if (at >= ${n}) { fig("gateway.login-s", (getTime() - t0).toFixed(1)); fig("gateway.peak-login", peak - base); t0 = getTime(); at = 0; return post(); }
  var list = [];
  for (var i = at; i < Math.min(at + BATCH, ${n}); i++) list.push({ productKey: "${SUB_PK}", deviceName: sub(i) });
  at += BATCH;
  if (g.login(list)) { fig("gateway.failed", "login at " + at + " " + lastErr); return finish(); }
}
function post() {
  var inflight = 0;
  function one() {
    while (inflight < 16 && at < ${n}) {
      inflight++;
      if (g.postProps({ productKey: "${SUB_PK}", deviceName: sub(at++), params: { temp: 21.5 } }, function (d) { inflight--; if (!d.code) posted++; one(); })) inflight--;
    }
    if (!inflight) { fig("gateway.posts-s", (getTime() - t0).toFixed(1)); finish(); }
  }
  one();
}
function finish() {
  clearInterval(sampler);
  fig("gateway.subdevices", ${n});
  fig("gateway.posted", posted);
  fig("gateway.peak", peak - base);
  fig("gateway.errors", errors + (lastErr ? " (last " + lastErr + ")" : ""));
  print("BENCH DONE");
  setTimeout(quit, 10);
}
g.on(g.ON_TOPOADD, function (code) { if (code) { lastErr = "ON_TOPOADD " + code; return finish(); } topo(); });
g.on(g.ON_LOGIN, function (code) { if (code) { lastErr = "ON_LOGIN " + code; return finish(); } login(); });
g.on(g.ON_CONNECT, function () { if (stepAt) return; stepAt = 1; fig("gateway.connected", process.memory().usage - base); t0 = getTime(); topo(); });
g.connect({ productKey: "${GW_PK}", deviceName: "${GW_DN}", deviceSecret: "${GW_SECRET}", host: "127.0.0.1", port: ${port}, tls: false, keepaliveSec: 60 });
`);
}

/**
 * A gateway with `n` sub-devices whose list is the Storage file "subs" (as a large gateway keeps
 * it): topology add and login of the whole file in one call each, then each posts once, 16 at a
 * time; then the connection is dropped by the emulator and all are logged in again from the file.
 * Peak JsVars sampled.
 */
function gatewayFileScript(port: number, n: number): string {
  return scenario(`
var iot = require("aliyunIoT");
var g = new iot.Gateway();
var peak = 0, errors = 0, lastErr = "", at = 0, posted = 0, t0, connects = 0;
var sampler = setInterval(function () { var u = process.memory(false).usage; if (u > peak) peak = u; }, 20);
function sub(i) { var s = "000" + i; return "s" + s.substring(s.length - 4); }
g.on(g.ON_ERROR, function (e) { errors++; lastErr = e.code + " " + e.message; });
function post() {
  var inflight = 0;
  function one() {
    while (inflight < 16 && at < ${n}) {
      inflight++;
      if (g.postProps({ productKey: "${SUB_PK}", deviceName: sub(at++), params: { temp: 21.5 } }, function (d) { inflight--; if (!d.code) posted++; one(); })) inflight--;
    }
    if (!inflight) { fig("gatewayfile.posts-s", (getTime() - t0).toFixed(1)); fig("gatewayfile.posted", posted); fig("gatewayfile.peak-before-reconnect", peak - base); print("DROP ME"); t0 = getTime(); }
  }
  one();
}
function finish() {
  clearInterval(sampler);
  fig("gatewayfile.subdevices", ${n});
  fig("gatewayfile.peak", peak - base);
  fig("gatewayfile.errors", errors + (lastErr ? " (last " + lastErr + ")" : ""));
  print("BENCH DONE");
  setTimeout(quit, 10);
}
g.on(g.ON_TOPOADD, function (code) { fig("gatewayfile.topo-s", (getTime() - t0).toFixed(1)); if (code) { lastErr = "ON_TOPOADD " + code; return finish(); } t0 = getTime(); if (g.login("subs")) { lastErr += " login refused"; finish(); } });
g.on(g.ON_LOGIN, function (code) { fig("gatewayfile.login-s", (getTime() - t0).toFixed(1)); if (code) { lastErr = "ON_LOGIN " + code; return finish(); } t0 = getTime(); post(); });
g.on(g.ON_CONNECT, function () {
  connects++;
  if (connects == 2) {
    // logged in again from the file: wait until every post is accepted again
    var probe = setInterval(function () {
      if (g.postProps({ productKey: "${SUB_PK}", deviceName: sub(${n} - 1), params: { temp: 1 } }) == 0) { clearInterval(probe); fig("gatewayfile.relogin-s", (getTime() - t0).toFixed(1)); finish(); }
    }, 200);
  }
  if (connects > 1) return;
  fig("gatewayfile.connected", process.memory().usage - base); t0 = getTime();
  if (g.addTopo("subs")) { lastErr = "addTopo refused"; finish(); }
});
g.connect({ productKey: "${GW_PK}", deviceName: "${GW_DN}", deviceSecret: "${GW_SECRET}", host: "127.0.0.1", port: ${port}, tls: false, keepaliveSec: 60 });
`);
}

/** The EspruinoDocs MQTT module, signed for the same device, publishing to the same emulator. */
function mqttModuleScript(port: number): string {
  const ts = String(Date.now());
  const cid = `${PK}&${DN}`;
  const password = crypto.createHmac('sha256', SECRET).update(`clientId${cid}deviceName${DN}productKey${PK}timestamp${ts}`).digest('hex');
  return scenario(`
var mqtt = require("MQTT").create("127.0.0.1", { port: ${port}, client_id: "${cid}|securemode=3,signmethod=hmacsha256,timestamp=${ts}|", username: "${DN}&${PK}", password: "${password}", keep_alive: 60 });
var PT = JSON.stringify({ temp: 25.5, hum: 60, name: "living room", on: true });
var T = "/sys/${PK}/${DN}/thing/event/property/post";
var acks = [];
mqtt.on("puback", function () { var f = acks.shift(); if (f) f(); });
mqtt.on("connected", function () {
  if (stepAt) return;
  fig("mqtt.jsvars.module+client", process.memory().usage - base);
  next();
});
steps.push(function () { perCall("mqtt.publish(qos0)", 25, function () { mqtt.publish(T, PT, { qos: 0 }); }, next); });
steps.push(function () { perCall("mqtt.publish(qos1)", 25, function () { mqtt.publish(T, PT, { qos: 1 }); }, function () { acks = []; next(); }); });
[1, 16].forEach(function (w) {
  steps.push(function () { acks = []; loop("mqtt.publish(qos1)", w, ${SECONDS}, function (done) { acks.push(done); mqtt.publish(T, PT, { qos: 1 }); }, next); });
});
mqtt.connect();
`);
}

async function main(): Promise<void> {
  const espruino = process.env.ESPRUINO;
  if (!espruino) {
    console.log('bench/interpreter: no interpreter given (set ESPRUINO=/path/to/espruino, an ESP32-like Linux build of Espruino); nothing measured.');
    return;
  }
  // MODULE_FILE: another build of the module, e.g. to compare before and after a change.
  const moduleFile = process.env.MODULE_FILE || path.join(ROOT, 'build/aliyunIoT.min.js');
  const module = fs.readFileSync(moduleFile);
  console.log(`Espruino interpreter ${espruino}, module ${path.relative(ROOT, moduleFile)} (${module.length} B) in Storage; figures on this host`);
  const cloud = await start({ registry: registry(), logCapacity: 20000 });
  try {
    const dir = espruinoDir('interp-bench-');
    await storeFile(espruino, dir, 'aliyunIoT', module);
    const env = await runEspruino(espruino, dir, 'print("MEM " + JSON.stringify(process.memory())); print("VER " + process.version); quit();', /VER \S+\r?\n/, 60000);
    const mem = /MEM (\{.*\})/.exec(env);
    const m = mem ? JSON.parse(mem[1]) : {};
    console.log(`  interpreter ${/VER (\S+)/.exec(env)?.[1]}: ${m.total} JsVars of ${m.blocksize} B; JsVar figures are those added after require("aliyunIoT")`);

    const show = (out: string) => {
      const figs = figureLines(out, 'FIG');
      for (const [k, v] of figs) console.log(`  ${k.padEnd(34)} ${v}`);
      return figs;
    };
    if (ONLY.includes('cpu')) show(await runEspruino(espruino, dir, cpuScript(Number(process.env.CPU_POSTS) || 2000), /BENCH DONE/, 600000));
    if (ONLY.includes('device')) show(await runEspruino(espruino, dir, deviceScript(cloud.mqttPort), /BENCH DONE/, 600000));

    if (ONLY.includes('tls')) {
      const link = new Map<string, string>();
      for (const tls of [false, true]) {
        const port = tls ? cloud.tlsPort : cloud.mqttPort;
        for (const [k, v] of figureLines(await runEspruino(espruino, dir, tlsScript(port, tls), /BENCH DONE/, 300000), 'FIG')) link.set(k, v);
      }
      const [plainHeld, plainPeak] = (link.get('link.plain') ?? 'NaN NaN').split(' ').map(Number);
      const [tlsHeld, tlsPeak] = (link.get('link.tls') ?? 'NaN NaN').split(' ').map(Number);
      console.log(`  one TLS connection                 ${tlsHeld - plainHeld} JsVars held while connected (${(((tlsHeld - plainHeld) * (m.blocksize || 14)) / 1024).toFixed(1)} KB), peak ${tlsPeak - plainPeak} more during the handshake; a Device connected over TLS ${tlsHeld}, over plain TCP ${plainHeld}`);
    }

    for (const n of ONLY.includes('burst') ? [500, 1000] : []) {
      cloud.api.clearMessages();
      const out = await runEspruino(espruino, dir, burstScript(cloud.mqttPort, n), /BENCH DONE/, 300000);
      const figs = figureLines(out, 'FIG');
      const received = cloud.api.messages({ productKey: PK, deviceName: DN, where: (e) => e.direction === 'up' && e.topic.endsWith('/user/update') }).length;
      const oom = /OUT OF MEMORY|LOW_MEMORY|MEMORY/.test(out) ? ', ran out of memory' : '';
      console.log(`  QoS 0 burst of ${String(n).padEnd(4)}                 ${figs.get('burst.returned0')} returned 0, ${received} received by the emulator, peak ${figs.get('burst.peak')} JsVars, ${figs.get('burst.ms')} ms${oom}; ON_ERROR ${figs.get('burst.errors')}; error flags ${figs.get('burst.flags')}`);
    }

    if (ONLY.includes('gateway')) {
    const gw = figureLines(await runEspruino(espruino, dir, gatewayScript(cloud.mqttPort, SUBS), /BENCH DONE/, 900000), 'FIG');
    console.log(
      `  gateway, ${SUBS} sub-devices         topology ${gw.get('gateway.topo-s')} s, login ${gw.get('gateway.login-s')} s, ${gw.get('gateway.posted')} posted (${gw.get('gateway.posts-s')} s); peak ${gw.get('gateway.peak')} JsVars (connected ${gw.get('gateway.connected')}, after the topology ${gw.get('gateway.peak-topo')}, after login ${gw.get('gateway.peak-login')}); errors ${gw.get('gateway.errors')}` +
        (gw.has('gateway.failed') ? `; FAILED ${gw.get('gateway.failed')}` : ''),
    );
    }

    if (ONLY.includes('gatewayfile')) {
      const list = [];
      for (let i = 0; i < SUBS; i++) list.push({ productKey: SUB_PK, deviceName: subName(i), deviceSecret: subSecret(i) });
      await storeFile(espruino, dir, 'subs', Buffer.from(JSON.stringify(list)));
      const out = await runEspruino(espruino, dir, gatewayFileScript(cloud.mqttPort, SUBS), /BENCH DONE/, 900000, (line) => {
        if (line.indexOf('DROP ME') >= 0) cloud.api.dropConnection(GW_PK, GW_DN);
      });
      const gw = figureLines(out, 'FIG');
      console.log(
        `  gateway, ${SUBS} sub-devices in Storage  topology ${gw.get('gatewayfile.topo-s')} s, login ${gw.get('gatewayfile.login-s')} s, ${gw.get('gatewayfile.posted')} posted (${gw.get('gatewayfile.posts-s')} s), logged in again ${gw.get('gatewayfile.relogin-s')} s; peak ${gw.get('gatewayfile.peak')} JsVars (${gw.get('gatewayfile.peak-before-reconnect')} before the reconnect; connected ${gw.get('gatewayfile.connected')}); errors ${gw.get('gatewayfile.errors')}` +
          (/OUT OF MEMORY/.test(out) ? '; RAN OUT OF MEMORY' : ''),
      );
    }

    const mqttFile = process.env.MQTT_MODULE;
    if (mqttFile && ONLY.includes('mqtt')) {
      await storeFile(espruino, dir, 'MQTT', fs.readFileSync(mqttFile));
      console.log(`  side by side: EspruinoDocs MQTT module ${mqttFile} in Storage, same device, QoS 1 PUBACKs counted`);
      show(await runEspruino(espruino, dir, mqttModuleScript(cloud.mqttPort), /BENCH DONE/, 600000));
    } else {
      console.log('  (set MQTT_MODULE=/path/to/EspruinoDocs/modules/MQTT.js for the EspruinoDocs MQTT module side by side)');
    }
  } finally {
    await cloud.stop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
