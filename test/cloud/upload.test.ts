/** File upload over MQTT (alink-protocol.md §5) against the emulator over real sockets: the
 *  §5.5 byte vector, every limit and result code 78117–78126, conflict strategies, resume,
 *  cancel, garbage frames, storage in memory and in the data folder, and agreement with the
 *  device module's own framing (src/features/upload.ts). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { start, type RunningCloud } from '../../sim/cloud/index';
import { crc16Arc, crc64XzHex } from '../../sim/cloud/crc';
import { createUpload } from '../../src/features/upload';
import { request as deviceRequest } from '../../src/alink/message';
import { PK, end, login, nextMessage, subscribe, testRegistry } from './helpers';

const { frame: deviceFrame, crc16: deviceCrc16 } = createUpload();

const BASE = `/sys/${PK}/dev001/thing/file/upload/mqtt/`;
const KB = 1024;

let nextId = 100;
function newId(): string {
  return String(++nextId);
}

/** One send frame built here (independently of the device module). */
function frameOf(id: string, params: { uploadId: string; offset: number; bSize?: number; isComplete?: boolean }, block: Buffer, crc = crc16Arc(block)): Buffer {
  const header = Buffer.from(JSON.stringify({ id, params: { uploadId: params.uploadId, offset: params.offset, bSize: params.bSize ?? block.length, isComplete: params.isComplete ?? false } }));
  const head = Buffer.alloc(2);
  head.writeUInt16BE(header.length);
  const tail = Buffer.alloc(2);
  tail.writeUInt16LE(crc);
  return Buffer.concat([head, header, block, tail]);
}

function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

/** Publishes on `<base><op>` and resolves with the `_reply` carrying `id`. */
async function ask(c: MqttClient, op: string, payload: Buffer | string, id: string, base = BASE): Promise<any> {
  const replyTopic = base + op + '_reply';
  const reply = new Promise<any>((resolve) => {
    const on = (topic: string, p: Buffer) => {
      if (topic !== replyTopic) return;
      const j = JSON.parse(p.toString());
      if (j.id !== id) return;
      c.off('message', on);
      resolve(j);
    };
    c.on('message', on);
  });
  await c.publishAsync(base + op, payload, { qos: 1 });
  return reply;
}

async function init(c: MqttClient, params: Record<string, unknown>, base = BASE): Promise<any> {
  const id = newId();
  return ask(c, 'init', JSON.stringify({ id, params }), id, base);
}

async function send(c: MqttClient, params: { uploadId: string; offset: number; bSize?: number; isComplete?: boolean }, block: Buffer, crc?: number, base = BASE): Promise<any> {
  const id = newId();
  return ask(c, 'send', frameOf(id, params, block, crc), id, base);
}

async function cancel(c: MqttClient, uploadId: string): Promise<any> {
  const id = newId();
  return ask(c, 'cancel', JSON.stringify({ id, params: { uploadId } }), id);
}

async function subscribeReplies(c: MqttClient, base = BASE): Promise<void> {
  for (const op of ['init', 'send', 'cancel']) await subscribe(c, base + op + '_reply', 1);
}

/** Uploads `data` in blocks of `block` bytes; returns the replies. */
async function uploadAll(c: MqttClient, uploadId: string, data: Buffer, block: number, from = 0): Promise<any[]> {
  const replies = [];
  for (let off = from; off < data.length || (data.length === 0 && off === 0); off += block) {
    const b = data.subarray(off, off + block);
    replies.push(await send(c, { uploadId, offset: off }, b));
    if (data.length === 0) break;
  }
  return replies;
}

