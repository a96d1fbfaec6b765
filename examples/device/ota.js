// ota - 空中升级: an app that takes over-the-air updates of itself and of the aliyunIoT module.
// Flash it with "ota": {"appVersion": "1.0.0"} in flash.config.json, then ship a new version from
// the console (README "Over-the-air updates"): the board downloads it, checks it, restarts into
// it and goes back to this version by itself if the new one does not connect.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device; // region, productKey, deviceName, deviceSecret

var device = new aliyunIoT.Device();
device.on(device.ON_CONNECT, function () {
  print("物联网平台连接成功");
});
device.on(device.ON_ERROR, function (e) {
  print("error " + e.code + " " + e.message);
});
device.on(device.ON_OTA, function (o) {
  print("update offered: " + o.module + " " + o.version + ", " + o.size + " bytes");
  // The app decides: e.g. refuse a package that cannot fit in this board's Storage.
  if (o.size > require("Storage").getFree()) return o.reject(-4);
  o.accept(function (p) {
    print("update " + p.module + " " + p.version + ": step " + p.step + (p.code ? ", failed " + p.code : ""));
  });
});
device.connect(keyInfo);
