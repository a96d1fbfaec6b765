/**
 * What the platform and its official SDKs send and sign, taken from public references, each
 * entry citing where it comes from. The module and the emulator are both tested against this
 * (module.test.ts, emulator.test.ts), never against each other, so a misunderstanding they
 * share shows up here.
 *
 * Sources (short names used in `source` fields):
 * - DOC-73742   https://help.aliyun.com/document_detail/73742.html (MQTT-TLS connection: clientId, username, password)
 * - DOC-89299   https://help.aliyun.com/document_detail/89299.html (gateway topology: topo/add, topo/get)
 * - DOC-89300   https://help.aliyun.com/document_detail/89300.html (sub-device login, batch login)
 * - DOC-DYNREG  https://help.aliyun.com/en/iot/user-guide/mqtt-based-dynamic-registration
 * - DOC-RRPC    https://help.aliyun.com/document_detail/90568.html (RRPC: classic and custom topics)
 * - LSDK        larryli/esp-aliyun-iot-linksdk @784098f, an unmodified Link SDK 4.1.0 core
 * - LSDK-AOS    alibaba/AliOS-Things components/linksdk (Link SDK 4.x files not in LSDK)
 * - CV3         aliyun/iotkit-embedded (C SDK 3.x)
 * - RFC1321 / RFC2202 / CRC-CAT   MD5 test suite, HMAC-MD5 test cases, the CRC RevEng catalogue
 *
 * Signature values are HMACs of the cited content forms over fixed inputs, computed once with
 * OpenSSL (Node crypto) and written down here; the content forms and field sets are the facts
 * the references give.
 */

/** A device of the examples below. */
export const DEVICE = { productKey: 'a1TestPK001', deviceName: 'dev001', deviceSecret: '0123456789abcdef0123456789abcdef', timestamp: '1700000000000' };

/** MQTT CONNECT per sign method: DOC-73742 ("mqttClientId: clientId+"|securemode=3,signmethod=
 *  hmacsha1,timestamp=132323232|"", "mqttUsername: deviceName+"&"+productKey", password =
 *  sign over the params productKey, deviceName, timestamp, clientId sorted by name, signmethod
 *  one of hmacmd5, hmacsha1, hmacsha256); securemode 2 = TLS, 3 = TCP (same page). */
export const CONNECT = {
  source: 'DOC-73742; LSDK core/utils/core_auth.c:53 (content "clientId%s.%sdeviceName%sproductKey%stimestamp%s")',
  clientIdPrefix: 'a1TestPK001&dev001',
  username: 'dev001&a1TestPK001',
  content: 'clientIda1TestPK001&dev001deviceNamedev001productKeya1TestPK001timestamp1700000000000',
  passwords: {
    hmacsha256: 'aba20e063f3608fdad30b97e73fcc61ea71415bef6df8eb04938aeac2c28e703',
    hmacsha1: 'f7602741c9c21f2664c80536dcdd35a884e760fb',
    hmacmd5: 'a37be85a1528a025c46ebbb0a24b6c7c',
  } as Record<string, string>,
  /** "<prefix>|securemode=<m>,signmethod=<alg>,timestamp=<ts>|" with extension parameters after. */
  clientId(mode: 2 | 3, method: string): string {
    return 'a1TestPK001&dev001|securemode=' + mode + ',signmethod=' + method + ',timestamp=1700000000000';
  },
};

/** Link SDK 4.1's own CONNECT (LSDK core/utils/core_auth.c:82 clientId format, core_auth.h:14-15
 *  version and fixed timestamp "2524608000000", core/aiot_mqtt_api.c:1153-1180 the trailing
 *  "_conn=tls_<connect time, hex>"), uppercase hex (core_string.c core_hex2str). */
export const LSDK_CONNECT = {
  source: 'LSDK core/utils/core_auth.c:53,82; core/utils/core_auth.h:14-15; core/aiot_mqtt_api.c:1153-1180',
  clientId: 'a1TestPK001.dev001|timestamp=2524608000000,_ss=1,_v=sdk-c-4.1.0,securemode=2,signmethod=hmacsha256,ext=3,_conn=tls_1F4|',
  content: 'clientIda1TestPK001.dev001deviceNamedev001productKeya1TestPK001timestamp2524608000000',
  password: '1E60FA6375BE8ADF6A391EC5BA013CA80E3B54FADB8D2C0FC3B353145D6614C7',
};

