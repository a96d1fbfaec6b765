/** The demo scenario: the emulator with the demo registry, a light (examples/demo/device.js)
 *  and a gateway with two sensors (examples/demo/gateway.js) on SimBoards, the cloud side
 *  driven through the API once the light is up (a property set, then a service call), and a
 *  checklist of what the user should see. */
import { resolve } from 'node:path';
import { start, type RunningCloud } from '../cloud';
import type { RegistryFile } from '../cloud/registry';
import { bootBoard, type DemoBoard } from './boards';
import { GATEWAY, LIGHT, SENSORS, demoRegistry } from './registry';
import { Checklist, STEP_LABELS } from './steps';
import { describe, terminal } from './terminal';

export interface DemoOptions {
  /** CA and uploaded files go here (the registry stays in memory). */
  dataDir: string;
  consolePort?: number;
  /** How often the boards report (seconds). */
  postPeriodSec?: number;
  /** Called once the emulator listens, before the boards boot (to print where things are). */
  onCloudUp?: (cloud: RunningCloud) => void;
}

export interface RunningDemo {
  cloud: RunningCloud;
  checklist: Checklist;
  stop(): Promise<void>;
}

/** What the cloud asks of the light once it is up; the device script applies it. */
const WANTED = { LightSwitch: 1, Brightness: 80 };
const BLINK = { Times: 3 };
const UPLOADED_FILE = 'notes.txt';

function secretOf(reg: RegistryFile, d: { productKey: string; deviceName: string }): string {
  return reg.devices.find((x) => x.productKey === d.productKey && x.deviceName === d.deviceName)!.deviceSecret!;
}

/** The Storage file aliyunIoT.json of each board (what `npm run flash` would store). */
function boardConfig(cloud: RunningCloud, reg: RegistryFile, postPeriodSec: number): object {
  return {
    wifi: { ssid: 'demo-ap', password: 'demo-wifi-password' },
    device: { ...LIGHT, deviceSecret: secretOf(reg, LIGHT), region: 'cn-shanghai', keepaliveSec: 60, host: cloud.host, port: cloud.tlsPort, tls: true },
    gateway: { ...GATEWAY, deviceSecret: secretOf(reg, GATEWAY), region: 'cn-shanghai', keepaliveSec: 60, host: cloud.host, port: cloud.mqttPort, tls: false },
    subdevices: SENSORS.map((s) => ({ ...s, deviceSecret: secretOf(reg, s) })),
    demo: { postPeriodSec },
  };
}

export async function startDemo(opts: DemoOptions): Promise<RunningDemo> {
  const registry = demoRegistry();
  const cloud = await start({ registry, dataDir: resolve(opts.dataDir), consolePort: opts.consolePort ?? 0, replyTimeoutMs: 8000 });
  const api = cloud.api;
  const checklist = new Checklist((id, note) => terminal.step(STEP_LABELS[id], note));
  const boards: DemoBoard[] = [];
  let stopped = false;

  const isLight = (e: { productKey?: string; deviceName?: string }) => e.productKey === LIGHT.productKey && e.deviceName === LIGHT.deviceName;

  api.on('message', (e) => {
    const text = describe(e);
    if (text) terminal.cloud(e.deviceName ?? '?', text);
  });
  api.on('connect', (e) => {
    terminal.cloud(e.deviceName, `connected over ${e.tls ? 'TLS' : 'TCP'}`);
    if (isLight(e) && e.tls) checklist.mark('connected', `clientId ${e.clientId.split('|')[0]}`);
  });
  api.on('disconnect', (e) => terminal.cloud(e.deviceName, `disconnected (${e.reason})`));

  // Set once the light answered the property set; the step also needs the value reported back.
  let setAnswered = false;
  const sensorsReported = new Set<string>();
  api.on('properties', (e) => {
    if (isLight(e) && setAnswered && e.params.Brightness === WANTED.Brightness) {
      checklist.mark('propertySet', `Brightness is now ${api.properties(LIGHT.productKey, LIGHT.deviceName).Brightness?.value}`);
    }
    if (SENSORS.some((s) => s.productKey === e.productKey && s.deviceName === e.deviceName)) {
      sensorsReported.add(e.deviceName);
      if (sensorsReported.size === SENSORS.length) checklist.mark('subdevicePropertiesPosted', [...sensorsReported].join(', '));
    }
  });

  const driveCloud = async () => {
    terminal.info('');
    terminal.cloud(LIGHT.deviceName, `← the demo sets ${JSON.stringify(WANTED)} through the API`);
    const set = await api.setProperties(LIGHT.productKey, LIGHT.deviceName, WANTED);
    if (set.status !== 'reply' || set.code !== 200) {
      terminal.cloud(LIGHT.deviceName, `property set failed: ${JSON.stringify(set)}`);
      return;
    }
    setAnswered = true;
    // The device may already have reported the new value while the reply was on its way.
    if (api.properties(LIGHT.productKey, LIGHT.deviceName).Brightness?.value === WANTED.Brightness) {
      checklist.mark('propertySet', `Brightness is now ${WANTED.Brightness}`);
    }
    terminal.cloud(LIGHT.deviceName, `← the demo calls service Blink ${JSON.stringify(BLINK)} through the API`);
    const call = await api.invokeService(LIGHT.productKey, LIGHT.deviceName, 'Blink', BLINK);
    if (call.status === 'reply' && call.code === 200) checklist.mark('serviceAnswered', `reply ${JSON.stringify(call.data)}`);
    else terminal.cloud(LIGHT.deviceName, `service call failed: ${JSON.stringify(call)}`);
  };

  const onLightLine = (line: string) => {
    terminal.board(LIGHT.deviceName, line);
    if (line.startsWith('properties acknowledged') && !checklist.has('propertiesAcknowledged')) {
      checklist.mark('propertiesAcknowledged', 'the board got the cloud\'s 200 reply');
      driveCloud().catch((e: Error) => terminal.info('cloud drive failed: ' + e.message));
    }
    if (line.startsWith('ntp time: ')) checklist.mark('ntpTime', line.slice('ntp time: '.length));
    if (line.startsWith('file uploaded: ')) {
      const stored = api.readFile(LIGHT.productKey, LIGHT.deviceName, UPLOADED_FILE);
      if (stored && stored.length > 0) checklist.mark('fileUploaded', `${UPLOADED_FILE}, ${stored.length} bytes in ${resolve(opts.dataDir, 'files')}`);
    }
  };
  const onGatewayLine = (line: string) => {
    terminal.board(GATEWAY.deviceName, line);
    if (line.startsWith('sub-devices online')) {
      const online = api.subdevicesOnline(GATEWAY.productKey, GATEWAY.deviceName).map((s) => s.deviceName);
      if (SENSORS.every((s) => online.includes(s.deviceName))) checklist.mark('subdevicesOnline', online.join(', '));
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(boards.map((b) => b.close()));
    await cloud.stop();
  };

  try {
    opts.onCloudUp?.(cloud);
    const config = boardConfig(cloud, registry, opts.postPeriodSec ?? 5);
    boards.push(await bootBoard({ config, script: 'examples/demo/device.js', log: onLightLine }));
    boards.push(await bootBoard({ config, script: 'examples/demo/gateway.js', log: onGatewayLine }));
  } catch (e) {
    await stop();
    throw e;
  }
  return { cloud, checklist, stop };
}

