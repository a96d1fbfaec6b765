/**
 * hmacHex against Node's crypto.createHmac: the fallback path (Node's `crypto` module has no
 * SHA1/SHA256 functions, exactly like a firmware without crypto) and the native path (a fake
 * Espruino crypto module returning ArrayBuffers). Keys from 0 to 200 bytes (over 64 bytes the
 * key is hashed first), binary messages.
 */
import * as nodeCrypto from 'crypto';
import { rng, randomBytes } from './rng';

const real: typeof nodeCrypto = jest.requireActual('crypto');
const oracle = (alg: string, k: string, m: string) =>
  real.createHmac(alg, Buffer.from(k, 'latin1')).update(Buffer.from(m, 'latin1')).digest('hex');
function cases(hmacHex: (a: 'sha1' | 'sha256', k: string, m: string) => string) {
  const r = rng(7);
  for (const alg of ['sha1', 'sha256'] as const) {
    for (const klen of [0, 1, 20, 32, 63, 64, 65, 100, 200]) {
      for (let i = 0; i < 4; i++) {
        const k = randomBytes(r, klen);
        const m = randomBytes(r, Math.floor(r() * 300));
        expect([alg, klen, hmacHex(alg, k, m)]).toEqual([alg, klen, oracle(alg, k, m)]);
      }
    }
  }
}

describe('hmacHex, fallback (no native SHA)', () => {
  const { hmacHex } = require('../../src/board/hmac');

  it('RFC 2202 / RFC 4231 test case 2 -> known digests', () => {
    expect(hmacHex('sha1', 'Jefe', 'what do ya want for nothing?')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(hmacHex('sha256', 'Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('random keys (0..200 bytes) and messages -> same as Node', () => cases(hmacHex));
});

describe('hmacHex, native crypto.SHA1/SHA256 (ArrayBuffer results)', () => {
  let calls = 0;
  let hmacHex: any;
  beforeAll(() => {
    jest.resetModules();
    const ab = (alg: string) => (s: string) => {
      calls++;
      const b = real.createHash(alg).update(Buffer.from(s, 'latin1')).digest();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
    };
    jest.doMock('crypto', () => ({ SHA1: ab('sha1'), SHA256: ab('sha256') }));
    hmacHex = require('../../src/board/hmac').hmacHex;
  });
  afterAll(() => jest.dontMock('crypto'));

  it('uses the native hash and matches Node', () => {
    cases(hmacHex);
    expect(calls).toBeGreaterThan(0);
  });
});

describe('hmacHex, require("crypto") throws', () => {
  it('falls back to the pure-JS hash', () => {
    jest.resetModules();
    jest.doMock('crypto', () => {
      throw new Error('Module crypto not found');
    });
    const { hmacHex } = require('../../src/board/hmac');
    expect(hmacHex('sha256', 'k', 'm')).toBe(oracle('sha256', 'k', 'm'));
    jest.dontMock('crypto');
  });
});
