/** sim/cloud/packet-guard.ts on a socket pair: headers read at every boundary, however the bytes are cut. */
import net from 'node:net';
import { guardPacketSize } from '../../sim/cloud/packet-guard';
import { encode } from '../../src/mqtt/codec';
import { PacketType } from '../../src/mqtt/packets';

async function pair(): Promise<{ client: net.Socket; server: net.Socket; close: () => void }> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect((srv.address() as net.AddressInfo).port, '127.0.0.1');
  client.on('error', () => undefined);
  const server = await accepted;
  return { client, server, close: () => { client.destroy(); server.destroy(); srv.close(); } };
}

const pub = (bytes: number) => Buffer.from(encode({ cmd: PacketType.Publish, topic: 't', payload: 'x'.repeat(bytes), qos: 0, dup: false, retain: false, id: 0 }), 'latin1');

it('lets packets within the limit through, cut at every size, and refuses the first one past it', async () => {
  for (const cut of [1, 3, 536, 100000]) {
    const { client, server, close } = await pair();
    const refused: number[] = [];
    let received = 0;
    guardPacketSize(server, 1003, (n) => refused.push(n));
    server.on('data', (b) => (received += b.length));
    const ok = Buffer.concat([pub(1000), pub(0), pub(1000)]);
    const stream = Buffer.concat([ok, pub(1001), pub(5)]);
    const closedAt = new Promise<void>((r) => server.on('close', () => r()));
    for (let i = 0; i < stream.length; i += cut) client.write(stream.subarray(i, i + cut));
    await closedAt;
    // 2 (topic length) + 1 (topic) + 1001 = 1004 > 1003.
    expect(refused).toEqual([1004]);
    expect(received).toBeGreaterThanOrEqual(ok.length);
    close();
  }
});
