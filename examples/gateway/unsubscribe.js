// unsubscribe - 取消订阅
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
var topicTestInfo = {
  topic: "/" + keyInfo.productKey + "/" + keyInfo.deviceName + "/user/aos_test",
  qos: 1,
  payload: "device publish and subcribe test"
};

gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  gateway.subscribe(topicTestInfo);
  var ret = gateway.unsubscribe(topicTestInfo);
  if (ret === 0) {
    print("topic unsubscribe succeed");
  } else {
    print("topic unsubscribe failed");
  }
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
