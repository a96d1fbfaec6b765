// getDeviceInfo - 获取设备信息: what register() stored on this board (null before any register).
var aliyunIoT = require("aliyunIoT");

var device = new aliyunIoT.Device();
var deviceinfo = device.getDeviceInfo();
if (deviceinfo) {
  print("get DeviceInfo succeed");
  print(deviceinfo);
} else {
  print("get DeviceInfo failed");
}
