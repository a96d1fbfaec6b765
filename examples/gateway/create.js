// gateway - 初始化: create a Gateway instance.
var aliyunIoT = require("aliyunIoT");

var gateway = new aliyunIoT.Gateway();
if (!gateway) {
  print("create gateway error");
} else {
  print("create gateway succeed!");
}
