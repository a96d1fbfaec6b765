/** The message log: every message up and down with its verdict, in a fixed-size ring buffer
 *  (old entries are overwritten, so a long bench run costs no growing memory). Payloads of
 *  messages that carry secrets are redacted before they get here (see redact()). */

export type Direction = 'up' | 'down';

export interface LogEntry {
  seq: number;
  /** ms since the epoch. */
  time: number;
  direction: Direction;
  productKey?: string;
  deviceName?: string;
  topic: string;
  /** UTF-8 text, or `hex:...` for binary payloads; truncated to MAX_PAYLOAD_TEXT chars. */
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

/** Payload bytes as readable text: UTF-8 if valid, else hex. */
export function payloadText(payload: Buffer | string): string {
  if (typeof payload === 'string') return payload.length > MAX_PAYLOAD_TEXT ? payload.slice(0, MAX_PAYLOAD_TEXT) + '…' : payload;
  const slice = payload.length > MAX_PAYLOAD_TEXT ? payload.subarray(0, MAX_PAYLOAD_TEXT) : payload;
  const text = isUtf8(slice) ? slice.toString('utf8') : 'hex:' + slice.toString('hex');
  return payload.length > MAX_PAYLOAD_TEXT ? text + '…' : text;
}

const SECRET_KEYS = /"(deviceSecret|deviceToken|productSecret|password|sign)"\s*:\s*"[^"]*"/g;

/** Replaces the values of secret-bearing JSON keys with "***". */
export function redact(text: string): string {
  return text.replace(SECRET_KEYS, '"$1":"***"');
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
