// An app that keeps a list of N sub-device entries only inside a closure (N set before this
// script, as `var N = <n>;`). Prints what it holds, or runs out of memory while building it.
var before = process.memory().usage;
var count = (function () {
  var list = [];
  for (var i = 0; i < N; i++) list.push({ productKey: "a1bcdefghij", deviceName: "sub" + i, deviceSecret: "0123456789abcdef0123456789abcdef" });
  return function () { return list.length; };
})();
print("closure list of " + N + " :: " + (process.memory().usage - before));
print("flags :: " + E.getErrorFlags().join());
