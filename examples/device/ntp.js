// getNtpTime - NTP对时: ask the platform for the time; the board clock is set as well.
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;

var device = new aliyunIoT.Device();
device.connect(keyInfo);
device.getNtpTime(function (data) {
  print("timestamp:", data.timestamp);
  print("sleep for 2s");
  setTimeout(function () {
    device.end();
  }, 2000);
});
