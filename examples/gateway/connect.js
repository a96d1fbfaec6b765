// connect - 连接物联网平台: connect the gateway, report it, end two seconds later.
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  print("物联网平台连接成功");
  print("sleep for 2s");
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