describe('file upload over MQTT', () => {
  let cloud: RunningCloud;
  let c: MqttClient;

  beforeAll(async () => {
    cloud = await start({ registry: testRegistry() });
    c = await login(cloud, { dn: 'dev001' });
    await subscribeReplies(c);
  });
  afterAll(async () => {
    await end(c);
    await cloud.stop();
  });

  describe('§5.5 byte-level vector', () => {
    const VECTOR = '00647b226964223a2237222c22706172616d73223a7b2275706c6f6164496422' +
      '3a227849664a47526757736476386e5644304d58716d303130323030222c226f' +
      '6666736574223a302c226253697a6522' + '3a352c226973436f6d706c657465223a' + '747275657d7d68656c6c6fd234';
    const HEADER = '{"id":"7","params":{"uploadId":"xIfJGRgWsdv8nVD0MXqm010200","offset":0,"bSize":5,"isComplete":true}}';

    it('CRC-16/ARC check values (123456789 → 0xBB3D, hello → 0x34D2) agree with the device module', () => {
      expect(crc16Arc(Buffer.from('123456789'))).toBe(0xbb3d);
      expect(crc16Arc(Buffer.from('hello'))).toBe(0x34d2);
      expect(deviceCrc16('123456789')).toBe(0xbb3d);
      expect(crc64XzHex(Buffer.from('123456789'))).toBe('995dc9bbdf1939fa');
    });

    it('the device module frames the vector byte for byte', () => {
      expect(Buffer.from(deviceFrame(HEADER, 'hello'), 'latin1').toString('hex')).toBe(VECTOR);
    });

    it('the emulator decodes the vector: id, uploadId, offset and bSize come back (task unknown → 78122)', async () => {
      const r = await ask(c, 'send', Buffer.from(VECTOR, 'hex'), '7');
      expect(r).toMatchObject({ id: '7', code: 78122, data: { uploadId: 'xIfJGRgWsdv8nVD0MXqm010200', offset: 0, bSize: 5 } });
    });

    it('the vector with a server-issued uploadId of the same length completes the file "hello"', async () => {
      const i = await init(c, { fileName: 'hello.txt', fileSize: 5, conflictStrategy: 'overwrite', initUid: '1' });
      expect(i).toMatchObject({ code: 200, data: { fileName: 'hello.txt', offset: 0, fileSize: 5 } });
      const uploadId: string = i.data.uploadId;
      expect(uploadId).toHaveLength(26);
      const frame = Buffer.from(VECTOR, 'hex');
      frame.write(uploadId, frame.indexOf('xIfJGRgWsdv8nVD0MXqm010200'), 'latin1');
      const r = await ask(c, 'send', frame, '7');
      expect(r).toMatchObject({ id: '7', code: 200, data: { uploadId, offset: 0, bSize: 5, complete: true } });
      expect(cloud.api.readFile(PK, 'dev001', 'hello.txt')?.toString()).toBe('hello');
    });
  });

  it('the device module\'s init envelope and 2 KB frames upload a file intact (QoS 1)', async () => {
    const data = bytes(5000, 3);
    const initId = newId();
    const init = await ask(c, 'init', deviceRequest(initId, '', { fileName: 'dev_log.bin', fileSize: data.length, conflictStrategy: 'overwrite', initUid: '42' }), initId);
    expect(init).toMatchObject({ id: initId, code: 200, data: { fileName: 'dev_log.bin', offset: 0, fileSize: 5000 } });
    const uploadId = init.data.uploadId;
    const codes: number[] = [];
    let complete = false;
    for (let off = 0; off < data.length; off += 2048) {
      const b = data.subarray(off, off + 2048);
      const id = newId();
      const last = off + b.length >= data.length;
      const header = deviceRequest(id, '', JSON.stringify({ uploadId, offset: off, bSize: b.length, isComplete: last }));
      const r = await ask(c, 'send', Buffer.from(deviceFrame(header, b.toString('latin1')), 'latin1'), id);
      codes.push(r.code);
      expect(r.data).toMatchObject({ uploadId, offset: off, bSize: b.length });
      complete = r.data.complete === true;
    }
    expect(codes).toEqual([200, 200, 200]);
    expect(complete).toBe(true);
    expect(cloud.api.readFile(PK, 'dev001', 'dev_log.bin')).toEqual(data);
    expect(cloud.api.files(PK, 'dev001')).toContainEqual({ fileName: 'dev_log.bin', size: 5000 });
  });

  it('only the last block carries complete; replies echo uploadId/offset/bSize', async () => {
    const data = bytes(600);
    const i = await init(c, { fileName: 'three.bin', fileSize: 600 });
    const rs = await uploadAll(c, i.data.uploadId, data, 256);
    expect(rs.map((r) => r.code)).toEqual([200, 200, 200]);
    expect(rs.map((r) => 'complete' in r.data)).toEqual([false, false, true]);
    expect(rs[2].data).toEqual({ uploadId: i.data.uploadId, offset: 512, bSize: 88, complete: true });
  });

  describe('limits', () => {
    it('fileSize above 16 MB → 78117; exactly 16 MB is accepted', async () => {
      expect(await init(c, { fileName: 'big.bin', fileSize: 16 * KB * KB + 1 })).toMatchObject({ code: 78117, data: { fileName: 'big.bin' } });
      const ok = await init(c, { fileName: 'big.bin', fileSize: 16 * KB * KB });
      expect(ok.code).toBe(200);
      expect((await cancel(c, ok.data.uploadId)).code).toBe(200);
    });

    it('a block above 128 KB → 78118; exactly 128 KB is accepted', async () => {
      const i = await init(c, { fileName: 'blocks.bin', fileSize: 300 * KB });
      const u = i.data.uploadId;
      expect((await send(c, { uploadId: u, offset: 0 }, bytes(128 * KB + 1))).code).toBe(78118);
      expect((await send(c, { uploadId: u, offset: 0 }, bytes(128 * KB))).code).toBe(200);
      expect(cloud.api.uploadsInProgress(PK, 'dev001')).toContainEqual({ uploadId: u, fileName: 'blocks.bin', fileSize: 300 * KB, offset: 128 * KB });
    });

    it('a non-final block below 256 B → 78120; 256 B is accepted; a short final block is fine', async () => {
      const i = await init(c, { fileName: 'small.bin', fileSize: 300 });
      const u = i.data.uploadId;
      const data = bytes(300);
      expect((await send(c, { uploadId: u, offset: 0 }, data.subarray(0, 255))).code).toBe(78120);
      expect((await send(c, { uploadId: u, offset: 0 }, data.subarray(0, 256))).code).toBe(200);
      expect(await send(c, { uploadId: u, offset: 256 }, data.subarray(256))).toMatchObject({ code: 200, data: { complete: true } });
      expect(cloud.api.readFile(PK, 'dev001', 'small.bin')).toEqual(data);
    });

    it('offset other than the bytes stored → 78119', async () => {
      const i = await init(c, { fileName: 'gap.bin', fileSize: 1024 });
      const u = i.data.uploadId;
      expect((await send(c, { uploadId: u, offset: 256 }, bytes(256)))).toMatchObject({ code: 78119, data: { uploadId: u, offset: 256, bSize: 256 } });
      expect((await send(c, { uploadId: u, offset: 0 }, bytes(256))).code).toBe(200);
      // overlapping the stored bytes with different content is not a duplicate
      expect((await send(c, { uploadId: u, offset: 0 }, bytes(256, 9))).code).toBe(78119);
    });

    it('wrong CRC → 78121 and nothing is stored; the same block with the right CRC then goes in', async () => {
      const data = bytes(400);
      const i = await init(c, { fileName: 'crc.bin', fileSize: 400 });
      const u = i.data.uploadId;
      expect((await send(c, { uploadId: u, offset: 0 }, data, crc16Arc(data) ^ 1)).code).toBe(78121);
      // the CRC is little-endian: the big-endian spelling of the right value is wrong too
      const crc = crc16Arc(data);
      expect((await send(c, { uploadId: u, offset: 0 }, data, ((crc & 0xff) << 8) | (crc >> 8))).code).toBe(78121);
      expect((await send(c, { uploadId: u, offset: 0 }, data))).toMatchObject({ code: 200, data: { complete: true } });
      expect(cloud.api.readFile(PK, 'dev001', 'crc.bin')).toEqual(data);
    });

    it('unknown uploadId → 78122, also for another device\'s uploadId', async () => {
      expect((await send(c, { uploadId: 'nope', offset: 0 }, bytes(10))).code).toBe(78122);
      const other = await login(cloud, { dn: 'dev002' });
      const base = `/sys/${PK}/dev002/thing/file/upload/mqtt/`;
      await subscribeReplies(other, base);
      const i = await init(c, { fileName: 'mine.bin', fileSize: 10 });
      expect((await send(other, { uploadId: i.data.uploadId, offset: 0 }, bytes(10), undefined, base)).code).toBe(78122);
      await end(other);
    });

    it('send after the end → 78124; the last block resent (lost reply) → 78126 with complete', async () => {
      const data = bytes(512);
      const i = await init(c, { fileName: 'done.bin', fileSize: 512 });
      const u = i.data.uploadId;
      expect((await send(c, { uploadId: u, offset: 0 }, data.subarray(0, 256))).code).toBe(200);
      expect((await send(c, { uploadId: u, offset: 256 }, data.subarray(256))).data.complete).toBe(true);
      expect(await send(c, { uploadId: u, offset: 256 }, data.subarray(256))).toMatchObject({ code: 78126, data: { uploadId: u, offset: 256, bSize: 256, complete: true } });
      expect((await send(c, { uploadId: u, offset: 512 }, bytes(10))).code).toBe(78124);
      expect((await send(c, { uploadId: u, offset: 0 }, data.subarray(0, 256))).code).toBe(78124);
    });

    it('a block already stored (same bytes) → 78126 and the upload continues', async () => {
      const data = bytes(1024, 5);
      const i = await init(c, { fileName: 'dup.bin', fileSize: 1024 });
      const u = i.data.uploadId;
      expect((await send(c, { uploadId: u, offset: 0 }, data.subarray(0, 512))).code).toBe(200);
      expect((await send(c, { uploadId: u, offset: 0 }, data.subarray(0, 512))).code).toBe(78126);
      expect((await send(c, { uploadId: u, offset: 256 }, data.subarray(256, 512))).code).toBe(78126);
      expect((await send(c, { uploadId: u, offset: 512 }, data.subarray(512))).data.complete).toBe(true);
      expect(cloud.api.readFile(PK, 'dev001', 'dup.bin')).toEqual(data);
    });

    it('fileSize -1: blocks until isComplete:true; then a ficMode with unknown size is refused (460)', async () => {
      const data = bytes(700);
      const i = await init(c, { fileName: 'stream.bin', fileSize: -1 });
      expect(i).toMatchObject({ code: 200, data: { fileSize: -1 } });
      const u = i.data.uploadId;
      expect((await send(c, { uploadId: u, offset: 0 }, data.subarray(0, 600))).data.complete).toBeUndefined();
      expect((await send(c, { uploadId: u, offset: 600 }, data.subarray(600), undefined)).code).toBe(78120);
      expect((await send(c, { uploadId: u, offset: 600, isComplete: true }, data.subarray(600))).data.complete).toBe(true);
      expect(cloud.api.readFile(PK, 'dev001', 'stream.bin')).toEqual(data);
      expect((await init(c, { fileName: 'stream2.bin', fileSize: -1, ficMode: 'crc64', ficValue: '0000000000000000' })).code).toBe(460);
    });

    it('a block past fileSize, or isComplete before fileSize is reached → 460', async () => {
      const i = await init(c, { fileName: 'over.bin', fileSize: 300 });
      const u = i.data.uploadId;
      expect((await send(c, { uploadId: u, offset: 0 }, bytes(301))).code).toBe(460);
      expect((await send(c, { uploadId: u, offset: 0, isComplete: true }, bytes(256))).code).toBe(460);
    });

    it('ficMode crc64: the right CRC-64 completes, a wrong one → 78125 and no file', async () => {
      const data = bytes(300, 4);
      const good = await init(c, { fileName: 'fic.bin', fileSize: 300, ficMode: 'crc64', ficValue: crc64XzHex(data).toUpperCase() });
      expect((await send(c, { uploadId: good.data.uploadId, offset: 0 }, data)).data.complete).toBe(true);
      const bad = await init(c, { fileName: 'fic2.bin', fileSize: 300, ficMode: 'crc64', ficValue: '0123456789abcdef' });
      expect((await send(c, { uploadId: bad.data.uploadId, offset: 0 }, data)).code).toBe(78125);
      expect(cloud.api.readFile(PK, 'dev001', 'fic2.bin')).toBeUndefined();
      expect(cloud.api.readFile(PK, 'dev001', 'fic.bin')).toEqual(data);
    });
  });

  describe('conflict strategies and resume', () => {
    async function finished(name: string, data: Buffer): Promise<void> {
      const i = await init(c, { fileName: name, fileSize: data.length, conflictStrategy: 'overwrite' });
      const rs = await uploadAll(c, i.data.uploadId, data, 256);
      expect(rs[rs.length - 1].data.complete).toBe(true);
    }

    it('reject: same name finished → 78123; unfinished → 78123; new name → 200', async () => {
      await finished('r1.bin', bytes(10));
      expect(await init(c, { fileName: 'r1.bin', fileSize: 10, conflictStrategy: 'reject' })).toMatchObject({ code: 78123, data: { fileName: 'r1.bin' } });
      const p = await init(c, { fileName: 'r2.bin', fileSize: 1000, conflictStrategy: 'reject' });
      expect(p.code).toBe(200);
      expect((await init(c, { fileName: 'r2.bin', fileSize: 1000, conflictStrategy: 'reject' })).code).toBe(78123);
    });

    it('append on a finished file → 78123', async () => {
      await finished('a1.bin', bytes(20));
      expect((await init(c, { fileName: 'a1.bin', fileSize: 20, conflictStrategy: 'append' })).code).toBe(78123);
    });

    it('append resumes an unfinished upload: same uploadId, offset = bytes stored', async () => {
      const data = bytes(1000, 8);
      const first = await init(c, { fileName: 'resume.bin', fileSize: 1000, conflictStrategy: 'append' });
      expect(first.data.offset).toBe(0);
      expect((await send(c, { uploadId: first.data.uploadId, offset: 0 }, data.subarray(0, 512))).code).toBe(200);
      // (the device reconnects, or restarts and asks again)
      const again = await init(c, { fileName: 'resume.bin', fileSize: 1000, conflictStrategy: 'append' });
      expect(again).toMatchObject({ code: 200, data: { fileName: 'resume.bin', uploadId: first.data.uploadId, offset: 512, fileSize: 1000 } });
      expect((await init(c, { fileName: 'resume.bin', fileSize: 999, conflictStrategy: 'append' })).code).toBe(460);
      const rs = await uploadAll(c, again.data.uploadId, data, 256, again.data.offset);
      expect(rs[rs.length - 1].data.complete).toBe(true);
      expect(cloud.api.readFile(PK, 'dev001', 'resume.bin')).toEqual(data);
    });

    it('overwrite replaces a finished file and abandons an unfinished upload of the same name', async () => {
      await finished('o.bin', bytes(10, 1));
      const pending = await init(c, { fileName: 'o.bin', fileSize: 600 });
      expect((await send(c, { uploadId: pending.data.uploadId, offset: 0 }, bytes(256))).code).toBe(200);
      // overwrite deleted the old file at init
      expect(cloud.api.readFile(PK, 'dev001', 'o.bin')).toBeUndefined();
      const fresh = await init(c, { fileName: 'o.bin', fileSize: 10 });
      expect(fresh.data.uploadId).not.toBe(pending.data.uploadId);
      expect((await send(c, { uploadId: pending.data.uploadId, offset: 256 }, bytes(256))).code).toBe(78122);
      await uploadAll(c, fresh.data.uploadId, bytes(10, 2), 256);
      expect(cloud.api.readFile(PK, 'dev001', 'o.bin')).toEqual(bytes(10, 2));
    });

    it('cancel: unfinished → 200 and the uploadId is gone (78122); unknown → 78122; finished → 78124', async () => {
      const i = await init(c, { fileName: 'cancel.bin', fileSize: 600 });
      expect(await cancel(c, i.data.uploadId)).toMatchObject({ code: 200, data: { uploadId: i.data.uploadId } });
      expect((await send(c, { uploadId: i.data.uploadId, offset: 0 }, bytes(256))).code).toBe(78122);
      expect((await cancel(c, i.data.uploadId)).code).toBe(78122);
      const done = await init(c, { fileName: 'cancel2.bin', fileSize: 5 });
      await send(c, { uploadId: done.data.uploadId, offset: 0 }, bytes(5));
      expect((await cancel(c, done.data.uploadId)).code).toBe(78124);
      expect(cloud.api.files(PK, 'dev001').map((f) => f.fileName)).not.toContain('cancel.bin');
    });

    it('an empty file (fileSize 0, one empty final block) is stored', async () => {
      const i = await init(c, { fileName: 'empty.txt', fileSize: 0 });
      expect((await send(c, { uploadId: i.data.uploadId, offset: 0 }, Buffer.alloc(0))).data.complete).toBe(true);
      expect(cloud.api.readFile(PK, 'dev001', 'empty.txt')).toEqual(Buffer.alloc(0));
    });
  });

  describe('bad input never wedges the emulator', () => {
    it.each([
      ['not JSON', 400, 'this is not json'],
      ['no params', 460, '{"id":"1"}'],
      ['params not an object', 460, '{"id":"1","params":[1]}'],
      ['bad fileName (slash)', 460, '{"id":"1","params":{"fileName":"../x","fileSize":1}}'],
      ['bad fileName (leading underscore)', 460, '{"id":"1","params":{"fileName":"_x","fileSize":1}}'],
      ['fileName > 100 bytes', 460, JSON.stringify({ id: '1', params: { fileName: 'a'.repeat(101), fileSize: 1 } })],
      ['fileSize a string', 460, '{"id":"1","params":{"fileName":"x","fileSize":"12"}}'],
      ['fileSize -2', 460, '{"id":"1","params":{"fileName":"x","fileSize":-2}}'],
      ['unknown conflictStrategy', 460, '{"id":"1","params":{"fileName":"x","fileSize":1,"conflictStrategy":"merge"}}'],
      ['ficMode md5', 460, '{"id":"1","params":{"fileName":"x","fileSize":1,"ficMode":"md5","ficValue":"0123456789abcdef"}}'],
    ])('init with %s → %d', async (_what, code, body) => {
      const replyTopic = BASE + 'init_reply';
      const reply = nextMessage(c, (t) => t === replyTopic);
      await c.publishAsync(BASE + 'init', body, { qos: 1 });
      expect((await reply).json().code).toBe(code);
    });

    function rawFrame(headerLength: number, rest: Buffer): Buffer {
      const h = Buffer.alloc(2);
      h.writeUInt16BE(headerLength);
      return Buffer.concat([h, rest]);
    }

    it.each([
      ['an empty payload', 400, Buffer.alloc(0)],
      ['one byte', 400, Buffer.from([0x00])],
      ['a header length past the end', 400, rawFrame(0xffff, Buffer.from('{"id":"1"}xx'))],
      ['a header that is not JSON', 400, rawFrame(5, Buffer.from('{{{{{abcd'))],
      ['a header that is a JSON array', 400, rawFrame(2, Buffer.from('[]ab'))],
      ['a header without params', 460, rawFrame(10, Buffer.from('{"id":"1"}ab'))],
      ['bSize not matching the block', 460, frameOf('1', { uploadId: 'x', offset: 0, bSize: 9 }, bytes(10))],
      ['a negative offset', 460, frameOf('1', { uploadId: 'x', offset: -1 }, bytes(10))],
      ['random garbage', 400, bytes(3000, 77)],
    ])('send with %s → %d', async (_what, code, payload) => {
      const reply = nextMessage(c, (t) => t === BASE + 'send_reply');
      await c.publishAsync(BASE + 'send', payload, { qos: 1 });
      expect((await reply).json().code).toBe(code);
    });

    it('a 64 KB garbage header is refused and the connection keeps working', async () => {
      const big = rawFrame(0xfff0, Buffer.concat([Buffer.alloc(0xfff0, 0x7b), Buffer.alloc(4)]));
      const reply = nextMessage(c, (t) => t === BASE + 'send_reply');
      await c.publishAsync(BASE + 'send', big, { qos: 1 });
      expect((await reply).json().code).toBe(400);
      expect((await init(c, { fileName: 'after.bin', fileSize: 1 })).code).toBe(200);
    });

    it('refusals are in the message log with their code', () => {
      const refused = cloud.api.messages({ where: (e) => e.topic === BASE + 'send' && e.code === 78121 });
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0].verdict).toBe('rejected');
    });
  });
});

