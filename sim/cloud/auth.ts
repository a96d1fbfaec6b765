/** Login arithmetic of the platform: the MQTT clientId `prefix|k=v,...|`, the HMAC password
 *  (alink-protocol.md §1.2 recipe) and the dynamic-registration sign (§2). Pure functions. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ClientIdInfo {
  /** Text before the first `|` (the device's own client id). */
  prefix: string;
  /** The `k=v` pairs between the bars; unknown keys are kept and ignored by callers. */
  params: Record<string, string>;
}

/** Parses `prefix|k=v,k=v|`. A clientId without bars is a bare prefix (no params); a
 *  clientId with an opening bar but no closing one is malformed (null). */
export function parseClientId(raw: string): ClientIdInfo | null {
  const open = raw.indexOf('|');
  if (open < 0) return { prefix: raw, params: {} };
  const close = raw.indexOf('|', open + 1);
  if (close < 0) return null;
  const params: Record<string, string> = Object.create(null);
  for (const pair of raw.slice(open + 1, close).split(',')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    params[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return { prefix: raw.slice(0, open), params };
}

const ALGORITHMS: Record<string, string> = { hmacmd5: 'md5', hmacsha1: 'sha1', hmacsha256: 'sha256' };

/** Node hash name for a platform sign method (`hmacsha256`, `hmacSha256`, ...), or null. */
export function hashOf(signMethod: string | undefined): string | null {
  if (!signMethod) return null;
  return ALGORITHMS[signMethod.toLowerCase()] ?? null;
}

export function hmacHex(hash: string, key: string, content: string): string {
  return createHmac(hash, key).update(content).digest('hex');
}

/** Case-insensitive hex comparison in constant time. */
export function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase());
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Every sign content the platform accepts for a login: keys sorted by name, name+value
 *  concatenated; with clientId (and timestamp when the clientId carries one), then without
 *  timestamp, then with neither (the §1.2 recipe; all official clients pass one of them). */
export function loginContents(prefix: string, pk: string, dn: string, timestamp: string | undefined): string[] {
  const base = 'deviceName' + dn + 'productKey' + pk;
  const out: string[] = [];
  if (timestamp !== undefined) out.push('clientId' + prefix + base + 'timestamp' + timestamp);
  out.push('clientId' + prefix + base);
  out.push(base);
  return out;
}

/** True when `password` is the HMAC of one accepted content with `secret`. */
export function verifyLogin(hash: string, secret: string, password: string, contents: string[]): boolean {
  for (const content of contents) {
    if (sameHex(hmacHex(hash, secret, content), password)) return true;
  }
  return false;
}

/** Sign content of dynamic registration (HTTPS and MQTT): `deviceName..productKey..random..`. */
export function registerContent(pk: string, dn: string, random: string): string {
  return 'deviceName' + dn + 'productKey' + pk + 'random' + random;
}

/** `deviceName&productKey` → the two names, or null. */
export function parseUsername(username: string | undefined): { dn: string; pk: string } | null {
  if (!username) return null;
  const amp = username.indexOf('&');
  if (amp <= 0 || amp === username.length - 1) return null;
  return { dn: username.slice(0, amp), pk: username.slice(amp + 1) };
}
