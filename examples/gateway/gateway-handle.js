// getGatewayHandle - 获取网关句柄
var aliyunIoT = require("aliyunIoT");

var gateway = new aliyunIoT.Gateway();
var handle = gateway.getGatewayHandle();
if (handle) {
  print("get gateway handle succeed");
} else {
  print("get device handle failed");
}
