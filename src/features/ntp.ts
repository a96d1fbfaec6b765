/**
 * Time from the platform over MQTT (alink-protocol.md 4.7): request on /ext/ntp/pk/dn/request
 * with the board's send time, answer on .../response with the server's receive and send times.
 *   time = (serverRecvTime + serverSendTime + deviceRecvTime - deviceSendTime) / 2
 * The board clock is set from it (setTime re-bases Espruino's timers; SNTP would not).
 *
 * Callback data is the HaaS shape: calendar fields in China Standard Time (UTC+8, as the HaaS
 * module reports them), `timestamp` in seconds since the epoch (as the HaaS document's sample
 * output shows) and `msecond` its milliseconds.
 */
import { T, topic, Parsed } from '../alink/topics';
import { parse } from '../alink/json';
import { nowMs, setClockMs } from '../board/clock';
import { Connection } from './connection';

var ZONE_MS = 8 * 3600000;

/** Calendar fields of `ms` (UTC) shifted by the zone; no Date.getUTC* (absent before 2v30). */
export function calendar(ms: number): any {
  var t = ms + ZONE_MS;
  var days = Math.floor(t / 86400000);
  var rest = t - days * 86400000;
  // days since 1970-01-01 -> civil date (the era-based algorithm, valid for any Gregorian date)
  var z = days + 719468;
  var era = Math.floor(z / 146097);
  var doe = z - era * 146097;
  var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  var mp = Math.floor((5 * doy + 2) / 153);
  var month = mp < 10 ? mp + 3 : mp - 9;
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month: month,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
    hour: Math.floor(rest / 3600000),
    minute: Math.floor(rest / 60000) % 60,
    second: Math.floor(rest / 1000) % 60,
    msecond: rest % 1000,
    timestamp: Math.floor(ms / 1000),
  };
}

/** The callbacks of pending requests, answered in order (the server echoes deviceSendTime; FIFO is enough). */
export type NtpQueue = ((d: any) => void)[];

/** Queues `cb` and asks once connected: a request queued while offline would carry a stale send time. */
export function askTime(c: Connection, pk: string, dn: string, q: NtpQueue, cb: (d: any) => void): number {
  q.push(cb);
  c.whenUp_(function () {
    c.send_(topic(T.NtpReq, pk, dn), '{"deviceSendTime":"' + nowMs() + '"}', 0);
  });
  return 0;
}

/** Takes (returns true for) an NTP answer: sets the clock and answers the oldest request. */
export function timeDown(q: NtpQueue | undefined, p: Parsed, payload: string): boolean {
  if (p.kind != T.NtpResp || p.reply) return false;
  var m = parse(payload);
  var ms = m ? Math.floor((+m.serverRecvTime + +m.serverSendTime + nowMs() - +m.deviceSendTime) / 2) : NaN;
  // An unusable answer leaves the callers waiting for the next one.
  if (isNaN(ms) || !q || !q.length) return true;
  setClockMs(ms);
  q.shift()!(calendar(ms));
  return true;
}
