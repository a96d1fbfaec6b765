/**
 * Dynamic registration (一型一密, alink-protocol.md 2): a device that knows only its product's
 * secret obtains its own credentials, and keeps them in Storage.
 *
 * - MQTT over TLS (default): CONNECT with authType=register; the cloud pushes the deviceSecret
 *   on /ext/register. With `preRegister: false`, authType=regnwl: the cloud pushes a clientId
 *   and a deviceToken on /ext/regnwl, and later logins use authType=connwl with that token.
 * - HTTPS (`transport: "https"`): POST /auth/register/device with a signed form.
 *
 * The record {productKey, deviceName, productSecret, deviceSecret | clientId+deviceToken} is
 * stored as STORE; registering again for the same device answers from it without the cloud.
 *
 * Optional part: createRegistration() builds the registration (with its signing and its HTTPS
 * form post); Device.register() calls it on first use. stored() is not part of it: connect()
 * reads the stored identity of every board.
 */
import { Err } from '../errors';
import { Session } from '../mqtt/session';
import { createRegistrationSigning, signAlg } from '../alink/sign';
import { mqttEndpoint, Endpoint, INSTANCE_SUFFIX } from '../alink/endpoint';
import { parse } from '../alink/json';
import { dial } from '../board/net';
import { createFormPost } from '../board/https';
import { readJSON, writeJSON } from '../board/storage';

/** The Storage record of this board's identity. */
export var STORE = 'aliyunIoT.device.json';

/** The stored identity for pk/dn (any when omitted), or undefined. */
export function stored(pk?: string, dn?: string): any {
  var r = readJSON(STORE);
  if (!r || (pk && (r.productKey != pk || r.deviceName != dn))) return undefined;
  return r.deviceSecret || r.deviceToken ? r : undefined;
}

export interface Registration {
  /**
   * Registers; cb(code, record) once: code 0 and the stored record {productKey, deviceName,
   * productSecret, deviceSecret | clientId + deviceToken} on success, else the failure's code.
   * Returns 0 or an Err for bad input.
   */
  register(info: any, cb: (code: number, rec?: any) => void): number;
  /** The host of HTTPS registration for connect()-style `info` and its MQTT endpoint. */
  authHost(info: any, at: Endpoint): string;
}

export function createRegistration(): Registration {
  var DEADLINE_MS = 20000;
  var signing = createRegistrationSigning();
  var https = createFormPost();

  /**
   * The host of HTTPS dynamic registration: `iot-auth.<region>.aliyuncs.com` for every instance,
   * legacy or new ("不区分公共实例和企业实例", developer.aliyun.com/article/1098361), unless `host`
   * names another server (an instance's MQTT endpoint does not serve HTTPS registration).
   */
  function authHost(info: any, at: Endpoint): string {
    return info.host && !(at.instanceId && at.host == at.instanceId + INSTANCE_SUFFIX) ? at.host : 'iot-auth.' + (info.region || 'cn-shanghai') + '.aliyuncs.com';
  }

  /**
   * Registers; cb(code, record) once: code 0 and the stored record {productKey, deviceName,
   * productSecret, deviceSecret | clientId + deviceToken} on success, else the failure's code.
   * Returns 0 or an Err for bad input.
   */
  function register(info: any, cb: (code: number, rec?: any) => void): number {
    var pk = info.productKey, dn = info.deviceName, ps = info.productSecret;
    if (typeof pk != 'string' || typeof dn != 'string' || typeof ps != 'string' || !pk || !dn || !ps) return Err.BadArgument;
    if (!signAlg(info.signMethod)) return Err.BadSignMethod;
    var found = mqttEndpoint(info);
    if (!found) return Err.BadArgument;
    var at = found;
    function done(code: number, rec?: any) {
      if (rec) {
        rec.productKey = pk;
        rec.deviceName = dn;
        rec.productSecret = ps;
        code = writeJSON(STORE, rec);
      }
      cb(code, code ? undefined : rec || stored(pk, dn));
    }
    if (stored(pk, dn)) {
      done(0);
      return 0;
    }
    var keys = { productKey: pk, deviceName: dn, productSecret: ps, random: '' + Math.floor(Math.random() * 4294967295), signMethod: info.signMethod };

    if (info.transport == 'https') {
      var url = 'https://' + authHost(info, at) + (info.port ? ':' + info.port : '') + '/auth/register/device';
      https.post(url, signing.form(keys), function (code, json) {
        var secret = json && json.data && json.data.deviceSecret;
        if (!code && json.code != 200) code = json.code > 0 ? json.code : Err.RegisterFailed;
        if (code || !secret) return done(code || Err.RegisterFailed);
        done(0, { deviceSecret: secret });
      });
      return 0;
    }

    var nwl = info.preRegister === false;
    var finished = false;
    var timer: any;
    var s = Session(
      {
        dial: dial,
        host: at.host,
        port: at.port,
        tls: true,
        ca: info.ca,
        keepaliveSec: 60,
        cleanSession: true,
        credentials: function () {
          return signing.creds({ productKey: pk, deviceName: dn, productSecret: ps, random: keys.random, signMethod: info.signMethod, authType: nwl ? 'regnwl' : 'register', instanceId: at.instanceId });
        },
      },
      {
        onConnect: function () {},
        onDisconnect: function () {},
        onError: function (code: number) {
          // A refused CONNECT (wrong productSecret, registration off): retrying will not help.
          if (code <= Err.ConnackRefused && code > Err.ConnackRefused - 10) finish(code);
        },
        onMessage: function (topic: string, payload: string) {
          var m = parse(payload);
          if (!m) return;
          if (topic == '/ext/register' && m.deviceSecret) finish(0, { deviceSecret: m.deviceSecret });
          if (topic == '/ext/regnwl' && m.deviceToken) finish(0, { clientId: m.clientId, deviceToken: m.deviceToken });
        },
      },
    );
    function finish(code: number, rec?: any) {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      s.end();
      done(code, rec);
    }
    timer = setTimeout(function () {
      finish(Err.Timeout);
    }, DEADLINE_MS);
    s.start();
    return 0;
  }

  return { register: register, authHost: authHost };
}
