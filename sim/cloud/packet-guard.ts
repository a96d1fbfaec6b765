/**
 * Closes a connection as soon as a packet announces a body the platform would refuse.
 *
 * aedes gathers a whole packet before any hook sees it, so without this a device could make the
 * emulator buffer up to the MQTT maximum (256 MB) by announcing it and trickling bytes. The
 * guard reads only the fixed headers, at packet boundaries, and counts body bytes past.
 * aedes reads the socket with read(), so this 'data' listener sees exactly the bytes it reads.
 */
import type { Socket } from 'node:net';

/** Most a fixed header can hold: the type byte and four length bytes. */
const HEADER_MAX = 5;

export function guardPacketSize(socket: Socket, maxBody: number, refused: (announced: number) => void): void {
  let skip = 0;
  let header: number[] = [];
  socket.on('data', (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const b = chunk[i++];
      header.push(b);
      // The type byte, then length bytes while their top bit asks for one more.
      if (header.length === 1 || (b & 0x80 && header.length < HEADER_MAX)) continue;
      let len = 0;
      for (let k = header.length - 1; k >= 1; k--) len = len * 128 + (header[k] & 0x7f);
      header = [];
      if (len > maxBody) {
        refused(len);
        socket.destroy();
        return;
      }
      skip = len;
    }
  });
}
