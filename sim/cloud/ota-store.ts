/** The emulator's OTA service state: upgrade packages (整包 only), upgrade jobs (one device,
 *  one package each) and the versions devices reported per module. The rules for what is
 *  refused follow the platform's console and API (facts and sources: test/ota/FACTS.md):
 *  version and module names 1..64 of letters, digits, ".", "-" and "_"; a package signed with
 *  MD5 or SHA256; one package per product, module and version; an upgrade only for a device of
 *  the package's product that does not already run that version and has no other upgrade of
 *  that module in progress. The platform's package size limit is far above what a board's
 *  Storage holds: the emulator takes up to 16 MB (emulator choice). */
import { createHash, randomBytes } from 'node:crypto';
import type { CloudCore } from './core';
import { deviceKey } from './registry';

export const MAX_PACKAGE_BYTES = 16 * 1024 * 1024;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export type SignMethod = 'MD5' | 'SHA256';

export interface OtaPackage {
  id: string;
  productKey: string;
  /** "default" is the device's main module (the app, on our boards). */
  module: string;
  version: string;
  fileName: string;
  size: number;
  signMethod: SignMethod;
  md5: string;
  sha256: string;
  bytes: Buffer;
  createdAt: number;
}

export type JobStatus = 'queued' | 'notified' | 'upgrading' | 'succeeded' | 'failed';

export interface OtaJob {
  id: string;
  packageId: string;
  productKey: string;
  deviceName: string;
  module: string;
  /** The version the device reported for the module when the job started, if any. */
  fromVersion?: string;
  version: string;
  status: JobStatus;
  /** Last progress step the device reported: 0..100, or -1..-4 for a failure. */
  step: number;
  desc: string;
  /** The secret part of the download URL. */
  token: string;
  /** Body bytes served for this job (all requests together). */
  bytesServed: number;
  createdAt: number;
  updatedAt: number;
}

export type Refusal = { error: string };

export function isRefusal(v: unknown): v is Refusal {
  return typeof v === 'object' && v !== null && typeof (v as Refusal).error === 'string';
}

const ACTIVE: JobStatus[] = ['queued', 'notified', 'upgrading'];

export class OtaStore {
  readonly packages = new Map<string, OtaPackage>();
  readonly jobs: OtaJob[] = [];
  /** `pk/dn` → module → version reported on /ota/device/inform. */
  private readonly versions = new Map<string, Record<string, string>>();
  /** Test knob: each download response is cut after this many body bytes (undefined: never). */
  cutDownloadsAfter: number | undefined;
  /** Test knob: the digest announced in notices is replaced by this one (a corrupted package). */
  announcedDigest: string | undefined;

  constructor(private readonly core: CloudCore) {}

  addPackage(p: { productKey: string; module?: string; version: string; bytes: Buffer; signMethod?: string; fileName?: string }): OtaPackage | Refusal {
    const module = p.module || 'default';
    const signMethod = (p.signMethod ?? 'MD5').toUpperCase();
    if (!this.core.registry.product(p.productKey)) return { error: 'no such product' };
    if (!NAME.test(module)) return { error: 'module: 1..64 letters, digits, ".", "-" or "_"' };
    if (typeof p.version !== 'string' || !NAME.test(p.version)) return { error: 'version: 1..64 letters, digits, ".", "-" or "_"' };
    if (signMethod !== 'MD5' && signMethod !== 'SHA256') return { error: 'signMethod must be MD5 or SHA256' };
    if (!p.bytes.length) return { error: 'the package is empty' };
    if (p.bytes.length > MAX_PACKAGE_BYTES) return { error: 'the package is over ' + MAX_PACKAGE_BYTES + ' bytes' };
    for (const q of this.packages.values()) {
      if (q.productKey === p.productKey && q.module === module && q.version === p.version) return { error: 'the product already has version ' + p.version + ' of module ' + module };
    }
    const pkg: OtaPackage = {
      id: 'pkg' + randomBytes(6).toString('hex'),
      productKey: p.productKey,
      module,
      version: p.version,
      fileName: (p.fileName || module + '-' + p.version + '.bin').replace(/[^A-Za-z0-9._-]/g, '_'),
      size: p.bytes.length,
      signMethod,
      md5: createHash('md5').update(p.bytes).digest('hex'),
      sha256: createHash('sha256').update(p.bytes).digest('hex'),
      bytes: Buffer.from(p.bytes),
      createdAt: Date.now(),
    };
    this.packages.set(pkg.id, pkg);
    return pkg;
  }

  createJob(pk: string, dn: string, packageId: string): OtaJob | Refusal {
    const pkg = this.packages.get(packageId);
    if (!pkg) return { error: 'no such package' };
    if (!this.core.registry.device(pk, dn)) return { error: 'no such device' };
    if (pkg.productKey !== pk) return { error: 'the package belongs to product ' + pkg.productKey };
    const from = this.versionOf(pk, dn, pkg.module);
    if (from === pkg.version) return { error: 'the device already runs version ' + pkg.version + ' of module ' + pkg.module };
    if (this.activeJob(pk, dn, pkg.module)) return { error: 'the device has an upgrade of module ' + pkg.module + ' in progress' };
    const now = Date.now();
    const job: OtaJob = {
      id: 'job' + randomBytes(6).toString('hex'),
      packageId, productKey: pk, deviceName: dn, module: pkg.module, fromVersion: from, version: pkg.version,
      status: 'queued', step: 0, desc: '', token: randomBytes(16).toString('hex'), bytesServed: 0, createdAt: now, updatedAt: now,
    };
    this.jobs.push(job);
    return job;
  }

  activeJob(pk: string, dn: string, module: string): OtaJob | undefined {
    return this.jobs.find((j) => j.productKey === pk && j.deviceName === dn && j.module === module && ACTIVE.includes(j.status));
  }

  jobByToken(token: string): OtaJob | undefined {
    return this.jobs.find((j) => j.token === token);
  }

  jobsOf(pk: string, dn: string): OtaJob[] {
    return this.jobs.filter((j) => j.productKey === pk && j.deviceName === dn);
  }

  update(job: OtaJob, change: Partial<Pick<OtaJob, 'status' | 'step' | 'desc'>>): void {
    Object.assign(job, change, { updatedAt: Date.now() });
    this.core.emit('ota', { ...job });
  }

  versionOf(pk: string, dn: string, module: string): string | undefined {
    return this.versions.get(deviceKey(pk, dn))?.[module];
  }

  versionsOf(pk: string, dn: string): Record<string, string> {
    return { ...(this.versions.get(deviceKey(pk, dn)) ?? {}) };
  }

  setVersion(pk: string, dn: string, module: string, version: string): void {
    const key = deviceKey(pk, dn);
    const v = this.versions.get(key) ?? {};
    v[module] = version;
    this.versions.set(key, v);
  }
}
