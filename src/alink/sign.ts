/**
 * Credentials and signatures (alink-protocol.md 1.2, 2, 6.1): the MQTT CONNECT triple for a
 * device, for dynamic registration (register / regnwl) and for the connwl login that follows
 * regnwl; the HTTPS dynamic-registration form; the sub-device sign used by topo add and login.
 * All signatures are lowercase hex (the cloud compares case-insensitively). Each sign method
 * signs with its own algorithm: hmacsha256, hmacsha1 and hmacmd5 (DOC-73742 lists these three).
 */
import { hmacHex, HashAlg } from '../board/hmac';

/** What MQTT CONNECT needs. */
export interface Creds {
  clientId: string;
  username: string;
  password: string;
}

export type SignMethod = 'hmacsha256' | 'hmacsha1' | 'hmacmd5';

/** The hash of a sign method as the clientId spells it (absent: SHA-256), or undefined for any
 *  other value: the caller reports that as bad input. */
export function signAlg(method: any): HashAlg | undefined {
  return method === undefined || method == 'hmacsha256' ? 'sha256' : method == 'hmacsha1' ? 'sha1' : method == 'hmacmd5' ? 'md5' : undefined;
}

export interface DeviceKeys {
  productKey: string;
  deviceName: string;
  deviceSecret: string;
  /** The free-text client id (<= 64 chars); default "<productKey>&<deviceName>". */
  clientId?: string;
  /** Default hmacsha256. */
  signMethod?: SignMethod;
  /** 2 = TLS, 3 = plain TCP. */
  securemode: number;
  /** ms since the epoch; signed and sent (the cloud does not check freshness). Omitted: neither
   *  sent nor signed (the HaaS MicroPython form). */
  timestamp?: number | string;
  /**
   * Extra clientId parameters after the signed ones. Default "_ss=1,ext=3": _ss=1 makes the
   * cloud subscribe the device's system topics itself (no SUBSCRIBE for /sys/... needed, as in
   * LinkSDK and the HaaS module); ext=3 enables the /ext/rrpc/ synchronous-service topics
   * (bit 0) and ext_notify (bit 1), as LinkSDK sends. "" sends none.
   */
  ext?: string;
}

/** The sign method that DeviceKeys and RegisterKeys default to. */
var SHA256 = 'hmacsha256';

/**
 * hex(HMAC(secret, content)), where content is each field's name followed by its value, in
 * order, leaving out empty values (an absent timestamp). The hash is the sign method's (the
 * callers have checked it with signAlg).
 */
function sign(method: string | undefined, secret: string, fields: { [k: string]: string }): string {
  var content = '';
  for (var k in fields) if (fields[k]) content += k + fields[k];
  return hmacHex(signAlg(method) || 'sha256', secret, content);
}

/** The client id a device signs with: its own, else "<pk>&<dn>". */
function cidOf(o: { productKey: string; deviceName: string; clientId?: string }): string {
  return o.clientId || o.productKey + '&' + o.deviceName;
}

/** The MQTT user name of a device: "<dn>&<pk>". */
function user(o: { productKey: string; deviceName: string }): string {
  return o.deviceName + '&' + o.productKey;
}

/**
 * MQTT credentials of a device (1.2): clientId "<cid>|securemode=<m>,signmethod=<alg>
 * [,timestamp=<ts>][,<ext>]|", username "<dn>&<pk>", password hex(HMAC(deviceSecret,
 * "clientId<cid>deviceName<dn>productKey<pk>timestamp<ts>")).
 */
export function deviceCreds(o: DeviceKeys): Creds {
  var cid = cidOf(o);
  var m = o.signMethod || SHA256;
  var ts = o.timestamp === undefined ? '' : '' + o.timestamp;
  var ext = o.ext === undefined ? '_ss=1,ext=3' : o.ext;
  return {
    clientId: cid + '|securemode=' + o.securemode + ',signmethod=' + m + (ts ? ',timestamp=' + ts : '') + (ext ? ',' + ext : '') + '|',
    username: user(o),
    password: sign(m, o.deviceSecret, { clientId: cid, deviceName: o.deviceName, productKey: o.productKey, timestamp: ts }),
  };
}

export interface RegisterKeys {
  productKey: string;
  deviceName: string;
  productSecret: string;
  /** A nonce, e.g. the decimal text of a random uint32. */
  random: string;
  signMethod?: SignMethod;
}

