// postEvent - 上报事件: id is the event's identifier in the thing model.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  print("物联网平台连接成功");
  var value = { test_event: 100 };
  var ret = device.postEvent({ id: "EventTest", params: JSON.stringify(value) });
  if (ret === 0) {
    print("事件上报成功");
  } else {
    print("事件上报失败");
  }
  setTimeout(function () {
    device.end();
  }, 2000);
});
device.connect(keyInfo);
