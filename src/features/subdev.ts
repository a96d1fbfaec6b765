/**
 * Sub-devices of a gateway (alink-protocol.md 6): topology add/get/delete, registration,
 * batch login/logout, all through the gateway's one connection.
 *
 * The platform takes at most 30 devices per topo add / registration and 50 per batch login or
 * logout; longer lists are split here and the callback hears one combined result: 0 when every
 * part succeeded, else the first failure's code. The parts go one after another. Sub-device
 * secrets (given in a list, or issued by registerSubDevice) are kept in Storage, one small file
 * per device, so 2,000 never sit in RAM at once; lists may then omit them. A list may also be a
 * Storage file (see reader()): a large gateway's credentials are read from flash part by part,
 * and its logins again from there after a reconnect.
 *
 * Part of the optional Gateway part: createSubdevices() is called by createGateway()
 * (gateway.ts); nothing here exists before an app first reads aliyunIoT.Gateway.
 */
import { Err } from '../errors';
import { T, topic } from '../alink/topics';
import { createSubdeviceSigning } from '../alink/sign';
import { stringify, parse } from '../alink/json';
import { nowMs } from '../board/clock';
import { readJSON, writeJSON, read as readFile } from '../board/storage';
import { Connection, Msg } from './connection';

/** The list operations, and how each is sent (alink-protocol.md 6.2-6.4). */
export const enum Op {
  AddTopo,
  RemoveTopo,
  Register,
  Login,
  Logout,
}

/** The sub-device side of a gateway. `cb(code, message)` reports each operation once. */
export interface Subdevs extends SubdevsMethods {
  connection_: Connection;
  productKey_: string;
  deviceName_: string;
  /** "pk/dn" of the sub-devices logged in (logged in again after a reconnect): true, or where the secret is (files_) */
  loggedIn_: { [k: string]: number | boolean };
  /** Storage list files that logins came from (loggedIn_ holds n for files_[n - 1]). */
  files_: string[];
}

/** What the Subdevs of a gateway can do (see createSubdevices). */
interface SubdevsMethods {
  run_(op: Op, list: any, cb: (code: number, message: string) => void): number;
  send_(op: Op, read: () => any, source: number | boolean, echo: boolean, cb: (code: number, message: string) => void): number;
  answered_(op: Op, keys: string[], source: number | boolean, code: number, m?: Msg): void;
  getTopo_(cb: (code: number, message: string) => void): number;
  relogin_(cb: (code: number, message: string) => void): void;
  may_(pk: string, dn: string): boolean;
  changed_(params: any): void;
}

