// What the interpreter's console shows: print() of values, and uncaught exceptions when several
// are thrown in one pass of the idle loop. Run as the README says; compare with console-esp32like.txt.
print("--- print");
print({ code: 0, message: "mqtt://h:1" });
console.log([1, 2, 3], { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, "text", null);
print([1, "a", { x: [] }]);
function Foo() { this.x = 1; }
print(new Foo());
var c = { s: "\n\xe9" }; c.c = c;
print(c);
print({}, [], true, undefined, 1.5);
print(new Error("boom"));
print({ f: function (a, b) { return a + b; } });
print(new Uint8Array([1, 2]), new Uint8Array(3));
print({ d: { e: { f: 1 } }, g: [{}], h: "x" });
print({ topic: "/sys/a1/dev/thing/event/property/post_reply", payload: "{\"code\":200}", qos: 0, n: [1, 2] });
// Each section is scheduled from inside the pass before it, so that however late the loop
// runs, the sections fall in passes of their own.
print("--- two timers throw in one pass");
setTimeout(function () { throw new Error("T1"); }, 0);
setTimeout(function () { setTimeout(listeners, 0); throw new Error("T2"); }, 0);
function listeners() {
  print("--- two listeners throw in one pass");
  var o = {};
  o.on("e", function () { throw new Error("L1"); });
  o.on("e", function () { setTimeout(chained, 0); throw new Error("L2"); });
  o.emit("e");
}
function chained() {
  print("--- one timer throws per pass");
  setTimeout(function () {
    setTimeout(function () { setTimeout(function () { print("--- end"); }, 0); throw new Error("S2"); }, 0);
    throw new Error("S1");
  }, 0);
}
