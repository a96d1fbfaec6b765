/**
 * What Device and Gateway share: event registration, connect, custom topics, NTP, end, and the
 * rules for bad input (a negative code plus ON_ERROR {code, message}, never a throw).
 *
 * Both classes copy these methods onto their prototypes (`install`), so neither needs ES5
 * class inheritance, and each numbers its events as the HaaS module does.
 */
import { Err } from './errors';
import { deviceCreds, connwlCreds, signAlg } from './alink/sign';
import { mqttEndpoint } from './alink/endpoint';
import { isOwnTopic, rrpcAnswer, Parsed, T } from './alink/topics';
import { repairText } from './alink/json';
import { dial, hasTls } from './board/net';
import { network } from './board/wifi';
import { nowMs } from './board/clock';
import { Connection, connection } from './features/connection';
import { askTime, timeDown, NtpQueue } from './features/ntp';
import { byteString, answerBytes, postProps, postEvent, thingDown } from './features/thing';
import { stored } from './features/register';
import { createOta, OtaPart } from './features/ota';
import { loadState } from './features/ota-state';

/**
 * The events the module fires, by their public names: each class has its own ON_* numbers
 * (eventNumbers_), so firing by name cannot reach another event's callback when numbers change.
 */
export type EventName =
  | 'ON_CONNECT'
  | 'ON_DISCONNECT'
  | 'ON_CLOSE'
  | 'ON_SUBCRIBE'
  | 'ON_SERVICE'
  | 'ON_PROPS'
  | 'ON_ERROR'
  | 'ON_REPLY'
  | 'ON_RAWDATA'
  | 'ON_LOGIN'
  | 'ON_LOGOUT'
  | 'ON_TOPOADD'
  | 'ON_TOPOREMOVE'
  | 'ON_TOPOGET'
  | 'ON_SUBREGISTER'
  | 'ON_TOPOCHANGE';

/** App exceptions waiting to be rethrown, oldest first (see appCall). */
var thrown: any[] = [];

/**
 * Calls an app callback (if it is one) with `data` (and, where HaaS gives a bare value, the
 * richer `detail` second) and returns its result. An exception in it is the app's:
 * it is rethrown outside the module, so the interpreter reports it and nothing here breaks.
 * Espruino reports one exception per pass of its idle loop (the last one thrown), so several
 * thrown together are rethrown one per tick (at most 16 wait: memory is bounded).
 */
export function appCall(cb: any, data: any, detail?: any): any {
  if (typeof cb != 'function') return undefined;
  try {
    return cb(data, detail);
  } catch (e) {
    // built only when an app throws: one rethrow per tick, oldest first
    var rethrow = function () {
      var x = thrown.shift();
      if (thrown.length) setTimeout(rethrow, 0);
      throw x;
    };
    if (thrown.length < 16 && thrown.push(e) == 1) setTimeout(rethrow, 0);
  }
}

/**
 * The session's credentials function: signed afresh for every connection attempt (a new
 * timestamp), or the token of a device registered without a secret. Its own small closure.
 */
function credentialsOf(owner: Core, rec: any, tls: boolean) {
  return function () {
    var pk = owner.productKey_, dn = owner.deviceName_, info = owner.connectInfo_;
    return rec.deviceToken
      ? connwlCreds({ productKey: pk, deviceName: dn, clientId: rec.clientId, deviceToken: rec.deviceToken })
      : deviceCreds({ productKey: pk, deviceName: dn, deviceSecret: rec.deviceSecret, clientId: info.clientId, signMethod: info.signMethod, securemode: tls ? 2 : 3, timestamp: nowMs() });
  };
}

