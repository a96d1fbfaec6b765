/**
 * Reading a flash dry run back: the Storage files its writes leave on a board, checked for the
 * shape the espruino CLI gives them (contiguous chunks, the total size on the first write).
 */

export interface DryRun {
  /** Storage name -> bytes, in the order the files are first written. */
  files: Map<string, Buffer>;
  /** Lines that are not Storage writes (the start code). */
  code: string[];
}

const STORAGE_WRITE = /^require\("Storage"\)\.write\(("(?:[^"\\]|\\.)*"),atob\("([A-Za-z0-9+/=]*)"\),(\d+)(?:,(\d+))?\)$/;

export function readDryRun(text: string): DryRun {
  const files = new Map<string, Buffer>();
  const written = new Map<string, number>();
  const code: string[] = [];
  for (const line of text.split('\n')) {
    const m = STORAGE_WRITE.exec(line);
    if (!m) {
      if (line) code.push(line);
      continue;
    }
    const name: string = JSON.parse(m[1]);
    const chunk = Buffer.from(m[2], 'base64');
    const offset = Number(m[3]);
    if (offset === 0) {
      if (m[4] === undefined) throw new Error(`first write of ${name} lacks the total size`);
      files.set(name, Buffer.alloc(Number(m[4]), 0xff));
      written.set(name, 0);
    }
    const file = files.get(name);
    if (!file) throw new Error(`${name} written at ${offset} before offset 0`);
    if (offset !== written.get(name)) throw new Error(`${name}: chunk at ${offset}, expected ${written.get(name)}`);
    if (offset + chunk.length > file.length) throw new Error(`${name}: chunk past the declared size`);
    chunk.copy(file, offset);
    written.set(name, offset + chunk.length);
  }
  for (const [name, file] of files) if (written.get(name) !== file.length) throw new Error(`${name}: only ${written.get(name)} of ${file.length} bytes written`);
  return { files, code };
}
