/**
 * Attributes every byte of a generated file to the source it came from, using the file's
 * source map (v3): each mapping segment owns the bytes from its column up to the next
 * segment's column (or the end of the line). Bytes before a line's first segment, and
 * segments without a source, count as `UNMAPPED`. Columns are UTF-16 units, which equal
 * bytes for ASCII output (the bundles are ASCII-only).
 */

export const UNMAPPED = '(unmapped)';

export interface SourceMapV3 {
  version: number;
  sources: string[];
  mappings: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one segment's base64 VLQ fields. */
function decodeSegment(text: string): number[] {
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) throw new Error(`bad base64 VLQ character ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return fields;
}

/** Bytes of `generated` per source name of `map` (plus UNMAPPED); the values sum to its length. */
export function bytesPerSource(generated: string, map: SourceMapV3): Map<string, number> {
  const totals = new Map<string, number>();
  const add = (name: string, n: number) => {
    if (n > 0) totals.set(name, (totals.get(name) ?? 0) + n);
  };
  const lines = generated.split('\n');
  const mappedLines = map.mappings.split(';');
  let sourceIndex = 0; // relative across the whole file
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo];
    // the newline itself belongs to the bytes of the line's last segment
    const lineBytes = line.length + (lineNo < lines.length - 1 ? 1 : 0);
    const segments: { column: number; source: string }[] = [];
    let column = 0; // relative within the line
    for (const text of (mappedLines[lineNo] ?? '').split(',')) {
      if (!text) continue;
      const f = decodeSegment(text);
      column += f[0];
      if (f.length >= 4) {
        sourceIndex += f[1];
        segments.push({ column, source: map.sources[sourceIndex] ?? UNMAPPED });
      } else {
        segments.push({ column, source: UNMAPPED });
      }
    }
    segments.sort((a, b) => a.column - b.column);
    add(UNMAPPED, segments.length ? segments[0].column : lineBytes);
    for (let i = 0; i < segments.length; i++) {
      const end = i + 1 < segments.length ? segments[i + 1].column : lineBytes;
      add(segments[i].source, end - segments[i].column);
    }
  }
  return totals;
}
