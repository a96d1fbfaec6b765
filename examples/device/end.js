// end - 结束: close the connection and release everything the device holds.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  var ret = device.end();
  if (ret === 0) {
    print("aliyunIoT end succeed");
  } else {
    print("aliyunIoT end failed");
  }
});
device.connect(keyInfo);
