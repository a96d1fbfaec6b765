/** message.ts: the Alink envelopes of alink-protocol.md 3 and 5.2. */
import { request, reply, parseMsg } from '../../src/alink/message';

const bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('request', () => {
  it('object params -> the doc envelope, ack 1, key order id/version/params/sys/method', () => {
    expect(request('1', 'thing.event.property.post', { Power: { value: 'on', time: 1524448722000 }, WF: 23.6 })).toBe(
      '{"id":"1","version":"1.0","params":{"Power":{"value":"on","time":1524448722000},"WF":23.6},"sys":{"ack":1},"method":"thing.event.property.post"}',
    );
  });

  it('string params -> inserted verbatim (pre-serialised JSON text)', () => {
    const t = request('7', 'thing.event.property.post', '{"a" : 1}');
    expect(t).toBe('{"id":"7","version":"1.0","params":{"a" : 1},"sys":{"ack":1},"method":"thing.event.property.post"}');
    expect(JSON.parse(t).params).toEqual({ a: 1 });
  });

  it('ack 0 -> "sys":{"ack":0}; undefined params -> {}', () => {
    expect(JSON.parse(request('2', 'thing.topo.get', undefined, 0))).toEqual({
      id: '2',
      version: '1.0',
      params: {},
      sys: { ack: 0 },
      method: 'thing.topo.get',
    });
  });

  it('empty method -> the bare upload envelope {"id","params"}', () => {
    expect(request('7', '', { uploadId: 'u', offset: 0, bSize: 5, isComplete: true })).toBe(
      '{"id":"7","params":{"uploadId":"u","offset":0,"bSize":5,"isComplete":true}}',
    );
  });

  it('Chinese in params -> raw UTF-8 bytes on the wire', () => {
    const t = request('3', 'thing.event.property.post', { name: bytes('风扇') });
    expect(JSON.parse(Buffer.from(t, 'latin1').toString('utf8')).params.name).toBe('风扇');
  });
});

describe('reply', () => {
  it('-> {"id","code","data"} as LinkSDK sends it', () => {
    expect(reply('123', 200, { out: 1 })).toBe('{"id":"123","code":200,"data":{"out":1}}');
    expect(reply('123', 460)).toBe('{"id":"123","code":460,"data":{}}');
    expect(reply('9', 200, '{"x":2}')).toBe('{"id":"9","code":200,"data":{"x":2}}');
  });
});

describe('parseMsg', () => {
  it('cloud reply -> id string, code number, data and message kept', () => {
    const m = parseMsg('{"code":200,"data":{},"id":"123","message":"success","method":"thing.event.property.post","version":"1.0"}')!;
    expect(m.id).toBe('123');
    expect(m.code).toBe(200);
    expect(m.data).toEqual({});
    expect(m.message).toBe('success');
    expect(m.method).toBe('thing.event.property.post');
  });

  it('numeric id (OTA style) and string code -> normalised', () => {
    const m = parseMsg('{"id":123,"code":"1000","data":{"size":1}}')!;
    expect(m.id).toBe('123');
    expect(m.code).toBe(1000);
  });

  it('request from the cloud -> params and method; Chinese escapes -> UTF-8 bytes', () => {
    const m = parseMsg('{"id":"55","version":"1.0","params":{"label":"\\u5ba2\\u5385"},"method":"thing.service.property.set"}')!;
    expect(m.id).toBe('55');
    expect(m.code).toBeUndefined();
    expect(m.params.label).toBe(bytes('客厅'));
    expect(m.method).toBe('thing.service.property.set');
  });

  it('not a JSON object -> undefined', () => {
    for (const t of ['', 'x', '[1]', '3', 'null', '"s"', '{"id":']) expect(parseMsg(t)).toBeUndefined();
  });
});
