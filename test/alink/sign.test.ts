/**
 * Signing against every SHA-1/SHA-256 vector of alink-protocol.md 1.4, 2.1, 2.3 and 6.1
 * (the reference doc is the oracle; hmacmd5 is covered with the platform corpus, test/platform).
 */
import { connwlCreds, createRegistrationSigning, createSubdeviceSigning, deviceCreds, type RegisterKeys } from '../../src/alink/sign';

// Registration and sub-device signing are optional parts, built by their factories.
const { creds: registerCreds, form: registerForm } = createRegistrationSigning();
const registerSign = (o: RegisterKeys) => registerForm(o).sign;
const subSign = createSubdeviceSigning();
import { hmacHex } from '../../src/board/hmac';

const dev = { productKey: 'a1TestPK001', deviceName: 'dev001', deviceSecret: '0123456789abcdef0123456789abcdef' };

describe('deviceCreds (1.4)', () => {
  it('hmacsha1, securemode 3, no ext -> the doc clientId, username and password', () => {
    const c = deviceCreds({ ...dev, signMethod: 'hmacsha1', securemode: 3, timestamp: 1700000000000, ext: '' });
    expect(c).toEqual({
      clientId: 'a1TestPK001&dev001|securemode=3,signmethod=hmacsha1,timestamp=1700000000000|',
      username: 'dev001&a1TestPK001',
      password: 'f7602741c9c21f2664c80536dcdd35a884e760fb',
    });
  });

  it('hmacsha256 -> the doc clientId and password', () => {
    const c = deviceCreds({ ...dev, signMethod: 'hmacsha256', securemode: 3, timestamp: 1700000000000, ext: '' });
    expect(c.clientId).toBe('a1TestPK001&dev001|securemode=3,signmethod=hmacsha256,timestamp=1700000000000|');
    expect(c.password).toBe('aba20e063f3608fdad30b97e73fcc61ea71415bef6df8eb04938aeac2c28e703');
  });

  it('defaults: hmacsha256 and the unsigned _ss=1,ext=3 extension -> same password', () => {
    const c = deviceCreds({ ...dev, securemode: 2, timestamp: '1700000000000' });
    expect(c.clientId).toBe('a1TestPK001&dev001|securemode=2,signmethod=hmacsha256,timestamp=1700000000000,_ss=1,ext=3|');
    expect(c.password).toBe('aba20e063f3608fdad30b97e73fcc61ea71415bef6df8eb04938aeac2c28e703');
  });

  it('without timestamp -> "cdeef0..." and no timestamp in the clientId', () => {
    const c = deviceCreds({ ...dev, securemode: 3, ext: '' });
    expect(c.clientId).toBe('a1TestPK001&dev001|securemode=3,signmethod=hmacsha256|');
    expect(c.password).toBe('cdeef00251ab50a9ceb9ad31b43674baba855e95c76e3086038cb62b32aa1038');
  });

  it('C-SDK style prefix pk.dn with the fixed 2524608000000 -> the doc password (case-insensitive)', () => {
    const c = deviceCreds({ ...dev, clientId: 'a1TestPK001.dev001', securemode: 2, timestamp: 2524608000000 });
    expect(c.password).toBe('1E60FA6375BE8ADF6A391EC5BA013CA80E3B54FADB8D2C0FC3B353145D6614C7'.toLowerCase());
    expect(c.clientId.indexOf('a1TestPK001.dev001|')).toBe(0);
  });

  it('NODE 1.2.8 variant (extra lan/_v keys are unsigned) -> same sha1 password', () => {
    const c = deviceCreds({ ...dev, signMethod: 'hmacsha1', securemode: 3, timestamp: 1700000000000, ext: 'lan=NodeJS,_v=1.2.8' });
    expect(c.clientId).toBe('a1TestPK001&dev001|securemode=3,signmethod=hmacsha1,timestamp=1700000000000,lan=NodeJS,_v=1.2.8|');
    expect(c.password).toBe('f7602741c9c21f2664c80536dcdd35a884e760fb');
  });

  it('content without clientId and timestamp (hmacsha1) -> "7b1b60..." (the raw HMAC the emulator also tries)', () => {
    expect(hmacHex('sha1', dev.deviceSecret, 'deviceNamedev001productKeya1TestPK001')).toBe('7b1b60cadf0c219b74cac439aabb19ed6080dca5');
  });

  it('a different secret -> a different password', () => {
    const a = deviceCreds({ ...dev, securemode: 3, timestamp: 1 });
    const b = deviceCreds({ ...dev, deviceSecret: dev.deviceSecret + 'x', securemode: 3, timestamp: 1 });
    expect(a.password).not.toBe(b.password);
    expect(a.password).toMatch(/^[0-9a-f]{64}$/);
  });
});

