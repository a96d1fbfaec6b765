/** Alink behaviour over real sockets with a raw MQTT client (LSDK-like clientIds). */
import { start, type RunningCloud } from '../../sim/cloud/index';
import { PK, PK_RAW, end, login, nextMessage, request, subscribe } from './helpers';
import type { MqttClient } from 'mqtt';

let cloud: RunningCloud;
let c: MqttClient;
const T = `/sys/${PK}/dev001`;

beforeAll(async () => {
  cloud = await start({
    registry: (await import('./helpers')).testRegistry(),
    replyTimeoutMs: 300,
  });
  c = await login(cloud, { dn: 'dev001' });
});
afterAll(async () => {
  await end(c);
  await cloud.stop();
});

describe('property post', () => {
  it('replies on _reply echoing the id, with the platform key order, and stores the values', async () => {
    const r = await request(c, `${T}/thing/event/property/post`, { id: '123', version: '1.0', params: { LightSwitch: 1, Temp: { value: 21.5, time: 1524448722000 } }, method: 'thing.event.property.post' });
    expect(Object.keys(r)).toEqual(['code', 'data', 'id', 'message', 'method', 'version']);
    expect(r).toEqual({ code: 200, data: {}, id: '123', message: 'success', method: 'thing.event.property.post', version: '1.0' });
    expect(cloud.api.properties(PK, 'dev001')).toMatchObject({ LightSwitch: { value: 1 }, Temp: { value: 21.5, time: 1524448722000 } });
  });

  it('infers method from the topic when the request has none (LSDK), accepts ack "1"', async () => {
    const r = await request(c, `${T}/thing/event/property/post`, { id: '7', version: '1.0', params: { Level: 5 }, sys: { ack: '1' } });
    expect(r).toMatchObject({ code: 200, id: '7', method: 'thing.event.property.post' });
  });

  it('sys.ack 0 gets no reply (the next acked request is answered first)', async () => {
    await subscribe(c, `${T}/thing/event/property/post_reply`);
    const first = nextMessage(c, (t) => t.endsWith('property/post_reply'));
    await c.publishAsync(`${T}/thing/event/property/post`, JSON.stringify({ id: 'silent', params: { Level: 1 }, sys: { ack: 0 } }));
    await c.publishAsync(`${T}/thing/event/property/post`, JSON.stringify({ id: 'loud', params: { Level: 2 }, sys: { ack: 1 } }));
    expect((await first).json().id).toBe('loud');
    expect(cloud.api.properties(PK, 'dev001').Level.value).toBe(2);
  });

  it('TSL: unknown property -> 5159, wrong type -> 6305, out of range -> 6305 (CV3 "params type error"); nothing stored', async () => {
    expect(await request(c, `${T}/thing/event/property/post`, { id: 'u', params: { Nope: 1 } })).toMatchObject({ code: 5159, id: 'u' });
    expect(await request(c, `${T}/thing/event/property/post`, { id: 'w', params: { Level: 'high' } })).toMatchObject({ code: 6305, id: 'w' });
    expect(await request(c, `${T}/thing/event/property/post`, { id: 'r', params: { Level: 101 } })).toMatchObject({ code: 6305 });
    expect(cloud.api.properties(PK, 'dev001').Nope).toBeUndefined();
  });

  it('malformed JSON -> 6207; JSON without id -> 460; params not an object -> 6301 (CV3 "params format")', async () => {
    expect(await request(c, `${T}/thing/event/property/post`, '{"id":"1",')).toMatchObject({ code: 6207 });
    expect(await request(c, `${T}/thing/event/property/post`, { params: {} })).toMatchObject({ code: 460 });
    expect(await request(c, `${T}/thing/event/property/post`, { id: '9', params: [1] })).toMatchObject({ code: 6301, id: '9' });
  });

  it('batch post stores the newest value per property and records events', async () => {
    const r = await request(c, `${T}/thing/event/property/batch/post`, {
      id: 'b1', version: '1.0', method: 'thing.event.property.batch.post',
      params: { properties: { Level: [{ value: 10, time: 1000 }, { value: 30, time: 3000 }, { value: 20, time: 2000 }] }, events: { lowpower: [{ value: { power: 3 }, time: 4000 }] } },
    });
    expect(r).toMatchObject({ code: 200, id: 'b1', method: 'thing.event.property.batch.post' });
    expect(cloud.api.properties(PK, 'dev001').Level).toEqual({ value: 30, time: 3000 });
    expect(cloud.api.events(PK, 'dev001')).toContainEqual({ id: 'lowpower', value: { power: 3 }, time: 4000 });
  });
});