/** The state of a Device or Gateway; its methods are `core`'s, copied onto each class by install(). */
export interface Core extends CoreMethods {
  /** app callbacks by public event number */
  handlers_: any;
  /** the class's ON_* constants */
  eventNumbers_: { [k: string]: number };
  /** what connect() was given */
  connectInfo_: any;
  /** where it connects, "mqtts://host:port" or "mqtt://host:port": the message of link errors (no secret in it) */
  endpoint_: string;
  connection_: Connection | undefined;
  /** pending getNtpTime callbacks, from the first one */
  ntpWaiting_: NtpQueue | undefined;
  productKey_: string;
  deviceName_: string;
  ended_: boolean;
  /** the OTA part, once used (ota_()) */
  otaPart_: OtaPart | undefined;
}
type CoreMethods = typeof core;

/**
 * The methods Device and Gateway share, as a plain object: install() copies them onto both
 * prototypes (a class would cost each method a scope chain on the board).
 */
export var core = {
  /** Calls the app's callback for `ev`; returns what it returned. */
  fire_(this: Core, ev: EventName, data: any, detail?: any): any {
    return appCall(this.handlers_[this.eventNumbers_[ev]], data, detail);
  },

  /** Reports a refused call: ON_ERROR {code, message: <method>} and returns the code. */
  fail_(this: Core, code: number, method: string): number {
    this.fire_('ON_ERROR', { code: code, message: method });
    return code;
  },

  /** 0 when the device can take a request now (connected or reconnecting), else the reason. */
  ready_(this: Core, method: string): number {
    return this.ended_ ? this.fail_(Err.Ended, method) : this.connection_ ? 0 : this.fail_(Err.NotConnected, method);
  },

  on(this: Core, event: number, cb: any): number {
    var known = false;
    for (var k in this.eventNumbers_) if (this.eventNumbers_[k] === event) known = true;
    if (!known || typeof cb != 'function') return this.fail_(Err.BadArgument, 'on');
    this.handlers_[event] = cb;
    return 0;
  },

  /**
   * Starts connecting and returns 0 (or a code for bad input); ON_CONNECT fires on every
   * (re)connection. info: productKey, deviceName, deviceSecret (or one stored by register()),
   * region, keepaliveSec (30..1200, default 60), and instanceId, host (also the endpoint as the
   * console shows it), port, tls, ca, signMethod, clientId, cleanSession, maxPacketBytes.
   */
  connect(this: Core, info: any): number {
    if (this.ended_) return this.fail_(Err.Ended, 'connect');
    if (this.connection_) return this.fail_(Err.Busy, 'connect');
    if (!info || typeof info.productKey != 'string' || typeof info.deviceName != 'string') return this.fail_(Err.BadArgument, 'connect');
    var pk = info.productKey, dn = info.deviceName;
    // The CONNECT carries them (with about 100 bytes of sign parameters) in MQTT's 65,535-byte fields.
    if (pk.length + dn.length + (info.clientId || '').length > 65400) return this.fail_(Err.TooLarge, 'connect');
    var rec = typeof info.deviceSecret == 'string' ? { deviceSecret: info.deviceSecret } : stored(pk, dn);
    if (!rec) return this.fail_(Err.BadArgument, 'connect');
    var ka = info.keepaliveSec === undefined ? 60 : info.keepaliveSec;
    if (typeof ka != 'number' || ka < 30 || ka > 1200) return this.fail_(Err.BadKeepalive, 'connect');
    if (!signAlg(info.signMethod)) return this.fail_(Err.BadSignMethod, 'connect');
    var at = mqttEndpoint(info);
    if (!at) return this.fail_(Err.BadArgument, 'connect');
    var tls = info.tls === undefined ? hasTls() : !!info.tls;
    this.productKey_ = pk;
    this.deviceName_ = dn;
    this.connectInfo_ = info;
    this.endpoint_ = (tls ? 'mqtts://' : 'mqtt://') + at.host + ':' + at.port;
    this.connection_ = connection(
      {
        dial: dial,
        host: at.host,
        port: at.port,
        tls: tls,
        ca: info.ca,
        keepaliveSec: ka,
        cleanSession: info.cleanSession !== false,
        maxPacketBytes: info.maxPacketBytes,
        network: network() || undefined,
        credentials: credentialsOf(this, rec, tls),
      },
      this,
    );
    this.connection_.session_.start();
    return 0;
  },

  // ---- what the connection tells its owner (ConnectionOwner)

  onConnect_(this: Core): void {
    this.connected_();
    // a board flashed OTA-ready reports its versions (and confirms a new one) at every connect
    if (this.otaPart_ || loadState()) this.ota_().connected_();
    this.fire_('ON_CONNECT', { code: 0 });
  },

  onDisconnect_(this: Core, code: number): void {
    this.fire_('ON_DISCONNECT', { code: code, message: this.endpoint_ });
  },

  onError_(this: Core, code: number): void {
    this.fire_('ON_ERROR', { code: code, message: this.endpoint_ });
  },

  /**
   * A message on a topic the app subscribed to, to ON_SUBCRIBE {topic, payload}. A synchronous
   * call (custom-topic RRPC, or a classic RRPC that is no service call) also carries
   * reply(bytes), which answers where the cloud waits for it.
   */
  onCustom_(this: Core, topic: string, payload: string): void {
    var d: any = { topic: topic, payload: payload };
    var to = rrpcAnswer(topic);
    if (to) d.reply = answerBytes(this.connection_!, to);
    this.fire_('ON_SUBCRIBE', d);
  },

  /** Downlink traffic of the thing model, NTP answers and OTA notices (the Gateway adds topology changes). */
  route_(this: Core, p: Parsed, t: string, payload: string): boolean {
    if (p.kind == T.OtaUpgrade) {
      this.ota_().notice_(p.pk, p.dn, payload);
      return true;
    }
    return thingDown(this.connection_!, this, p, t, payload) || timeDown(this.ntpWaiting_, p, payload);
  },

  /** The OTA part (features/ota.ts), an optional part built here on first use. */
  ota_(this: Core): OtaPart {
    return this.otaPart_ || (this.otaPart_ = createOta(this, appCall));
  },

  /** + Reports `version` of `module` ("default" or omitted: the app) now and at every connect. */
  reportVersion(this: Core, module: any, version: any): number {
    var r = this.ready_('reportVersion') || this.ota_().report_(module, version);
    return r && this.fail_(r, 'reportVersion');
  },

  /** + Asks the platform for a pending update of `module` (thing/ota/firmware/get); it comes to ON_OTA. */
  queryOta(this: Core, module?: any): number {
    var r = this.ready_('queryOta') || this.ota_().query_(module);
    return r && this.fail_(r, 'queryOta');
  },

  /** Property sets, service calls and raw data from the cloud, to ON_PROPS / ON_SERVICE / ON_RAWDATA. */
  thing_(this: Core, kind: T, d: any): any {
    return this.fire_(kind == T.PropSet ? 'ON_PROPS' : kind == T.Service ? 'ON_SERVICE' : 'ON_RAWDATA', d);
  },

  /** Called on every (re)connection, before ON_CONNECT (the gateway logs its sub-devices in). */
  connected_(this: Core): void {},

  getNtpTime(this: Core, cb: any): number {
    if (typeof cb != 'function') return this.fail_(Err.BadArgument, 'getNtpTime');
    return (
      this.ready_('getNtpTime') ||
      askTime(this.connection_!, this.productKey_, this.deviceName_, this.ntpWaiting_ || (this.ntpWaiting_ = []), function (d) {
        appCall(cb, d);
      })
    );
  },

  /** {topic, qos}: a topic (filter) of this device's own; re-subscribed after every reconnect. */
  subscribe(this: Core, data: any): number {
    var self = this;
    var r = this.topicOf_(data, 'subscribe');
    if (r) return r;
    r = this.connection_!.session_.subscribe(data.topic, data.qos ? 1 : 0, function (code) {
      if (code) self.fail_(code, data.topic);
    });
    return r && this.fail_(r, 'subscribe');
  },

  unsubscribe(this: Core, data: any): number {
    var r = this.topicOf_(data, 'unsubscribe');
    if (r) return r;
    r = this.connection_!.session_.unsubscribe(data.topic);
    return r && this.fail_(r, 'unsubscribe');
  },

  /** {topic, qos, payload}: payload text or bytes; JSON text made by JSON.stringify keeps its UTF-8. */
  publish(this: Core, data: any): number {
    var r = this.topicOf_(data, 'publish');
    if (r) return r;
    var p = data.payload === undefined ? '' : byteString(data.payload);
    if (typeof p == 'number') return this.fail_(p, 'publish');
    var c = p.charAt(0);
    if (c == '{' || c == '[') p = repairText(p);
    r = this.connection_!.send_(data.topic, p, data.qos ? 1 : 0);
    return r && this.fail_(r, 'publish');
  },

  topicOf_(this: Core, data: any, method: string): number {
    var r = this.ready_(method);
    if (r) return r;
    if (!data || typeof data.topic != 'string') return this.fail_(Err.BadArgument, method);
    return isOwnTopic(data.topic, this.productKey_, this.deviceName_) ? 0 : this.fail_(Err.TopicNotOwned, method);
  },

  /** Which device a post is for, as [productKey, deviceName], or the Err (already reported). */
  target_(this: Core, data: any, method: string): string[] | number {
    var r = this.ready_(method);
    return r ? r : data ? [this.productKey_, this.deviceName_] : this.fail_(Err.BadArgument, method);
  },

  /** The cloud's answer to a post: to `cb` if given, and to ON_REPLY {code, msg_id, method}. */
  answer_(this: Core, method: string, cb: any) {
    var self = this;
    return function (code: number, m?: any) {
      var d = { code: code, msg_id: m ? +m.id : 0, method: method };
      appCall(cb, d);
      self.fire_('ON_REPLY', d);
    };
  },

  /** {params: JSON text (or an object)}; + cb({code, msg_id, method}) with the cloud's answer. */
  postProps(this: Core, data: any, cb?: any): number {
    var w = this.target_(data, 'postProps');
    if (typeof w == 'number') return w;
    var r = postProps(this.connection_!, w[0], w[1], data.params, this.answer_('postProps', cb));
    return r && this.fail_(r, 'postProps');
  },

  /** {id: the event's identifier, params: JSON text (or an object)}; + cb as postProps. */
  postEvent(this: Core, data: any, cb?: any): number {
    var w = this.target_(data, 'postEvent');
    if (typeof w == 'number') return w;
    var r = postEvent(this.connection_!, w[0], w[1], data.id, data.params, this.answer_('postEvent', cb));
    return r && this.fail_(r, 'postEvent');
  },

  /** What register() stored for this board: {productKey, deviceName, deviceSecret, productSecret}, or null. */
  storedInfo_(this: Core): any {
    var r = stored();
    return r ? { productKey: r.productKey, deviceName: r.deviceName, deviceSecret: r.deviceSecret, productSecret: r.productSecret } : null;
  },

  /** Closes the connection for good; ON_CLOSE follows. */
  end(this: Core): number {
    if (this.ended_) return 0;
    this.ended_ = true;
    if (this.connection_) this.connection_.end_();
    this.fire_('ON_CLOSE', { code: 0 });
    return 0;
  },
};

/**
 * Gives class `ctor` its own methods `own`, the shared ones (`core`'s, where `own` has none of
 * that name) and its ON_* constants (on the class and on instances, as in the HaaS module).
 */
export function install(ctor: any, own: any, names: { [k: string]: number }): void {
  var proto = ctor.prototype;
  var m;
  for (m in own) proto[m] = own[m];
  // Own properties only: on Espruino every object inherits on/emit, which `on` must replace.
  for (m in core) if (!Object.prototype.hasOwnProperty.call(own, m)) proto[m] = (core as any)[m];
  for (var k in names) ctor[k] = proto[k] = names[k];
  proto.eventNumbers_ = names;
}

/** Fresh per-instance state; called by each constructor. */
export function init(self: Core): void {
  self.handlers_ = {};
  self.ended_ = false;
}