const reg = { productKey: 'a1TestPK001', deviceName: 'dev001', productSecret: 'AbCdEfGhIjKlMnOp' };

describe('dynamic registration (2.1, 2.3)', () => {
  it('HTTPS sign, random 8Ygb7ULYh53B6OA -> sha256 and sha1 vectors', () => {
    expect(registerSign({ ...reg, random: '8Ygb7ULYh53B6OA' })).toBe('132d141e484b7eb7253d71a366a73efeb306780ea8e4d9ce53a74b00c986b22c');
    expect(registerSign({ ...reg, random: '8Ygb7ULYh53B6OA', signMethod: 'hmacsha1' })).toBe('09a0b09e8babc86931b9357241593029eee198cc');
  });

  it('HTTPS form -> the CV3 body field order and values (sign compared case-insensitively)', () => {
    const f = registerForm({ ...reg, random: '8Ygb7ULYh53B6OA' });
    const body = Object.keys(f).map((k) => k + '=' + f[k]).join('&');
    expect(body).toBe(
      'productKey=a1TestPK001&deviceName=dev001&random=8Ygb7ULYh53B6OA&sign=132D141E484B7EB7253D71A366A73EFEB306780EA8E4D9CE53A74B00C986B22C&signMethod=hmacsha256'.replace(/sign=[0-9A-F]+/, (m) => m.toLowerCase()),
    );
  });

  it('MQTT register / regnwl, random 2808197216 -> the LSDK clientIds, username and "74F763..." password', () => {
    for (const authType of ['register', 'regnwl'] as const) {
      const c = registerCreds({ ...reg, random: '2808197216', authType });
      expect(c).toEqual({
        clientId: `dev001.a1TestPK001|random=2808197216,authType=${authType},securemode=2,signmethod=hmacsha256|`,
        username: 'dev001&a1TestPK001',
        password: '74F76337383E68A8069A1854301078308CD80201239E42EAE33DBF750EEF3958'.toLowerCase(),
      });
    }
  });

  it('instanceId -> appended to the clientId parameters', () => {
    const c = registerCreds({ ...reg, random: '1', authType: 'regnwl', instanceId: 'iot-06z00' });
    expect(c.clientId).toBe('dev001.a1TestPK001|random=1,authType=regnwl,securemode=2,signmethod=hmacsha256,instanceId=iot-06z00|');
  });

  it('connwl login -> clientId from the cloud with authType=connwl,securemode=-2; password is the token', () => {
    const c = connwlCreds({ productKey: 'a1TestPK001', deviceName: 'dev001', clientId: 'a1TestPK001.dev001_123', deviceToken: 'tok3n' });
    expect(c).toEqual({
      clientId: 'a1TestPK001.dev001_123|authType=connwl,securemode=-2,_ss=1,ext=3|',
      username: 'dev001&a1TestPK001',
      password: 'tok3n',
    });
  });
});

describe('subSign (6.1)', () => {
  const sub = { productKey: 'a1SubPK0002', deviceName: 'sub001', deviceSecret: 'fedcba9876543210fedcba9876543210' };

  it('hmacsha1 with the default clientId pk&dn -> "4402c3..."', () => {
    expect(subSign({ ...sub, timestamp: 1700000000123, signMethod: 'hmacsha1' })).toEqual({
      productKey: 'a1SubPK0002',
      deviceName: 'sub001',
      clientId: 'a1SubPK0002&sub001',
      timestamp: '1700000000123',
      signMethod: 'hmacSha1',
      sign: '4402c3cee568ef3fcc162e6ee3d498a30078c985',
    });
  });

  it('hmacSha256 with clientId pk.dn -> "A5E174..." (case-insensitive)', () => {
    const s = subSign({ ...sub, clientId: 'a1SubPK0002.sub001', timestamp: '1700000000123' });
    expect(s.signMethod).toBe('hmacSha256');
    expect(s.sign).toBe('A5E174066B4108FBBDDAEEF1A3075013620FADA71E7200CC81BA2EDD61FB47E9'.toLowerCase());
  });
});
