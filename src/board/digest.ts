/**
 * digestFile(): the digest of a Storage file as lowercase hex, to check a downloaded OTA
 * package against its notice. MD5 is taken here a block at a time (md5.ts); SHA-256 by the
 * firmware's crypto over the file as Storage returns it (on ESP32 a read is a view of flash,
 * not a copy in RAM). Between MD5 blocks the interpreter gets a tick, so MQTT keeps being served.
 */
import { md5 } from './md5';
import { read, readAt } from './storage';

/** Bytes hashed per tick. */
var STEP = 2048;

/** cb(hex) with the digest of the first `size` bytes of `file` by `alg` ("md5" or "sha256"), or cb("") when it cannot be taken. */
export function digestFile(file: string, size: number, alg: string, cb: (hex: string) => void): void {
  if (alg == 'sha256') {
    var hex = '';
    try {
      var s = read(file);
      if (s !== undefined && s.length == size) {
        var u = new Uint8Array(require('crypto').SHA256(s));
        for (var i = 0; i < u.length; i++) hex += (256 + u[i]).toString(16).substring(1);
      }
    } catch (e) {
      hex = '';
    }
    return cb(hex);
  }
  if (alg != 'md5') return cb('');
  var m = md5();
  var at = 0;
  function next() {
    var b = readAt(file, at, Math.min(STEP, size - at));
    if (b === undefined || (!b.length && at < size)) return cb('');
    m.update(b);
    at += b.length;
    if (at < size) setTimeout(next, 0);
    else cb(m.hex());
  }
  next();
}
