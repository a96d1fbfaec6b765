/**
 * The pure-JS SHA-1/SHA-256 fallback against Node's crypto: fixed FIPS vectors, every length
 * around the padding boundaries, and seeded random byte strings (bytes 0..255).
 */
import * as crypto from 'crypto';
import { createSha } from '../../src/board/sha';
import { rng, randomBytes } from './rng';

const sha = createSha();
const sha1 = (s: string) => sha('sha1', s);
const sha256 = (s: string) => sha('sha256', s);

const hex = (bin: string) => Buffer.from(bin, 'latin1').toString('hex');
const node = (alg: string, bin: string) => crypto.createHash(alg).update(Buffer.from(bin, 'latin1')).digest('hex');

describe('sha', () => {
  it('FIPS 180 "abc" vectors -> known digests', () => {
    expect(hex(sha1('abc'))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha1(''))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('every length 0..200 (crosses the 55/56/64-byte padding edges) -> same as Node', () => {
    const r = rng(1);
    for (let n = 0; n <= 200; n++) {
      const s = randomBytes(r, n);
      expect([n, hex(sha1(s))]).toEqual([n, node('sha1', s)]);
      expect([n, hex(sha256(s))]).toEqual([n, node('sha256', s)]);
    }
  });

  it('random byte strings up to 2 KB -> same as Node', () => {
    const r = rng(42);
    for (let i = 0; i < 60; i++) {
      const s = randomBytes(r, Math.floor(r() * 2048));
      expect(hex(sha1(s))).toBe(node('sha1', s));
      expect(hex(sha256(s))).toBe(node('sha256', s));
    }
  });

  it('digest lengths are 20 and 32 bytes, all chars are bytes', () => {
    const d1 = sha1('x'), d2 = sha256('x');
    expect(d1.length).toBe(20);
    expect(d2.length).toBe(32);
    for (const c of d1 + d2) expect(c.charCodeAt(0)).toBeLessThan(256);
  });
});
