// getTopo - 获取子设备: the sub-devices bound to this gateway, as JSON text in message.
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  gateway.addTopo(subdevInfo);
});
gateway.on(aliyunIoT.Gateway.ON_TOPOADD, function () {
  gateway.getTopo();
});
gateway.on(aliyunIoT.Gateway.ON_TOPOGET, function (data) {
  print(data);
  print("sleep for 2s");
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
