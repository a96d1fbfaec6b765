/**
 * A Dial over Node's net module with Espruino's delivery shape (binary strings, at most 536
 * bytes per onData), for running the session from TypeScript source against real brokers.
 */
import * as net from 'net';
import { Dial } from '../../../src/board/link';

export const nodeDial: Dial = (opts, ev) => {
  let done = false;
  const end = (code: number) => {
    if (done) return;
    done = true;
    ev.onClose(code);
  };
  const sock = net.connect(opts.port, opts.host);
  sock.on('connect', () => !done && ev.onOpen());
  sock.on('data', (b: Buffer) => {
    const s = b.toString('latin1');
    for (let i = 0; i < s.length && !done; i += 536) ev.onData(s.substring(i, i + 536));
  });
  sock.on('error', () => end(-202));
  sock.on('close', () => end(0));
  return {
    write: (bytes) => {
      if (!done) sock.write(Buffer.from(bytes, 'latin1'));
    },
    close: () => {
      sock.end();
      setTimeout(() => end(0), 0);
    },
  };
};
