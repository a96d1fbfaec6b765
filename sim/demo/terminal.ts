/** The demo's live log in the terminal: one readable line per thing that happened, from the
 *  boards (what the scripts print) and from the cloud (messages in words, not topics).
 *  Payloads come from the emulator's log, which has secrets redacted already. */
import type { LogEntry } from '../cloud';

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;

function paint(code: number, text: string): string {
  return useColor ? `\x1b[${code}m${text}\x1b[0m` : text;
}

export const dim = (t: string) => paint(2, t);
export const green = (t: string) => paint(32, t);
export const red = (t: string) => paint(31, t);
export const bold = (t: string) => paint(1, t);
const cyan = (t: string) => paint(36, t);
const magenta = (t: string) => paint(35, t);

function clock(): string {
  const d = new Date();
  return dim(d.toTimeString().slice(0, 8) + '.' + String(d.getMilliseconds()).padStart(3, '0'));
}

function short(text: string, max = 90): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** The "params" of an Alink JSON message, else the text itself. */
function paramsOf(payload: string): string {
  try {
    const m = JSON.parse(payload) as { params?: unknown };
    return m && typeof m === 'object' && m.params !== undefined ? JSON.stringify(m.params) : payload;
  } catch {
    return payload;
  }
}

function uploadName(payload: string): string {
  try {
    const p = (JSON.parse(payload) as { params: { fileName: string; fileSize: number } }).params;
    return `${p.fileName} (${p.fileSize} bytes)`;
  } catch {
    return 'a file';
  }
}

/** What a message is, in words; null for traffic not worth a line (replies the uplink line
 *  already shows, upload blocks). */
export function describe(e: LogEntry): string | null {
  const t = e.topic;
  const result = e.code !== undefined ? ` → ${e.code}` : '';
  if (e.direction === 'up') {
    if (t.endsWith('/thing/event/property/post')) return `posts properties ${short(paramsOf(e.payload))}${result}`;
    if (t.endsWith('/thing/service/property/set_reply')) return `answers the property set${result}`;
    if (/\/thing\/service\/[^/]+_reply$/.test(t)) return `answers service ${t.slice(t.lastIndexOf('/') + 1, -6)}${result}`;
    if (t.includes('/rrpc/response/') || t.startsWith('/ext/rrpc/')) return `answers a synchronous call${result}`;
    if (t.startsWith('/ext/ntp/')) return 'asks for the time (NTP)';
    if (t.endsWith('/thing/file/upload/mqtt/init')) return `starts uploading ${uploadName(e.payload)}${result}`;
    if (t.endsWith('/thing/topo/add')) return `adds sub-devices to its topology${result}`;
    if (t.endsWith('/combine/batch_login')) return `logs its sub-devices in${result}`;
    if (t.includes('/thing/file/upload/mqtt/send')) return null;
  } else {
    // Replies show on the uplink's line; the board prints the NTP time itself.
    if (t.endsWith('_reply') || t.endsWith('/response')) return null;
    if (t.endsWith('/thing/service/property/set')) return `cloud sets properties ${short(paramsOf(e.payload))}`;
    if (/\/thing\/service\/[^/]+$/.test(t)) return `cloud calls service ${t.slice(t.lastIndexOf('/') + 1)} ${short(paramsOf(e.payload))}`;
  }
  if (e.verdict !== 'ok' && e.verdict !== 'replied') return `${e.direction} ${t} ${e.verdict}${result}${e.detail ? ' (' + e.detail + ')' : ''}`;
  return null;
}

export const terminal = {
  /** A line a board printed. */
  board(name: string, line: string): void {
    console.log(`${clock()} ${cyan(name.padEnd(10))} │ ${line}`);
  },
  /** Something the cloud saw or did. */
  cloud(deviceName: string, text: string): void {
    console.log(`${clock()} ${magenta('cloud'.padEnd(10))} │ ${bold(deviceName)} ${text}`);
  },
  step(label: string, note: string): void {
    console.log(`${clock()} ${green('✔ ' + label)} ${dim('(' + note + ')')}`);
  },
  info(text: string): void {
    console.log(text);
  },
};
