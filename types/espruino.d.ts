/**
 * The Espruino (2v29, ESP32) globals and built-in modules an on-board app uses, for apps written
 * in TypeScript (`npm run build:app -- app.ts`) or JavaScript checked by TypeScript. Only what
 * the ESP32 firmware really has is declared; see https://www.espruino.com/Reference for the rest.
 *
 *   /// <reference path="types/espruino.d.ts" />
 *   /// <reference path="types/aliyunIoT.d.ts" />
 *   import aliyunIoT = require("aliyunIoT");   // or: var aliyunIoT = require("aliyunIoT");
 *   var cfg = require("Storage").readJSON("aliyunIoT.json", true);
 *
 * Strings on the board are bytes: a Chinese literal in an app is its UTF-8 bytes, which print()
 * writes out unchanged to the console.
 */

/** Prints its arguments, separated by spaces, and a newline (objects are printed as JSON-like text). */
declare function print(...values: any[]): void;
declare var console: { log(...values: any[]): void };

/** Runs `fn` once after `ms` milliseconds; returns the timer's id (a number on Espruino). */
declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
/** Runs `fn` every `ms` milliseconds until clearInterval(id). */
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
/** Espruino throws for an id that is not a live timer's, and for undefined; keep ids you clear. */
declare function clearTimeout(id: number): void;
declare function clearInterval(id: number): void;
/** Seconds since 1970 as a float (the board clock; getNtpTime sets it). */
declare function getTime(): number;
/** Sets the board clock, in seconds since 1970. */
declare function setTime(seconds: number): void;
/** Restarts the interpreter and runs the boot code (.boot0, then .bootcde) as a power-on would;
 *  with a file name, runs that Storage file instead. */
declare function load(file?: string): void;
/** Clears the interpreter's state (not Storage). */
declare function reset(clearFlash?: boolean): void;
/** base64 text -> binary string; binary string -> base64 text. */
declare function atob(base64: string): string;
declare function btoa(binary: string): string;

declare var E: {
  /** Joins strings, arrays of bytes and Uint8Arrays into one binary string. */
  toString(...values: any[]): string;
  toUint8Array(...values: any[]): Uint8Array;
  toJS(value: any): string;
  /** JsVars held by `value` (with `depth`, also by what it references). */
  getSizeOf(value: any, depth?: number): number;
  /** Time zone offset in hours, for Date's local time. */
  setTimeZone(hours: number): void;
  /** 'init' runs after boot code; 'kill' before a reset or load(); 'errorFlag' on a new internal error. */
  on(event: "init" | "kill", fn: () => void): void;
  on(event: "errorFlag", fn: (flags: string[]) => void): void;
  reboot(): void;
};

declare var process: {
  /** Interpreter memory, in JsVars (`blocksize` bytes each on this build). */
  memory(gc?: boolean): { free: number; usage: number; total: number; history: number; gc: number; gctime: number; blocksize: number };
  env: { VERSION: string; BOARD: string; [key: string]: any };
  version: string;
  /** Exceptions no script caught; without a listener Espruino prints "Uncaught ...". */
  on(event: "uncaughtException", fn: (e: any) => void): void;
};

/** Espruino's flash file system: small named files that survive a reset and a power cycle. */
declare module "Storage" {
  /** A file's bytes as a (flash) string, or undefined when there is none. */
  function read(name: string, offset?: number, length?: number): string | undefined;
  /** A JSON file parsed; with noExceptions, undefined instead of a throw when missing or bad. */
  function readJSON(name: string, noExceptions?: boolean): any;
  function readArrayBuffer(name: string): ArrayBuffer | undefined;
  /** Writes data at offset; the first write of a new file gives its total size. */
  function write(name: string, data: string | Uint8Array, offset?: number, size?: number): boolean;
  function writeJSON(name: string, data: any): boolean;
  function erase(name: string): void;
  function list(regex?: RegExp | string): string[];
  function getFree(): number;
  function compact(): void;
}

/** The ESP32's Wi-Fi station and access point. */
declare module "Wifi" {
  interface IPInfo {
    ip: string;
    netmask: string;
    gw: string;
    mac: string;
  }
  interface ConnectOptions {
    password?: string;
    dnsServers?: string[];
    authMode?: "open" | "wep" | "wpa" | "wpa2" | "wpa_wpa2";
    channel?: number;
    bssid?: string;
  }
  /** `callback(err)`: err is null once the station has an IP address, else the reason. */
  function connect(ssid: string, options: ConnectOptions, callback?: (err: string | null) => void): void;
  function disconnect(callback?: () => void): void;
  function getIP(callback?: (err: string | null, info: IPInfo) => void): IPInfo;
  function getStatus(callback?: (status: any) => void): { station: string; ap: string; mode: string; [key: string]: any };
  function scan(callback: (networks: { ssid: string; rssi: number; authMode: string; channel: number; mac: string }[]) => void): void;
  function setHostname(hostname: string, callback?: () => void): void;
  function save(what?: "clear" | "sta+ap"): void;
  function on(event: "connected" | "disconnected" | "dhcp_timeout", fn: (details: any) => void): void;
}

/** require() of a built-in or Storage module; the modules above (and "aliyunIoT") are typed. */
declare function require(name: "Storage"): typeof import("Storage");
declare function require(name: "Wifi"): typeof import("Wifi");
declare function require(name: "aliyunIoT"): typeof import("aliyunIoT");
declare function require(name: string): any;
