/**
 * Nothing wedges the device, end to end (issue #11): what the platform cannot take is refused at
 * the call (-102 and ON_ERROR) and never reaches the queue; a message after which the server
 * closes the connection is dropped and reported after 3 closes, and what follows it goes through.
 * SimBoard runs build/aliyunIoT.js against the emulator over real sockets.
 */
import { start, type RunningCloud } from '../../sim/cloud';
import { boardUp, cloudUp, testRegistry, Rig, PK, SUB_PK } from './support';

let cloud: RunningCloud | undefined;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  expect(rig?.board.uncaught).toEqual([]);
  await cloud?.stop();
  rig = cloud = undefined;
});

/** Lines the board printed that start with `tag `, parsed as JSON after the tag. */
function lines(tag: string): any[] {
  return rig!.board.output.filter((l) => l.startsWith(tag + ' ')).map((l) => JSON.parse(l.slice(tag.length + 1)));
}

test('a Device: oversized calls return -102 with ON_ERROR, are never sent, and the device keeps working', async () => {
  cloud = await cloudUp();
  rig = await boardUp(cloud);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    var device = new aliyunIoT.Device();
    device.on(device.ON_ERROR, function (d) { print("error " + JSON.stringify(d)); });
    device.on(device.ON_DISCONNECT, function (d) { print("disconnect " + JSON.stringify(d)); });
    device.on(device.ON_CONNECT, function () {
      var own = "/" + cfg.productKey + "/" + cfg.deviceName + "/user/";
      var longId = new Array(70001).join("e");
      var r = [];
      // a topic over 65,535 bytes (MQTT writes its length in 2 bytes)
      r.push(device.postEvent({ id: longId, params: {} }, function (d) { print("event " + JSON.stringify(d.code)); }));
      r.push(device.publish({ topic: own + longId, payload: "x", qos: 1 }));
      r.push(device.subscribe({ topic: own + longId, qos: 1 }));
      // a payload the module takes (256 KB) on a topic that makes the packet too large
      r.push(device.publish({ topic: own + new Array(1101).join("t"), payload: new Array(262145).join("p"), qos: 1 }));
      // params the module takes (256 KB) whose Alink envelope makes the message larger than 256 KB
      r.push(device.postProps({ params: { Note: new Array(262100).join("n") } }));
      print("returned " + JSON.stringify(r));
      device.postProps({ params: { LightSwitch: 1 } }, function (d) { print("props " + JSON.stringify(d.code)); });
    });
    device.connect(cfg);
  `);
  await rig.printed('props 0');
  expect(lines('returned')).toEqual([[-102, -102, -102, -102, -102]]);
  expect(lines('error')).toEqual([
    { code: -102, message: 'postEvent' },
    { code: -102, message: 'publish' },
    { code: -102, message: 'subscribe' },
    { code: -102, message: 'publish' },
    { code: -102, message: 'postProps' },
  ]);
  expect(lines('event')).toEqual([]);
  // One connection all along: nothing oversized reached the platform.
  expect(cloud.api.messages({ productKey: PK, where: (e) => e.verdict === 'rejected' })).toEqual([]);
  expect(lines('disconnect')).toEqual([]);
});

test('connect() with a deviceName MQTT cannot carry in a CONNECT returns -102 with ON_ERROR, and nothing else follows', async () => {
  cloud = await cloudUp();
  rig = await boardUp(cloud);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    cfg.deviceName = new Array(70001).join("d");
    var device = new aliyunIoT.Device();
    device.on(device.ON_ERROR, function (d) { print("error " + JSON.stringify(d)); });
    print("returned " + device.connect(cfg));
  `);
  await rig.board.settled();
  expect(lines('returned')).toEqual([-102]);
  expect(lines('error')).toEqual([{ code: -102, message: 'connect' }]);
});

test('a Gateway: addTopo with a 400 KB deviceName returns -102 with ON_ERROR and stores nothing', async () => {
  cloud = await cloudUp();
  rig = await boardUp(cloud);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json");
    var gateway = new aliyunIoT.Gateway();
    gateway.on(gateway.ON_ERROR, function (d) { print("error " + JSON.stringify(d)); });
    gateway.on(gateway.ON_TOPOADD, function (code) { print("topoadd " + code); });
    gateway.on(gateway.ON_CONNECT, function () {
      var files = require("Storage").list().length;
      var huge = new Array(400 * 1024 + 1).join("d");
      print("returned " + gateway.addTopo([{ productKey: "${SUB_PK}", deviceName: huge, deviceSecret: "s" }]));
      print("stored " + (require("Storage").list().length - files));
      gateway.addTopo(cfg.subdevices);
    });
    gateway.connect(cfg.gateway);
  `);
  await rig.printed('topoadd 0');
  expect(lines('returned')).toEqual([-102]);
  expect(lines('stored')).toEqual([0]);
  expect(lines('error')).toEqual([{ code: -102, message: 'addTopo' }]);
  expect(lines('topoadd')).toEqual([0]);
});

test('a poison message (the server closes the connection on it) is dropped after 3 closes and reported; the next post is answered', async () => {
  // This emulator closes the connection on any payload over 2 KB; the module takes up to 256 KB.
  cloud = await start({ registry: testRegistry(), replyTimeoutMs: 3000, maxPayloadBytes: 2048 });
  rig = await boardUp(cloud);
  rig.board.run(`
    var aliyunIoT = require("aliyunIoT");
    var cfg = require("Storage").readJSON("aliyunIoT.json").device;
    var device = new aliyunIoT.Device();
    var first = true;
    device.on(device.ON_ERROR, function (d) { print("error " + JSON.stringify(d.code)); });
    device.on(device.ON_DISCONNECT, function (d) { print("disconnect " + JSON.stringify(d.code)); });
    device.on(device.ON_CONNECT, function () {
      if (!first) return;
      first = false;
      print("poison-ret " + device.postProps({ params: { Note: new Array(3001).join("n") } }, function (d) { print("poison-cb " + JSON.stringify(d.code)); }));
      print("next-ret " + device.postProps({ params: { LightSwitch: 1 } }, function (d) { print("next-cb " + JSON.stringify(d.code)); }));
    });
    device.connect(cfg);
  `);
  await rig.printed('next-cb', 30000);
  expect(lines('poison-ret')).toEqual([0]);
  expect(lines('next-ret')).toEqual([0]);
  expect(lines('poison-cb')).toEqual([-317]);
  expect(lines('next-cb')).toEqual([0]);
  expect(lines('disconnect')).toEqual([-314, -314, -314]);
  expect(lines('error')).toEqual([-317]);
  expect(cloud.api.properties(PK, 'dev001')).toMatchObject({ LightSwitch: { value: 1 } });
});
