/**
 * Espruino's own globals: E (toString, toUint8Array, toArrayBuffer, getSizeOf, CRC32, toJS,
 * setTimeZone, getErrorFlags, setFlags...; E.on comes with every object), print and console.log,
 * getTime/setTime, `global`, and a small Espruino-shaped `process` (env, version, memory()).
 */
import type { BoardClock } from './clock';
import type { MemoryMeter } from './memory';
import type { Realm } from './realm';
import { printForm } from './print-form';
import { collectBytes, toJS } from './values';

export const FIRMWARE_VERSION = '2v29';
export const BOARD_NAME = 'ESP32';
/** JsVars on an ESP32 (boards/ESP32.py 'variables'; the real total depends on free heap at boot). */
export const TOTAL_VARS = 16383;

let crcTable: Uint32Array | undefined;
export function crc32(bytes: ArrayLike<number>): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function installEspruinoGlobals(realm: Realm, clock: BoardClock, print: (text: string) => void, meter: MemoryMeter): void {
  const g = realm.global;
  g.global = g;
  const E = realm.object();
  E.toString = function toString(...args: unknown[]) {
    if (args.length === 1 && typeof args[0] === 'string') return args[0];
    return Buffer.from(collectBytes(args)).toString('latin1');
  };
  E.toUint8Array = function toUint8Array(...args: unknown[]) { return realm.uint8Array(collectBytes(args)); };
  E.toArrayBuffer = function toArrayBuffer(s: unknown) { return realm.arrayBuffer(Uint8Array.from(collectBytes([String(s)]))); };
  E.getSizeOf = function getSizeOf(v: unknown) { return meter.sizeOf(v); };
  E.CRC32 = function CRC32(data: unknown) { return crc32(collectBytes([data])); };
  E.toJS = function toJSFn(v: unknown) { return toJS(v); };
  E.setTimeZone = function setTimeZone(hours: unknown) { clock.tzMinutes = Math.round(Number(hours) * 60) || 0; };
  E.getErrorFlags = function getErrorFlags() { return realm.array(meter.takeFlags()); };
  const flags = realm.object({ deepSleep: 0, pretokenise: 0, unsafeFlash: 0, unsyncFiles: 0, jitDebug: 0, onErrorSave: 0 });
  E.setFlags = function setFlags(f: any) { if (f && typeof f === 'object') for (const k of Object.keys(f)) flags[k] = f[k]; };
  E.getFlags = function getFlags() { return realm.data(flags); };
  E.enableWatchdog = function enableWatchdog() { /* no watchdog on the PC */ };
  E.kickWatchdog = function kickWatchdog() { /* no watchdog on the PC */ };
  E.stopEventPropagation = function stopEventPropagation() { /* accepted, no effect (approximation) */ };
  E.hwRand = function hwRand() { return (Math.random() * 0x100000000) | 0; };
  g.E = E;

  const show = (args: unknown[]) => args.map((a) => printForm(a, g)).join(' ');
  g.print = function print_(...args: unknown[]) { print(show(args)); };
  const consoleObj = realm.object();
  consoleObj.log = function log(...args: unknown[]) { print(show(args)); };
  consoleObj.info = consoleObj.log;
  consoleObj.warn = consoleObj.log;
  consoleObj.error = consoleObj.log;
  consoleObj.debug = consoleObj.log;
  g.console = consoleObj;

  g.getTime = function getTime() { return clock.nowMs() / 1000; };
  g.setTime = function setTime(sec: unknown) { clock.setSeconds(Number(sec)); };

  const proc = realm.object();
  proc.version = FIRMWARE_VERSION;
  proc.env = realm.data({
    VERSION: FIRMWARE_VERSION, GIT_COMMIT: 'simboard', BOARD: BOARD_NAME, RAM: 520 * 1024,
    FLASH: 0, SPIFLASH: 4 * 1024 * 1024, STORAGE: 896 * 1024, SERIAL: 'simboard', CONSOLE: 'Serial1',
    MODULES: 'timer,Flash,Storage,heatshrink,fs,net,dgram,tls,http,NetworkJS,Wifi,TelnetServer,crypto,neopixel',
    EXPTR: 0,
  });
  proc.memory = function memory() {
    const usage = Math.min(meter.total, meter.usage());
    return realm.data({ free: meter.total - usage, usage, total: meter.total, history: 0, gc: 0, gctime: 0, blocksize: 14 });
  };
  g.process = proc;
}
