// uploadContent - 上传数据流: upload bytes held in memory under the given file name.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  print("物联网平台连接成功");
  var fileName = "1.jpg";
  var frame = require("Storage").read(fileName);
  var fileid = device.uploadContent(fileName, frame, function (res) {
    // called after each acknowledged block, then once with complete: true
    if (!res.complete) return;
    print("upload finished:", res.code, res.fileName, res.size);
    device.end();
  });
  if (fileid !== null) {
    print("图片上传成功");
  } else {
    print("图片上传失败");
  }
});
device.connect(keyInfo);
