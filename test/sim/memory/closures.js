// What values held only by closures cost in JsVars: process.memory().usage before and after
// making a function that closes over them (kept in the global `made` while measured, then
// dropped). The difference includes what `made` itself costs (see "nothing").
var made;
function used() { return process.memory().usage; }
function measure(name, make) {
  var before = used();
  made = make();
  var n = used() - before;
  made = undefined;
  print(name + " :: " + n);
}
function entry(i) { return { productKey: "a1bcdefghij", deviceName: "sub" + i, deviceSecret: "0123456789abcdef0123456789abcdef" }; }
function entries(n) { var a = []; for (var i = 0; i < n; i++) a.push(entry(i)); return a; }
measure("warm-up", function () { return undefined; });
measure("nothing", function () { return undefined; });
measure("closure over an array of 500 strings", function () { var a = []; for (var i = 0; i < 500; i++) a.push("x" + i); return function () { return a.length; }; });
measure("closure over a string of 1000", function () { var s = ""; for (var i = 0; i < 500; i++) s += "ab"; return function () { return s; }; });
measure("closure over a list of 100 entries", function () { var list = entries(100); return function () { return list.length; }; });
measure("closure over a list of 1000 entries", function () { var list = entries(1000); return function () { return list.length; }; });
measure("2 closures sharing a list of 100 entries", function () { var list = entries(100); return [function () { return list.length; }, function () { return list[0]; }]; });
measure("closure 2 deep over a list of 100 entries", function () { var list = entries(100); return (function () { var n = 1; return function () { return list.length + n; }; })(); });
measure("closure over a catch variable holding 100 entries", function () { try { throw entries(100); } catch (e) { return function () { return e.length; }; } });
measure("timer callback closing over a list of 100 entries", function () { var list = entries(100); return setTimeout(function () { return list.length; }, 100000); });
measure("closure not using the list in its scope", function () { var list = entries(100); return function () { return 1; }; });
print("--- end");
