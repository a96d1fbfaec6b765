// connect - 连接物联网平台: connect, report it, end two seconds later.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device; // region, productKey, deviceName, deviceSecret, keepaliveSec

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function (data) {
  print("物联网平台连接成功");
  print("sleep for 2s");
  setTimeout(function () {
    device.end();
  }, 2000);
});
device.connect(keyInfo);