/**
 * MQTT credentials after pre-registration-free registration (2.3): clientId "<cid from
 * /ext/regnwl>|authType=connwl,securemode=-2,_ss=1,ext=3|", password = the deviceToken as is.
 */
export function connwlCreds(o: { productKey: string; deviceName: string; clientId: string; deviceToken: string }): Creds {
  return {
    clientId: o.clientId + '|authType=connwl,securemode=-2,_ss=1,ext=3|',
    username: user(o),
    password: o.deviceToken,
  };
}

/** A signed sub-device (6.1): the fields topo add and combine login carry. */
export interface SubSigned {
  productKey: string;
  deviceName: string;
  clientId: string;
  timestamp: string;
  /** "hmacSha256", "hmacSha1" or "hmacMd5" (the docs' camelCase). Topo add sends it as `signmethod`, batch login once as `signMethod`. */
  signMethod: string;
  sign: string;
}

/** What signs a sub-device: its own secret, and the time of signing. */
export interface SubdeviceKeys {
  productKey: string;
  deviceName: string;
  deviceSecret: string;
  clientId?: string;
  timestamp: number | string;
  signMethod?: SignMethod;
}

export type SubdeviceSigning = (o: SubdeviceKeys) => SubSigned;

/** The signatures of dynamic registration (2.1-2.3). */
export interface RegistrationSigning {
  creds(o: RegisterKeys & { authType: 'register' | 'regnwl'; instanceId?: string }): Creds;
  form(o: RegisterKeys): { [k: string]: string };
}

/** Part of the optional registration part: built by createRegistration() (features/register.ts). */
export function createRegistrationSigning(): RegistrationSigning {
  /** hex(HMAC(productSecret, "deviceName<dn>productKey<pk>random<r>")): the dynamic-registration sign (2.1-2.3). */
  function registerSign(o: RegisterKeys): string {
    return sign(o.signMethod, o.productSecret, { deviceName: o.deviceName, productKey: o.productKey, random: o.random });
  }

  /**
   * MQTT credentials for dynamic registration over TLS (2.2, 2.3), LinkSDK's exact form:
   * clientId "<dn>.<pk>|random=<r>,authType=<register|regnwl>,securemode=2,signmethod=<alg>
   * [,instanceId=<id>]|", password = registerSign. The cloud then pushes one message on
   * /ext/register (deviceSecret) or /ext/regnwl (clientId, deviceToken).
   */
  function registerCreds(o: RegisterKeys & { authType: 'register' | 'regnwl'; instanceId?: string }): Creds {
    return {
      clientId:
        o.deviceName + '.' + o.productKey + '|random=' + o.random + ',authType=' + o.authType + ',securemode=2,signmethod=' +
        (o.signMethod || SHA256) + (o.instanceId ? ',instanceId=' + o.instanceId : '') + '|',
      username: user(o),
      password: registerSign(o),
    };
  }

  /**
   * The HTTPS dynamic-registration form fields (2.1), in the order the C SDKs send them:
   * productKey, deviceName, random, sign, signMethod.
   */
  function registerForm(o: RegisterKeys): { [k: string]: string } {
    return {
      productKey: o.productKey,
      deviceName: o.deviceName,
      random: o.random,
      sign: registerSign(o),
      signMethod: o.signMethod || SHA256,
    };
  }

  return { creds: registerCreds, form: registerForm };
}

/** Part of the optional Gateway part: built by createSubdevices() (features/subdev.ts). */
export function createSubdeviceSigning(): SubdeviceSigning {
  /** The camelCase sign-method names of sub-device messages (DOC-89300: hmacSha1, hmacSha256, hmacMd5). */
  var SUB_METHOD: { [alg: string]: string } = { sha256: 'hmacSha256', sha1: 'hmacSha1', md5: 'hmacMd5' };

  /**
   * Signs a sub-device with its own deviceSecret (6.1): hex(HMAC(ds, "clientId<cid>deviceName<dn>
   * productKey<pk>timestamp<ts>")); clientId defaults to "<pk>&<dn>".
   */
  function subSign(o: SubdeviceKeys): SubSigned {
    var cid = cidOf(o);
    var ts = '' + o.timestamp;
    return {
      productKey: o.productKey,
      deviceName: o.deviceName,
      clientId: cid,
      timestamp: ts,
      signMethod: SUB_METHOD[signAlg(o.signMethod) || 'sha256'],
      sign: sign(o.signMethod, o.deviceSecret, { clientId: cid, deviceName: o.deviceName, productKey: o.productKey, timestamp: ts }),
    };
  }

  return subSign;
}
