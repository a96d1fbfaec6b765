// The boot selector: `npm run flash` stores this file as .bootcde, so it runs at every boot
// (after .boot0, which joins Wi-Fi) and starts the app that the OTA state names.
//
// The state is JSON in Storage files ota0 and ota1 (the newest readable one counts; see
// src/features/ota-state.ts): for the app ("default") and the module ("aliyunIoT"), the file
// that runs (f) and, after a verified over-the-air update, the file on trial (t). A trial runs
// once: this selector marks it (k) before starting it, and the module confirms it when the new
// version connects. If the board boots again with the mark still set, or the trial has not
// connected when its deadline (dl) passes, the previous version runs again and the next connect
// reports the rollback. Without a state (a board flashed before OTA) it runs app.a.
var _ota = (function (S) {
  var a = S.readJSON("ota0", 1), b = S.readJSON("ota1", 1);
  var s = a && a.m && !(b && b.m && b.n > a.n) ? a : b && b.m ? b : null;
  if (!s) return { app: "app.a" };
  function save() {
    s.n++;
    S.writeJSON("ota" + (s.n & 1), s);
  }
  var trial = 0, changed = 0, m, e;
  for (m in s.m) {
    e = s.m[m];
    if (!e.t) continue;
    changed = 1;
    if (e.k) {
      // the trial booted once already and never connected: back to the previous version
      s.fail = { m: m, v: e.tv };
      delete e.t;
      delete e.tv;
      delete e.k;
    } else {
      e.k = 1;
      trial = 1;
    }
  }
  if (changed) save();
  if (trial)
    setTimeout(function () {
      // the deadline: a trial the module has not confirmed by now is rolled back
      var x = S.readJSON("ota0", 1), y = S.readJSON("ota1", 1);
      s = x && x.m && !(y && y.m && y.n > x.n) ? x : y;
      for (m in s.m) if (s.m[m].k) return load();
    }, s.dl || 300000);
  var mod = s.m.aliyunIoT, app = s.m["default"];
  var modFile = mod ? mod.t || mod.f : "aliyunIoT";
  if (modFile != "aliyunIoT")
    try {
      Modules.addCached("aliyunIoT", S.read(modFile));
    } catch (x) {
      // a module that does not even load: the app gets the previous one (from Storage)
      if (mod.t) {
        s.fail = { m: "aliyunIoT", v: mod.tv };
        delete mod.t;
        delete mod.tv;
        delete mod.k;
        save();
      }
    }
  return { app: app ? app.t || app.f : "app.a" };
})(require("Storage"));
eval(require("Storage").read(_ota.app));
