/**
 * Which build of the module goes onto the board. The full module and the Device-only build
 * (build/aliyunIoT-device.min.js, built beside it) behave the same for a Device; the Device-only
 * build leaves the Gateway out, so its flash and its JsVars are not paid by an app that never
 * uses it. An app that names `Gateway` anywhere (so also in a comment or a string) keeps the
 * full module; so does a config that names another file.
 */
import * as fs from 'fs';
import * as path from 'path';

export const FULL = 'aliyunIoT.min.js';
export const DEVICE_ONLY = 'aliyunIoT-device.min.js';

export function moduleFor(configured: string, appText: string): string {
  if (path.basename(configured) !== FULL || /\bGateway\b/.test(appText)) return configured;
  const deviceOnly = path.join(path.dirname(configured), DEVICE_ONLY);
  return fs.existsSync(deviceOnly) ? deviceOnly : configured;
}
