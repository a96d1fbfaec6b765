/**
 * Sub-devices of a gateway (alink-protocol.md 6): topology add/get/delete, registration,
 * batch login/logout, all through the gateway's one connection.
 *
 * The platform takes at most 30 devices per topo add / registration and 50 per batch login or
 * logout; longer lists are split here and the callback hears one combined result: 0 when every
 * part succeeded, else the first failure's code. Sub-device secrets (given, or learnt by
 * registration) are kept in Storage, one small file per device, so 2,000 of them never have to
 * sit in RAM at once.
 */
import { Err } from '../errors';
import { T, topic } from '../alink/topics';
import { subSign } from '../alink/sign';
import { stringify } from '../alink/json';
import { nowMs } from '../board/clock';
import { readJSON, writeJSON } from '../board/storage';
import { Connection, Msg } from './connection';

/** Storage name of a sub-device's record: a hash keeps it within Espruino's 28 characters. */
export function secretFile(pk: string, dn: string): string {
  var h = 5381;
  var s = pk + '/' + dn;
  for (var i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return 'aiot.sub.' + h.toString(16);
}

/** The stored secret of pk/dn, or undefined. */
export function storedSecret(pk: string, dn: string): string | undefined {
  var r = readJSON(secretFile(pk, dn));
  return r && r.productKey == pk && r.deviceName == dn ? r.deviceSecret : undefined;
}

export function storeSecret(pk: string, dn: string, ds: string): number {
  return writeJSON(secretFile(pk, dn), { productKey: pk, deviceName: dn, deviceSecret: ds });
}

function valid(d: any): boolean {
  return d && typeof d.productKey == 'string' && typeof d.deviceName == 'string' && d.productKey && d.deviceName;
}

/** The signed entry of one sub-device (its secret from the item or from Storage). */
function signed(d: any): any {
  var ds = typeof d.deviceSecret == 'string' ? d.deviceSecret : storedSecret(d.productKey, d.deviceName);
  if (!ds) return undefined;
  var s = subSign({ productKey: d.productKey, deviceName: d.deviceName, deviceSecret: ds, timestamp: nowMs() });
  return { productKey: s.productKey, deviceName: s.deviceName, clientId: s.clientId, timestamp: s.timestamp, signmethod: s.signMethod, sign: s.sign, cleanSession: 'true' };
}

/**
 * Sends `items` in chunks of `max`, one request each, and calls `done(code, msgs)` once when
 * all have answered: code 0 if all succeeded, else the first failure. `make` turns a chunk into
 * params. Returns 0 or the Err of the first chunk that could not be sent.
 */
function chunked(c: Connection, t: string, method: string, items: any[], max: number, make: (part: any[]) => any, done: (code: number, msgs: Msg[]) => void, qos?: 0 | 1): number {
  var left = Math.ceil(items.length / max);
  var first = 0;
  var msgs: Msg[] = [];
  for (var i = 0; i < items.length; i += max) {
    var r = c.request_(t, method, stringify(make(items.slice(i, i + max))), function (code: number, m?: Msg) {
      if (code && !first) first = code;
      if (m) msgs.push(m);
      if (--left == 0) done(first, msgs);
    }, qos);
    if (r) return r;
  }
  return 0;
}

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

/** The sub-device side of a gateway. `cb(code, message)` reports each operation. */
export class Subdevs {
  /** "pk/dn" -> true for sub-devices logged in (logged in again after a reconnect) */
  on_: { [k: string]: boolean } = {};

  constructor(private c_: Connection, private pk_: string, private dn_: string) {}

  /** Checks a list: not empty, every item names a device, no device twice. 0 or Err.BadArgument. */
  check_(list: any): number {
    if (!Array.isArray(list) || !list.length) return Err.BadArgument;
    var seen: { [k: string]: boolean } = {};
    for (var i = 0; i < list.length; i++) {
      if (!valid(list[i]) || seen[key(list[i])]) return Err.BadArgument;
      seen[key(list[i])] = true;
    }
    return 0;
  }

  /** Signs every item; Err.SubdevUnknown when a secret is missing. */
  sign_(list: any[]): any[] | number {
    var out: any[] = [];
    for (var i = 0; i < list.length; i++) {
      var s = signed(list[i]);
      if (!s) return Err.SubdevUnknown;
      out.push(s);
    }
    return out;
  }

  addTopo_(list: any, cb: (code: number, message: string) => void): number {
    var r = this.check_(list);
    var items = r ? r : this.sign_(list);
    if (typeof items == 'number') return items;
    for (var i = 0; i < list.length; i++) if (typeof list[i].deviceSecret == 'string') storeSecret(list[i].productKey, list[i].deviceName, list[i].deviceSecret);
    return chunked(this.c_, topic(T.TopoAdd, this.pk_, this.dn_), 'thing.topo.add', items, 30, function (p) {
      return p;
    }, function (code, msgs) {
      cb(code, dataText(msgs));
    });
  }

  removeTopo_(list: any, cb: (code: number, message: string) => void): number {
    var self = this;
    var r = this.check_(list);
    if (r) return r;
    return chunked(this.c_, topic(T.TopoDel, this.pk_, this.dn_), 'thing.topo.delete', list, 30, names, function (code, msgs) {
      if (!code) for (var i = 0; i < list.length; i++) delete self.on_[key(list[i])];
      cb(code, dataText(msgs));
    });
  }

  getTopo_(cb: (code: number, message: string) => void): number {
    return this.c_.request_(topic(T.TopoGet, this.pk_, this.dn_), 'thing.topo.get', '{}', function (code, m) {
      cb(code, dataText(m ? [m] : []));
    });
  }

  /** Registers sub-devices (product secret not needed: the gateway vouches); stores the secrets. */
  register_(list: any, cb: (code: number, message: string) => void): number {
    var r = this.check_(list);
    if (r) return r;
    return chunked(this.c_, topic(T.SubReg, this.pk_, this.dn_), 'thing.sub.register', list, 30, names, function (code, msgs) {
      var got = dataText(msgs);
      for (var i = 0; i < msgs.length; i++) {
        var d = msgs[i].data;
        for (var j = 0; Array.isArray(d) && j < d.length; j++) if (d[j].deviceSecret) storeSecret(d[j].productKey, d[j].deviceName, d[j].deviceSecret);
      }
      cb(code, got);
    });
  }

  /** Batch login (QoS 0, as the platform requires), at most 50 per message, all-or-nothing each. */
  login_(list: any, cb: (code: number, message: string) => void): number {
    var self = this;
    var r = this.check_(list);
    var items = r ? r : this.sign_(list);
    if (typeof items == 'number') return items;
    return chunked(this.c_, topic(T.BatchLogin, this.pk_, this.dn_), 'combine.batch_login', items, 50, function (p) {
      return { signMethod: 'hmacSha256', deviceList: p };
    }, function (code, msgs) {
      if (!code) for (var i = 0; i < list.length; i++) self.on_[key(list[i])] = true;
      cb(code, dataText(msgs));
    }, 0);
  }

  logout_(list: any, cb: (code: number, message: string) => void): number {
    var self = this;
    var r = this.check_(list);
    if (r) return r;
    for (var i = 0; i < list.length; i++) if (!this.on_[key(list[i])]) return Err.SubdevNotLoggedIn;
    return chunked(this.c_, topic(T.BatchLogout, this.pk_, this.dn_), 'combine.batch_logout', list, 50, names, function (code, msgs) {
      for (var i = 0; i < list.length; i++) delete self.on_[key(list[i])];
      cb(code, dataText(msgs));
    }, 0);
  }

  /** After a reconnect: logs in again every sub-device that was logged in. */
  relogin_(cb: (code: number, message: string) => void): void {
    var list: any[] = [];
    for (var k in this.on_) {
      var i = k.indexOf('/');
      list.push({ productKey: k.substring(0, i), deviceName: k.substring(i + 1) });
    }
    if (list.length) this.login_(list, cb);
  }

  /** Whether pk/dn may send now: the gateway itself, or a logged-in sub-device. */
  may_(pk: string, dn: string): boolean {
    return (pk == this.pk_ && dn == this.dn_) || !!this.on_[pk + '/' + dn];
  }

  /** A topology change pushed by the cloud: removed or disabled devices are no longer logged in. */
  changed_(params: any): void {
    var l = params && params.subList;
    for (var i = 0; Array.isArray(l) && i < l.length; i++) if (params.status != 0) delete this.on_[key(l[i])];
  }
}

function key(d: any): string {
  return d.productKey + '/' + d.deviceName;
}

function names(part: any[]): any[] {
  var out: any[] = [];
  for (var i = 0; i < part.length; i++) out.push({ productKey: part[i].productKey, deviceName: part[i].deviceName });
  return out;
}
