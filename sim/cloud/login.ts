/** The platform's login decision for one CONNECT: which device, which kind of connection, or
 *  which CONNACK refusal (codes in codes.ts `Connack`). Pure apart from reading the registry. */
import { hashOf, loginContents, parseClientId, parseUsername, registerContent, verifyLogin, hmacHex, sameHex } from './auth';
import { Connack } from './codes';
import type { Registry } from './registry';

export interface LoginInput {
  clientId: string;
  username?: string;
  password?: Buffer;
  keepalive: number;
  tls: boolean;
  /** The emulated instance's id, if it plays a new-version / Enterprise instance. */
  instanceId?: string;
}

export type LoginDecision =
  | { ok: true; productKey: string; deviceName: string; kind: 'device' | 'register' | 'regnwl'; autoSubscribe: boolean; extRrpc: boolean }
  | { ok: false; returnCode: number; reason: string };

function refuse(returnCode: number, reason: string): LoginDecision {
  return { ok: false, returnCode, reason };
}

const KEEPALIVE_MIN = 30;
const KEEPALIVE_MAX = 1200;

export function decideLogin(registry: Registry, input: LoginInput): LoginDecision {
  const info = parseClientId(input.clientId);
  if (!info) return refuse(Connack.IdentifierRejected, 'malformed clientId');
  if (info.prefix.length > 64) return refuse(Connack.IdentifierRejected, 'clientId prefix longer than 64');
  const p = info.params;
  const mode = p.securemode;
  if (mode === undefined) return refuse(Connack.IdentifierRejected, 'securemode missing');
  // securemode 2 (and -2, new instances / connwl) is TLS; 3 is plain TCP (DOC-73742).
  const modeIsTls = mode === '2' || mode === '-2';
  if (modeIsTls !== input.tls || (!modeIsTls && mode !== '3')) return refuse(Connack.IdentifierRejected, 'securemode ' + mode + ' does not match the transport');
  const user = parseUsername(input.username);
  if (!user) return refuse(Connack.BadCredentials, 'username is not deviceName&productKey');
  const { pk, dn } = user;
  const password = input.password ? input.password.toString('utf8') : '';
  const authType = p.authType ?? p.authtype;
  const product = registry.product(pk);
  const device = registry.device(pk, dn);
  const extBits = Number.parseInt(p.ext ?? '0', 10);
  const common = { productKey: pk, deviceName: dn, autoSubscribe: p._ss === '1', extRrpc: Number.isFinite(extBits) && (extBits & 1) === 1 };

  if (authType === 'register' || authType === 'regnwl') {
    // Dynamic registration: TLS only, keep-alive not checked (DOC mqtt-based-dynamic-registration).
    if (!input.tls) return refuse(Connack.IdentifierRejected, 'dynamic registration needs TLS');
    // On a new-version or Enterprise instance the registration clientId names the instance.
    if (input.instanceId !== undefined && p.instanceId !== input.instanceId) return refuse(Connack.IdentifierRejected, 'instanceId ' + (p.instanceId ?? '(none)') + ' is not this instance');
    if (!product) return refuse(Connack.BadCredentials, 'unknown product');
    const hash = hashOf(p.signmethod);
    if (!hash || !p.random) return refuse(Connack.IdentifierRejected, 'signmethod or random missing');
    if (!sameHex(hmacHex(hash, product.productSecret, registerContent(pk, dn, p.random)), password)) return refuse(Connack.BadCredentials, 'registration sign mismatch');
    if (!product.dynamicRegistration) return refuse(Connack.NotAuthorized, 'dynamic registration is off for the product');
    if (authType === 'register') {
      if (!device) return refuse(Connack.BadCredentials, 'device not pre-registered');
    } else if (!product.registrationFree) return refuse(Connack.NotAuthorized, 'registration-free mode is off for the product');
    if (device?.disabled) return refuse(Connack.NotAuthorized, 'device disabled');
    if (device?.activated) return refuse(Connack.NotAuthorized, 'device already activated');
    return { ok: true, kind: authType, ...common };
  }

  if (input.keepalive < KEEPALIVE_MIN || input.keepalive > KEEPALIVE_MAX) return refuse(Connack.IdentifierRejected, 'keepalive ' + input.keepalive + ' outside 30..1200');
  if (!product || !device) return refuse(Connack.BadCredentials, 'unknown device');

  if (authType === 'connwl') {
    if (!device.deviceToken || password !== device.deviceToken) return refuse(Connack.BadCredentials, 'device token mismatch');
  } else {
    const hash = hashOf(p.signmethod);
    if (!hash) return refuse(Connack.IdentifierRejected, 'unsupported signmethod');
    if (!device.deviceSecret) return refuse(Connack.BadCredentials, 'device has no secret yet');
    if (!verifyLogin(hash, device.deviceSecret, password, loginContents(info.prefix, pk, dn, p.timestamp))) return refuse(Connack.BadCredentials, 'sign mismatch');
  }
  if (device.disabled) return refuse(Connack.NotAuthorized, 'device disabled');
  return { ok: true, kind: 'device', ...common };
}