describe('events', () => {
  it('event post is checked against the TSL and replied', async () => {
    expect(await request(c, `${T}/thing/event/lowpower/post`, { id: 'e1', params: { value: { power: 10 }, time: 5 } })).toMatchObject({ code: 200, method: 'thing.event.lowpower.post' });
    expect(await request(c, `${T}/thing/event/nosuch/post`, { id: 'e2', params: { value: {} } })).toMatchObject({ code: 5160 });
    expect(cloud.api.events(PK, 'dev001')).toContainEqual({ id: 'lowpower', value: { power: 10 }, time: 5 });
  });
});

describe('NTP', () => {
  it('echoes deviceSendTime verbatim and sends string server times', async () => {
    await subscribe(c, `/ext/ntp/${PK}/dev001/response`);
    const res = nextMessage(c, (t) => t.endsWith('/response'));
    await c.publishAsync(`/ext/ntp/${PK}/dev001/request`, '{"deviceSendTime":"1234"}');
    const body = (await res).json();
    expect(body.deviceSendTime).toBe('1234');
    expect(typeof body.serverRecvTime).toBe('string');
    expect(typeof body.serverSendTime).toBe('string');
    expect(Number(body.serverSendTime)).toBeGreaterThanOrEqual(Number(body.serverRecvTime));
  });
});

describe('cloud -> device', () => {
  it('property set reaches the device; its set_reply resolves setProperties', async () => {
    await subscribe(c, `${T}/thing/service/property/set`, 1);
    const got = nextMessage(c, (t) => t.endsWith('property/set'));
    const result = cloud.api.setProperties(PK, 'dev001', { LightSwitch: 0 }, { timeoutMs: 5000 });
    const req = (await got).json();
    expect(req).toMatchObject({ method: 'thing.service.property.set', params: { LightSwitch: 0 }, version: '1.0' });
    await c.publishAsync(`${T}/thing/service/property/set_reply`, JSON.stringify({ id: req.id, code: 200, data: {} }));
    expect(await result).toMatchObject({ status: 'reply', code: 200 });
  });

  it('property set: read-only or unknown property refused before sending; no reply -> timeout', async () => {
    expect(await cloud.api.setProperties(PK, 'dev001', { Temp: 1.5 })).toMatchObject({ status: 'refused', code: 6305 });
    expect(await cloud.api.setProperties(PK, 'dev001', { Nope: 1 })).toMatchObject({ status: 'refused', code: 5159 });
    expect(await cloud.api.setProperties(PK, 'dev001', { Level: 3 }, { timeoutMs: 50 })).toEqual({ status: 'timeout' });
    expect(await cloud.api.setProperties(PK, 'dev002', { Level: 3 })).toEqual({ status: 'offline' });
  });

  it('async service: a reply with another id is unmatched (logged) and the call times out', async () => {
    await subscribe(c, `${T}/thing/service/wakeup_async`);
    const got = nextMessage(c, (t) => t.endsWith('/wakeup_async'));
    const result = cloud.api.invokeService(PK, 'dev001', 'wakeup_async', { delay: 1 }, { timeoutMs: 300 });
    const req = (await got).json();
    expect(req).toMatchObject({ method: 'thing.service.wakeup_async', params: { delay: 1 } });
    await c.publishAsync(`${T}/thing/service/wakeup_async_reply`, JSON.stringify({ id: 'other', code: 200, data: {} }));
    expect(await result).toEqual({ status: 'timeout' });
    expect(cloud.api.messages({ where: (e) => e.topic.endsWith('wakeup_async_reply') && e.verdict === 'unmatched' })).toHaveLength(1);
  });

  it('sync service over classic RRPC: response on rrpc/response/<msgId>', async () => {
    await subscribe(c, `${T}/rrpc/request/+`);
    const got = nextMessage(c, (t) => t.includes('/rrpc/request/'));
    const result = cloud.api.invokeService(PK, 'dev001', 'wakeup_sync', {}, { sync: true, timeoutMs: 5000 });
    const m = await got;
    const msgId = m.topic.split('/').pop();
    expect(m.json()).toMatchObject({ method: 'thing.service.wakeup_sync' });
    await c.publishAsync(`${T}/rrpc/response/${msgId}`, JSON.stringify({ id: m.json().id, code: 200, data: { ok: 1 } }));
    expect(await result).toMatchObject({ status: 'reply', code: 200, data: { ok: 1 } });
  });

  it('unknown service refused with 5161 without sending', async () => {
    expect(await cloud.api.invokeService(PK, 'dev001', 'nope', {})).toMatchObject({ status: 'refused', code: 5161 });
  });
});

