/** Login as the platform does it: clientId parsing, password HMAC variants (alink-protocol.md
 *  §1.4 vectors), CONNACK refusals, keep-alive and securemode rules, duplicate login. */
import { hashOf, loginContents, parseClientId, verifyLogin } from '../../sim/cloud/auth';
import { start, type RunningCloud } from '../../sim/cloud/index';
import { PK, SECRET, closed, connectRaw, end, hmac, login, loginFields, testRegistry } from './helpers';

describe('auth arithmetic (§1.4 vectors)', () => {
  const ds = '0123456789abcdef0123456789abcdef';
  const contents = loginContents('a1TestPK001&dev001', 'a1TestPK001', 'dev001', '1700000000000');

  it.each([
    ['hmacsha1', 'f7602741c9c21f2664c80536dcdd35a884e760fb'],
    ['hmacsha256', 'aba20e063f3608fdad30b97e73fcc61ea71415bef6df8eb04938aeac2c28e703'],
    ['hmacmd5', 'a37be85a1528a025c46ebbb0a24b6c7c'],
  ])('%s password of the doc vector verifies', (method, password) => {
    expect(verifyLogin(hashOf(method)!, ds, password, contents)).toBe(true);
    expect(verifyLogin(hashOf(method)!, ds, password.toUpperCase(), contents)).toBe(true);
    expect(verifyLogin(hashOf(method)!, 'x' + ds.slice(1), password, contents)).toBe(false);
  });

  it('variants without timestamp and without clientId verify', () => {
    expect(verifyLogin('sha1', ds, '7b1b60cadf0c219b74cac439aabb19ed6080dca5', contents)).toBe(true);
    expect(verifyLogin('sha256', ds, 'cdeef00251ab50a9ceb9ad31b43674baba855e95c76e3086038cb62b32aa1038', contents)).toBe(true);
  });

  it('C-SDK uppercase sha256 with dot prefix verifies', () => {
    const c = loginContents('a1TestPK001.dev001', 'a1TestPK001', 'dev001', '2524608000000');
    expect(verifyLogin('sha256', ds, '1E60FA6375BE8ADF6A391EC5BA013CA80E3B54FADB8D2C0FC3B353145D6614C7', c)).toBe(true);
  });

  it('parses the NODE clientId and keeps unknown keys', () => {
    const info = parseClientId('a1TestPK001&dev001|securemode=3,signmethod=hmacsha1,timestamp=1700000000000,lan=NodeJS,_v=1.2.8|');
    expect(info).toEqual({ prefix: 'a1TestPK001&dev001', params: expect.objectContaining({ securemode: '3', signmethod: 'hmacsha1', timestamp: '1700000000000', lan: 'NodeJS', _v: '1.2.8' }) });
    expect(parseClientId('abc|securemode=3')).toBeNull();
    expect(parseClientId('plain')).toEqual({ prefix: 'plain', params: {} });
  });
});

