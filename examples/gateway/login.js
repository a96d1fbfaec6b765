// login - 子设备登陆: sub-devices come online through the gateway (batches of at most 50).
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  gateway.addTopo(subdevInfo);
});
gateway.on(aliyunIoT.Gateway.ON_TOPOADD, function () {
  gateway.login(subdevInfo);
});
gateway.on(aliyunIoT.Gateway.ON_LOGIN, function (code) {
  if (code === 0) {
    print("login out succeed");
  }
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
