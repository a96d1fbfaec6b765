/**
 * Wi-Fi state for the session (dial only when up) and re-joining after a drop.
 *
 * The app joins Wi-Fi itself (we never see its password). But the ESP32 firmware gives up
 * after a few retries and stops the radio (espruino-runtime.md 3.4), so a router reboot would
 * leave the board offline for good. Choice: while the station is connected, Wifi.getDetails()
 * reports {ssid, password} (the ESP32 firmware reads its station config, password included,
 * only while connected: jswrap_esp32_network.c, jswrap_wifi_getDetails); we remember them, and
 * after a `disconnected` we call wifi.connect(ssid, {password}) again with capped exponential
 * backoff (2 s doubling to 5 min) until `connected`. If the credentials cannot be learned (another firmware, or Wi-Fi was never
 * up while we watched) we only report the state. A deliberate wifi.disconnect() by the app
 * (reason "assoc_leave", 8) is not undone.
 */

export interface Net {
  isUp(): boolean;
  /** Adds a listener, called with true/false on every change (a Device and a Gateway may share the board). */
  onChange(cb: (up: boolean) => void): void;
}

var net: Net | null | undefined;

/** The board's Wi-Fi, or null when the firmware has no Wifi module. One shared instance. */
export function network(): Net | null {
  if (net !== undefined) return net;
  var w: any;
  try {
    w = require('Wifi');
  } catch (e) {
    return (net = null);
  }
  if (!w || !w.on) return (net = null);
  var up = false;
  var cbs: ((up: boolean) => void)[] = [];
  var ssid: string | undefined;
  var opts: any;
  var wait = 0;
  var timer: any;

  function learn() {
    try {
      var d = w.getDetails();
      if (d && d.ssid) {
        ssid = d.ssid;
        opts = { password: d.password };
      }
    } catch (e) {}
  }
  function set(u: boolean) {
    if (u == up) return;
    up = u;
    for (var i = 0; i < cbs.length; i++) cbs[i](u);
  }
  function rejoin() {
    timer = undefined;
    if (up || !ssid) return;
    try {
      w.connect(ssid, opts, function (err: any) {
        if (err) later();
      });
    } catch (e) {
      later();
    }
  }
  function later() {
    if (timer || up || !ssid) return;
    wait = wait ? Math.min(wait * 2, 300000) : 2000;
    timer = setTimeout(rejoin, wait);
  }

  try {
    var st = w.getStatus();
    if (st && st.station == 'connected') {
      up = true;
      learn();
    }
  } catch (e) {}
  w.on('connected', function () {
    wait = 0;
    if (timer) clearTimeout(timer);
    timer = undefined;
    learn();
    set(true);
  });
  w.on('disconnected', function (d: any) {
    set(false);
    if (d && (d.reason == 8 || d.reason == 'assoc_leave')) ssid = undefined;
    later();
  });
  return (net = {
    isUp: function () {
      return up;
    },
    onChange: function (f) {
      cbs.push(f);
    },
  });
}
