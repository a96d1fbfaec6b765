/**
 * The module's TypeScript sources against the platform corpus (corpus.ts): what it signs and
 * sends must be what the references show, whatever the emulator accepts.
 */
import { createRegistrationSigning, createSubdeviceSigning, deviceCreds, type SignMethod } from '../../src/alink/sign';
import { mqttEndpoint } from '../../src/alink/endpoint';
import { createRegistration } from '../../src/features/register';
import { parse, rrpcAnswer, isOwnTopic, T } from '../../src/alink/topics';
import { timeDown } from '../../src/features/ntp';
import { createUpload } from '../../src/features/upload';
import { md5Js } from '../../src/board/md5';
import { hmacHex } from '../../src/board/hmac';
import { CONNECT, DEVICE, MQTT_REGISTER, HTTPS_REGISTER, SUBDEVICE, TOPO_ADD, BATCH_LOGIN, NTP, UPLOAD, RRPC, MD5 } from './corpus';

// The optional parts (registration, sub-device signing, upload), built by their factories.
const { creds: registerCreds, form: registerForm } = createRegistrationSigning();
const { authHost } = createRegistration();
const subSign = createSubdeviceSigning();
const { crc16, frame } = createUpload();

const hex = (s: string) => Buffer.from(s, 'latin1').toString('hex');

describe('CONNECT per sign method and securemode (' + CONNECT.source + ')', () => {
  for (const method of Object.keys(CONNECT.passwords)) {
    for (const mode of [2, 3] as const) {
      it(`${method}, securemode ${mode}`, () => {
        const c = deviceCreds({ ...DEVICE, signMethod: method as SignMethod, securemode: mode, ext: '' });
        expect(c).toEqual({ clientId: CONNECT.clientId(mode, method) + '|', username: CONNECT.username, password: CONNECT.passwords[method] });
      });
    }
  }
});

describe('dynamic registration (' + MQTT_REGISTER.source + ')', () => {
  const keys = { productKey: DEVICE.productKey, deviceName: DEVICE.deviceName, productSecret: MQTT_REGISTER.productSecret, random: MQTT_REGISTER.random };
  it('MQTT register: clientId dn.pk|random,authType,securemode=2,signmethod| and the sign over deviceName/productKey/random', () => {
    const c = registerCreds({ ...keys, authType: 'register' });
    expect(c.clientId).toBe(MQTT_REGISTER.clientIdRegister);
    expect(c.password.toUpperCase()).toBe(MQTT_REGISTER.password);
  });
  it('MQTT on an instance: instanceId in the clientId, also when only the instance host is given', () => {
    expect(registerCreds({ ...keys, authType: 'regnwl', instanceId: MQTT_REGISTER.instanceId }).clientId).toBe(MQTT_REGISTER.clientIdRegnwlOnInstance);
    expect(mqttEndpoint({ host: MQTT_REGISTER.instanceId + '.mqtt.iothub.aliyuncs.com' })!.instanceId).toBe(MQTT_REGISTER.instanceId);
    expect(mqttEndpoint({ instanceId: MQTT_REGISTER.instanceId, productKey: 'pk' })).toEqual({ host: MQTT_REGISTER.instanceId + '.mqtt.iothub.aliyuncs.com', port: 1883, instanceId: MQTT_REGISTER.instanceId });
  });
  it('HTTPS: the form fields in the order and with the values CV3 sends (' + HTTPS_REGISTER.source + ')', () => {
    const form = registerForm({ ...keys, random: HTTPS_REGISTER.random, signMethod: 'hmacsha256' });
    const want = [...new URLSearchParams(HTTPS_REGISTER.body)];
    expect(Object.keys(form)).toEqual(want.map(([k]) => k));
    for (const [k, v] of want) expect(form[k].toLowerCase()).toBe(v.toLowerCase());
    const at = mqttEndpoint({ instanceId: MQTT_REGISTER.instanceId })!;
    expect(authHost({ instanceId: MQTT_REGISTER.instanceId }, at)).toBe(HTTPS_REGISTER.host);
  });
});