/** MQTT dynamic registration (DOC-DYNREG; LSDK-AOS components/dynreg-mqtt/aiot_dynregmq_api.c,
 *  aiot_dynregmq_send_request: clientId "%s.%s|random=%s,authType=%s,securemode=2,signmethod=
 *  hmacsha256[,instanceId=%s]|" fed device_name then product_key; sign input
 *  "deviceName%sproductKey%srandom%s" keyed with the productSecret). */
export const MQTT_REGISTER = {
  source: 'DOC-DYNREG; LSDK-AOS components/dynreg-mqtt/aiot_dynregmq_api.c aiot_dynregmq_send_request; LSDK components/subdev/aiot_subdev_api.c:320',
  productSecret: 'AbCdEfGhIjKlMnOp',
  random: '2808197216',
  instanceId: 'iot-06z00abcdefgh',
  content: 'deviceNamedev001productKeya1TestPK001random2808197216',
  password: '74F76337383E68A8069A1854301078308CD80201239E42EAE33DBF750EEF3958',
  clientIdRegister: 'dev001.a1TestPK001|random=2808197216,authType=register,securemode=2,signmethod=hmacsha256|',
  clientIdRegnwlOnInstance: 'dev001.a1TestPK001|random=2808197216,authType=regnwl,securemode=2,signmethod=hmacsha256,instanceId=iot-06z00abcdefgh|',
};

/** HTTPS dynamic registration: POST /auth/register/device, form fields in this order (CV3
 *  src/dynamic_register/dynreg.c, v3.2.0 `_calc_dynreg_sign` and the request body; CV3 uses the
 *  constant random below and uppercase hex); host iot-auth.<region>.aliyuncs.com for every
 *  instance (developer.aliyun.com/article/1098361). */
export const HTTPS_REGISTER = {
  source: 'CV3 src/dynamic_register/dynreg.c (v3.2.0); https://developer.aliyun.com/article/1098361',
  host: 'iot-auth.cn-shanghai.aliyuncs.com',
  path: '/auth/register/device',
  random: '8Ygb7ULYh53B6OA',
  body: 'productKey=a1TestPK001&deviceName=dev001&random=8Ygb7ULYh53B6OA&sign=132D141E484B7EB7253D71A366A73EFEB306780EA8E4D9CE53A74B00C986B22C&signMethod=hmacsha256',
};

/** A sub-device of the gateway examples. */
export const SUBDEVICE = {
  productKey: 'a1SubPK0002', deviceName: 'sub001', deviceSecret: 'fedcba9876543210fedcba9876543210', timestamp: '1700000000123',
  /** HMAC-MD5 ("hmacMd5", DOC-89300's list) over clientIda1SubPK0002&sub001deviceNamesub001productKeya1SubPK0002timestamp1700000000123 */
  md5Sign: '9eac23861347e7adf99f3bc6560dd473',
};

/** topo/add, as Link SDK 4.x sends it (LSDK components/subdev/aiot_subdev_api.c:355-365, sign
 *  :299 "clientId%s.%sdeviceName%sproductKey%stimestamp%s" with HMAC-SHA256, uppercase hex) and as
 *  DOC-89299 signs it: every parameter but sign and signMethod, sorted. */
export const TOPO_ADD = {
  source: 'LSDK components/subdev/aiot_subdev_api.c:299,355-365; DOC-89299',
  topic: '/sys/a1GwPK00001/gw001/thing/topo/add',
  item: {
    productKey: 'a1SubPK0002',
    deviceName: 'sub001',
    clientId: 'a1SubPK0002.sub001',
    timestamp: '1700000000123',
    signmethod: 'hmacSha256',
    sign: 'A5E174066B4108FBBDDAEEF1A3075013620FADA71E7200CC81BA2EDD61FB47E9',
  } as Record<string, string>,
  content: 'clientIda1SubPK0002.sub001deviceNamesub001productKeya1SubPK0002timestamp1700000000123',
  fields: ['clientId', 'deviceName', 'productKey', 'sign', 'signmethod', 'timestamp'],
};

/** combine/batch_login (LSDK aiot_subdev_api.c:419-427 items, :778 signMethod beside deviceList;
 *  DOC-89300: sign over every parameter but sign, signMethod and cleanSession). */
