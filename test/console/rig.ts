/** Fixtures for the console tests: the emulator with a small registry of known (fake)
 *  secrets, and one SimBoard device running the built module with an inline script. */
import { start, type RunningCloud, type RegistryFile } from '../../sim/cloud';
import { bootBoard, type DemoBoard } from '../../sim/demo/boards';
import { failOnFaults } from '../e2e/support';

export const PK = 'a1ConsolePK';
export const DN = 'lamp001';
export const GW_PK = 'a1ConsoleGw';
export const SUB_PK = 'a1ConsoleSb';
/** Fake secrets: the tests look for them in everything the console serves. */
export const SECRETS = ['consoleProductSecret1', 'consoleDeviceSecret0123456789abc', 'consoleGwSecret', 'consoleGwDeviceSecret0123456789a', 'consoleSubSecret', 'consoleSubDeviceSecret01234567'];

export function consoleRegistry(): RegistryFile {
  return {
    products: [
      {
        productKey: PK, productSecret: SECRETS[0], name: 'Console lamp', nodeType: 'device',
        tsl: {
          properties: [
            { identifier: 'Brightness', dataType: { type: 'int', specs: { min: 0, max: 100 } }, accessMode: 'rw' },
            { identifier: 'Label', dataType: { type: 'text', specs: { length: 128 } }, accessMode: 'rw' },
            { identifier: 'Uptime', dataType: { type: 'int' }, accessMode: 'r' },
          ],
          services: [
            { identifier: 'Echo', inputData: [{ identifier: 'word', dataType: { type: 'text' } }], outputData: [] },
            { identifier: 'Reboot', callType: 'async', inputData: [{ identifier: 'DelaySec', dataType: { type: 'int' } }], outputData: [] },
            { identifier: 'Ping', callType: 'sync', inputData: [], outputData: [] },
          ],
        },
      },
      { productKey: GW_PK, productSecret: SECRETS[2], name: 'Console gateway', nodeType: 'gateway' },
      { productKey: SUB_PK, productSecret: SECRETS[4], name: 'Console sensor', nodeType: 'subdevice' },
    ],
    devices: [
      { productKey: PK, deviceName: DN, deviceSecret: SECRETS[1] },
      { productKey: GW_PK, deviceName: 'gw001', deviceSecret: SECRETS[3] },
      { productKey: SUB_PK, deviceName: 'sensor001', deviceSecret: SECRETS[5] },
    ],
  };
}

/** Text a device reports: markup that would run script if the page rendered it as HTML. */
export const HOSTILE_LABEL = '<img src=x onerror="window.__xss=1">';

/** The lamp: reports once connected, applies property sets and reports them back (as the
 *  console shows last *reported* values), answers service Echo with its params. */
export const LAMP_SCRIPT = `
var aliyunIoT = require("aliyunIoT");
var keyInfo = require("Storage").readJSON("aliyunIoT.json").device;
var lamp = { Brightness: 10, Label: ${JSON.stringify(HOSTILE_LABEL)} };
var device = new aliyunIoT.Device();
var report = function () {
  device.postProps({ params: JSON.stringify(lamp) });
};
device.on(device.ON_CONNECT, function () {
  print("lamp connected");
  report();
});
device.on(device.ON_PROPS, function (data) {
  var wanted = JSON.parse(data.params);
  for (var k in wanted) lamp[k] = wanted[k];
  print("lamp set " + data.params);
  report();
});
device.on(device.ON_SERVICE, function (data) {
  if (data.service_id === "Echo") return { echoed: JSON.parse(data.params) };
  return 404;
});
device.connect(keyInfo);
`;

export interface ConsoleRig {
  cloud: RunningCloud;
  lamp: DemoBoard;
  close(): Promise<void>;
}

export async function consoleRig(): Promise<ConsoleRig> {
  const cloud = await start({ registry: consoleRegistry(), replyTimeoutMs: 3000 });
  let lamp: DemoBoard;
  try {
    const config = {
      wifi: { ssid: 'console-ap', password: 'not-a-real-password' },
      device: { productKey: PK, deviceName: DN, deviceSecret: SECRETS[1], keepaliveSec: 60, host: cloud.host, port: cloud.mqttPort, tls: false },
    };
    lamp = await bootBoard({ config, script: { source: LAMP_SCRIPT } });
    await lamp.board.waitFor(() => cloud.api.properties(PK, DN).Brightness !== undefined, 10000);
  } catch (e) {
    await cloud.stop();
    throw e;
  }
  return {
    cloud,
    lamp,
    async close() {
      await lamp.close();
      await cloud.stop();
      failOnFaults(lamp.board);
    },
  };
}
