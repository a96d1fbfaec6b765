/** File upload over MQTT (alink-protocol.md §5): `/sys/:pk/:dn/thing/file/upload/mqtt/:op`
 *  with op init | send | cancel, each answered on `<topic>_reply` with the request's id.
 *
 *  init   {"id","params":{fileName, fileSize (-1 = unknown), conflictStrategy, initUid, ficMode?, ficValue?}}
 *         → data {fileName, uploadId, offset, fileSize}
 *  send   binary frame: [header length u16 BE][header JSON {"id","params":{uploadId, offset,
 *         bSize, isComplete}}][block][CRC-16/ARC of the block, u16 LE]
 *         → data {uploadId, offset, bSize, complete (last block only)}
 *  cancel {"id","params":{uploadId}} → data {uploadId}
 *
 *  A block at an offset already stored with the same bytes gets 78126, so a client that resends
 *  after a lost reply learns the block is in and continues (the device module counts 78126 as
 *  delivered). Unfinished uploads are kept in memory (the platform keeps them 24 h; the
 *  emulator until it stops); finished files go to the FileStore. */
import { createHash, randomBytes } from 'node:crypto';
import { Code, messageOf } from '../codes';
import { parseRequest } from '../alink';
import type { CloudCore } from '../core';
import { crc16Arc, crc64XzHex } from '../crc';
import { FileStore, type StoredFile } from '../file-store';
import { isVerdict, type Uplink, type Verdict } from '../uplink';
import { isObject } from '../is-object';

export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MIN_BLOCK_BYTES = 256;
export const MAX_BLOCK_BYTES = 128 * 1024;
/** Finished tasks remembered to answer late resends (78126) and sends after the end (78124). */
const FINISHED_TASKS_KEPT = 1000;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.]*$/;

type Strategy = 'overwrite' | 'append' | 'reject';

interface UploadTask {
  uploadId: string;
  productKey: string;
  deviceName: string;
  fileName: string;
  /** -1: unknown, the block with isComplete:true ends the file. */
  fileSize: number;
  /** Bytes stored so far = the offset the next block must carry. */
  stored: number;
  finished: boolean;
  /** Expected CRC-64 (lowercase hex) when init gave ficMode crc64. */
  ficValue?: string;
  /** The last accepted block, to recognise its resend once the task is finished. */
  last?: { offset: number; bSize: number; sha1: string };
}

export interface UploadView {
  uploadId: string;
  fileName: string;
  fileSize: number;
  offset: number;
}

/** Upload tasks and files of one emulator. */
export class Uploads {
  readonly store: FileStore;
  private readonly byId = new Map<string, UploadTask>();
  /** Unfinished task by `pk/dn/fileName` (what `append` resumes). */
  private readonly pendingByName = new Map<string, UploadTask>();
  private readonly finishedOrder: string[] = [];

  constructor(dataDir?: string) {
    this.store = new FileStore(dataDir);
  }

  files(pk: string, dn: string): StoredFile[] {
    return this.store.list(pk, dn);
  }

  readFile(pk: string, dn: string, fileName: string): Buffer | undefined {
    return this.store.read(pk, dn, fileName);
  }

  /** Unfinished uploads of a device. */
  inProgress(pk: string, dn: string): UploadView[] {
    const out: UploadView[] = [];
    for (const t of this.pendingByName.values()) {
      if (t.productKey === pk && t.deviceName === dn) out.push({ uploadId: t.uploadId, fileName: t.fileName, fileSize: t.fileSize, offset: t.stored });
    }
    return out;
  }

  task(uploadId: string): UploadTask | undefined {
    return this.byId.get(uploadId);
  }

  pendingFor(pk: string, dn: string, fileName: string): UploadTask | undefined {
    return this.pendingByName.get(nameKey(pk, dn, fileName));
  }

