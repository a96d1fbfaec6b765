// Demo gateway with two sub-devices (temperature sensors): connects, binds the sub-devices to
// itself (addTopo), logs them in and reports their properties every few seconds over its own
// connection. Run examples/wifi.js first. Credentials come from the Storage file aliyunIoT.json:
// cfg.gateway for the gateway, cfg.subdevices = [{productKey, deviceName, deviceSecret}].
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway;
var subdevices = cfg.subdevices;
var periodMs = ((cfg.demo && cfg.demo.postPeriodSec) || 5) * 1000;

var started = false;
var reporting = false;
var gateway = new aliyunIoT.Gateway();

var postSubdevices = function () {
  for (var i = 0; i < subdevices.length; i++) {
    var s = subdevices[i];
    var reading = { Temperature: Math.round((18 + i * 4 + Math.random() * 2) * 10) / 10, Humidity: 40 + i * 5 };
    gateway.postProps({ productKey: s.productKey, deviceName: s.deviceName, params: JSON.stringify(reading) }, function (res) {
      if (res.code !== 0) print("sub-device post refused: code " + res.code);
    });
  }
};

gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  print("gateway connected");
  // After a reconnection the module logs the sub-devices in again by itself.
  if (started) return;
  started = true;
  gateway.addTopo(subdevices);
});

gateway.on(aliyunIoT.Gateway.ON_TOPOADD, function (code) {
  if (code !== 0) {
    print("addTopo failed: " + code);
    return;
  }
  print("sub-devices bound to the gateway");
  gateway.login(subdevices);
});

gateway.on(aliyunIoT.Gateway.ON_LOGIN, function (code) {
  if (code !== 0) {
    print("sub-device login failed: " + code);
    return;
  }
  print("sub-devices online: " + subdevices.length);
  if (reporting) return;
  reporting = true;
  postSubdevices();
  setInterval(postSubdevices, periodMs);
});

gateway.on(aliyunIoT.Gateway.ON_ERROR, function (data) {
  print("gateway error " + data.code + " in " + data.message);
});

gateway.connect(keyInfo);
