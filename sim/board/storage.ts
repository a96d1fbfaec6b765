/**
 * require("Storage") backed by a directory (one file per Storage file, raw bytes), so it persists
 * across SimBoards given the same storageDir (src/jswrap_storage.c; espruino-runtime.md §3.6):
 * write/read/readJSON/readArrayBuffer/writeJSON/erase/eraseAll/list/getFree/getStats/compact.
 * Names longer than 28 characters are silently truncated; a zero-length write throws "Can't
 * create zero length file"; read of a missing file returns undefined. write(name, data, offset,
 * size) pre-sizes a file (filled with 0xFF) and writes in pieces, as the IDE does.
 * Not provided: Storage.open (StorageFile), hash, the flash-memory-mapping of real hardware
 * (what read() returns is a string like any other; the memory meter is told, and counts it as
 * the view of flash it is on the board).
 */
import * as fs from 'fs';
import * as path from 'path';
import { bufferToBytes, bytesToBuffer } from './bytes';
import type { Realm } from './realm';
import { collectBytes } from './values';

export const MAX_NAME = 28;
export const STORAGE_BYTES = 896 * 1024;
/** Bytes each file costs beyond its data (header; approximate). */
export const FILE_OVERHEAD = 32;

export class StorageArea {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  static fileName(name: string): string {
    return name.replace(/[^A-Za-z0-9_-]|^-/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')) + '.bin';
  }

  static storageName(file: string): string | undefined {
    if (!file.endsWith('.bin')) return undefined;
    return file.slice(0, -4).replace(/%([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }

  private pathOf(name: string): string {
    return path.join(this.dir, StorageArea.fileName(name.slice(0, MAX_NAME)));
  }

  read(name: string): string | undefined {
    try {
      return bufferToBytes(fs.readFileSync(this.pathOf(name)));
    } catch {
      return undefined;
    }
  }

  write(name: string, bytes: string): void {
    fs.writeFileSync(this.pathOf(name), bytesToBuffer(bytes));
  }

  erase(name: string): void {
    try { fs.unlinkSync(this.pathOf(name)); } catch { /* not there */ }
  }

  list(): string[] {
    return fs.readdirSync(this.dir).map(StorageArea.storageName).filter((n): n is string => n !== undefined).sort();
  }

  /** Bytes in use: file sizes from the directory, not their contents (a board may hold thousands). */
  usedBytes(): number {
    let n = 0;
    for (const f of fs.readdirSync(this.dir)) {
      if (StorageArea.storageName(f) === undefined) continue;
      n += fs.statSync(path.join(this.dir, f)).size + FILE_OVERHEAD;
    }
    return n;
  }
}

/** `flash(s)`: read() returned s, a view of flash on the board (the memory meter counts it so). */
export function createStorageModule(realm: Realm, area: StorageArea, stringify: (v: unknown) => string | undefined,
  flash?: (s: string) => void): unknown {
  const S = realm.object();
  const JSONObj = () => realm.global.JSON;
  const nameOf = (n: unknown) => String(n).slice(0, MAX_NAME);
  const dataBytes = (data: unknown): string => {
    if (typeof data === 'string') return data;
    if (data !== null && typeof data === 'object' && !(Array.isArray(data) || ArrayBuffer.isView(data) || data instanceof realm.I.ArrayBuffer))
      return stringify(data) ?? '';
    return Buffer.from(collectBytes([data])).toString('latin1');
  };
  S.write = function write(name: unknown, data: unknown, offset?: unknown, size?: unknown) {
    const n = nameOf(name);
    if (!n) throw realm.error('Error', 'Invalid Storage name');
    const bytes = dataBytes(data);
    if (offset === undefined) {
      if (bytes.length === 0) throw realm.error('Error', "Can't create zero length file");
      if (area.usedBytes() + bytes.length + FILE_OVERHEAD > STORAGE_BYTES) return false;
      area.write(n, bytes);
      return true;
    }
    const off = Number(offset) || 0;
    let current = area.read(n);
    if (size !== undefined) {
      const total = Number(size);
      if (!(total > 0)) throw realm.error('Error', "Can't create zero length file");
      current = '\xff'.repeat(total);
    }
    if (current === undefined) throw realm.error('Error', "Can't write to a file that doesn't exist");
    if (off + bytes.length > current.length) return false;
    area.write(n, current.slice(0, off) + bytes + current.slice(off + bytes.length));
    return true;
  };
  S.read = function read(name: unknown, offset?: unknown, length?: unknown) {
    const v = area.read(nameOf(name));
    if (v === undefined) return undefined;
    const off = offset === undefined ? 0 : Number(offset);
    const s = length === undefined ? v.slice(off) : v.slice(off, off + Number(length));
    flash?.(s);
    return s;
  };
  S.readJSON = function readJSON(name: unknown, noExceptions?: unknown) {
    const v = area.read(nameOf(name));
    if (v === undefined) return undefined;
    try {
      return JSONObj().parse(v);
    } catch (e) {
      if (noExceptions) return undefined;
      throw e;
    }
  };
  S.readArrayBuffer = function readArrayBuffer(name: unknown) {
    const v = area.read(nameOf(name));
    return v === undefined ? undefined : realm.arrayBuffer(bytesToBuffer(v));
  };
  S.writeJSON = function writeJSON(name: unknown, data: unknown) {
    return S.write(name, stringify(data) ?? 'undefined');
  };
  S.erase = function erase(name: unknown) { area.erase(nameOf(name)); };
  S.eraseAll = function eraseAll() { for (const n of area.list()) area.erase(n); };
  S.list = function list(filter?: unknown) {
    let names = area.list();
    if (filter !== undefined && filter !== null) {
      if (typeof filter === 'string') names = names.filter((n) => n.includes(filter));
      else if (typeof (filter as any).test === 'function') names = names.filter((n) => { (filter as any).lastIndex = 0; return (filter as any).test(n); });
    }
    return realm.array(names);
  };
  S.compact = function compact() { /* nothing to compact: files are rewritten in place */ };
  S.getFree = function getFree() { return STORAGE_BYTES - area.usedBytes(); };
  S.getStats = function getStats() {
    const used = area.usedBytes();
    return realm.data({ totalBytes: STORAGE_BYTES, freeBytes: STORAGE_BYTES - used, fileBytes: used, fileCount: area.list().length, trashBytes: 0, trashCount: 0 });
  };
  return S;
}