  create(pk: string, dn: string, fileName: string, fileSize: number, ficValue?: string): UploadTask {
    const t: UploadTask = { uploadId: newUploadId(), productKey: pk, deviceName: dn, fileName, fileSize, stored: 0, finished: false, ficValue };
    this.store.openPart(t.uploadId);
    this.byId.set(t.uploadId, t);
    this.pendingByName.set(nameKey(pk, dn, fileName), t);
    return t;
  }

  /** Forgets an unfinished task and its bytes. */
  discard(t: UploadTask): void {
    this.store.dropPart(t.uploadId);
    this.byId.delete(t.uploadId);
    if (this.pendingByName.get(nameKey(t.productKey, t.deviceName, t.fileName)) === t) this.pendingByName.delete(nameKey(t.productKey, t.deviceName, t.fileName));
  }

  append(t: UploadTask, offset: number, block: Buffer): void {
    this.store.appendPart(t.uploadId, block);
    t.stored += block.length;
    t.last = { offset, bSize: block.length, sha1: sha1(block) };
  }

  /** Whether `block` at `offset` equals bytes the task already holds. */
  holds(t: UploadTask, offset: number, block: Buffer): boolean {
    if (t.finished) return !!t.last && t.last.offset === offset && t.last.bSize === block.length && t.last.sha1 === sha1(block);
    if (offset + block.length > t.stored) return false;
    return this.store.readPart(t.uploadId, offset, block.length).equals(block);
  }

  /** Moves the finished bytes to the device's files; false when the CRC-64 check fails
   *  (the task is then discarded). */
  finish(t: UploadTask): boolean {
    if (t.ficValue !== undefined && crc64XzHex(this.store.wholePart(t.uploadId)) !== t.ficValue) {
      this.discard(t);
      return false;
    }
    this.store.publishPart(t.uploadId, t.productKey, t.deviceName, t.fileName);
    t.finished = true;
    this.pendingByName.delete(nameKey(t.productKey, t.deviceName, t.fileName));
    this.finishedOrder.push(t.uploadId);
    if (this.finishedOrder.length > FINISHED_TASKS_KEPT) this.byId.delete(this.finishedOrder.shift()!);
    return true;
  }
}

function nameKey(pk: string, dn: string, fileName: string): string {
  return pk + '/' + dn + '/' + fileName;
}

function sha1(b: Buffer): string {
  return createHash('sha1').update(b).digest('hex');
}

/** Server-issued id, 26 letters/digits like the platform's (≤ 64 chars in LSDK's buffer). */
function newUploadId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (const b of randomBytes(26)) s += alphabet[b % alphabet.length];
  return s;
}

const services = new WeakMap<CloudCore, Uploads>();

