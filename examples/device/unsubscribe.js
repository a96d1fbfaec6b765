// unsubscribe - 取消订阅
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  print("物联网平台连接成功");
  var topicTestInfo = {
    topic: "/" + keyInfo.productKey + "/" + keyInfo.deviceName + "/user/aos_test",
    qos: 1,
    payload: "device publish and subcribe test"
  };
  var ret = device.unsubscribe(topicTestInfo);
  if (ret === 0) {
    print("Topic取消订阅成功");
  } else {
    print("Topic取消订阅失败");
  }
  setTimeout(function () {
    device.end();
  }, 2000);
});
device.connect(keyInfo);
