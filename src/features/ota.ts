/**
 * Over-the-air updates through the platform's OTA service (alink-protocol.md 4.10; the facts
 * and their public sources are in test/ota/FACTS.md):
 *
 *   up    /ota/device/inform/pk/dn      {"id","params":{"version", "module"?}}  every connect
 *   down  /ota/device/upgrade/pk/dn     {"code","data":{url, size, version, sign, signMethod, md5?, module?, extData?}}
 *   up    /ota/device/progress/pk/dn    {"id","params":{"step":"1".."100" or "-1".."-4", "desc", "module"?}}
 *   up    /sys/pk/dn/thing/ota/firmware/get (+_reply with the notice's data): queryOta()
 *
 * An accepted update is downloaded into the Storage file beside the running one
 * (ota-download.ts), its digest checked (md5 or sha256, as the notice signs it), then staged in
 * the OTA state (ota-state.ts) and the board restarted: the boot selector runs the new version
 * on trial, and the first connect after that confirms it. A trial that does not connect in
 * time, or a board that restarts during its trial, goes back to the previous version, and the
 * next connect reports the failure. "default" is the app, "aliyunIoT" this module; any other
 * module (or a board not flashed OTA-ready) gets the verified file, and the app applies it.
 *
 * Optional part: createOta() is called by the Device or Gateway (facade.ts ota_) the first time
 * a notice arrives, the app calls reportVersion/queryOta, or a board flashed OTA-ready
 * connects; apps that never update over the air never create it.
 */
import { Err } from '../errors';
import { T, topic } from '../alink/topics';
import { request, parseMsg, Msg } from '../alink/message';
import { digestFile } from '../board/digest';
import { erase, freeBytes } from '../board/storage';
import { restart } from '../board/restart';
import { Connection } from './connection';
import { download } from './ota-download';
import { loadState, saveState } from './ota-state';

/** What the part needs of its Device or Gateway. */
export interface OtaOwner {
  connection_: Connection | undefined;
  productKey_: string;
  deviceName_: string;
  /** connect() options: otaAuto, otaDeadlineSec */
  connectInfo_: any;
  /** app callbacks by event number; eventNumbers_.ON_OTA is this class's number */
  handlers_: any;
  eventNumbers_: { [k: string]: number };
  fail_(code: number, method: string): number;
}

export interface OtaPart {
  /** On every connection: confirms a trial, reports a rollback and every module's version. */
  connected_(): void;
  /** An upgrade notice pushed for device pk/dn (JSON text). */
  notice_(pk: string, dn: string, payload: string): void;
  report_(module: any, version: any): number;
  query_(module: any): number;
}

/** The platform's longest module name and version (emulator and docs: 64). */
var MAX_NAME = 64;

