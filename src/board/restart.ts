/**
 * restart(): reboots the interpreter as a power-on would (Espruino's load(): the boot files
 * .boot0 ... .bootcde run again), so the boot selector starts what the OTA state names.
 */
export function restart(): void {
  load();
}
