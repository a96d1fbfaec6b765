/** The demo's products and devices: a smart light (directly connected, with a thing model), a
 *  gateway, and two temperature sensors behind it. Identities are fixed so the log reads the
 *  same every run; secrets are fresh each run and stay inside the process (never printed). */
import { randomSecret, type RegistryFile } from '../cloud/registry';

export const LIGHT = { productKey: 'a1DemoLight', deviceName: 'light001' };
export const GATEWAY = { productKey: 'a1DemoGwPK1', deviceName: 'gateway001' };
export const SENSORS = [
  { productKey: 'a1DemoSnsr1', deviceName: 'sensor001' },
  { productKey: 'a1DemoSnsr1', deviceName: 'sensor002' },
];

export function demoRegistry(): RegistryFile {
  return {
    products: [
      {
        productKey: LIGHT.productKey, productSecret: randomSecret(8), name: 'Demo smart light', nodeType: 'device',
        tsl: {
          properties: [
            { identifier: 'LightSwitch', dataType: { type: 'bool' }, accessMode: 'rw' },
            { identifier: 'Brightness', dataType: { type: 'int', specs: { min: 0, max: 100 } }, accessMode: 'rw' },
            { identifier: 'Temperature', dataType: { type: 'float', specs: { min: -40, max: 120 } }, accessMode: 'r' },
          ],
          services: [
            { identifier: 'Blink', callType: 'async', inputData: [{ identifier: 'Times', dataType: { type: 'int', specs: { min: 1, max: 10 } } }], outputData: [{ identifier: 'Blinked', dataType: { type: 'int' } }] },
          ],
        },
      },
      { productKey: GATEWAY.productKey, productSecret: randomSecret(8), name: 'Demo gateway', nodeType: 'gateway' },
      {
        productKey: SENSORS[0].productKey, productSecret: randomSecret(8), name: 'Demo temperature sensor', nodeType: 'subdevice',
        tsl: {
          properties: [
            { identifier: 'Temperature', dataType: { type: 'float', specs: { min: -40, max: 120 } }, accessMode: 'r' },
            { identifier: 'Humidity', dataType: { type: 'int', specs: { min: 0, max: 100 } }, accessMode: 'r' },
          ],
        },
      },
    ],
    devices: [LIGHT, GATEWAY, ...SENSORS].map((d) => ({ ...d, deviceSecret: randomSecret() })),
  };
}
