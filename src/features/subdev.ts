/**
 * Sub-devices of a gateway (alink-protocol.md 6): topology add/get/delete, registration,
 * batch login/logout, all through the gateway's one connection.
 *
 * The platform takes at most 30 devices per topo add / registration and 50 per batch login or
 * logout; longer lists are split here and the callback hears one combined result: 0 when every
 * part succeeded, else the first failure's code. The parts go one after another. Sub-device
 * secrets (given in a list, or issued by registerSubDevice) are kept in Storage, one small file
 * per device, so 2,000 never sit in RAM at once; lists may then omit them.
 *
 * Part of the optional Gateway part: createSubdevices() is called by createGateway()
 * (gateway.ts); nothing here exists before an app first reads aliyunIoT.Gateway.
 */
import { Err } from '../errors';
import { T, topic } from '../alink/topics';
import { createSubdeviceSigning } from '../alink/sign';
import { stringify } from '../alink/json';
import { nowMs } from '../board/clock';
import { readJSON, writeJSON } from '../board/storage';
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
  /** "pk/dn" -> true for sub-devices logged in (logged in again after a reconnect) */
  loggedIn_: { [k: string]: boolean };
}

/** What the Subdevs of a gateway can do (see createSubdevices). */
interface SubdevsMethods {
  run_(op: Op, list: any, cb: (code: number, message: string) => void): number;
  after_(op: Op, list: any[], code: number, msgs: Msg[]): void;
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

  /** Concatenated `data` lists of the replies, as JSON text (the HaaS `message` of topo get). */
  function dataText(msgs: Msg[]): string {
    var all: any[] = [];
    for (var i = 0; i < msgs.length; i++) {
      var d = msgs[i].data;
      if (Array.isArray(d)) all = all.concat(d);
      else if (d && Array.isArray(d.deviceList)) all = all.concat(d.deviceList);
    }
    return stringify(all);
  }

  function key(d: any): string {
    return d.productKey + '/' + d.deviceName;
  }

  /** The sub-devices of the gateway pk/dn on connection `c`; the prototype is subdevsMethods. */
  function Subdevs(c: Connection, pk: string, dn: string): Subdevs {
    var s: Subdevs = Object.create(subdevsMethods);
    s.connection_ = c;
    s.productKey_ = pk;
    s.deviceName_ = dn;
    s.loggedIn_ = {};
    return s;
  }

  var subdevsMethods = {

    /**
     * Runs list operation `op`: checks the list (not empty, no device twice), signs it where the
     * platform wants a sign (topo add, login), splits it at the platform's limit, and calls
     * `cb(code, message)` once all parts are answered: 0 if all succeeded, else the first failure.
     * Returns 0 or the Err that stopped it before anything was sent.
     */
    run_(this: Subdevs, op: Op, list: any, cb: (code: number, message: string) => void): number {
      var self = this;
      if (!Array.isArray(list) || !list.length) return Err.BadArgument;
      var signs = op == Op.AddTopo || op == Op.Login;
      var seen: { [k: string]: boolean } = {};
      for (var i = 0; i < list.length; i++) {
        var d = list[i];
        if (!valid(d) || seen[key(d)]) return Err.BadArgument;
        seen[key(d)] = true;
        if (op == Op.Logout && !this.loggedIn_[key(d)]) return Err.SubdevNotLoggedIn;
        if (signs && typeof d.deviceSecret != 'string' && !storedSecret(d.productKey, d.deviceName)) return Err.SubdevUnknown;
      }
      // One part at a time: a list of 2,000 never floods the open-request table or the platform.
      var max = MAX[op];
      var first = 0;
      var msgs: Msg[] = [];
      var at = 0;
      function finish() {
        self.after_(op, list, first, msgs);
        cb(first, dataText(msgs));
      }
      // Entries are made (and signed) per part, so only one part's worth is ever in RAM.
      function next(): number {
        var part: any[] = [];
        for (var j = at; j < at + max && j < list.length; j++) part.push(signs ? signed(list[j], op == Op.Login) : { productKey: list[j].productKey, deviceName: list[j].deviceName });
        at += max;
        // Login and logout must be QoS 0 (DOC-89300); batch login carries signMethod once.
        var params = op == Op.Login ? { signMethod: 'hmacSha256', deviceList: part } : part;
        return self.connection_.request_(topic(ROW[op], self.productKey_, self.deviceName_), METHOD[op], stringify(params), done, op >= Op.Login ? 0 : 1);
      }
      function done(code: number, m?: Msg) {
        if (code && !first) first = code;
        if (m) msgs.push(m);
        if (at < list.length) {
          var r = next();
          if (!r) return;
          if (!first) first = r;
        }
        finish();
      }
      var r = next();
      // Given secrets are kept too (logging in again after a reconnect needs them), once the
      // request was taken: a refused one (e.g. too large for a packet) leaves Storage alone.
      for (i = 0; !r && signs && i < list.length; i++) {
        d = list[i];
        if (typeof d.deviceSecret == 'string' && storedSecret(d.productKey, d.deviceName) != d.deviceSecret) storeSecret(d.productKey, d.deviceName, d.deviceSecret);
      }
      return r;
    },

    /** What an answered operation changes here: who is logged in, which secrets are kept. */
    after_(this: Subdevs, op: Op, list: any[], code: number, msgs: Msg[]): void {
      for (var i = 0; i < list.length; i++) {
        var k = key(list[i]);
        if (op == Op.Login && !code) this.loggedIn_[k] = true;
        if (op == Op.Logout || (op == Op.RemoveTopo && !code)) delete this.loggedIn_[k];
      }
      for (i = 0; op == Op.Register && i < msgs.length; i++) {
        var d = msgs[i].data;
        for (var j = 0; Array.isArray(d) && j < d.length; j++) if (d[j].deviceSecret) storeSecret(d[j].productKey, d[j].deviceName, d[j].deviceSecret);
      }
    },

    getTopo_(this: Subdevs, cb: (code: number, message: string) => void): number {
      return this.connection_.request_(topic(T.TopoGet, this.productKey_, this.deviceName_), 'thing.topo.get', '{}', function (code, m) {
        cb(code, dataText(m ? [m] : []));
      });
    },

    /** After a reconnect: logs in again every sub-device that was logged in. */
    relogin_(this: Subdevs, cb: (code: number, message: string) => void): void {
      var list: any[] = [];
      for (var k in this.loggedIn_) {
        var i = k.indexOf('/');
        list.push({ productKey: k.substring(0, i), deviceName: k.substring(i + 1) });
      }
      if (list.length) this.run_(Op.Login, list, cb);
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
