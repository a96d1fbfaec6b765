// removeTopo - 删除子设备: unbind the sub-devices from this gateway.
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  gateway.addTopo(subdevInfo);
});
gateway.on(aliyunIoT.Gateway.ON_TOPOADD, function () {
  gateway.removeTopo(subdevInfo);
});
gateway.on(aliyunIoT.Gateway.ON_TOPOREMOVE, function (code) {
  if (code === 0) {
    print("topo remove succeed");
  }
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
