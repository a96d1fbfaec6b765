// getDeviceHandle - 获取句柄
var aliyunIoT = require("aliyunIoT");

var device = new aliyunIoT.Device();
var handle = device.getDeviceHandle();
if (handle) {
  print("get device handle succeed");
} else {
  print("get device handle failed");
}
