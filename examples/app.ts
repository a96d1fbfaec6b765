// A first app of your own, in TypeScript: a thermometer that stays connected, reports its
// temperature every 10 s, applies property sets, answers the "Blink" service and says what
// went wrong when something does. Build it with `npm run build:app -- examples/app.ts`, try it
// with `npm run sim -- examples/app.ts`, put it on a board with `npm run flash -- --app
// examples/app.ts`. Credentials come from the Storage file aliyunIoT.json (written by both).
import aliyunIoT = require("aliyunIoT");

var cfg = require("Storage").readJSON("aliyunIoT.json", true);
var device = new aliyunIoT.Device();
var state = { Temperature: 22.5, LightSwitch: 0 };
var reporting = false;

function report(): void {
  state.Temperature = Math.round((22 + Math.random() * 3) * 10) / 10;
  var rc = device.postProps({ params: JSON.stringify(state) }, function (reply) {
    print(reply.code === 0 ? "reported " + state.Temperature : "report refused: code " + reply.code);
  });
  if (rc !== 0) print("postProps: " + rc);
}

device.on(device.ON_CONNECT, function () {
  print("connected");
  // ON_CONNECT fires after every reconnection: start reporting once.
  if (reporting) return;
  reporting = true;
  report();
  setInterval(report, 10000);
});

device.on(device.ON_PROPS, function (data) {
  var wanted = JSON.parse(data.params);
  if (typeof wanted.LightSwitch === "number") state.LightSwitch = wanted.LightSwitch;
  print("property set: " + data.params);
});

device.on(device.ON_SERVICE, function (data) {
  if (data.service_id !== "Blink") return 404;
  var times: number = JSON.parse(data.params).Times || 1;
  print("blink x" + times);
  return { Blinked: times };
});

// Errors and disconnections carry a sentence naming what failed (host and port, TLS or not).
device.on(device.ON_ERROR, function (e) {
  print("error " + e.code + ": " + e.message);
});
device.on(device.ON_DISCONNECT, function (d) {
  print("disconnected (" + d.code + (d.message ? ": " + d.message : "") + "); reconnecting");
});

if (!cfg || !cfg.device) print("no device in Storage aliyunIoT.json: run npm run flash (or npm run sim)");
else device.connect(cfg.device);
