/**
 * The local secrets file (Wi-Fi and device credentials). It goes onto the board as a Storage
 * JSON file that the scripts read with require("Storage").readJSON(...), so no credential is
 * ever part of a script, and the scripts can be shared or committed as they are.
 */
import * as fs from 'fs';

/** Keys whose values must never appear in a script. */
const SECRET_KEY = /secret|password|token/i;

/** Shorter values (a test password "y") would match by chance in any script. */
const MIN_CHECKED_LENGTH = 6;

export interface Secrets {
  /** Compact JSON: what the board stores. */
  json: string;
  /** Every credential value, to prove the scripts do not contain any. */
  values: string[];
}

function collectSecretValues(v: unknown, key: string, out: string[]): void {
  if (typeof v === 'string' && SECRET_KEY.test(key) && v.length >= MIN_CHECKED_LENGTH) out.push(v);
  else if (v && typeof v === 'object') for (const [k, child] of Object.entries(v)) collectSecretValues(child, k, out);
}

/** The example file's values are placeholders like "<productKey>"; such a value was never filled in. */
const PLACEHOLDER = /^<.*>$/;

/** Where `data` still holds a placeholder, as dotted paths ("device.productKey"). */
export function placeholderPaths(data: unknown, prefix = ''): string[] {
  if (typeof data === 'string') return PLACEHOLDER.test(data.trim()) ? [prefix] : [];
  if (!data || typeof data !== 'object') return [];
  return Object.entries(data).flatMap(([k, v]) => placeholderPaths(v, prefix ? `${prefix}.${k}` : k));
}

export function loadSecrets(secretsPath: string): Secrets {
  if (!fs.existsSync(secretsPath)) {
    throw new Error(`${secretsPath} is missing: copy aliyunIoT.secrets.example.json to it and fill in your Wi-Fi and device credentials (it is git-ignored)`);
  }
  const data = JSON.parse(fs.readFileSync(secretsPath, 'utf8'));
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${secretsPath}: expected a JSON object`);
  // examples/wifi.js reads wifi.ssid and wifi.password at boot.
  if (!data.wifi || typeof data.wifi.ssid !== 'string') throw new Error(`${secretsPath}: "wifi": {"ssid": ..., "password": ...} is required`);
  // A board flashed with "<deviceSecret>" would only fail later, at the platform, with -304.
  const unfilled = placeholderPaths(data);
  if (unfilled.length) {
    throw new Error(`${secretsPath} still has the example's placeholder values: ${unfilled.join(', ')}. Fill them in, or delete the sections your app does not use`);
  }
  const values: string[] = [];
  collectSecretValues(data, '', values);
  return { json: JSON.stringify(data), values };
}