describe('_ss=1 and ext RRPC (LSDK style)', () => {
  let lsdk: MqttClient;
  beforeAll(async () => {
    lsdk = await login(cloud, { dn: 'dev002', extra: '_ss=1,ext=3' });
  });
  afterAll(() => end(lsdk));

  it('system replies arrive without SUBSCRIBE', async () => {
    const reply = nextMessage(lsdk, (t) => t.endsWith('post_reply'));
    await lsdk.publishAsync(`/sys/${PK}/dev002/thing/event/property/post`, JSON.stringify({ id: '1', version: '1.0', params: { Level: 1 }, sys: { ack: 1 } }));
    expect((await reply).json()).toMatchObject({ code: 200, id: '1' });
  });

  it('sync service goes over /ext/rrpc/<id>/sys/... and the answer on the same topic resolves it', async () => {
    const got = nextMessage(lsdk, (t) => t.startsWith('/ext/rrpc/'));
    const result = cloud.api.invokeService(PK, 'dev002', 'wakeup_sync', {}, { sync: true, timeoutMs: 5000 });
    const m = await got;
    expect(m.topic).toMatch(new RegExp(`^/ext/rrpc/\\d+/sys/${PK}/dev002/thing/service/wakeup_sync$`));
    await lsdk.publishAsync(m.topic, JSON.stringify({ id: m.json().id, code: 200, data: { rtt: 3 } }));
    expect(await result).toMatchObject({ status: 'reply', code: 200, data: { rtt: 3 } });
  });

  it('a device without _ss and without subscription does not get downlinks (logged as dropped)', async () => {
    expect(cloud.api.pushRaw(PK, 'dev001', Uint8Array.from([1, 2]))).toBe(false);
    expect(cloud.api.messages({ where: (e) => e.topic.endsWith('dev001/thing/model/down_raw') })[0]).toMatchObject({ verdict: 'dropped' });
  });
});

describe('custom topics and ACL', () => {
  it('forbidden subscribes get SUBACK 0x80; allowed ones are granted', async () => {
    expect(await subscribe(c, `/${PK}/dev001/user/get`)).toBe(0);
    expect(await subscribe(c, `/${PK}/dev001/user/update`)).toBe(128); // pub-only class
    expect(await subscribe(c, `/${PK}/dev002/user/get`)).toBe(128); // another device
    expect(await subscribe(c, `/sys/${PK}/+/thing/event/property/post_reply`)).toBe(128); // wildcard dn
    expect(await subscribe(c, '/sys/#')).toBe(128);
    expect(await subscribe(c, `/${PK}/dev001/user/aos_test`, 1)).toBe(1);
  });

  it('forbidden publishes are dropped and logged; the connection stays', async () => {
    await c.publishAsync(`/${PK}/dev001/user/get`, 'x', { qos: 1 });
    await c.publishAsync(`/sys/${PK}/dev003/thing/event/property/post`, '{"id":"1","params":{"Level":4}}', { qos: 1 });
    const forbidden = cloud.api.messages({ where: (e) => e.verdict === 'forbidden' && e.payload !== 'SUBSCRIBE' });
    expect(forbidden.map((e) => e.topic)).toEqual(expect.arrayContaining([`/${PK}/dev001/user/get`, `/sys/${PK}/dev003/thing/event/property/post`]));
    expect(cloud.api.properties(PK, "dev003")).toEqual({});
    expect(c.connected).toBe(true);
  });

  it('allowed custom publishes are recorded; pub+sub class echoes; cloud publish reaches user/get', async () => {
    const echo = nextMessage(c, (t) => t.endsWith('user/aos_test'));
    await c.publishAsync(`/${PK}/dev001/user/aos_test`, 'hello', { qos: 1 });
    expect((await echo).payload.toString()).toBe('hello');
    const down = nextMessage(c, (t) => t.endsWith('user/get'));
    expect(cloud.api.publish(PK, 'dev001', 'user/get', 'cmd')).toBe(true);
    expect((await down).payload.toString()).toBe('cmd');
    expect(cloud.api.messages({ where: (e) => e.topic === `/${PK}/dev001/user/aos_test` && e.direction === 'up' })[0]).toMatchObject({ verdict: 'ok' });
  });

  it('a device does not receive its own system uplinks even when subscribed to them', async () => {
    await subscribe(c, `${T}/thing/event/lowpower/post`);
    await subscribe(c, `${T}/thing/event/lowpower/post_reply`);
    const seen: string[] = [];
    const on = (t: string) => seen.push(t);
    c.on('message', on);
    const reply = nextMessage(c, (t) => t.endsWith('lowpower/post_reply'));
    await c.publishAsync(`${T}/thing/event/lowpower/post`, JSON.stringify({ id: 'x', params: { value: { power: 1 } } }));
    await reply;
    c.off('message', on);
    expect(seen).toEqual([`${T}/thing/event/lowpower/post_reply`]);
  });
});

