// Wi-Fi (连接Wi-Fi): join the network before any aliyunIoT example. On the board, `npm run flash`
// stores this as boot code so Wi-Fi comes up at power-on. SSID and password come from the
// Storage file aliyunIoT.json, never from the script itself.
var cfg = require("Storage").readJSON("aliyunIoT.json", true) || {};
var wifi = require("Wifi");

print("connecting to network...");
wifi.connect(cfg.wifi.ssid, { password: cfg.wifi.password }, function (err) {
  if (err) {
    print("connect failed:", err);
    return;
  }
  var ip = wifi.getIP();
  print("connect succeed! ", ip.ip, ip.netmask, ip.gw);
});
