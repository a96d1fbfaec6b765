/**
 * Espruino-only globals. Only files in src/board may use them; the rest of src/ reaches the board
 * through the typed functions there. (Globals Node also has, such as require and setTimeout, are
 * declared for the device build in espruino-core.d.ts, which the Node type-check leaves out.)
 */
declare function setTime(seconds: number): void;
declare function getTime(): number;
declare function print(...args: any[]): void;
declare const E: {
  toString(...args: any[]): string;
  toUint8Array(...args: any[]): Uint8Array;
  toArrayBuffer(s: string): ArrayBuffer;
  getSizeOf(v: any, depth?: number): number;
};
/** base64 -> binary string (Espruino global; Node has it too). */
declare function atob(s: string): string;
/** Restarts the interpreter and runs the boot files from Storage, as at power-on. */
declare function load(file?: string): void;