describe('MQTT login', () => {
  let cloud: RunningCloud;
  beforeAll(async () => {
    cloud = await start({ registry: testRegistry() });
  });
  afterAll(async () => {
    await cloud.stop();
  });

  it.each(['sha1', 'sha256', 'md5'] as const)('valid %s login is accepted and the device shows online', async (alg) => {
    const c = await login(cloud, { dn: 'dev001', alg });
    expect(cloud.api.device(PK, 'dev001')).toMatchObject({ online: true, activated: true });
    await end(c);
  });

  it('uppercase hex password is accepted', async () => {
    const f = loginFields({ dn: 'dev001' });
    const r = await connectRaw(cloud, { ...f, password: f.password.toUpperCase() });
    expect(r.ok).toBe(true);
    if (r.ok) await end(r.client);
  });

  it('password signed without timestamp (HaaS ulinksdk style) is accepted', async () => {
    const prefix = '13225554098';
    const r = await connectRaw(cloud, {
      clientId: `${prefix}|securemode=3,signmethod=hmacsha256|`,
      username: `dev001&${PK}`,
      password: hmac('sha256', SECRET, `clientId${prefix}deviceNamedev001productKey${PK}`),
    });
    expect(r.ok).toBe(true);
    if (r.ok) await end(r.client);
  });

  it('wrong secret -> CONNACK 4, and the refusal is logged without the password', async () => {
    const f = loginFields({ dn: 'dev001', secret: 'f'.repeat(32) });
    const r = await connectRaw(cloud, f);
    expect(r).toMatchObject({ ok: false, code: 4 });
    const logged = cloud.api.messages({ where: (e) => e.topic === '$connect' && e.verdict === 'refused' });
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(cloud.api.messages())).not.toContain(f.password);
  });

  it('unknown device -> 4; disabled device -> 5', async () => {
    expect(await connectRaw(cloud, loginFields({ dn: 'nosuchdev' }))).toMatchObject({ ok: false, code: 4 });
    expect(await connectRaw(cloud, loginFields({ dn: 'off001' }))).toMatchObject({ ok: false, code: 5 });
  });

  it('advertised signmethod must match the hash used (sha1 password labelled sha256 -> 4)', async () => {
    const r = await connectRaw(cloud, loginFields({ dn: 'dev001', alg: 'sha1', signmethod: 'hmacsha256' }));
    expect(r).toMatchObject({ ok: false, code: 4 });
  });

  it.each([10, 29, 1201])('keepalive %i outside 30..1200 -> 2', async (keepalive) => {
    const r = await connectRaw(cloud, loginFields({ dn: 'dev001' }), { keepalive });
    expect(r).toMatchObject({ ok: false, code: 2 });
  });

  it('keepalive 30 and 1200 are accepted', async () => {
    for (const keepalive of [30, 1200]) {
      const r = await connectRaw(cloud, loginFields({ dn: 'dev001' }), { keepalive });
      expect(r.ok).toBe(true);
      if (r.ok) await end(r.client);
    }
  });

  it('securemode=2 on plain TCP -> 2; securemode=3 on TLS -> 2', async () => {
    expect(await connectRaw(cloud, loginFields({ dn: 'dev001', securemode: '2' }))).toMatchObject({ ok: false, code: 2 });
    expect(await connectRaw(cloud, loginFields({ dn: 'dev001', securemode: '3' }), { tls: true })).toMatchObject({ ok: false, code: 2 });
  });

  it('TLS login with securemode=2 works against the emitted CA', async () => {
    const c = await login(cloud, { dn: 'dev002', tls: true });
    expect(cloud.api.device(PK, 'dev002')).toMatchObject({ online: true, tls: true });
    await end(c);
  });

  it('username not deviceName&productKey -> 4', async () => {
    const f = loginFields({ dn: 'dev001' });
    expect(await connectRaw(cloud, { ...f, username: 'dev001' })).toMatchObject({ ok: false, code: 4 });
  });

  it('a second login of the same device (different clientId) closes the first connection', async () => {
    const first = await login(cloud, { dn: 'dev003', timestamp: '1' });
    const disconnected = new Promise<string>((r) => cloud.api.once('disconnect', (e) => r(e.reason)));
    const firstClosed = closed(first);
    const second = await login(cloud, { dn: 'dev003', timestamp: '2' });
    await firstClosed;
    expect(await disconnected).toMatch(/replaced/);
    expect(second.connected).toBe(true);
    expect(cloud.api.device(PK, 'dev003')).toMatchObject({ online: true, clientId: expect.stringContaining('timestamp=2') });
    await end(first, second);
  });

  it('disable drops the live connection and refuses the next login; enable lets it back', async () => {
    const c = await login(cloud, { dn: 'dev002' });
    const gone = closed(c);
    expect(cloud.api.disable(PK, 'dev002')).toBe(true);
    await gone;
    expect(await connectRaw(cloud, loginFields({ dn: 'dev002' }))).toMatchObject({ ok: false, code: 5 });
    cloud.api.enable(PK, 'dev002');
    const again = await login(cloud, { dn: 'dev002' });
    await end(c, again);
  });
});
