// registerSubDevice - 子设备动态注册: the platform issues the sub-devices their secrets (kept in Storage).
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
var subdevRegisterInfo = cfg.subRegister; // [{productKey, deviceName, productSecret}]

gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  gateway.registerSubDevice(subdevRegisterInfo);
});
gateway.on(aliyunIoT.Gateway.ON_SUBREGISTER, function (code) {
  if (code === 0) {
    print("subdevice register succeed");
  }
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
