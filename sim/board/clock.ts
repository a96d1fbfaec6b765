/**
 * The board clock, and Date as Espruino has it.
 * - Board time runs at real speed from an initial value (SimBoardOptions.time, default the PC's
 *   clock); setTime(seconds) moves it, and Date.now(), new Date() and getTime() follow it.
 * - Date.now() is fractional (µs resolution), as on Espruino; getTime() is float seconds.
 * - "Local" time is UTC plus E.setTimeZone(hours) (default 0), never the PC's time zone.
 * - Date.prototype.toString gives Espruino's form: "Thu Jan 1 1970 00:00:00 GMT+0000".
 */
import { performance } from 'perf_hooks';
import type { Prelude } from './realm';

export class BoardClock {
  private baseMs: number;
  private baseMono: number;
  /** Offset of "local" time from UTC, in minutes (E.setTimeZone). */
  tzMinutes = 0;

  constructor(initialMs?: number) {
    this.baseMs = initialMs ?? Date.now();
    this.baseMono = performance.now();
  }

  /** Board time in ms (fractional). */
  nowMs(): number {
    return this.baseMs + (performance.now() - this.baseMono);
  }

  /** setTime(seconds). */
  setSeconds(sec: number): void {
    this.baseMs = sec * 1000;
    this.baseMono = performance.now();
  }
}

export const datePrelude: Prelude = {
  name: 'date',
  source: `function (g, I, host) {
  var NDate = I.Date;
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function tzMs() { return host.tzMinutes() * 60000; }
  function parse(s) {
    s = String(s);
    var t = NDate.parse(s);
    if (t !== t) return t;
    var zoned = /(Z|[+-][0-9][0-9]:*[0-9][0-9]|GMT|UTC)\\s*$/.test(s) || /^[0-9]+-[0-9]+-[0-9]+$/.test(s.trim());
    if (zoned) return t;
    var wall = t - new NDate(t).getTimezoneOffset() * 60000;
    return wall - tzMs();
  }
  class Date extends NDate {
    constructor(a, b, c, d, e, f, h) {
      var n = arguments.length, t;
      if (n === 0) t = host.now();
      else if (n === 1) t = typeof a === 'string' ? parse(a) : (a instanceof NDate ? a.getTime() : Number(a));
      else t = NDate.UTC(a, b, n > 2 ? c : 1, n > 3 ? d : 0, n > 4 ? e : 0, n > 5 ? f : 0, n > 6 ? h : 0) - tzMs();
      super(t);
    }
    static now() { return host.now(); }
    static parse(s) { return parse(s); }
    static UTC() { return I.Reflect.apply(NDate.UTC, NDate, arguments); }
  }
  var P = Date.prototype;
  function shifted(d) { return new NDate(NDate.prototype.getTime.call(d) + tzMs()); }
  function def(name, fn) { I.defineProperty(P, name, { value: fn, writable: true, configurable: true, enumerable: false }); }
  ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'].forEach(function (part) {
    var getUTC = NDate.prototype['getUTC' + part];
    def('get' + part, function () { return getUTC.call(shifted(this)); });
    if (part === 'Day') return;
    var setUTC = NDate.prototype['setUTC' + part];
    def('set' + part, function () {
      var s = shifted(this);
      I.Reflect.apply(setUTC, s, arguments);
      return NDate.prototype.setTime.call(this, s.getTime() - tzMs());
    });
  });
  def('getTimezoneOffset', function () { return -host.tzMinutes(); });
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  def('toString', function () {
    var t = NDate.prototype.getTime.call(this);
    if (t !== t) return 'Invalid Date';
    var s = shifted(this), tz = host.tzMinutes(), a = Math.abs(tz);
    return DAYS[s.getUTCDay()] + ' ' + MONTHS[s.getUTCMonth()] + ' ' + s.getUTCDate() + ' ' + s.getUTCFullYear() + ' ' +
      pad(s.getUTCHours()) + ':' + pad(s.getUTCMinutes()) + ':' + pad(s.getUTCSeconds()) +
      ' GMT' + (tz < 0 ? '-' : '+') + pad(Math.floor(a / 60)) + pad(a % 60);
  });
  g.Date = Date;
}`,
};
