// uploadFile - 上传文件: upload the Storage file "1.jpg". Upload is asynchronous on Espruino: the
// return value is a local task id (null on bad input) and cb receives the outcome.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  print("物联网平台连接成功");
  var ret = device.uploadFile("1.jpg", function (res) {
    // called after each acknowledged block, then once with complete: true
    if (!res.complete) return;
    print("upload finished:", res.code, res.fileName, res.size);
    device.end();
  });
  if (ret !== null) {
    print("图片上传成功");
  } else {
    print("图片上传失败");
  }
});
device.connect(keyInfo);
