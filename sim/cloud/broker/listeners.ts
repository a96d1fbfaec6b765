/** The MQTT listeners: one port for plain MQTT and MQTT over TLS (told apart by the first
 *  byte), one TLS-only port; every socket passes the packet-size guard before aedes sees it. */
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Aedes, Client } from 'aedes';
import type { CloudCore } from '../core';
import { guardPacketSize } from '../packet-guard';

/** The first byte of a TLS record carrying a ClientHello (handshake content type 22). An MQTT
 *  CONNECT starts with 0x10. */
const TLS_HANDSHAKE = 0x16;

/** A Duplex over `raw` that first yields `head` (bytes already read from it): TLSSocket reads a
 *  plain Duplex through its own stream wrapper, so nothing read while sniffing is lost. */
function replaying(raw: net.Socket, head: Buffer): Duplex {
  const d = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk, _enc, cb) {
      raw.write(chunk, cb);
    },
    final(cb) {
      raw.end();
      cb();
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  d.push(head);
  raw.on('data', (c: Buffer) => {
    if (!d.push(c)) raw.pause();
  });
  raw.on('end', () => d.push(null));
  raw.on('close', () => d.destroy());
  raw.on('error', (e) => d.destroy(e));
  return d;
}

export interface Listeners {
  mqttPort: number;
  tlsPort: number;
  close(): Promise<void>;
}

export async function listen(core: CloudCore, broker: Aedes, opts: { host: string; mqttPort: number; tlsPort: number; certPem: string; keyPem: string }): Promise<Listeners> {
  // A PUBLISH may carry the largest payload, a topic of up to 65,535 bytes and a packet id.
  const maxBody = core.options.maxPayloadBytes + 65_539;
  const onSocket = (socket: net.Socket) => {
    socket.setNoDelay(true);
    let client: Client | undefined;
    guardPacketSize(socket, maxBody, (announced) => {
      const session = client ? core.bySocket.get(client) : undefined;
      core.log.add({ direction: 'up', productKey: session?.productKey, deviceName: session?.deviceName, topic: '$packet', payload: '(' + announced + ' bytes announced)', verdict: 'rejected', detail: 'packet larger than ' + maxBody + ' bytes; connection closed' });
    });
    client = broker.handle(socket);
  };
  // The MQTT port serves plain MQTT and MQTT over TLS alike, as the platform's 1883 and 443 do
  // (DOC-147356, alink-protocol.md 1.1): the first byte tells a ClientHello from a CONNECT.
  const secureContext = tls.createSecureContext({ cert: opts.certPem, key: opts.keyPem });
  const plain = net.createServer((raw) => {
    raw.setNoDelay(true);
    raw.on('error', () => undefined);
    // Until its first byte a socket is nobody's: give it aedes' CONNECT deadline.
    raw.setTimeout(10_000, () => raw.destroy());
    raw.once('data', (head: Buffer) => {
      raw.setTimeout(0);
      raw.pause();
      if (head[0] !== TLS_HANDSHAKE) {
        raw.unshift(head);
        // aedes reads with 'readable' + read(), which picks the bytes up again
        onSocket(raw);
        return;
      }
      const t = new tls.TLSSocket(replaying(raw, head) as unknown as net.Socket, { isServer: true, secureContext });
      // A failed handshake only concerns that socket; closing either side closes both.
      t.on('error', () => raw.destroy());
      t.on('close', () => raw.destroy());
      onSocket(t);
    });
  });
  const secure = tls.createServer({ cert: opts.certPem, key: opts.keyPem }, onSocket);
  // A failed handshake (garbage on the TLS port) only concerns that socket.
  secure.on('tlsClientError', () => undefined);
  const bind = (server: net.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, opts.host, () => resolve((server.address() as AddressInfo).port));
    });
  const mqttPort = await bind(plain, opts.mqttPort);
  const tlsPort = await bind(secure, opts.tlsPort);
  const closeServer = (s: net.Server) => new Promise<void>((r) => s.close(() => r()));
  return { mqttPort, tlsPort, close: () => Promise.all([closeServer(plain), closeServer(secure)]).then(() => undefined) };
}
