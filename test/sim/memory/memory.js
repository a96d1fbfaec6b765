// What values cost in JsVars: process.memory().usage before and after building each value
// (kept alive in K; process.memory() collects garbage first). The difference includes the 3
// JsVars of K's new element (see "nothing"). Then data written to a socket and not yet sent,
// if PORT names a TCP server on 127.0.0.1 that reads and discards.
var K = [];
function used() { return process.memory().usage; }
function measure(name, make) {
  var before = used();
  K.push(make());
  var after = used();
  print(name + " :: " + (after - before));
}
function str(n) { var s = ""; for (var i = 0; i < n; i++) s += String.fromCharCode(97 + (i % 26)); return s; }
[0, 1, 4, 5, 8, 9, 10, 11, 19, 20, 21, 29, 30, 50, 100, 536, 1000, 4000].forEach(function (n) {
  measure("string " + n, function () { return str(n); });
});
measure("string repeat 1000", function () { return "ab".repeat(500); });
[0, 1, 2, 10, 100].forEach(function (n) {
  measure("array of " + n + " ints", function () { var a = []; for (var i = 0; i < n; i++) a.push(i); return a; });
});
measure("array of 100 floats", function () { var a = []; for (var i = 0; i < 100; i++) a.push(i + 0.5); return a; });
measure("array of 100 strings of 20", function () { var a = []; for (var i = 0; i < 100; i++) a.push(str(20)); return a; });
measure("array of 100 true", function () { var a = []; for (var i = 0; i < 100; i++) a.push(true); return a; });
[0, 1, 2, 10, 100].forEach(function (n) {
  measure("object of " + n + " int keys k<i>", function () { var o = {}; for (var i = 0; i < n; i++) o["k" + i] = i; return o; });
});
[1, 4, 5, 8, 9, 14, 15, 20, 30].forEach(function (n) {
  measure("object 1 key of length " + n, function () { var o = {}; o[str(n)] = 1; return o; });
});
measure("object 1 key, string value of 20", function () { return { key: str(20) }; });
measure("object 1 key, nested empty object", function () { return { key: {} }; });
measure("object 1 key, null", function () { return { key: null }; });
measure("object 1 key, undefined", function () { return { key: undefined }; });
measure("object 1 key, float", function () { return { key: 1.5 }; });
measure("object 1 key, big int", function () { return { key: 4000000000 }; });
measure("message {topic,payload,qos,id,cb_}", function () { return { topic: str(40), payload: str(60), qos: 0, id: 0, cb_: undefined }; });
measure("sub-device credential entry", function () { return { productKey: str(11), deviceName: str(10), deviceSecret: str(32) }; });
measure("function, no params, empty body", function () { return function () {}; });
measure("function, 2 params", function () { return function (a, b) { return a + b; }; });
measure("function, 2 params, 100-char body", function () { return function (a, b) { var xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx = a + b; return xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; }; });
measure("closure over 1 local", function () { var x = 1; return function () { return x; }; });
measure("closure over 3 locals", function () { var x = 1, y = str(20), z = {}; return function () { return x + y + z; }; });
measure("closure, 2 sharing 1 scope", function () { var x = 1; return [function () { return x; }, function () { return x; }]; });
measure("bound function", function () { return function (a) { return a; }.bind(null, 1); });
measure("Uint8Array 100", function () { return new Uint8Array(100); });
measure("Uint8Array 1000", function () { return new Uint8Array(1000); });
measure("E.toString 1000 bytes", function () { return E.toString(new Uint8Array(1000)); });
measure("JSON.parse 3-key object", function () { return JSON.parse('{"productKey":"a1bcdefghij","deviceName":"sub0000001","deviceSecret":"0123456789abcdef0123456789abcdef"}'); });
measure("timer", function () { return setTimeout(function () {}, 100000); });
measure("nothing", function () { return undefined; });
measure("int", function () { return 5; });
if (typeof PORT == "undefined") print("--- end");
else {
  var sock = require("net").connect({ host: "127.0.0.1", port: PORT });
  sock.on("connect", function () {
    var p = str(100), q = str(536), b = used();
    for (var i = 0; i < 10; i++) sock.write(p);
    print("socket write 10 x 100 :: " + (used() - b));
    b = used();
    for (var j = 0; j < 100; j++) sock.write(p);
    print("socket write 100 x 100 :: " + (used() - b));
    b = used();
    for (var k = 0; k < 20; k++) sock.write(q);
    print("socket write 20 x 536 :: " + (used() - b));
    sock.end();
    print("--- end");
  });
}
