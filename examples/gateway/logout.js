// logout - 子设备退出: log the sub-devices in, then out.
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
gateway.on(aliyunIoT.Gateway.ON_LOGIN, function () {
  gateway.logout(subdevInfo);
});
gateway.on(aliyunIoT.Gateway.ON_LOGOUT, function (code) {
  if (code === 0) {
    print("login out succeed");
  }
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
