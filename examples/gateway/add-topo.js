// addTopo - 添加子设备: bind the sub-devices to this gateway (the module splits lists over 30).
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  print("物联网连接成功");
  gateway.addTopo(subdevInfo);
});
gateway.on(aliyunIoT.Gateway.ON_TOPOADD, function (code) {
  print("enter on_topo_add");
  print("sleep for 2s");
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