describe('shadow', () => {
  it('update, get, version conflict, delete, desired push', async () => {
    await subscribe(c, `/shadow/get/${PK}/dev001`);
    const next = () => nextMessage(c, (t) => t.startsWith('/shadow/get/')).then((m) => m.json());
    let r = next();
    await c.publishAsync(`/shadow/update/${PK}/dev001`, JSON.stringify({ method: 'update', state: { reported: { color: 'red', size: 2 } }, version: 5 }));
    expect(await r).toMatchObject({ method: 'reply', payload: { status: 'success', version: 5 } });
    r = next();
    await c.publishAsync(`/shadow/update/${PK}/dev001`, JSON.stringify({ method: 'update', state: { reported: { color: 'blue' } }, version: 5 }));
    expect(await r).toMatchObject({ method: 'reply', payload: { status: 'error', content: { errorcode: '409' } } });
    r = next();
    await c.publishAsync(`/shadow/update/${PK}/dev001`, JSON.stringify({ method: 'delete', state: { reported: { size: 'null' } }, version: 6 }));
    expect(await r).toMatchObject({ payload: { status: 'success', version: 6 } });
    r = next();
    await c.publishAsync(`/shadow/update/${PK}/dev001`, JSON.stringify({ method: 'get' }));
    const got = await r;
    expect(got).toMatchObject({ method: 'reply', version: 6, payload: { state: { reported: { color: 'red' } } } });
    expect(got.payload.state.reported.size).toBeUndefined();
    expect(typeof got.payload.metadata.reported.color.timestamp).toBe('number');
    r = next();
    expect(cloud.api.setDesired(PK, 'dev001', { color: 'green' })).toBe(true);
    expect(await r).toMatchObject({ method: 'control', version: 7, payload: { state: { desired: { color: 'green' } } } });
  });
});

describe('raw data', () => {
  let raw: MqttClient;
  beforeAll(async () => {
    raw = await login(cloud, { pk: PK_RAW, dn: 'raw001', extra: '_ss=1' });
  });
  afterAll(() => end(raw));

  it('up_raw goes through the default script to a property post; reply comes back as bytes', async () => {
    const reply = nextMessage(raw, (t) => t.endsWith('up_raw_reply'));
    await raw.publishAsync(`/sys/${PK_RAW}/raw001/thing/model/up_raw`, Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const body = JSON.parse((await reply).payload.toString());
    expect(body).toMatchObject({ code: 200, method: 'thing.event.property.post' });
    expect(cloud.api.properties(PK_RAW, 'raw001').rawData.value).toBe('deadbeef');
    expect(cloud.api.messages({ where: (e) => e.topic.endsWith('up_raw') })[0].payload).toBe('hex:deadbeef');
  });

  it('down_raw push delivers the bytes as they are', async () => {
    const got = nextMessage(raw, (t) => t.endsWith('down_raw'));
    expect(cloud.api.pushRaw(PK_RAW, 'raw001', Uint8Array.from([1, 2, 255]))).toBe(true);
    expect([...(await got).payload]).toEqual([1, 2, 255]);
  });
});

describe('custom raw script from the registry', () => {
  it('rawDataToProtocol / protocolToRawData written as on the console are used', async () => {
    const reg = (await import('./helpers')).testRegistry();
    reg.products.find((p) => p.productKey === PK_RAW)!.rawScript =
      'function rawDataToProtocol(bytes) { return { id: "5", version: "1.0", method: "thing.event.property.post", params: { rawData: "b" + bytes[0] } }; }\n' +
      'function protocolToRawData(json) { return [json.code === 200 ? 1 : 0]; }';
    const other = await start({ registry: reg });
    try {
      const d = await login(other, { pk: PK_RAW, dn: 'raw001', extra: '_ss=1' });
      const reply = nextMessage(d, (t) => t.endsWith('up_raw_reply'));
      await d.publishAsync(`/sys/${PK_RAW}/raw001/thing/model/up_raw`, Buffer.from([7]));
      expect([...(await reply).payload]).toEqual([1]);
      expect(other.api.properties(PK_RAW, 'raw001').rawData.value).toBe('b7');
      await end(d);
    } finally {
      await other.stop();
    }
  });
});
