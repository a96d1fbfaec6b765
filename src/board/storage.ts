/**
 * Typed access to require("Storage") (flash files): JSON records (device secrets, registration
 * results) and raw file reads (uploadFile). Names are 1..28 chars: Espruino silently truncates
 * longer ones, so they are refused here instead.
 */
import { Err } from '../errors';

function ok(name: string): boolean {
  return typeof name == 'string' && name.length > 0 && name.length <= 28;
}

function open(): any {
  return require('Storage');
}

/** The JSON record `name`, or undefined when it is missing, not JSON, or the name is invalid. */
export function readJSON(name: string): any {
  if (!ok(name)) return undefined;
  try {
    return open().readJSON(name, true);
  } catch (e) {
    return undefined;
  }
}

/** Stores `obj` as JSON under `name`: 0, Err.BadArgument (name) or Err.StorageFailed. */
export function writeJSON(name: string, obj: any): number {
  if (!ok(name)) return Err.BadArgument;
  try {
    return open().writeJSON(name, obj) === false ? Err.StorageFailed : Err.Ok;
  } catch (e) {
    return Err.StorageFailed;
  }
}

/** The bytes of file `name` (memory-mapped on ESP32, so no RAM copy), or undefined. */
export function read(name: string): string | undefined {
  if (!ok(name)) return undefined;
  try {
    var s = open().read(name);
    return typeof s == 'string' ? s : undefined;
  } catch (e) {
    return undefined;
  }
}

/**
 * Writes `data` into file `name` at `offset`: with `size`, the file is created afresh at that
 * size (Espruino fills it with 0xFF, and flash bytes can then be written once each). 0 or
 * Err.StorageFailed. Used to stream a download into Storage a block at a time.
 */
export function writeAt(name: string, data: string, offset: number, size?: number): number {
  if (!ok(name)) return Err.BadArgument;
  try {
    return open().write(name, data, offset, size) === false ? Err.StorageFailed : Err.Ok;
  } catch (e) {
    return Err.StorageFailed;
  }
}

/** `len` bytes of file `name` from `offset` (fewer at its end), or undefined. */
export function readAt(name: string, offset: number, len: number): string | undefined {
  if (!ok(name)) return undefined;
  try {
    var s = open().read(name, offset, len);
    return typeof s == 'string' ? s : undefined;
  } catch (e) {
    return undefined;
  }
}

export function erase(name: string): void {
  try {
    if (ok(name)) open().erase(name);
  } catch (e) {}
}

/** Free bytes of Storage (0 when unknown). */
export function freeBytes(): number {
  try {
    return open().getFree() || 0;
  } catch (e) {
    return 0;
  }
}
