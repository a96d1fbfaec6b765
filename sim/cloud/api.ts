/** The inspection and driving API handed to tests, the CLI and a console page: devices and
 *  online state, the message log, last properties, and cloud-side actions (property set,
 *  service calls, raw push, shadow desired, enable/disable, drop a connection), plus events. */
import type { CloudCore, DeviceState, DownlinkResult, Session } from './core';
import type { LogEntry } from './log';
import type { DeviceRecord, ProductRecord } from './registry';
import { invokeAsync, setProperties } from './handlers/thing';
import { invokeSync, rrpcRaw, rrpcCustom, rawSync } from './handlers/rrpc';
import { pushRaw } from './handlers/raw';
import { setDesired } from './handlers/shadow';
import { publishCustom } from './handlers/custom';
import { uploadsOf, type UploadView } from './handlers/upload';
import { gatewaysOf, onDeviceDeleted, onDeviceDisabled, onDeviceEnabled, type SubRef } from './gateways';
import type { StoredFile } from './file-store';
import { otaOf, startJob } from './handlers/ota';
import type { OtaJob, OtaPackage, OtaStore, Refusal } from './ota-store';

export interface DeviceView {
  productKey: string;
  deviceName: string;
  online: boolean;
  disabled: boolean;
  activated: boolean;
  /** clientId and transport of the live connection, when online. */
  clientId?: string;
  tls?: boolean;
}

export interface ConnectEvent { productKey: string; deviceName: string; clientId: string; tls: boolean }
export interface DisconnectEvent { productKey: string; deviceName: string; clientId: string; reason: string }

export type CloudEvents = {
  message: (e: LogEntry) => void;
  connect: (e: ConnectEvent) => void;
  disconnect: (e: DisconnectEvent) => void;
  properties: (e: { productKey: string; deviceName: string; params: Record<string, unknown> }) => void;
  event: (e: { productKey: string; deviceName: string; eventId: string; value: unknown; time: number }) => void;
  custom: (e: { productKey: string; deviceName: string; topic: string; payload: Buffer }) => void;
  rawReply: (e: { productKey: string; deviceName: string; payload: Buffer }) => void;
  /** An OTA job changed (status, step). */
  ota: (e: OtaJob) => void;
};

export class CloudApi {
  constructor(readonly core: CloudCore) {}

  products(): ProductRecord[] {
    return this.core.registry.allProducts();
  }

  devices(): DeviceView[] {
    return this.core.registry.allDevices().map((d) => this.view(d));
  }

  device(pk: string, dn: string): DeviceView | undefined {
    const d = this.core.registry.device(pk, dn);
    return d && this.view(d);
  }

  isOnline(pk: string, dn: string): boolean {
    return !!this.live(pk, dn);
  }

  /** Message log, oldest first; filter by device and/or any predicate. */
  messages(filter: { productKey?: string; deviceName?: string; where?: (e: LogEntry) => boolean } = {}): LogEntry[] {
    return this.core.log.entries((e) =>
      (filter.productKey === undefined || e.productKey === filter.productKey) &&
      (filter.deviceName === undefined || e.deviceName === filter.deviceName) &&
      (!filter.where || filter.where(e)));
  }

  clearMessages(): void {
    this.core.log.clear();
  }

  /** Last reported value (and time) of each property. */
  properties(pk: string, dn: string): DeviceState['props'] {
    return { ...this.core.stateOf(pk, dn).props };
  }

  /** Recent numeric values of each property, oldest first (at most PROPERTY_HISTORY each). */
  propertyHistory(pk: string, dn: string): DeviceState['history'] {
    const h = this.core.stateOf(pk, dn).history;
    const out: DeviceState['history'] = {};
    for (const id in h) out[id] = h[id].slice();
    return out;
  }

  events(pk: string, dn: string): DeviceState['events'] {
    return [...this.core.stateOf(pk, dn).events];
  }

  shadow(pk: string, dn: string): DeviceState['shadow'] {
    return JSON.parse(JSON.stringify(this.core.stateOf(pk, dn).shadow)) as DeviceState['shadow'];
  }

  /** Property set; resolves with the device's set_reply, or timeout/offline/refused (TSL). */
  setProperties(pk: string, dn: string, params: Record<string, unknown>, opts: { timeoutMs?: number } = {}): Promise<DownlinkResult> {
    return setProperties(this.core, pk, dn, params, opts.timeoutMs);
  }

  /** Service call: async on `/thing/service/<id>`, or sync over RRPC (ext or classic). */
  invokeService(pk: string, dn: string, serviceId: string, params: Record<string, unknown>, opts: { sync?: boolean; timeoutMs?: number } = {}): Promise<DownlinkResult> {
    return opts.sync ? invokeSync(this.core, pk, dn, serviceId, params, opts.timeoutMs) : invokeAsync(this.core, pk, dn, serviceId, params, opts.timeoutMs);
  }

  /** The `RRpc` API: arbitrary bytes to `/rrpc/request/<id>`; the reply's data is the
   *  parsed JSON reply or the raw response bytes. */
  rrpc(pk: string, dn: string, payload: Uint8Array | string, opts: { timeoutMs?: number } = {}): Promise<DownlinkResult> {
    return rrpcRaw(this.core, pk, dn, Buffer.from(payload), opts.timeoutMs);
  }

