// register - 设备动态注册 (一型一密): obtain this device's deviceSecret with the productSecret.
// The secret is kept in Storage; getDeviceInfo() reads it back.
var aliyunIoT = require("aliyunIoT");
var cfg = require("Storage").readJSON("aliyunIoT.json");

// As in HaaS, the callback receives the deviceSecret (a failure goes to ON_ERROR instead).
function onRegister(deviceSecret) {
  print("device regiter succeed !");
}

var devRegisterInfo = {
  productKey: cfg.register.productKey,
  deviceName: cfg.register.deviceName,
  productSecret: cfg.register.productSecret,
  host: cfg.register.host, // only for the local emulator; omit on the real platform
  port: cfg.register.port
};

var device = new aliyunIoT.Device();
device.register(devRegisterInfo, onRegister);
