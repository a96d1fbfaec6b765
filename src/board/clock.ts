/**
 * The board clock in milliseconds. Date.now() is fractional on Espruino (microsecond
 * resolution), which would leak decimals into signatures and JSON, so it is floored here.
 */

/** Milliseconds since the epoch, as an integer. */
export function nowMs(): number {
  return Math.floor(Date.now());
}

/** Sets the board clock (e.g. from an NTP-over-MQTT reply). setTime also re-bases timers. */
export function setClockMs(ms: number): void {
  setTime(ms / 1000);
}
