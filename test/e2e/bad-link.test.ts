/**
 * A bad or backed-up link, end to end (issues #11 item 4, #12 item 2): SimBoard runs
 * build/aliyunIoT.js against the emulator over real sockets.
 * - A link that is cut after a few hundred bytes still delivers every post: after each reconnect
 *   one message goes first, and more only as acknowledgements come back.
 * - A QoS 0 burst into a socket that cannot keep up is refused with -312 past the bound, instead
 *   of growing the board's buffers without limit; everything accepted arrives.
 */
import * as net from 'net';
import type { RunningCloud } from '../../sim/cloud';
import { boardUp, cloudUp, Rig, PK } from './support';

let cloud: RunningCloud;
let rig: Rig | undefined;
let proxy: net.Server | undefined;

beforeAll(async () => {
  cloud = await cloudUp();
});
afterAll(async () => {
  await cloud.stop();
});
afterEach(async () => {
  await rig?.close();
  expect(rig?.board.uncaught).toEqual([]);
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  rig = proxy = undefined;
});

/**
 * A TCP proxy to the emulator's MQTT port that passes the first `k` bytes the device sends on
 * each connection, then cuts it (both sides). Resolves with its port and the cuts made so far.
 */
async function cutAfter(k: number): Promise<{ port: number; cuts: () => number }> {
  let cuts = 0;
  proxy = net.createServer((device) => {
    const up = net.connect(cloud.mqttPort, '127.0.0.1');
    let passed = 0;
    const cut = () => {
      device.destroy();
      up.destroy();
    };
    device.on('data', (b: Buffer) => {
      const room = k - passed;
      passed += b.length;
      if (room > 0) up.write(b.subarray(0, room));
      if (passed > k) {
        cuts++;
        cut();
      }
    });
    up.on('data', (b) => device.write(b));
    device.on('error', cut);
    up.on('error', cut);
    device.on('close', cut);
    up.on('close', cut);
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
  return { port: (proxy.address() as net.AddressInfo).port, cuts: () => cuts };
}

/** Lines the board printed that start with `tag `, parsed as JSON after the tag. */
function lines(tag: string): any[] {
  return rig!.board.output.filter((l) => l.startsWith(tag + ' ')).map((l) => JSON.parse(l.slice(tag.length + 1)));
}

test('a link cut after 1,500 bytes on every connection still delivers all 24 posts, each answered once', async () => {
  const link = await cutAfter(1500);
  rig = await boardUp(cloud);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    cfg.port = ${link.port};
    var device = new aliyunIoT.Device();
    var first = true;
    device.on(device.ON_CONNECT, function () {
      if (!first) return;
      first = false;
      for (var i = 0; i < 24; i++) {
        (function (n) {
          device.postProps({ params: { Seq: n, Note: "${'x'.repeat(60)}" } }, function (d) { print("answered " + JSON.stringify([n, d.code])); });
        })(i);
      }
    });
    device.connect(cfg);
  `);
  await rig.board.waitFor(() => lines('answered').length >= 24, 60000);
  const answered = lines('answered');
  expect(answered.map((a) => a[1])).toEqual(Array(24).fill(0));
  expect(answered.map((a) => a[0]).sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  // The link was in fact cut, more than once, and every post reached the platform.
  expect(link.cuts()).toBeGreaterThan(1);
  const seqs = new Set(cloud.api.propertyHistory(PK, 'dev001').Seq?.map((h: any) => h.value));
  for (let i = 0; i < 24; i++) expect(seqs.has(i)).toBe(true);
}, 90000);

test('a QoS 0 burst of 1,000 publishes: past the bound the call returns -312 (and ON_ERROR); every accepted message arrives', async () => {
  rig = await boardUp(cloud);
  cloud.api.clearMessages();
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    var device = new aliyunIoT.Device();
    var errors = 0;
    device.on(device.ON_ERROR, function (d) { if (d.code == -312 && d.message == "publish") errors++; });
    device.on(device.ON_CONNECT, function () {
      var topic = "/" + cfg.productKey + "/" + cfg.deviceName + "/user/update";
      var codes = {};
      var accepted = [];
      for (var i = 0; i < 1000; i++) {
        var r = device.publish({ topic: topic, payload: "burst " + i + " ${'.'.repeat(80)}", qos: 0 });
        codes[r] = (codes[r] || 0) + 1;
        if (!r) accepted.push(i);
      }
      print("codes " + JSON.stringify(codes));
      print("accepted " + JSON.stringify(accepted));
      print("errors " + errors);
    });
    device.connect(cfg);
  `);
  await rig.printed('errors ');
  const [codes] = lines('codes');
  const [accepted] = lines('accepted');
  expect(Object.keys(codes).sort()).toEqual(['-312', '0']);
  expect(codes['0'] + codes['-312']).toBe(1000);
  // Bounded: what the socket holds (4 KB) and the queue (32 messages); never the whole burst.
  expect(codes['0']).toBeLessThanOrEqual(4096 / 100 + 32 + 1);
  expect(lines('errors')).toEqual([codes['-312']]);
  // Nothing accepted is lost: each arrives, once, in order.
  const arrived = () => cloud.api.messages({ productKey: PK, where: (e) => e.direction === 'up' && e.topic.endsWith('/user/update') });
  await rig.board.waitFor(() => arrived().length >= accepted.length, 10000);
  expect(arrived().map((e) => Number(String(e.payload).split(' ')[1]))).toEqual(accepted);
});
