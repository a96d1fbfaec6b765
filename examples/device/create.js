// device - 初始化: create a Device instance.
var aliyunIoT = require("aliyunIoT");

var device = new aliyunIoT.Device();
if (!device) {
  print("create device error");
} else {
  print("create device succeed!");
}
