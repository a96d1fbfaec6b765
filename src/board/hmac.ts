/**
 * HMAC-SHA1 / HMAC-SHA256 / HMAC-MD5 as lowercase hex (RFC 2104), for the MQTT password and
 * the dynamic-registration and sub-device signatures.
 *
 * Hashes with require("crypto").SHA1/SHA256 (native, return an ArrayBuffer) when the firmware
 * has them; some ESP32 builds omit crypto, so sha.ts is the fallback, built on first use. Espruino's crypto has no
 * MD5 at all: md5.ts is the only one. Keys and messages are binary strings; Espruino's crypto
 * takes them as they are.
 */
import { createSha, ShaJs } from './sha';
import { md5Js } from './md5';

/** The hashes signatures use. */
export type HashAlg = 'sha1' | 'sha256' | 'md5';

/** undefined: not probed yet; 0: no native module. */
var native: any;
/** The pure-JS SHA (an optional part), once a hash needed it. */
var shaJs: ShaJs | undefined;

function hash(alg: HashAlg, s: string): string {
  if (alg == 'md5') return md5Js(s);
  if (native === undefined) {
    try {
      native = require('crypto');
    } catch (e) {
      native = 0;
    }
  }
  // crypto.SHA1 / crypto.SHA256
  var f = native && native[alg.toUpperCase()];
  if (!f) return (shaJs || (shaJs = createSha()))(alg, s);
  var u = new Uint8Array(f(s));
  var out = '';
  for (var i = 0; i < u.length; i++) out += String.fromCharCode(u[i]);
  return out;
}

function xor(k: string, b: number): string {
  var out = '';
  for (var i = 0; i < 64; i++) out += String.fromCharCode((i < k.length ? k.charCodeAt(i) : 0) ^ b);
  return out;
}

/** hex(HMAC_alg(key, msg)) in lowercase. All three block sizes are 64 bytes. */
export function hmacHex(alg: HashAlg, key: string, msg: string): string {
  if (key.length > 64) key = hash(alg, key);
  var d = hash(alg, xor(key, 0x5c) + hash(alg, xor(key, 0x36) + msg));
  var hex = '';
  // 256 + c has three hex digits: the last two are the byte, zero-padded
  for (var i = 0; i < d.length; i++) hex += (256 + d.charCodeAt(i)).toString(16).substring(1);
  return hex;
}
