/** The message log: every message up and down with its verdict, in a fixed-size ring buffer
 *  (old entries are overwritten, so a long bench run costs no growing memory). Payloads of
 *  messages are masked and cut before they get here (see payloadText()). */

export type Direction = 'up' | 'down';

export interface LogEntry {
  seq: number;
  /** ms since the epoch. */
  time: number;
  direction: Direction;
  productKey?: string;
  deviceName?: string;
  topic: string;
  /** UTF-8 text, or `hex:...` for binary payloads; secrets masked, then cut to MAX_PAYLOAD_TEXT chars. */
  payload: string;
  /** 'ok', 'replied', 'forbidden', 'rejected', 'dropped', 'unmatched', 'unhandled', 'timeout' ... */
  verdict: string;
  /** Alink code of the reply, when there was one. */
  code?: number;
  /** Short reason for a non-ok verdict (never contains secrets). */
  detail?: string;
}

import { isUtf8 } from 'node:buffer';

const MAX_PAYLOAD_TEXT = 2048;

/** Payload bytes as the log keeps them: UTF-8 if valid, else hex; secret-bearing values
 *  masked over the whole text first, then cut to MAX_PAYLOAD_TEXT characters (cut first, a
 *  secret straddling the cut would lose its closing quote, escape the mask and be served in
 *  part). */
export function payloadText(payload: Buffer | string): string {
  const text = typeof payload === 'string' ? payload : isUtf8(payload) ? payload.toString('utf8') : 'hex:' + payload.toString('hex');
  return cut(redact(text));
}

function cut(text: string): string {
  return text.length > MAX_PAYLOAD_TEXT ? text.slice(0, MAX_PAYLOAD_TEXT) + '…' : text;
}

const KEYS = '(deviceSecret|deviceToken|productSecret|password|sign)';
/** A secret-bearing JSON key and its string value, escaped quotes included, to the closing
 *  quote or the end of the text. */
const SECRET_VALUE = new RegExp('"' + KEYS + '"\\s*:\\s*"(?:[^"\\\\]|\\\\.)*(?:"|$)', 'g');
/** The same inside JSON text that is itself a JSON string value (quotes escaped once). */
const NESTED_SECRET_VALUE = new RegExp('\\\\"' + KEYS + '\\\\"\\s*:\\s*\\\\"(?:[^"\\\\]|\\\\\\\\.)*(?:\\\\"|$)', 'g');

/** Replaces the values of secret-bearing JSON keys with "***". */
export function redact(text: string): string {
  return text.replace(SECRET_VALUE, '"$1":"***"').replace(NESTED_SECRET_VALUE, '\\"$1\\":\\"***\\"');
}

export class MessageLog {
  private readonly ring: (LogEntry | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly capacity = 10000, private readonly onEntry?: (e: LogEntry) => void) {
    this.ring = new Array(capacity);
  }

  add(e: Omit<LogEntry, 'seq' | 'time'>): LogEntry {
    const entry = this.reserve(e);
    this.onEntry?.(entry);
    return entry;
  }

  /** Stores an entry whose verdict is filled in later (an uplink is logged before the reply
   *  it causes); call commit() once the verdict is known so listeners see the final entry. */
  reserve(e: Omit<LogEntry, 'seq' | 'time'>): LogEntry {
    const entry = e as LogEntry;
    entry.seq = ++this.seq;
    entry.time = Date.now();
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    return entry;
  }

  commit(entry: LogEntry): void {
    this.onEntry?.(entry);
  }

  /** Entries oldest first, optionally only those matching `filter`. */
  entries(filter?: (e: LogEntry) => boolean): LogEntry[] {
    const out: LogEntry[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const e = this.ring[(this.next + i) % this.capacity];
      if (e && (!filter || filter(e))) out.push(e);
    }
    return out;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
  }
}
