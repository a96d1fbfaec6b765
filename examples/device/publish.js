// publish - 发布: publish to a custom topic this device also subscribes to; the message comes back
// through ON_SUBCRIBE.
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
  device.subscribe(topicTestInfo);
  device.on(aliyunIoT.Device.ON_SUBCRIBE, function (data) {
    print("enter cb_lk_subcribe");
    print("Topic发布成功");
    setTimeout(function () {
      device.end();
    }, 2000);
  });
  device.publish(topicTestInfo);
});
device.connect(keyInfo);
