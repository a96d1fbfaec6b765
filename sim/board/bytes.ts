/**
 * Byte strings: how the ESP32 build of Espruino (no ESPR_UNICODE_SUPPORT) holds text. One
 * character is one byte, 0..255. SimBoard turns UTF-8 text coming from the PC (app scripts,
 * module sources) into byte strings, and turns printed byte strings back into UTF-8 for reading.
 */

/** UTF-8 text (a normal JS string) -> byte string, as the board sees an uploaded UTF-8 file. */
export function utf8ToBytes(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Byte string -> UTF-8 text, for reading what the board printed. Invalid UTF-8 becomes U+FFFD. */
export function bytesToUtf8(bytes: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(bytes)) return bytes;
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Byte string -> Buffer (characters above 0xFF keep their low byte, as on the board). */
export function bytesToBuffer(bytes: string): Buffer {
  return Buffer.from(bytes, 'latin1');
}

/** Buffer -> byte string. */
export function bufferToBytes(buf: Buffer | Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
}

/** Keep only the low byte of every character (what an 8-bit string can hold). */
export function maskToBytes(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\xff]*$/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(s.charCodeAt(i) & 0xff);
  return out;
}
