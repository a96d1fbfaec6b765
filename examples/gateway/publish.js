// publish - 发布: the message comes back on the subscribed topic through ON_SUBCRIBE.
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
  gateway.publish(topicTestInfo);
});
gateway.on(aliyunIoT.Gateway.ON_SUBCRIBE, function (data) {
  print("topic publsih succeed");
  setTimeout(function () {
    gateway.end();
  }, 2000);
});
gateway.connect(keyInfo);
