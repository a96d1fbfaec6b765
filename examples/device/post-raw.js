// postRaw - 上报自定义数据: bytes for the product's data-parsing script.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  print("物联网平台连接成功");
  var usertestdata = new Uint8Array([0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x32, 0x01, 0x00, 0x00, 0x00, 0x00]);
  var ret = device.postRaw({ param: usertestdata });
  if (ret === 0) {
    print("RAW数据上报成功");
  } else {
    print("RAW数据上报失败");
  }
  setTimeout(function () {
    device.end();
  }, 2000);
});
device.connect(keyInfo);