export const BATCH_LOGIN = {
  source: 'LSDK components/subdev/aiot_subdev_api.c:419-427,778; DOC-89300',
  topic: '/ext/session/a1GwPK00001/gw001/combine/batch_login',
  params: {
    signMethod: 'hmacSha256',
    deviceList: [
      {
        productKey: 'a1SubPK0002',
        deviceName: 'sub001',
        clientId: 'a1SubPK0002.sub001',
        timestamp: '1700000000123',
        cleanSession: 'false',
        sign: 'A5E174066B4108FBBDDAEEF1A3075013620FADA71E7200CC81BA2EDD61FB47E9',
      },
    ],
  },
  itemFields: ['cleanSession', 'clientId', 'deviceName', 'productKey', 'sign', 'timestamp'],
  /** DOC-89300's own example of the sign content (masked values as the page prints them). */
  docContent: 'clientIdal12345****&device1234deviceNamedevice1234productKeyal12345****timestamp1581417203000',
};

/** NTP over MQTT (LSDK components/ntp/ntp_private.h:48-50 topics and request payload;
 *  components/ntp/aiot_ntp_api.c:53 utc = (serverRecvTime + serverSendTime + now - deviceSendTime) / 2). */
export const NTP = {
  source: 'LSDK components/ntp/ntp_private.h:48-50; components/ntp/aiot_ntp_api.c:53',
  request: { topic: '/ext/ntp/a1TestPK001/dev001/request', payload: '{"deviceSendTime":"1700000000000"}' },
  responseTopic: '/ext/ntp/a1TestPK001/dev001/response',
  response: { deviceSendTime: '1700000000000', serverRecvTime: '1700000000500', serverSendTime: '1700000000510' },
  receivedAt: 1700000000100,
  /** (500 + 510 + 100 - 0) / 2 past the epoch offset */
  utcMs: 1700000000555,
};

/** File upload over MQTT: reply topics (LSDK-AOS components/mqtt-upload/mqtt_upload_private.h
 *  MQTT_UPLOAD_UPLOAD_{INIT,FILE,CANCEL}_REPLY, subscribed explicitly before init), block frame
 *  [2-byte big-endian header length][header JSON][block][CRC-16/ARC of the block, little-endian]
 *  (LSDK-AOS components/mqtt-upload/aiot_mqtt_upload_api.c), CRC-16/ARC check value (CRC-CAT
 *  https://reveng.sourceforge.io/crc-catalogue/16.htm#crc.cat.crc-16-arc: check=0xbb3d). */
export const UPLOAD = {
  source: 'LSDK-AOS components/mqtt-upload/mqtt_upload_private.h, aiot_mqtt_upload_api.c; CRC-CAT CRC-16/ARC',
  replyTopics: ['/sys/a1TestPK001/dev001/thing/file/upload/mqtt/init_reply', '/sys/a1TestPK001/dev001/thing/file/upload/mqtt/send_reply', '/sys/a1TestPK001/dev001/thing/file/upload/mqtt/cancel_reply'],
  crcCheck: { input: '123456789', crc: 0xbb3d },
  header: '{"id":"1","params":{"uploadId":"u1","offset":0,"bSize":9,"isComplete":true}}',
};

/** RRPC topic forms (DOC-RRPC; LSDK components/data-model/aiot_dm_api.c:50,58 reply topics and
 *  :89,101 subscriptions for ext RRPC; `ext=3`, bit 0 = rrpc: core_auth.c:82). */
export const RRPC = {
  source: 'DOC-RRPC; LSDK components/data-model/aiot_dm_api.c:50,58,89,101; core/utils/core_auth.c:82',
  classicRequest: '/sys/a1TestPK001/dev001/rrpc/request/1234567890',
  classicResponse: '/sys/a1TestPK001/dev001/rrpc/response/1234567890',
  customSubscription: '/ext/rrpc/+/a1TestPK001/dev001/user/get',
  customCall: '/ext/rrpc/1234567890/a1TestPK001/dev001/user/get',
  syncService: '/ext/rrpc/1234567890/sys/a1TestPK001/dev001/thing/service/ping',
  syncRaw: '/ext/rrpc/1234567890/sys/a1TestPK001/dev001/thing/model/down_raw',
};

/** MD5 (RFC 1321 A.5 test suite) and HMAC-MD5 (RFC 2202 section 2, test cases 1 and 2). */
export const MD5 = {
  source: 'RFC 1321 appendix A.5; RFC 2202 section 2',
  digests: [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', '57edf4a22be3c955ac49da2e2107b67a'],
  ],
  hmacs: [
    { key: '\x0b'.repeat(16), data: 'Hi There', mac: '9294727a3638bb1c13f48ef8158bfc9d' },
    { key: 'Jefe', data: 'what do ya want for nothing?', mac: '750c783e6ab0b503eaa86e310a5db738' },
  ],
};
