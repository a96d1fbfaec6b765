/** Bad input from one device gets the platform's answer and never hurts the others:
 *  garbage bytes, oversize payloads, malformed JSON, topics it does not own. */
import net from 'node:net';
import { start, type RunningCloud } from '../../sim/cloud/index';
import { PK, closed, end, login, request, testRegistry } from './helpers';

let cloud: RunningCloud;
beforeAll(async () => {
  cloud = await start({ registry: testRegistry(), maxPayloadBytes: 64 * 1024 });
});
afterAll(() => cloud.stop());

async function healthy(): Promise<void> {
  const c = await login(cloud, { dn: 'dev003' });
  const r = await request(c, `/sys/${PK}/dev003/thing/event/property/post`, { id: 'h', params: { Level: 1 } });
  expect(r).toMatchObject({ code: 200, id: 'h' });
  await end(c);
}

it('garbage bytes on the socket close that connection only', async () => {
  const bystander = await login(cloud, { dn: 'dev001' });
  const sock = net.connect(cloud.mqttPort, '127.0.0.1');
  const gone = new Promise<void>((r) => sock.on('close', () => r()));
  sock.on('error', () => undefined);
  sock.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]));
  await gone;
  expect(bystander.connected).toBe(true);
  await healthy();
  await end(bystander);
});

it('garbage after a valid login closes the device connection; it can log in again', async () => {
  const c = await login(cloud, { dn: 'dev001' });
  const gone = closed(c);
  (c as unknown as { stream: net.Socket }).stream.write(Buffer.from([0xf0, 0x00]));
  await gone;
  await healthy();
  const again = await login(cloud, { dn: 'dev001' });
  expect(cloud.api.isOnline(PK, 'dev001')).toBe(true);
  await end(again);
});

it('garbage on the TLS port fails the handshake without harm', async () => {
  const sock = net.connect(cloud.tlsPort, '127.0.0.1');
  sock.on('error', () => undefined);
  const gone = new Promise<void>((r) => sock.on('close', () => r()));
  sock.write('GET / HTTP/1.0\r\n\r\n');
  await gone;
  await healthy();
});

it('a malformed ClientHello on the MQTT port (which also speaks TLS) fails that handshake only', async () => {
  const bystander = await login(cloud, { dn: 'dev001' });
  const sock = net.connect(cloud.mqttPort, '127.0.0.1');
  sock.on('error', () => undefined);
  const gone = new Promise<void>((r) => sock.on('close', () => r()));
  // a handshake record holding a ClientHello of one byte; the alert that answers it is read and dropped
  sock.resume();
  sock.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00]));
  await gone;
  expect(bystander.connected).toBe(true);
  await healthy();
  await end(bystander);
});

it('a device logs in over TLS on the MQTT port too (securemode 2), and over plain TCP beside it', async () => {
  const overTls = await login(cloud, { dn: 'dev001', tls: true, port: cloud.mqttPort });
  const plain = await login(cloud, { dn: 'dev002' });
  expect(cloud.api.device(PK, 'dev001')!.clientId).toContain('securemode=2');
  expect(cloud.api.isOnline(PK, 'dev002')).toBe(true);
  await end(overTls);
  await end(plain);
});

it('oversize payload is logged as rejected and closes the connection', async () => {
  const c = await login(cloud, { dn: 'dev002' });
  const gone = closed(c);
  c.publish(`/sys/${PK}/dev002/thing/event/property/post`, Buffer.alloc(65 * 1024, 0x41));
  await gone;
  expect(cloud.api.messages({ where: (e) => e.deviceName === 'dev002' && e.verdict === 'rejected' })[0].detail).toMatch(/larger than/);
  await healthy();
});

it('a packet announcing a body past the limit closes the connection at once, before its bytes arrive', async () => {
  const c = await login(cloud, { dn: 'dev002' });
  const gone = closed(c);
  const sock = (c as unknown as { stream: net.Socket }).stream;
  // PUBLISH QoS 0 announcing 200 MB (remaining length 0x80 0x80 0x80 0x64), then only a few bytes of it.
  sock.write(Buffer.concat([Buffer.from([0x30, 0x80, 0x80, 0x80, 0x64, 0x00, 0x01, 0x74]), Buffer.alloc(1000, 0x41)]));
  await gone;
  const entry = cloud.api.messages({ deviceName: 'dev002', where: (e) => e.topic === '$packet' })[0];
  expect(entry).toMatchObject({ verdict: 'rejected', productKey: PK, deviceName: 'dev002', payload: '(209715200 bytes announced)' });
  await healthy();
});

it('the same guard lets a packet just within the limit through to the platform checks', async () => {
  const c = await login(cloud, { dn: 'dev002' });
  const r = await request(c, `/sys/${PK}/dev002/thing/event/property/post`, { id: 'w', params: { Level: 2 }, pad: 'p'.repeat(60 * 1024) });
  expect(r).toMatchObject({ id: 'w' });
  expect(c.connected).toBe(true);
  await end(c);
});

it('malformed JSON on every Alink uplink is answered, and nothing crashes', async () => {
  const c = await login(cloud, { dn: 'dev002' });
  const T = `/sys/${PK}/dev002`;
  for (const topic of [`${T}/thing/event/property/post`, `${T}/thing/event/property/batch/post`, `${T}/thing/event/lowpower/post`, `${T}/thing/deviceinfo/update`]) {
    expect(await request(c, topic, '\u0000not json')).toMatchObject({ code: 6207 });
    expect(await request(c, topic, 'null')).toMatchObject({ code: 6207 });
  }
  const cases: [string, number][] = [['[]', 6207], ['"s"', 6207], ['{"id":{},"params":1}', 460], ['{"id":"1","params":{"Level":null}}', 6305]];
  for (const [body, code] of cases) {
    expect(await request(c, `${T}/thing/event/property/post`, body)).toMatchObject({ code });
  }
  // Non-JSON to topics that are not request/reply: logged, no crash.
  await c.publishAsync(`/ext/ntp/${PK}/dev002/request`, 'xx', { qos: 1 });
  await c.publishAsync(`/shadow/update/${PK}/dev002`, '{', { qos: 1 });
  await c.publishAsync(`${T}/thing/service/property/set_reply`, 'nope', { qos: 1 });
  await c.publishAsync(`${T}/rrpc/response/123`, 'late', { qos: 1 });
  await c.publishAsync(`/nobody`, 'x', { qos: 1 });
  expect(c.connected).toBe(true);
  expect(cloud.api.messages({ where: (e) => e.topic === '/nobody' })[0]).toMatchObject({ verdict: 'forbidden' });
  expect(cloud.api.messages({ where: (e) => e.topic === `${T}/rrpc/response/123` })[0]).toMatchObject({ verdict: 'unmatched' });
  await end(c);
  await healthy();
});

it('a raw script that throws answers with a script error code', async () => {
  const reg = testRegistry();
  const other = await start({ registry: reg, rawScripts: { a1RawPK0001: { rawDataToProtocol: () => { throw new Error('boom'); }, protocolToRawData: (j) => [...Buffer.from(JSON.stringify(j))] } } });
  try {
    const c = await login(other, { pk: 'a1RawPK0001', dn: 'raw001', extra: '_ss=1' });
    const reply = new Promise<Buffer>((r) => c.once('message', (_t, p) => r(p)));
    await c.publishAsync('/sys/a1RawPK0001/raw001/thing/model/up_raw', Buffer.from([1]));
    expect(JSON.parse((await reply).toString())).toMatchObject({ code: 26002 });
    await end(c);
  } finally {
    await other.stop();
  }
});