  /** Custom-topic RRPC: `payload` to a device subscribed to `/ext/rrpc/+/${topic}`; resolves
   *  with its answer on the same topic (data: the bytes, or the parsed JSON reply). */
  rrpcTopic(pk: string, dn: string, topic: string, payload: Uint8Array | string, opts: { timeoutMs?: number } = {}): Promise<DownlinkResult> {
    return rrpcCustom(this.core, pk, dn, topic, Buffer.from(payload), opts.timeoutMs);
  }

  /** A synchronous call on a raw product: bytes down through ext RRPC, the device's bytes back. */
  invokeRawSync(pk: string, dn: string, bytes: Uint8Array, opts: { timeoutMs?: number } = {}): Promise<DownlinkResult> {
    return rawSync(this.core, pk, dn, Buffer.from(bytes), opts.timeoutMs);
  }

  pushRaw(pk: string, dn: string, bytes: Uint8Array): boolean {
    return pushRaw(this.core, pk, dn, bytes);
  }

  /** Cloud → device on a custom topic `/${pk}/${dn}/${suffix}` (the `Pub` API). */
  publish(pk: string, dn: string, suffix: string, payload: Buffer | string, qos: 0 | 1 = 0): boolean {
    return publishCustom(this.core, pk, dn, suffix, payload, qos);
  }

  setDesired(pk: string, dn: string, desired: Record<string, unknown>): boolean {
    return setDesired(this.core, pk, dn, desired);
  }

  /** Disabling also drops the live connection, as the console does. */
  disable(pk: string, dn: string): boolean {
    const d = this.core.registry.device(pk, dn);
    if (!d) return false;
    d.disabled = true;
    this.core.registry.changed();
    this.dropConnection(pk, dn);
    onDeviceDisabled(this.core, pk, dn);
    return true;
  }

  enable(pk: string, dn: string): boolean {
    const d = this.core.registry.device(pk, dn);
    if (!d) return false;
    d.disabled = false;
    this.core.registry.changed();
    onDeviceEnabled(this.core, pk, dn);
    return true;
  }

  /** Closes the device's connection (the socket, without DISCONNECT); false if offline. */
  dropConnection(pk: string, dn: string): boolean {
    const s = this.live(pk, dn);
    if (!s) return false;
    s.client.close();
    return true;
  }

  /** Adds or replaces a device (e.g. from a test); returns the stored record. */
  addDevice(d: DeviceRecord): DeviceRecord {
    return this.core.registry.addDevice(d);
  }

  /** Deletes a device as the console does: its connection is closed and, for a sub-device,
   *  its gateway is told on thing/topo/change (status 1) and loses it from the topology. */
  deleteDevice(pk: string, dn: string): boolean {
    if (!this.core.registry.device(pk, dn)) return false;
    this.dropConnection(pk, dn);
    onDeviceDeleted(this.core, pk, dn);
    return this.core.registry.removeDevice(pk, dn);
  }

  /** A gateway's sub-devices (topo relations), in the order they were added. */
  topology(gwPk: string, gwDn: string): SubRef[] {
    return gatewaysOf(this.core).topology(gwPk, gwDn);
  }

  /** Sub-devices logged in through the gateway's live connection. */
  subdevicesOnline(gwPk: string, gwDn: string): SubRef[] {
    return gatewaysOf(this.core).online(gwPk, gwDn);
  }

  /** Files a device finished uploading over MQTT (§5), by name. */
  files(pk: string, dn: string): StoredFile[] {
    return uploadsOf(this.core).files(pk, dn);
  }

  /** The bytes of an uploaded file; undefined when there is no such finished file. */
  readFile(pk: string, dn: string, fileName: string): Buffer | undefined {
    return uploadsOf(this.core).readFile(pk, dn, fileName);
  }

  /** Unfinished uploads of a device (what `append` would resume). */
  uploadsInProgress(pk: string, dn: string): UploadView[] {
    return uploadsOf(this.core).inProgress(pk, dn);
  }

  /** OTA packages, jobs and reported versions (handlers/ota.ts), and its test knobs. */
  get ota(): OtaStore {
    return otaOf(this.core);
  }

  /** Adds an upgrade package for a product (module "default" unless given; signMethod MD5 unless SHA256). */
  addOtaPackage(p: { productKey: string; module?: string; version: string; bytes: Buffer; signMethod?: string; fileName?: string }): OtaPackage | Refusal {
    return otaOf(this.core).addPackage(p);
  }

  /** Starts upgrading a device to a package; the notice goes out now or when it next reports a version. */
  startOta(pk: string, dn: string, packageId: string): OtaJob | Refusal {
    return startJob(this.core, pk, dn, packageId);
  }

  on<E extends keyof CloudEvents>(event: E, listener: CloudEvents[E]): this {
    this.core.on(event, listener as (...a: unknown[]) => void);
    return this;
  }

  off<E extends keyof CloudEvents>(event: E, listener: CloudEvents[E]): this {
    this.core.off(event, listener as (...a: unknown[]) => void);
    return this;
  }

  once<E extends keyof CloudEvents>(event: E, listener: CloudEvents[E]): this {
    this.core.once(event, listener as (...a: unknown[]) => void);
    return this;
  }

  private live(pk: string, dn: string): Session | undefined {
    const s = this.core.sessions.get(pk + '/' + dn);
    return s && !s.client.closed ? s : undefined;
  }

  private view(d: DeviceRecord): DeviceView {
    const s = this.live(d.productKey, d.deviceName);
    return {
      productKey: d.productKey, deviceName: d.deviceName, online: !!s, disabled: !!d.disabled, activated: !!d.activated,
      ...(s ? { clientId: s.clientId, tls: s.tls } : {}),
    };
  }
}