/** Builds the sub-device code; returns what makes the Subdevs of a gateway pk/dn on connection `c`. */
export function createSubdevices(): (c: Connection, pk: string, dn: string) => Subdevs {
  var subSign = createSubdeviceSigning();

  /** Storage name of a sub-device's record: a hash keeps it within Espruino's 28 characters. */
  function secretFile(pk: string, dn: string): string {
    var h = 5381;
    var s = pk + '/' + dn;
    for (var i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
    return 'aiot.sub.' + h.toString(16);
  }

  /** The stored secret of pk/dn, or undefined. */
  function storedSecret(pk: string, dn: string): string | undefined {
    var r = readJSON(secretFile(pk, dn));
    return r && r.productKey == pk && r.deviceName == dn ? r.deviceSecret : undefined;
  }

  function storeSecret(pk: string, dn: string, ds: string): number {
    return writeJSON(secretFile(pk, dn), { productKey: pk, deviceName: dn, deviceSecret: ds });
  }

  function valid(d: any): boolean {
    return d && typeof d.productKey == 'string' && typeof d.deviceName == 'string' && d.productKey && d.deviceName;
  }

  /**
   * The signed entry of one sub-device (its secret from the item or from Storage), with exactly
   * the fields the platform documents and Link SDK 4.x sends (aiot_subdev_api.c):
   * - topo add (DOC-89299): productKey, deviceName, clientId, timestamp, signmethod, sign; the
   *   platform signs every field but sign and signmethod, so nothing else may ride along;
   * - batch login (DOC-89300): productKey, deviceName, clientId, timestamp, cleanSession, sign;
   *   the sign method goes once beside deviceList.
   */
  function signed(d: any, login: boolean): any {
    var ds = typeof d.deviceSecret == 'string' ? d.deviceSecret : storedSecret(d.productKey, d.deviceName);
    if (!ds) return undefined;
    var s = subSign({ productKey: d.productKey, deviceName: d.deviceName, deviceSecret: ds, timestamp: nowMs() });
    var e: any = { productKey: s.productKey, deviceName: s.deviceName, clientId: s.clientId, timestamp: s.timestamp };
    if (login) e.cleanSession = 'true';
    else e.signmethod = s.signMethod;
    e.sign = s.sign;
    return e;
  }

  /** Per Op: topic row, method, most devices per request (the platform's limits). */
  var ROW = [T.TopoAdd, T.TopoDel, T.SubReg, T.BatchLogin, T.BatchLogout];
  var METHOD = ['thing.topo.add', 'thing.topo.delete', 'thing.sub.register', 'combine.batch_login', 'combine.batch_logout'];
  var MAX = [30, 30, 30, 50, 50];

  /** The `data` list of a reply as JSON text without its brackets ("" when empty). */
  function dataItems(m?: Msg): string {
    var d = m && m.data;
    var l = Array.isArray(d) ? d : d && Array.isArray(d.deviceList) ? d.deviceList : [];
    var t = stringify(l);
    return t.substring(1, t.length - 1);
  }

  function key(d: any): string {
    return d.productKey + '/' + d.deviceName;
  }

  /**
   * A reader of the devices of `list`: each call gives the next entry, null for an entry that is
   * not an object, undefined at the end. An array is the HaaS form. A string names a Storage file
   * holding the list as JSON (what Storage.writeJSON writes) or one object per line; its entries
   * are flat objects of strings (productKey, deviceName, deviceSecret), read one at a time from
   * the file (memory-mapped on the ESP32), so a list of 2,000 never sits in RAM. undefined when
   * `list` is neither, or the file is missing.
   */
  function reader(list: any): (() => any) | undefined {
    var at = 0;
    if (Array.isArray(list))
      return function () {
        return at < list.length ? list[at++] || null : undefined;
      };
    var text = typeof list == 'string' ? readFile(list) : undefined;
    if (text === undefined) return undefined;
    return function () {
      var a = text!.indexOf('{', at);
      if (a < 0) return undefined;
      var b = text!.indexOf('}', a);
      at = b < 0 ? text!.length : b + 1;
      var d = b < 0 ? null : parse(text!.substring(a, b + 1));
      return d && typeof d == 'object' ? d : null;
    };
  }

  /** The sub-devices of the gateway pk/dn on connection `c`; the prototype is subdevsMethods. */
  function Subdevs(c: Connection, pk: string, dn: string): Subdevs {
    var s: Subdevs = Object.create(subdevsMethods);
    s.connection_ = c;
    s.productKey_ = pk;
    s.deviceName_ = dn;
    s.loggedIn_ = {};
    s.files_ = [];
    return s;
  }

  var subdevsMethods = {

    /**
     * Runs list operation `op` on `list` (an array, or the name of a Storage file: see reader()):
     * checks it whole before sending anything (not empty, each entry valid, no device twice, a
     * secret for each where the platform wants a sign), then sends it part by part. Returns 0 or
     * the Err that stopped it before anything was sent; `cb(code, message)` hears the result.
     */
    run_(this: Subdevs, op: Op, list: any, cb: (code: number, message: string) => void): number {
      var read = reader(list);
      if (!read) return Err.BadArgument;
      var signs = op == Op.AddTopo || op == Op.Login;
      var seen: { [k: string]: boolean } | undefined = {};
      var count = 0;
      for (var d = read(); d !== undefined; d = read()) {
        if (!valid(d) || seen[key(d)]) return Err.BadArgument;
        seen[key(d)] = true;
        count++;
        if (op == Op.Logout && !this.loggedIn_[key(d)]) return Err.SubdevNotLoggedIn;
        if (signs && typeof d.deviceSecret != 'string' && !storedSecret(d.productKey, d.deviceName)) return Err.SubdevUnknown;
      }
      // released before sending: with 2,000 devices it is the largest thing held
      seen = undefined;
      if (!count) return Err.BadArgument;
      var file = typeof list == 'string';
      var source: number | boolean = true;
      if (file && op == Op.Login) {
        source = this.files_.indexOf(list) + 1;
        if (!source) source = this.files_.push(list);
      }
      var r = this.send_(op, reader(list)!, source, !file, cb);
      // Secrets given in an array are kept (logging in again after a reconnect needs them), once
      // the request was taken: a refused one leaves Storage alone. A file keeps its own.
      for (var i = 0; !r && signs && !file && i < list.length; i++) {
        d = list[i];
        if (typeof d.deviceSecret == 'string' && storedSecret(d.productKey, d.deviceName) != d.deviceSecret) storeSecret(d.productKey, d.deviceName, d.deviceSecret);
      }
      return r;
    },

    /**
     * Sends the entries `read` gives, at most the platform's limit per request, one request after
     * another (2,000 devices never flood the open-request table or the platform), and applies each
     * answered part here. `source` is what a login records: true (secret in the entry or in
     * Storage), or n for the Storage list files_[n - 1] that holds the secrets.
     * `cb(code, message)` once every part is answered: 0 if all succeeded, else the first failure;
     * message the replies' data as JSON text, or with `echo` false only the failed parts' (for a
     * list in a file: echoing back thousands of entries the file holds would not fit in RAM).
     */
    send_(this: Subdevs, op: Op, read: () => any, source: number | boolean, echo: boolean, cb: (code: number, message: string) => void): number {
      var self = this;
      var signs = op == Op.AddTopo || op == Op.Login;
      var max = MAX[op];
      var first = 0;
      var text = '';
      var keys: string[] = [];
      var END = 1;
      // Entries are made (and signed) per part, so only one part's worth is ever in RAM.
      function next(): number {
        var part: any[] = [];
        keys = [];
        for (var d = part.length < max ? read() : undefined; d; d = part.length < max ? read() : undefined) {
          var e = signs ? signed(d, op == Op.Login) : { productKey: d.productKey, deviceName: d.deviceName };
          if (!e) continue;
          part.push(e);
          keys.push(key(d));
        }
        if (!part.length) return END;
        // Login and logout must be QoS 0 (DOC-89300); batch login carries signMethod once.
        var params = op == Op.Login ? { signMethod: 'hmacSha256', deviceList: part } : part;
        return self.connection_.request_(topic(ROW[op], self.productKey_, self.deviceName_), METHOD[op], stringify(params), done, op >= Op.Login ? 0 : 1);
      }
      function done(code: number, m?: Msg) {
        self.answered_(op, keys, source, code, m);
        if (code && !first) first = code;
        var items = echo || code ? dataItems(m) : '';
        if (items) text = text ? text + ',' + items : items;
        var r = next();
        if (!r) return;
        if (r != END && !first) first = r;
        cb(first, '[' + text + ']');
      }
      var r = next();
      return r == END ? Err.BadArgument : r;
    },

    /** What an answered part changes here: who is logged in (and from where), which secrets are kept. */
    answered_(this: Subdevs, op: Op, keys: string[], source: number | boolean, code: number, m?: Msg): void {
      for (var i = 0; i < keys.length; i++) {
        var k = keys[i];
        if (op == Op.Login && !code) this.loggedIn_[k] = this.loggedIn_[k] || source;
        if (op == Op.Logout || (op == Op.RemoveTopo && !code)) delete this.loggedIn_[k];
      }
      var d = op == Op.Register && m ? m.data : undefined;
      for (var j = 0; Array.isArray(d) && j < d.length; j++) if (d[j].deviceSecret) storeSecret(d[j].productKey, d[j].deviceName, d[j].deviceSecret);
    },

    getTopo_(this: Subdevs, cb: (code: number, message: string) => void): number {
      return this.connection_.request_(topic(T.TopoGet, this.productKey_, this.deviceName_), 'thing.topo.get', '{}', function (code, m) {
        cb(code, '[' + dataItems(m) + ']');
      });
    },

    /**
     * After a reconnect: logs in again every sub-device that was logged in: first those from
     * Storage lists, read again from their files (so their secrets never sit in RAM), then the others.
     */
    relogin_(this: Subdevs, cb: (code: number, message: string) => void): void {
      var self = this;
      var any = false;
      var rest: any[] = [];
      for (var k in this.loggedIn_) {
        any = true;
        var i = k.indexOf('/');
        if (this.loggedIn_[k] === true) rest.push({ productKey: k.substring(0, i), deviceName: k.substring(i + 1) });
      }
      var fromRest = reader(rest)!;
      var opened = 0;
      // an ended reader: until the first file opens, and kept if a file has gone from Storage
      var fromFile = reader([])!;
      function next(): any {
        for (;;) {
          var d = fromFile();
          if (d === undefined) {
            if (opened >= self.files_.length) return fromRest();
            fromFile = reader(self.files_[opened++]) || fromFile;
          } else if (d && self.loggedIn_[key(d)] === opened) return d;
        }
      }
      var r = any ? this.send_(Op.Login, next, true, false, cb) : 0;
      if (r) cb(r, '[]');
    },

    /** Whether pk/dn may send now: the gateway itself, or a logged-in sub-device. */
    may_(this: Subdevs, pk: string, dn: string): boolean {
      return (pk == this.productKey_ && dn == this.deviceName_) || !!this.loggedIn_[key({ productKey: pk, deviceName: dn })];
    },

    /** A topology change pushed by the cloud: removed or disabled devices are no longer logged in. */
    changed_(this: Subdevs, params: any): void {
      var l = params && params.subList;
      for (var i = 0; Array.isArray(l) && i < l.length; i++) if (params.status != 0) delete this.loggedIn_[key(l[i])];
    },
  };

  return Subdevs;
}
