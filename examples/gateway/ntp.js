// getNtpTime - 获取网络时间
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
gateway.connect(keyInfo);
gateway.getNtpTime(function (data) {
  print("timestamp:", data.timestamp);
  print("sleep for 2s");
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