describe('file upload with a data folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-upload-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('files land under <dataDir>/files/<pk>/<dn>/ and are listed again after a restart', async () => {
    const registryPath = join(dir, 'registry.json');
    // seed the data folder with the test registry
    const { writeFileSync } = await import('node:fs');
    writeFileSync(registryPath, JSON.stringify(testRegistry()));
    let cloud = await start({ dataDir: dir });
    const c = await login(cloud, { dn: 'dev003' });
    const base = `/sys/${PK}/dev003/thing/file/upload/mqtt/`;
    await subscribeReplies(c, base);
    const data = bytes(3000, 6);
    const i = await init(c, { fileName: 'disk.bin', fileSize: data.length }, base);
    let off = 0;
    for (; off < data.length; off += 1024) await send(c, { uploadId: i.data.uploadId, offset: off }, data.subarray(off, off + 1024), undefined, base);
    expect(readFileSync(join(dir, 'files', PK, 'dev003', 'disk.bin'))).toEqual(data);
    // an unfinished upload is not a file
    const p = await init(c, { fileName: 'half.bin', fileSize: 1000 }, base);
    await send(c, { uploadId: p.data.uploadId, offset: 0 }, bytes(300), undefined, base);
    expect(cloud.api.files(PK, 'dev003')).toEqual([{ fileName: 'disk.bin', size: 3000 }]);
    await end(c);
    await cloud.stop();
    cloud = await start({ dataDir: dir });
    expect(cloud.api.files(PK, 'dev003')).toEqual([{ fileName: 'disk.bin', size: 3000 }]);
    expect(cloud.api.readFile(PK, 'dev003', 'disk.bin')).toEqual(data);
    await cloud.stop();
  });
});
