/**
 * The emulator against the platform corpus (corpus.ts): it must accept what the references
 * send, sign over what they sign, and route where they route, whatever the module does.
 */
import { createHmac } from 'node:crypto';
import { Registry } from '../../sim/cloud/registry';
import { CloudCore, isSystemTopic } from '../../sim/cloud/core';
import { decideLogin } from '../../sim/cloud/login';
import { registerDevice } from '../../sim/cloud/https';
import { signContent } from '../../sim/cloud/handlers/gateway-checks';
import { ntpRequest } from '../../sim/cloud/handlers/ntp';
import { parseFrame } from '../../sim/cloud/handlers/upload';
import { crc16Arc } from '../../sim/cloud/crc';
import { ownerOf } from '../../sim/cloud/acl';
import type { Uplink } from '../../sim/cloud/uplink';
import { CONNECT, LSDK_CONNECT, DEVICE, MQTT_REGISTER, HTTPS_REGISTER, SUBDEVICE, TOPO_ADD, BATCH_LOGIN, NTP, UPLOAD, RRPC } from './corpus';

function registry(): Registry {
  return new Registry({
    products: [{ productKey: DEVICE.productKey, productSecret: MQTT_REGISTER.productSecret, dynamicRegistration: true, registrationFree: true }],
    devices: [{ productKey: DEVICE.productKey, deviceName: DEVICE.deviceName, deviceSecret: DEVICE.deviceSecret }],
  });
}

const login = (clientId: string, password: string, tls: boolean, instanceId?: string, reg = registry()) =>
  decideLogin(reg, { clientId, username: CONNECT.username, password: Buffer.from(password), keepalive: 60, tls, instanceId });

describe('CONNECT (' + CONNECT.source + ')', () => {
  for (const method of Object.keys(CONNECT.passwords)) {
    for (const mode of [2, 3] as const) {
      it(`${method}, securemode ${mode}: accepted on the matching transport`, () => {
        expect(login(CONNECT.clientId(mode, method) + '|', CONNECT.passwords[method], mode === 2)).toMatchObject({ ok: true, kind: 'device' });
      });
    }
  }
  it('a password of another sign method is refused', () => {
    expect(login(CONNECT.clientId(3, 'hmacmd5') + '|', CONNECT.passwords.hmacsha256, false)).toMatchObject({ ok: false, returnCode: 4 });
  });
  it('Link SDK 4.1 exactly as it connects (' + LSDK_CONNECT.source + ')', () => {
    const reg = registry();
    expect(login(LSDK_CONNECT.clientId, LSDK_CONNECT.password, true, undefined, reg)).toMatchObject({ ok: true, autoSubscribe: true, extRrpc: true });
  });
});

describe('dynamic registration (' + MQTT_REGISTER.source + ')', () => {
  it('MQTT register as Link SDK 4.x sends it', () => {
    expect(login(MQTT_REGISTER.clientIdRegister, MQTT_REGISTER.password, true)).toMatchObject({ ok: true, kind: 'register' });
  });
  it('on an instance: accepted with its instanceId, refused without', () => {
    expect(login(MQTT_REGISTER.clientIdRegnwlOnInstance, MQTT_REGISTER.password, true, MQTT_REGISTER.instanceId)).toMatchObject({ ok: true, kind: 'regnwl' });
    expect(login(MQTT_REGISTER.clientIdRegister, MQTT_REGISTER.password, true, MQTT_REGISTER.instanceId)).toMatchObject({ ok: false, returnCode: 2 });
  });
  it('HTTPS: the CV3 body (' + HTTPS_REGISTER.source + ')', () => {
    const reg = new Registry({
      products: [{ productKey: DEVICE.productKey, productSecret: MQTT_REGISTER.productSecret, dynamicRegistration: true }],
      devices: [{ productKey: DEVICE.productKey, deviceName: DEVICE.deviceName }],
    });
    const core = new CloudCore(reg, { replyTimeoutMs: 1000, maxPayloadBytes: 262144, logCapacity: 10, rawScripts: {} });
    const a = registerDevice(core, new URLSearchParams(HTTPS_REGISTER.body));
    expect(a).toMatchObject({ code: 200, data: { productKey: DEVICE.productKey, deviceName: DEVICE.deviceName } });
  });
});

