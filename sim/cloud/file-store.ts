/** Where uploaded files land: `<dataDir>/files/<pk>/<dn>/<fileName>` when the emulator has a
 *  data folder, else memory. Unfinished uploads grow in a separate "part" area (keyed by
 *  uploadId) and move to the device's files only when complete, so a half-sent file is never
 *  listed as a file. Synchronous on purpose: handlers answer each block before the next one. */
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredFile {
  fileName: string;
  size: number;
}

/** A path level from a name the registry holds: never `.`/`..`, never a separator. */
function level(name: string): string {
  return encodeURIComponent(name).replace(/\./g, '%2E');
}

export class FileStore {
  private readonly memFiles = new Map<string, Map<string, Buffer>>();
  private readonly memParts = new Map<string, Buffer[]>();

  constructor(private readonly dataDir?: string) {}

  list(pk: string, dn: string): StoredFile[] {
    if (!this.dataDir) {
      const m = this.memFiles.get(pk + '/' + dn);
      return m ? [...m].map(([fileName, b]) => ({ fileName, size: b.length })).sort((a, b) => a.fileName.localeCompare(b.fileName)) : [];
    }
    const dir = this.deviceDir(pk, dn);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).sort().map((fileName) => ({ fileName, size: statSync(join(dir, fileName)).size }));
  }

  read(pk: string, dn: string, fileName: string): Buffer | undefined {
    if (!this.dataDir) return this.memFiles.get(pk + '/' + dn)?.get(fileName);
    const path = join(this.deviceDir(pk, dn), fileName);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  exists(pk: string, dn: string, fileName: string): boolean {
    if (!this.dataDir) return this.memFiles.get(pk + '/' + dn)?.has(fileName) ?? false;
    return existsSync(join(this.deviceDir(pk, dn), fileName));
  }

  remove(pk: string, dn: string, fileName: string): void {
    if (!this.dataDir) this.memFiles.get(pk + '/' + dn)?.delete(fileName);
    else rmSync(join(this.deviceDir(pk, dn), fileName), { force: true });
  }

  /** Starts an empty part for an upload. */
  openPart(uploadId: string): void {
    if (!this.dataDir) this.memParts.set(uploadId, []);
    else {
      mkdirSync(this.partDir(), { recursive: true });
      writeFileSync(this.partPath(uploadId), Buffer.alloc(0), { mode: 0o600 });
    }
  }

  appendPart(uploadId: string, block: Buffer): void {
    if (!this.dataDir) this.memParts.get(uploadId)?.push(Buffer.from(block));
    else appendFileSync(this.partPath(uploadId), block);
  }

  /** `length` bytes of a part from `offset` (for duplicate-block detection). */
  readPart(uploadId: string, offset: number, length: number): Buffer {
    if (!this.dataDir) return Buffer.concat(this.memParts.get(uploadId) ?? []).subarray(offset, offset + length);
    const out = Buffer.alloc(length);
    const fd = openSync(this.partPath(uploadId), 'r');
    try {
      const n = readSync(fd, out, 0, length, offset);
      return out.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }

  wholePart(uploadId: string): Buffer {
    if (!this.dataDir) return Buffer.concat(this.memParts.get(uploadId) ?? []);
    return readFileSync(this.partPath(uploadId));
  }

  dropPart(uploadId: string): void {
    if (!this.dataDir) this.memParts.delete(uploadId);
    else rmSync(this.partPath(uploadId), { force: true });
  }

  /** Makes a finished part the device's file `fileName` (replacing one of the same name). */
  publishPart(uploadId: string, pk: string, dn: string, fileName: string): void {
    if (!this.dataDir) {
      const key = pk + '/' + dn;
      let m = this.memFiles.get(key);
      if (!m) this.memFiles.set(key, (m = new Map()));
      m.set(fileName, this.wholePart(uploadId));
      this.memParts.delete(uploadId);
      return;
    }
    const dir = this.deviceDir(pk, dn);
    mkdirSync(dir, { recursive: true });
    renameSync(this.partPath(uploadId), join(dir, fileName));
  }

  private deviceDir(pk: string, dn: string): string {
    return join(this.dataDir!, 'files', level(pk), level(dn));
  }

  private partDir(): string {
    return join(this.dataDir!, 'uploads');
  }

  private partPath(uploadId: string): string {
    return join(this.partDir(), level(uploadId) + '.part');
  }
}