/** `call(cb, data)` runs an app callback without letting it throw into the module. */
export function createOta(owner: OtaOwner, call: (cb: any, data: any) => any): OtaPart {
  // versions the app reported itself, reported again at every connect
  var versions: { [module: string]: string } = {};
  // the accepted update in progress
  var job: any;

  function publish(t: T, pk: string, dn: string, params: any, cb?: (code: number) => void) {
    var c = owner.connection_!;
    return c.send_(topic(t, pk, dn), request(c.rpc_.next(), '', params), 1, cb);
  }

  function inform(module: string, version: string) {
    var p: any = { version: version };
    if (module != 'default') p.module = module;
    return publish(T.OtaInform, owner.productKey_, owner.deviceName_, p);
  }

  function progress(j: any, step: number, desc: string, cb?: (code: number) => void) {
    var p: any = { step: '' + step, desc: desc };
    if (j.module != 'default') p.module = j.module;
    publish(T.OtaProgress, j.productKey, j.deviceName, p, cb);
  }

  /** Tells the app through accept()'s callback: {module, version, step, code, file}. */
  function tell(j: any, step: number, code: number) {
    call(j.cb_, { module: j.module, version: j.version, step: step, code: code, file: j.file });
    if (code) owner.fail_(code, 'ota');
  }

  /** The update failed: the platform hears `step`, the app `code`. */
  function end(j: any, step: number, code: number, desc: string) {
    if (job == j) job = undefined;
    progress(j, step, desc);
    tell(j, step, code);
  }

  /** Where a module's new version goes: beside the running one, or a file for the app. */
  function fileFor(module: string, own: boolean): string {
    var st = own && loadState();
    var e = st && st.m[module];
    return e ? e.o : ('ota.' + module).substring(0, 28);
  }

  function apply(j: any) {
    var st = loadState();
    var e = st && j.own && st.m[j.module];
    if (!e) {
      job = undefined;
      progress(j, 100, '');
      return tell(j, 100, 0);
    }
    e.t = j.file;
    e.tv = j.version;
    delete e.k;
    st!.dl = 1000 * (owner.connectInfo_.otaDeadlineSec || 300);
    if (saveState(st!)) return end(j, -4, Err.OtaApplyFailed, 'state not saved');
    var once = 0;
    function go() {
      if (!once++) restart();
    }
    // restart once the platform has the 100 (or after 10 s without its acknowledgement)
    progress(j, 100, '', go);
    setTimeout(go, 10000);
    tell(j, 100, 0);
  }

  function start(j: any): number {
    if (job) return owner.fail_(Err.Busy, 'ota');
    if (j.size > freeBytes()) {
      end(j, -4, Err.OtaApplyFailed, 'no room in Storage');
      return Err.OtaApplyFailed;
    }
    job = j;
    var last = 0;
    progress(j, 1, '');
    download(j.url, j.file, j.size, {
      stored: function (n) {
        // every 10 %: enough for a console to show, little for the link
        var s = Math.floor((n * 100) / j.size);
        if (s < last + 10 || s >= 100) return;
        last = s - (s % 10);
        progress(j, last, '');
        tell(j, last, 0);
      },
      done: function (code) {
        if (code) return end(j, code == Err.StorageFailed ? -4 : -2, code, 'download failed');
        digestFile(j.file, j.size, j.signMethod, function (hex) {
          if (hex != j.sign) {
            erase(j.file);
            return end(j, -3, Err.OtaVerifyFailed, 'digest differs');
          }
          apply(j);
        });
      },
    });
    return 0;
  }

  function notice(pk: string, dn: string, m: Msg | undefined) {
    var d = m && m.data;
    if (!d || typeof d != 'object') return owner.fail_(Err.OtaBadNotice, 'ota');
    var alg = ('' + (d.signMethod || (d.md5 ? 'md5' : ''))).toLowerCase();
    var sign = ('' + (d.sign || d.md5 || '')).toLowerCase();
    var module = '' + (d.module || 'default');
    var version = '' + (d.version || '');
    if (typeof d.url != 'string' || !(+d.size > 0) || !version || module.length > MAX_NAME || !((alg == 'md5' && sign.length == 32) || (alg == 'sha256' && sign.length == 64)))
      return owner.fail_(Err.OtaBadNotice, 'ota');
    // the platform pushes a running update again at each version report: it is in hand
    if (job && job.module == module && job.version == version && job.productKey == pk && job.deviceName == dn) return;
    var own = pk == owner.productKey_ && dn == owner.deviceName_;
    var j: any = { module: module, version: version, size: +d.size, url: d.url, signMethod: alg, sign: sign, extData: d.extData, productKey: pk, deviceName: dn, own: own, file: fileFor(module, own) };
    var decided = 0;
    j.accept = function (cb?: any) {
      if (decided++) return Err.Busy;
      j.cb_ = cb;
      return start(j);
    };
    j.reject = function (code?: any) {
      if (decided++) return Err.Busy;
      progress(j, code <= -1 && code >= -4 ? code : -1, 'rejected by the app');
      return 0;
    };
    call(owner.handlers_[owner.eventNumbers_.ON_OTA], j);
    if (!decided && owner.connectInfo_.otaAuto) j.accept();
  }

  return {
    connected_: function () {
      var st = loadState();
      var m;
      if (st) {
        var changed = 0;
        for (m in st.m) {
          var e = st.m[m];
          // a version on trial connected: it becomes the running one
          if (e.t && e.k) {
            e.o = e.f;
            e.f = e.t;
            e.v = e.tv!;
            delete e.t;
            delete e.tv;
            delete e.k;
            changed = 1;
          }
        }
        var fail = st.fail;
        if (fail) delete st.fail;
        if (changed || fail) saveState(st);
        if (fail) end({ module: fail.m, version: fail.v, productKey: owner.productKey_, deviceName: owner.deviceName_ }, -1, Err.OtaRolledBack, 'rolled back: the new version did not connect');
        for (m in st.m) if (!versions[m]) inform(m, st.m[m].v);
      }
      for (m in versions) inform(m, versions[m]);
    },

    notice_: function (pk: string, dn: string, payload: string) {
      notice(pk, dn, parseMsg(payload));
    },

    report_: function (module: any, version: any): number {
      if (module === undefined || module === null || module === '') module = 'default';
      if (typeof module != 'string' || typeof version != 'string' || !version || module.length > MAX_NAME || version.length > MAX_NAME) return Err.BadArgument;
      versions[module] = version;
      return owner.connection_!.session_.isConnected() ? inform(module, version) : 0;
    },

    query_: function (module: any): number {
      var p = module && module != 'default' ? { module: '' + module } : {};
      return owner.connection_!.request_(topic(T.OtaGet, owner.productKey_, owner.deviceName_), 'thing.ota.firmware.get', p, function (code: number, msg?: Msg) {
        if (!code && msg && msg.data && msg.data.url) notice(owner.productKey_, owner.deviceName_, msg);
      });
    },
  };
}