describe('sub-devices (' + TOPO_ADD.source + '; ' + BATCH_LOGIN.source + ')', () => {
  const sign = (content: string) => createHmac('sha256', SUBDEVICE.deviceSecret).update(content).digest('hex').toUpperCase();
  it('topo/add: the LSDK entry signs its content; a field added unsigned changes it', () => {
    expect(Object.keys(TOPO_ADD.item).sort()).toEqual(TOPO_ADD.fields);
    expect(signContent(TOPO_ADD.item, false)).toBe(TOPO_ADD.content);
    expect(sign(signContent(TOPO_ADD.item, false))).toBe(TOPO_ADD.item.sign);
    expect(signContent({ ...TOPO_ADD.item, cleanSession: 'true' }, false)).not.toBe(TOPO_ADD.content);
  });
  it('batch_login: the LSDK item signs the same content (cleanSession not signed)', () => {
    const item = BATCH_LOGIN.params.deviceList[0];
    expect(Object.keys(item).sort()).toEqual(BATCH_LOGIN.itemFields);
    expect(sign(signContent(item, true))).toBe(item.sign);
  });
  it("DOC-89300's example content comes out of its example parameters", () => {
    const params = { productKey: 'al12345****', deviceName: 'device1234', clientId: 'al12345****&device1234', timestamp: '1581417203000', signMethod: 'hmacmd5', sign: '9B9C732412A4F84B981E1AB97CAB****', cleanSession: 'true' };
    expect(signContent(params, true)).toBe(BATCH_LOGIN.docContent);
  });
});

describe('NTP (' + NTP.source + ')', () => {
  it('answers on the response topic with deviceSendTime echoed and the server times', () => {
    const sent: [string, string][] = [];
    const up = { core: { sendDown: (_pk: string, _dn: string, t: string, p: string) => sent.push([t, p]) }, payload: Buffer.from(NTP.request.payload), productKey: DEVICE.productKey, deviceName: DEVICE.deviceName } as unknown as Uplink;
    ntpRequest(up);
    expect(sent[0][0]).toBe(NTP.responseTopic);
    const r = JSON.parse(sent[0][1]);
    expect(r.deviceSendTime).toBe(NTP.response.deviceSendTime);
    expect(Object.keys(r).sort()).toEqual(Object.keys(NTP.response).sort());
    expect(+r.serverSendTime).toBeGreaterThanOrEqual(+r.serverRecvTime);
  });
});

describe('upload (' + UPLOAD.source + ')', () => {
  it('CRC-16/ARC check value', () => {
    expect(crc16Arc(Buffer.from(UPLOAD.crcCheck.input))).toBe(UPLOAD.crcCheck.crc);
  });
  it('takes the frame apart', () => {
    const h = Buffer.from(UPLOAD.header);
    const f = Buffer.concat([Buffer.from([h.length >> 8, h.length & 255]), h, Buffer.from(UPLOAD.crcCheck.input), Buffer.from([UPLOAD.crcCheck.crc & 255, UPLOAD.crcCheck.crc >> 8])]);
    expect(parseFrame(f)).toMatchObject({ id: '1', uploadId: 'u1', offset: 0, bSize: 9, isComplete: true, crc: UPLOAD.crcCheck.crc });
  });
  it('the reply topics need the explicit subscription Link SDK makes: not covered by _ss=1', () => {
    for (const t of UPLOAD.replyTopics) expect(isSystemTopic(t)).toBe(false);
  });
});

describe('RRPC (' + RRPC.source + ')', () => {
  it('_ss=1 covers the system calls, not a custom-topic RRPC', () => {
    expect(isSystemTopic(RRPC.classicRequest)).toBe(true);
    expect(isSystemTopic(RRPC.syncService)).toBe(true);
    expect(isSystemTopic(RRPC.syncRaw)).toBe(true);
    expect(isSystemTopic(RRPC.customCall)).toBe(false);
  });
  it('a custom-topic RRPC subscription belongs to the device of its inner topic', () => {
    expect(ownerOf(RRPC.customSubscription)).toMatchObject({ productKey: DEVICE.productKey, deviceName: DEVICE.deviceName });
  });
});
