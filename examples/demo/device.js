// Demo device (a smart light): connects, reports its properties every few seconds, applies
// property sets from the cloud and reports the new values, answers the "Blink" service, asks
// the platform for the time (NTP) and uploads a small file from Storage.
// Run examples/wifi.js first. Credentials come from the Storage file aliyunIoT.json.
var aliyunIoT = require("aliyunIoT");
var storage = require("Storage");
var cfg = storage.readJSON("aliyunIoT.json");
var keyInfo = cfg.device;
var periodMs = ((cfg.demo && cfg.demo.postPeriodSec) || 5) * 1000;

var light = { LightSwitch: 0, Brightness: 60, Temperature: 22.5 };
var started = false;
var device = new aliyunIoT.Device();

var postState = function () {
  // A little drift so the console shows changing values.
  light.Temperature = Math.round((22 + Math.random() * 3) * 10) / 10;
  var ret = device.postProps({ params: JSON.stringify(light) }, function (res) {
    // code 0: the cloud accepted the post (its reply said 200); else the cloud's code.
    if (res.code === 0) print("properties acknowledged (msg " + res.msg_id + ")");
    else print("properties refused: code " + res.code);
  });
  if (ret !== 0) print("postProps failed: " + ret);
};

var askTime = function () {
  device.getNtpTime(function (data) {
    // timestamp is in seconds (as in HaaS); the board clock has been set as well.
    print("ntp time: " + new Date(data.timestamp * 1000 + data.msecond).toISOString());
  });
};

var uploadNotes = function () {
  var name = "notes.txt";
  // On a real board this file would be a log or a photo; the demo writes a small one first.
  storage.write(name, "light " + keyInfo.deviceName + " booted; brightness " + light.Brightness + "\n");
  var task = device.uploadFile(name, function (res) {
    // Called for each acknowledged block, then once more at the end (complete: true).
    if (!res.complete) return;
    print("file uploaded: " + res.fileName + " " + res.size + " bytes, code " + res.code);
  });
  if (task === null) print("uploadFile refused");
};

device.on(device.ON_CONNECT, function () {
  print("connected to the IoT platform");
  // ON_CONNECT fires again after every reconnection; start the routine once.
  if (started) return;
  started = true;
  postState();
  askTime();
  uploadNotes();
  setInterval(postState, periodMs);
});

device.on(device.ON_PROPS, function (data) {
  print("property set from the cloud: " + data.params);
  var wanted = JSON.parse(data.params);
  for (var k in wanted) {
    if (k === "LightSwitch" || k === "Brightness") light[k] = wanted[k];
  }
  // Report the new state so the cloud sees the change (the set itself is answered with 200).
  postState();
});

device.on(device.ON_SERVICE, function (data) {
  print("service " + data.service_id + " called: " + data.params);
  if (data.service_id === "Blink") {
    var times = JSON.parse(data.params).Times || 1;
    // Returning the outputs answers the call (code 200).
    return { Blinked: times };
  }
  return 404;
});

device.on(device.ON_DISCONNECT, function () {
  print("disconnected; the module reconnects by itself");
});

device.connect(keyInfo);
