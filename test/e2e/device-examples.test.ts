/**
 * Every Device example of the HaaS document "aliyunIoT 设备类接口", ported to examples/device/*.js, run on SimBoard
 * (build/aliyunIoT.js) against the emulator over real sockets. Each test asserts what the document
 * says the script prints and what the platform must have seen.
 */
import { exampleSuite, PK, REG_PK } from './support';

const suite = exampleSuite();
const offline = () => suite.offline(PK, 'dev001');

test('create: a Device instance', async () => {
  suite.rig().runExample('device/create.js');
  await suite.rig().printed('create device succeed!');
});

test('device-handle: the handle is the instance', async () => {
  suite.rig().runExample('device/device-handle.js');
  await suite.rig().printed('get device handle succeed');
});

test('device-info: nothing stored before a registration', async () => {
  suite.rig().runExample('device/device-info.js');
  await suite.rig().printed('get DeviceInfo failed');
});

test('connect: online at the platform, then offline after end()', async () => {
  suite.rig().runExample('device/connect.js');
  await suite.rig().printed('物联网平台连接成功');
  expect(suite.cloud().api.isOnline(PK, 'dev001')).toBe(true);
  await offline();
});

test('register then device-info: the secret the platform issued is stored and read back', async () => {
  suite.rig().runExample('device/register.js');
  await suite.rig().printed('device regiter succeed !');
  const issued = suite.cloud().core.registry.device(REG_PK, 'reg001')!;
  expect(issued.deviceSecret).toMatch(/^[0-9a-f]{16,}$/);
  suite.rig().runExample('device/device-info.js');
  await suite.rig().printed('get DeviceInfo succeed');
  const info = suite.rig().board.run('JSON.stringify(new (require("aliyunIoT").Device)().getDeviceInfo())');
  expect(JSON.parse(info)).toEqual({ productKey: REG_PK, deviceName: 'reg001', deviceSecret: issued.deviceSecret, productSecret: 'e2eRegSecret0001' });
});

test('ntp: timestamp in seconds, and the board clock set from the platform', async () => {
  suite.rig().runExample('device/ntp.js');
  await suite.rig().printed('timestamp:');
  const line = suite.rig().board.output.find((l) => l.startsWith('timestamp:'))!;
  const seconds = Number(line.split(':')[1]);
  expect(Math.abs(seconds - Date.now() / 1000)).toBeLessThan(120);
  await offline();
});

test('post-props: 0 returned, the property arrives at the platform', async () => {
  suite.rig().runExample('device/post-props.js');
  await suite.rig().printed('属性上报成功');
  await suite.rig().board.waitFor(() => suite.cloud().api.properties(PK, 'dev001')?.test_prop?.value === 100, 5000);
  await offline();
});

test('post-event: 0 returned, the event arrives at the platform', async () => {
  suite.rig().runExample('device/post-event.js');
  await suite.rig().printed('事件上报成功');
  await suite.rig().board.waitFor(() => suite.cloud().api.events(PK, 'dev001').some((e) => e.id === 'EventTest'), 5000);
  await offline();
});

test('post-raw: the 12 bytes arrive on up_raw unchanged', async () => {
  suite.rig().runExample('device/post-raw.js');
  await suite.rig().printed('RAW数据上报成功');
  const expected = '000000000100320100000000';
  await suite.rig().board.waitFor(
    () => suite.cloud().api.messages({ productKey: PK, deviceName: 'dev001' }).some((m) => m.topic.endsWith('/thing/model/up_raw') && Buffer.from(m.payload as any).toString('hex') === expected),
    5000,
  );
  await offline();
});

test('subscribe: 0 returned and the platform holds the subscription', async () => {
  const cloud = suite.cloud();
  suite.rig().runExample('device/subscribe.js');
  await suite.rig().printed('Topic订阅成功');
  // The platform hands a message on the topic to the connection only while it holds a matching
  // subscription (publish() says whether it did); before the SUBACK it may not yet.
  await suite.rig().board.waitFor(() => cloud.api.publish(PK, 'dev001', 'user/aos_test', 'probe'), 2000);
  await offline();
});

test('publish: the message comes back through ON_SUBCRIBE', async () => {
  suite.rig().runExample('device/publish.js');
  await suite.rig().printed('enter cb_lk_subcribe');
  await suite.rig().printed('Topic发布成功');
  await offline();
});

test('unsubscribe: 0 returned', async () => {
  suite.rig().runExample('device/unsubscribe.js');
  await suite.rig().printed('Topic取消订阅成功');
  await offline();
});

test('end: 0 returned and the device goes offline', async () => {
  suite.rig().runExample('device/end.js');
  await suite.rig().printed('aliyunIoT end succeed');
  await offline();
});

describe('uploads: the file arrives at the platform byte for byte', () => {
  // 5,000 bytes of every value: three 2 KB blocks, the last one short
  const file = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) & 255));

  test('upload-file: a Storage file', async () => {
    suite.rig().board.storage.write('1.jpg', file);
    suite.rig().runExample('device/upload-file.js');
    await suite.rig().printed('图片上传成功');
    await suite.rig().printed('upload finished: 0 1.jpg 5000');
    expect(suite.cloud().api.readFile(PK, 'dev001', '1.jpg')).toEqual(file);
    await offline();
  });

  test('upload-content: bytes in memory', async () => {
    const other = Buffer.from(file.map((b) => 255 - b));
    suite.rig().board.storage.write('1.jpg', other);
    suite.rig().runExample('device/upload-content.js');
    await suite.rig().printed('upload finished: 0 1.jpg 5000');
    expect(suite.cloud().api.readFile(PK, 'dev001', '1.jpg')).toEqual(other);
    await offline();
  });
});
