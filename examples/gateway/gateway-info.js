// getGatewayInfo - 获取设备信息: what a registration stored on this board (null before any).
var aliyunIoT = require("aliyunIoT");

var gateway = new aliyunIoT.Gateway();
var gatewayinfo = gateway.getGatewayInfo();
if (gatewayinfo) {
  print("get gatewayinfo succeed");
  print(gatewayinfo);
} else {
  print("get gatewayinfo failed");
}
