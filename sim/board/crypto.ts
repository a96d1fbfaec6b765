/**
 * require("crypto") as on the ESP32 build (libs/crypto/jswrap_crypto.c): SHA1, SHA224, SHA256,
 * SHA384, SHA512 take a String (bytes), ArrayBuffer, typed array or Array and return an
 * ArrayBuffer. No HMAC and no MD5 (use the `hmac` module or your own HMAC over SHA).
 * Not provided: PBKDF2 and AES (the ESP32 has them; nothing here needs them).
 */
import * as nodeCrypto from 'crypto';
import type { Realm } from './realm';
import { collectBytes } from './values';

const HASHES: Record<string, string> = { SHA1: 'sha1', SHA224: 'sha224', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512' };

export function createCryptoModule(realm: Realm): unknown {
  const mod = realm.object();
  for (const [name, algo] of Object.entries(HASHES)) {
    mod[name] = function hash(data: unknown) {
      const digest = nodeCrypto.createHash(algo).update(Buffer.from(collectBytes([data]))).digest();
      return realm.arrayBuffer(digest);
    };
  }
  return mod;
}
