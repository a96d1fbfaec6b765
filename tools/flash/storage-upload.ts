/**
 * The JavaScript the espruino CLI (0.1.67, `--storage NAME:file`) sends to put a file into
 * Storage: the bytes in chunks of 384, each base64-encoded and written at its offset; the first
 * write also gives the total size, so Espruino reserves the whole file at once (Espruino reserves the
 * whole file on the first write and cannot grow it later). atob() makes each chunk byte-exact and the text ASCII.
 */

/** Espruino Storage names are at most 28 characters; longer ones are silently truncated. */
export const MAX_STORAGE_NAME = 28;

/** The CLI's chunk size: a multiple of 3, so each chunk is whole base64 without padding. */
export const STORAGE_CHUNK = 384;

export function checkStorageName(name: string): void {
  if (name.length === 0 || name.length > MAX_STORAGE_NAME) {
    throw new Error(`Storage name ${JSON.stringify(name)} must be 1-${MAX_STORAGE_NAME} characters`);
  }
}

/** One `require("Storage").write(...)` line per chunk of `bytes`, in order. */
export function storageWriteLines(name: string, bytes: Buffer): string[] {
  checkStorageName(name);
  // Espruino refuses zero-length files ("Can't create zero length file").
  if (bytes.length === 0) throw new Error(`Storage file ${JSON.stringify(name)} would be empty`);
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += STORAGE_CHUNK) {
    const chunk = bytes.subarray(offset, offset + STORAGE_CHUNK).toString('base64');
    const totalSize = offset === 0 ? `,${bytes.length}` : '';
    lines.push(`require("Storage").write(${JSON.stringify(name)},atob(${JSON.stringify(chunk)}),${offset}${totalSize})`);
  }
  return lines;
}
