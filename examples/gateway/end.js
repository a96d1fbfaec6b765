// end - 结束
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");
var keyInfo = cfg.gateway; // region, productKey, deviceName, deviceSecret, keepaliveSec
var subdevInfo = cfg.subdevices; // [{productKey, deviceName, deviceSecret}]

var gateway = new aliyunIoT.Gateway();
gateway.on(aliyunIoT.Gateway.ON_CONNECT, function () {
  var ret = gateway.end();
  if (ret === 0) {
    print("getway end succeed");
  } else {
    print("getway end failed");
  }
});
gateway.connect(keyInfo);
