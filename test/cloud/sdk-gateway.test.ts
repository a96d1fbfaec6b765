/** Gateway fidelity with a client nobody here wrote: alibabacloud-iot-device-sdk@1.2.8's
 *  Gateway (addTopo, getTopo, login, a sub-device's postProps, removeTopo) against the
 *  emulator. Assertions are what the platform would do with what the SDK sends (peers.md §2.4). */
import { start, type RunningCloud } from '../../sim/cloud/index';
import { testRegistry } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const iot = require('alibabacloud-iot-device-sdk');

const GW_PK = 'a1GwPK00001';
const SUB_PK = 'a1SubPK0001';
const SECRET = 'fedcba9876543210fedcba9876543210';

let cloud: RunningCloud;
let gw: any;

function registry() {
  const r = testRegistry();
  r.products.push(
    { productKey: GW_PK, productSecret: 'gwProductSecret1', nodeType: 'gateway' },
    { productKey: SUB_PK, productSecret: 'subProductSecret', nodeType: 'subdevice' },
  );
  r.devices.push({ productKey: GW_PK, deviceName: 'gw1', deviceSecret: SECRET });
  for (const dn of ['sub1', 'sub2']) r.devices.push({ productKey: SUB_PK, deviceName: dn, deviceSecret: SECRET });
  return r;
}

/** The SDK subscribes after events of its own; wait until the emulator granted the filter. */
async function subscribedTo(suffix: string): Promise<void> {
  for (;;) {
    const s = cloud.core.sessions.get(`${GW_PK}/gw1`);
    if (s && [...s.filters.keys()].some((f) => f.endsWith(suffix))) return;
    await new Promise((r) => setImmediate(r));
  }
}

function callback<T = any>(fn: (cb: (res: T) => void) => void): Promise<T> {
  return new Promise((resolve) => fn(resolve));
}

beforeAll(async () => {
  cloud = await start({ registry: registry() });
  gw = iot.gateway({ productKey: GW_PK, deviceName: 'gw1', deviceSecret: SECRET, brokerUrl: `mqtt://127.0.0.1:${cloud.mqttPort}` });
  await new Promise<void>((resolve, reject) => {
    gw.once('connect', () => resolve());
    gw.once('error', reject);
  });
  await subscribedTo('combine/login_reply');
  await subscribedTo('thing/topo/get_reply');
});
afterAll(async () => {
  gw?.end(true);
  await cloud.stop();
});

describe('official Node SDK 1.2.8 as a gateway', () => {
  it('login before addTopo is refused: 6401 topo relation not exist', async () => {
    const res: any = await callback((cb) => gw.login({ productKey: SUB_PK, deviceName: 'sub1', deviceSecret: SECRET }, cb));
    expect(res).toMatchObject({ code: 6401, method: 'combine.login' });
    expect(cloud.api.subdevicesOnline(GW_PK, 'gw1')).toEqual([]);
  });

  it('addTopo (hmacsha1, numeric timestamp, clientId pk&dn) → 200 listing the device', async () => {
    const res: any = await callback((cb) => gw.addTopo([{ productKey: SUB_PK, deviceName: 'sub1', deviceSecret: SECRET }], cb));
    expect(res).toMatchObject({ code: 200, method: 'thing.topo.add', data: [{ productKey: SUB_PK, deviceName: 'sub1' }] });
    expect(cloud.api.topology(GW_PK, 'gw1')).toEqual([{ productKey: SUB_PK, deviceName: 'sub1' }]);
  });

  it('addTopo with a wrong secret → 401, nothing added', async () => {
    const res: any = await callback((cb) => gw.addTopo([{ productKey: SUB_PK, deviceName: 'sub2', deviceSecret: 'f'.repeat(32) }], cb));
    expect(res.code).toBe(401);
    expect(cloud.api.topology(GW_PK, 'gw1')).toHaveLength(1);
  });

  it('getTopo → 200 with the list', async () => {
    const res: any = await callback((cb) => gw.getTopo(cb));
    expect(res).toMatchObject({ code: 200, method: 'thing.topo.get', data: [{ productKey: SUB_PK, deviceName: 'sub1' }] });
  });

  it('login → 200; the SDK then subscribes the sub-device topics, and its postProps is stored and answered', async () => {
    let sub: any;
    const res: any = await callback((cb) => {
      sub = gw.login({ productKey: SUB_PK, deviceName: 'sub1', deviceSecret: SECRET }, cb);
    });
    expect(res).toMatchObject({ code: 200, data: { productKey: SUB_PK, deviceName: 'sub1' } });
    expect(cloud.api.subdevicesOnline(GW_PK, 'gw1')).toEqual([{ productKey: SUB_PK, deviceName: 'sub1' }]);
    // the subscriptions the SDK makes for the sub-device are granted (the gateway acts for it now)
    await subscribedTo(`/sys/${SUB_PK}/sub1/thing/event/property/post_reply`);
    const post: any = await callback((cb) => sub.postProps({ Temp: 30.5 }, cb));
    expect(post).toMatchObject({ code: 200, method: 'thing.event.property.post' });
    expect(post.id).toMatch(new RegExp(`\\|exp-topic\\|/sys/${SUB_PK}/sub1/thing/event/property/post_reply$`));
    expect(cloud.api.properties(SUB_PK, 'sub1')).toMatchObject({ Temp: { value: 30.5 } });
  });

  it('a property set to the sub-device reaches the SDK\'s sub-device onProps through the gateway', async () => {
    await subscribedTo(`/sys/${SUB_PK}/sub1/thing/service/property/set`);
    const sub = gw._getSubDevices().find((s: any) => s.model.deviceName === 'sub1');
    const got = new Promise<any>((resolve) => sub.onProps(resolve));
    const result = cloud.api.setProperties(SUB_PK, 'sub1', { Level: 3 }, { timeoutMs: 300 });
    expect((await got).params).toEqual({ Level: 3 });
    // the SDK never answers property set itself (peers.md §2.4): the cloud times out
    expect(await result).toEqual({ status: 'timeout' });
  });

  it('logout with the caller\'s object → 200; a later postProps is refused with 520 and not stored', async () => {
    const res: any = await callback((cb) => gw.logout({ productKey: SUB_PK, deviceName: 'sub1' }, cb));
    expect(res).toMatchObject({ code: 200, method: 'combine.logout' });
    expect(cloud.api.subdevicesOnline(GW_PK, 'gw1')).toEqual([]);
    const sub = gw._getSubDevices().find((s: any) => s.model.deviceName === 'sub1');
    // the SDK kept its subscription to post_reply, so it hears the refusal
    const post: any = await callback((cb) => sub.postProps({ Temp: 99 }, cb));
    expect(post).toMatchObject({ code: 520, message: 'no active session' });
    expect(cloud.api.properties(SUB_PK, 'sub1')).toMatchObject({ Temp: { value: 30.5 } });
  });

  it('removeTopo → 200 and the topology is empty', async () => {
    const res: any = await callback((cb) => gw.removeTopo([{ productKey: SUB_PK, deviceName: 'sub1' }], cb));
    expect(res).toMatchObject({ code: 200, method: 'thing.topo.delete' });
    expect(cloud.api.topology(GW_PK, 'gw1')).toEqual([]);
  });
});
