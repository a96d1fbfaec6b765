/** Checksums of file upload over MQTT (alink-protocol.md §5): CRC-16/ARC of each block
 *  (check("123456789") = 0xBB3D) and CRC-64/XZ of the whole file for `ficMode: "crc64"`
 *  (check = 0x995DC9BBDF1939FA; the platform's exact CRC-64 flavour is UNCONFIRMED). */

const ARC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc16Arc(data: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < data.length; i++) crc = (crc >>> 8) ^ ARC_TABLE[(crc ^ data[i]) & 0xff];
  return crc;
}

const XZ_POLY = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;
let xzTable: BigUint64Array | null = null;

function table64(): BigUint64Array {
  if (xzTable) return xzTable;
  const t = new BigUint64Array(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ XZ_POLY : c >> 1n;
    t[n] = c;
  }
  return (xzTable = t);
}

/** CRC-64/XZ as 16 lowercase hex digits, most-significant byte first (LSDK's `ficValue`). */
export function crc64XzHex(data: Uint8Array): string {
  const t = table64();
  let crc = MASK64;
  for (let i = 0; i < data.length; i++) crc = t[Number((crc ^ BigInt(data[i])) & 0xffn)] ^ (crc >> 8n);
  return ((crc ^ MASK64) & MASK64).toString(16).padStart(16, '0');
}
