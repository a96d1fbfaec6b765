// postProps - 上报属性: params is JSON text, as in the HaaS module.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  print("物联网平台连接成功");
  var value = { test_prop: 100 };
  var ret = device.postProps({ params: JSON.stringify(value) });
  if (ret === 0) {
    print("属性上报成功");
  } else {
    print("属性上报失败");
  }
  setTimeout(function () {
    device.end();
  }, 2000);
});
device.connect(keyInfo);
