/**
 * The incremental pure-JS MD5 (OTA package digests) against Node's crypto: RFC 1321's test
 * suite, every length around the padding edges, and random byte strings fed in random pieces.
 */
import * as crypto from 'crypto';
import { md5 } from '../../src/board/md5';
import { rng, randomBytes } from './rng';

const node = (bin: string) => crypto.createHash('md5').update(Buffer.from(bin, 'latin1')).digest('hex');
function whole(s: string): string {
  const m = md5();
  m.update(s);
  return m.hex();
}

test('RFC 1321 A.5 test suite', () => {
  expect(whole('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  expect(whole('a')).toBe('0cc175b9c0f1b6a831c399e269772661');
  expect(whole('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
  expect(whole('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
  expect(whole('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('57edf4a22be3c955ac49da2e2107b67a');
});

test('every length 0..200 (crosses the 55/56/64-byte padding edges) -> same as Node', () => {
  const r = rng(3);
  for (let n = 0; n <= 200; n++) {
    const s = randomBytes(r, n);
    expect([n, whole(s)]).toEqual([n, node(s)]);
  }
});

test('fed in random pieces, as blocks are read back from Storage -> the digest of the whole', () => {
  const r = rng(7);
  for (let t = 0; t < 20; t++) {
    const s = randomBytes(r, Math.floor(r() * 5000));
    const m = md5();
    for (let p = 0; p < s.length; ) {
      const k = Math.floor(r() * 700);
      m.update(s.substring(p, p + k));
      p += k;
    }
    expect(m.hex()).toBe(node(s));
  }
});