describe('sub-devices (' + TOPO_ADD.source + '; ' + BATCH_LOGIN.source + ')', () => {
  it('the sub-device sign is the LSDK one for the LSDK clientId', () => {
    const s = subSign({ ...SUBDEVICE, clientId: TOPO_ADD.item.clientId, signMethod: 'hmacsha256' });
    expect(s.sign.toUpperCase()).toBe(TOPO_ADD.item.sign);
    expect(s.signMethod).toBe(TOPO_ADD.item.signmethod);
    expect(BATCH_LOGIN.params.deviceList[0].sign).toBe(TOPO_ADD.item.sign);
  });
  it('hmacmd5 names the method as the docs do and signs with MD5', () => {
    const s = subSign({ ...SUBDEVICE, signMethod: 'hmacmd5' });
    expect(s.signMethod).toBe('hmacMd5');
    expect(s.sign).toBe(SUBDEVICE.md5Sign);
  });
});

describe('NTP (' + NTP.source + ')', () => {
  it('(serverRecvTime + serverSendTime + now - deviceSendTime) / 2 sets the clock and answers', () => {
    const setTime = jest.fn();
    (globalThis as any).setTime = setTime;
    const now = jest.spyOn(Date, 'now').mockReturnValue(NTP.receivedAt);
    const got: any[] = [];
    try {
      expect(timeDown([(d) => got.push(d)], parse(NTP.responseTopic), JSON.stringify(NTP.response))).toBe(true);
    } finally {
      now.mockRestore();
      delete (globalThis as any).setTime;
    }
    expect(setTime).toHaveBeenCalledWith(NTP.utcMs / 1000);
    expect(got[0].timestamp).toBe(Math.floor(NTP.utcMs / 1000));
    expect(parse(NTP.request.topic).kind).toBe(T.NtpReq);
  });
});

describe('upload framing (' + UPLOAD.source + ')', () => {
  it('CRC-16/ARC check value', () => {
    expect(crc16(UPLOAD.crcCheck.input)).toBe(UPLOAD.crcCheck.crc);
  });
  it('[length BE][header][block][CRC LE]', () => {
    const f = Buffer.from(frame(UPLOAD.header, UPLOAD.crcCheck.input), 'latin1');
    expect(f.readUInt16BE(0)).toBe(UPLOAD.header.length);
    expect(f.subarray(2, 2 + UPLOAD.header.length).toString()).toBe(UPLOAD.header);
    expect(f.subarray(2 + UPLOAD.header.length, f.length - 2).toString()).toBe(UPLOAD.crcCheck.input);
    expect(f.readUInt16LE(f.length - 2)).toBe(UPLOAD.crcCheck.crc);
  });
});

describe('RRPC topic forms (' + RRPC.source + ')', () => {
  const { productKey: pk, deviceName: dn } = DEVICE;
  it('classic: answered on rrpc/response/<id>', () => {
    expect(rrpcAnswer(RRPC.classicRequest)).toBe(RRPC.classicResponse);
  });
  it('custom topic: the device may subscribe /ext/rrpc/+/<topic>, a call is a custom message answered on its own topic', () => {
    expect(isOwnTopic(RRPC.customSubscription, pk, dn)).toBe(true);
    expect(parse(RRPC.customCall)).toMatchObject({ kind: T.Custom, rrpc: '1234567890' });
    expect(rrpcAnswer(RRPC.customCall)).toBe(RRPC.customCall);
  });
  it('synchronous service and raw: the system topic behind /ext/rrpc/<id>', () => {
    expect(parse(RRPC.syncService)).toMatchObject({ kind: T.Service, id: 'ping', rrpc: '1234567890' });
    expect(parse(RRPC.syncRaw)).toMatchObject({ kind: T.DownRaw, rrpc: '1234567890' });
    expect(rrpcAnswer(RRPC.syncRaw)).toBe(RRPC.syncRaw);
  });
});

describe('MD5 and HMAC-MD5 (' + MD5.source + ')', () => {
  it.each(MD5.digests)('md5(%j)', (input, digest) => {
    expect(hex(md5Js(input))).toBe(digest);
  });
  it.each(MD5.hmacs)('HMAC-MD5 $data', ({ key, data, mac }) => {
    expect(hmacHex('md5', key, data)).toBe(mac);
  });
});
