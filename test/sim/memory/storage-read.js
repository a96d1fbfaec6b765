// What a string read from Storage costs in JsVars: on the ESP32 Storage is memory-mapped and
// read() returns a view of flash, not a copy in RAM. Needs a Storage file "big" of 2,000 bytes
// (written before). Each figure includes the array elements holding what was read.
var S = require("Storage"), A = [0], B = [0], i, b;
function used() { return process.memory().usage; }
S.read("big"); // the first read sets Storage up
b = used();
for (i = 0; i < 100; i++) A.push(S.read("big"));
print("100 reads of 2000 bytes :: " + (used() - b));
b = used();
for (i = 0; i < 100; i++) B.push(5);
print("100 ints :: " + (used() - b));
print("--- end");
