// subscribe - 订阅: a custom topic of the gateway.
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
  var ret = gateway.subscribe(topicTestInfo);
  if (ret === 0) {
    print("topic subscribe succeed");
  } else {
    print("topic subscribe failed");
  }
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
