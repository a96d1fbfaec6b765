/**
 * The OTA state on the board: which Storage file holds the running version of each updatable
 * module ("default" = the app, "aliyunIoT" = this module), a new version on trial, and a
 * rollback to report. The boot selector (examples/bootcde.js, flashed as .bootcde) reads it at
 * every boot; this module changes it when an update is staged and when a new version connects.
 *
 *   {"n": 7, "dl": 300000,
 *    "m": {"default":   {"f": "app.a", "o": "app.b", "v": "1.0.0", "t": "app.b", "tv": "1.1.0", "k": 1},
 *          "aliyunIoT": {"f": "aliyunIoT", "o": "aliyunIoT.b", "v": "0.1.0"}},
 *    "fail": {"m": "default", "v": "1.1.0"}}
 *
 * f/v: file and version that run; o: the other file of the pair, where the next version goes; t/tv: the verified file and version on trial; k: set by the
 * selector when it boots the trial (a second boot with k set means the trial never connected);
 * dl: ms the trial has to connect; fail: a trial the selector rolled back, for the next connect
 * to report.
 *
 * Two copies, ota0 and ota1: each save goes to the older one with n + 1, and a reader takes the
 * newest that parses. Espruino replaces a Storage file by erasing it and writing it anew, so a
 * power cut during a save can lose that copy, never both.
 */
import { readJSON, writeJSON } from '../board/storage';

export interface OtaEntry {
  f: string;
  o: string;
  v: string;
  t?: string;
  tv?: string;
  k?: number;
}

export interface OtaState {
  n: number;
  m: { [module: string]: OtaEntry };
  dl?: number;
  fail?: { m: string; v: string };
}

/** The newest readable copy, or undefined on a board not flashed OTA-ready. */
export function loadState(): OtaState | undefined {
  var a = readJSON('ota0'), b = readJSON('ota1');
  if (!(a && a.m)) a = undefined;
  if (!(b && b.m)) b = undefined;
  return a && !(b && b.n > a.n) ? a : b;
}

/** Saves `s` as the next state (n + 1, into the older copy): 0 or Err.StorageFailed. */
export function saveState(s: OtaState): number {
  s.n = (s.n || 0) + 1;
  return writeJSON('ota' + (s.n & 1), s);
}