export function uploadsOf(core: CloudCore): Uploads {
  let u = services.get(core);
  if (!u) services.set(core, (u = new Uploads(core.options.dataDir)));
  return u;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function reply(up: Uplink, id: string, code: number, data: unknown, message?: string): Verdict {
  return up.core.replyAlink(up, { id }, code, data, message ?? messageOf(code));
}

/** init/cancel bodies: not JSON → 400 (LSDK "payload not parseable"), no id/params → 460. */
function readBody(up: Uplink): { id: string; params: unknown } | Verdict {
  const r = parseRequest(up.payload);
  if (r.ok) return { id: r.req.id, params: r.req.params };
  return reply(up, r.id, r.code === Code.NotJson ? Code.UploadNotParseable : r.code, {}, r.code === Code.NotJson ? 'payload is not parseable' : r.message);
}

export function uploadInit(up: Uplink): Verdict {
  const body = readBody(up);
  if (isVerdict(body)) return body;
  const { id, params: p } = body;
  const bad = (message: string) => reply(up, id, Code.BadParams, {}, message);
  if (!isObject(p)) return bad('params must be an object');
  const { fileName, fileSize, ficMode, ficValue } = p;
  if (typeof fileName !== 'string' || !FILE_NAME.test(fileName) || Buffer.byteLength(fileName) > 100) return bad('fileName must be letters, digits, "_" or ".", start with a letter or digit, ≤ 100 bytes');
  const echo = { fileName };
  if (typeof fileSize !== 'number' || !Number.isInteger(fileSize) || fileSize < -1) return reply(up, id, Code.BadParams, echo, 'fileSize must be an integer ≥ 0, or -1 when unknown');
  if (fileSize > MAX_FILE_BYTES) return reply(up, id, Code.UploadFileTooLarge, echo);
  const strategy = (p.conflictStrategy ?? 'overwrite') as Strategy;
  if (strategy !== 'overwrite' && strategy !== 'append' && strategy !== 'reject') return reply(up, id, Code.BadParams, echo, 'conflictStrategy must be overwrite, append or reject');
  let fic: string | undefined;
  if (ficMode !== undefined || ficValue !== undefined) {
    if (ficMode !== 'crc64' || typeof ficValue !== 'string' || !/^[0-9a-fA-F]{16}$/.test(ficValue)) return reply(up, id, Code.BadParams, echo, 'ficMode must be crc64 with a 16-hex-digit ficValue');
    if (fileSize < 0) return reply(up, id, Code.BadParams, echo, 'ficMode needs a known fileSize');
    fic = ficValue.toLowerCase();
  }
  const uploads = uploadsOf(up.core);
  const { productKey: pk, deviceName: dn } = up;
  const pending = uploads.pendingFor(pk, dn, fileName);
  const exists = uploads.store.exists(pk, dn, fileName);
  if (strategy === 'reject' && (pending || exists)) return reply(up, id, Code.UploadNameConflict, echo);
  if (strategy === 'append') {
    if (pending) {
      if (pending.fileSize !== fileSize) return reply(up, id, Code.BadParams, echo, 'fileSize differs from the unfinished upload of this file');
      return reply(up, id, Code.Ok, { fileName, uploadId: pending.uploadId, offset: pending.stored, fileSize });
    }
    if (exists) return reply(up, id, Code.UploadNameConflict, echo, 'a finished file with the same name exists');
  }
  if (strategy === 'overwrite') {
    if (pending) uploads.discard(pending);
    if (exists) uploads.store.remove(pk, dn, fileName);
  }
  const t = uploads.create(pk, dn, fileName, fileSize, fic);
  return reply(up, id, Code.Ok, { fileName, uploadId: t.uploadId, offset: 0, fileSize });
}

interface SendFrame {
  id: string;
  uploadId: string;
  offset: number;
  bSize: number;
  isComplete: boolean;
  block: Buffer;
  crc: number;
}

/** Splits a send frame; a result with `code` is the refusal. */
export function parseFrame(payload: Buffer): SendFrame | { code: number; message: string; id: string; data?: unknown } {
  const unparseable = (message: string, id = '') => ({ code: Code.UploadNotParseable, message, id });
  if (payload.length < 4) return unparseable('frame shorter than its length and CRC fields');
  const headerLength = payload.readUInt16BE(0);
  if (2 + headerLength + 2 > payload.length) return unparseable('header length ' + headerLength + ' runs past the frame');
  let header: unknown;
  try {
    header = JSON.parse(payload.subarray(2, 2 + headerLength).toString('utf8'));
  } catch {
    return unparseable('header is not JSON');
  }
  if (!isObject(header)) return unparseable('header is not a JSON object');
  const id = typeof header.id === 'string' ? header.id : typeof header.id === 'number' ? String(header.id) : undefined;
  if (id === undefined) return { code: Code.BadParams, message: 'id is missing', id: '' };
  const p = header.params;
  if (!isObject(p) || typeof p.uploadId !== 'string' || !isCount(p.offset) || !isCount(p.bSize) || (p.isComplete !== undefined && typeof p.isComplete !== 'boolean')) {
    return { code: Code.BadParams, message: 'params need uploadId, offset, bSize (integers ≥ 0) and an optional boolean isComplete', id };
  }
  const block = payload.subarray(2 + headerLength, payload.length - 2);
  if (block.length !== p.bSize) {
    return { code: Code.BadParams, message: 'bSize ' + p.bSize + ' but the block holds ' + block.length + ' bytes', id, data: { uploadId: p.uploadId, offset: p.offset, bSize: p.bSize } };
  }
  return { id, uploadId: p.uploadId, offset: p.offset, bSize: p.bSize, isComplete: p.isComplete === true, block, crc: payload.readUInt16LE(payload.length - 2) };
}

export function uploadSend(up: Uplink): Verdict {
  const f = parseFrame(up.payload);
  if ('code' in f) return reply(up, f.id, f.code, f.data ?? {}, f.message);
  const echo = { uploadId: f.uploadId, offset: f.offset, bSize: f.bSize };
  const refuse = (code: number, message?: string) => reply(up, f.id, code, echo, message);
  const uploads = uploadsOf(up.core);
  const t = uploads.task(f.uploadId);
  // An uploadId is only good on the device that opened it.
  if (!t || t.productKey !== up.productKey || t.deviceName !== up.deviceName) return refuse(Code.UploadTaskNotFound);
  if (t.finished) {
    // The reply to the last block was lost and the client sent it again: it is in.
    if (uploads.holds(t, f.offset, f.block)) return reply(up, f.id, Code.UploadDuplicateBlock, { ...echo, complete: true });
    return refuse(Code.UploadFinished);
  }
  if (f.bSize > MAX_BLOCK_BYTES) return refuse(Code.UploadBlockTooLarge);
  if (crc16Arc(f.block) !== f.crc) return refuse(Code.UploadCrcMismatch);
  if (f.offset < t.stored && uploads.holds(t, f.offset, f.block)) return refuse(Code.UploadDuplicateBlock);
  if (f.offset !== t.stored) return refuse(Code.UploadOffsetMismatch, 'offset ' + f.offset + ' but ' + t.stored + ' bytes are stored');
  const end = t.stored + f.bSize;
  if (end > MAX_FILE_BYTES) return refuse(Code.UploadFileTooLarge);
  if (t.fileSize >= 0 && end > t.fileSize) return refuse(Code.BadParams, 'block goes past fileSize ' + t.fileSize);
  if (f.isComplete && t.fileSize >= 0 && end !== t.fileSize) return refuse(Code.BadParams, 'isComplete but only ' + end + ' of ' + t.fileSize + ' bytes');
  const last = f.isComplete || (t.fileSize >= 0 && end === t.fileSize);
  if (!last && f.bSize < MIN_BLOCK_BYTES) return refuse(Code.UploadBlockTooSmall);
  uploads.append(t, f.offset, f.block);
  if (!last) return reply(up, f.id, Code.Ok, echo);
  if (!uploads.finish(t)) return refuse(Code.UploadFileCheckFailed);
  return reply(up, f.id, Code.Ok, { ...echo, complete: true });
}

export function uploadCancel(up: Uplink): Verdict {
  const body = readBody(up);
  if (isVerdict(body)) return body;
  const p = body.params;
  if (!isObject(p) || typeof p.uploadId !== 'string') return reply(up, body.id, Code.BadParams, {}, 'params need uploadId');
  const echo = { uploadId: p.uploadId };
  const uploads = uploadsOf(up.core);
  const t = uploads.task(p.uploadId);
  if (!t || t.productKey !== up.productKey || t.deviceName !== up.deviceName) return reply(up, body.id, Code.UploadTaskNotFound, echo);
  if (t.finished) return reply(up, body.id, Code.UploadFinished, echo);
  uploads.discard(t);
  return reply(up, body.id, Code.Ok, echo);
}

export function installUpload(core: CloudCore): void {
  uploadsOf(core);
  const base = '/sys/:pk/:dn/thing/file/upload/mqtt/';
  core.router.add(base + 'init', uploadInit);
  core.router.add(base + 'send', uploadSend);
  core.router.add(base + 'cancel', uploadCancel);
  core.router.add(base + ':op', () => ({ verdict: 'unhandled', detail: 'upload replies go cloud → device' }));
}
