/** The gateways' state in one emulator: each gateway's topology (persisted in its
 *  `DeviceRecord.ext.gatewayTopology`), the reverse index sub-device → gateway, and which
 *  sub-devices are logged in through which connection (core.proxies / session.proxied, which
 *  the ACL and sendDown honour). The request handlers are handlers/gateway-*.ts; the console's
 *  lifecycle calls (disable, enable, delete) are at the end. */
import { nextRequestId } from './alink';
import type { CloudCore, Session } from './core';
import { deviceKey, type DeviceRecord } from './registry';

/** `status` of thing.topo.change (DOC-89299 as remembered: 0 created, 1 deleted, 2 enabled
 *  again, 8 disabled — UNCONFIRMED, §6.2). */
export const TopoChange = { Created: 0, Deleted: 1, Enabled: 2, Disabled: 8 } as const;

const TOPOLOGY_EXT = 'gatewayTopology';

export interface SubRef {
  productKey: string;
  deviceName: string;
}

/** Topologies, their reverse index and sub-device sessions of one emulator. */
export class Gateways {
  /** Sub-device key → key of the gateway whose topology holds it. */
  private readonly gatewayOf = new Map<string, string>();

  constructor(private readonly core: CloudCore) {
    for (const d of core.registry.allDevices()) {
      for (const s of this.listOf(d)) this.gatewayOf.set(deviceKey(s.productKey, s.deviceName), deviceKey(d.productKey, d.deviceName));
    }
  }

  topology(gwPk: string, gwDn: string): SubRef[] {
    const d = this.core.registry.device(gwPk, gwDn);
    return d ? this.listOf(d).map((s) => ({ ...s })) : [];
  }

  gatewayKeyOf(pk: string, dn: string): string | undefined {
    return this.gatewayOf.get(deviceKey(pk, dn));
  }

  /** Sub-devices logged in through the gateway's live connection. */
  online(gwPk: string, gwDn: string): SubRef[] {
    const gwKey = deviceKey(gwPk, gwDn);
    const out: SubRef[] = [];
    for (const [key, s] of this.core.proxies) {
      if (s.key !== gwKey) continue;
      const slash = key.indexOf('/');
      out.push({ productKey: key.slice(0, slash), deviceName: key.slice(slash + 1) });
    }
    return out;
  }

  isLoggedIn(pk: string, dn: string, via?: Session): boolean {
    const s = this.core.proxies.get(deviceKey(pk, dn));
    return !!s && (!via || s === via);
  }

  /** Whether pk/dn is in the topology of a gateway other than `gwKey`: the platform then
   *  hands it to nobody else (sub/register, topo/add) until that gateway removes it. */
  boundElsewhere(pk: string, dn: string, gwKey: string): boolean {
    const owner = this.gatewayOf.get(deviceKey(pk, dn));
    return owner !== undefined && owner !== gwKey;
  }

  /** Adds to the gateway's topology (callers have refused sub-devices bound elsewhere). */
  attach(gw: DeviceRecord, subs: SubRef[]): void {
    const gwKey = deviceKey(gw.productKey, gw.deviceName);
    const list = this.listOf(gw);
    const have = new Set(list.map((s) => deviceKey(s.productKey, s.deviceName)));
    for (const s of subs) {
      const key = deviceKey(s.productKey, s.deviceName);
      if (have.has(key)) continue;
      list.push({ productKey: s.productKey, deviceName: s.deviceName });
      have.add(key);
      this.gatewayOf.set(key, gwKey);
    }
    this.store(gw, list);
  }

  /** Removes from a gateway's topology, logs the sub-devices out and, with `notify`, tells the
   *  gateway on thing/topo/change. */
  detachFrom(gwKey: string, subs: SubRef[], notify?: number): void {
    const slash = gwKey.indexOf('/');
    const gw = this.core.registry.device(gwKey.slice(0, slash), gwKey.slice(slash + 1));
    const drop = new Set(subs.map((s) => deviceKey(s.productKey, s.deviceName)));
    for (const key of drop) {
      if (this.gatewayOf.get(key) === gwKey) this.gatewayOf.delete(key);
    }
    for (const s of subs) this.logout(s.productKey, s.deviceName);
    if (gw) this.store(gw, this.listOf(gw).filter((s) => !drop.has(deviceKey(s.productKey, s.deviceName))));
    if (notify !== undefined) this.notifyChange(gwKey, notify, subs);
  }

  /** Forgets a deleted gateway's topology (its sub-devices become free to attach elsewhere). */
  forgetGateway(gwKey: string): void {
    for (const [sub, gw] of this.gatewayOf) if (gw === gwKey) this.gatewayOf.delete(sub);
  }

  login(session: Session, s: SubRef): void {
    const key = deviceKey(s.productKey, s.deviceName);
    const previous = this.core.proxies.get(key);
    if (previous && previous !== session) previous.proxied.delete(key);
    this.core.proxies.set(key, session);
    session.proxied.add(key);
  }

  logout(pk: string, dn: string): boolean {
    const key = deviceKey(pk, dn);
    const s = this.core.proxies.get(key);
    if (!s) return false;
    s.proxied.delete(key);
    this.core.proxies.delete(key);
    return true;
  }

  notifyChange(gwKey: string, status: number, subs: SubRef[]): void {
    const slash = gwKey.indexOf('/');
    const pk = gwKey.slice(0, slash);
    const dn = gwKey.slice(slash + 1);
    const body = { id: nextRequestId(), version: '1.0', params: { status, subList: subs.map((s) => ({ productKey: s.productKey, deviceName: s.deviceName })) }, method: 'thing.topo.change' };
    this.core.sendDown(pk, dn, `/sys/${pk}/${dn}/thing/topo/change`, JSON.stringify(body), { qos: 1 });
  }

  private listOf(d: DeviceRecord): SubRef[] {
    const v = d.ext?.[TOPOLOGY_EXT];
    return Array.isArray(v) ? (v as SubRef[]) : [];
  }

  private store(gw: DeviceRecord, list: SubRef[]): void {
    gw.ext = { ...(gw.ext ?? {}), [TOPOLOGY_EXT]: list };
    this.core.registry.changed();
  }
}

const services = new WeakMap<CloudCore, Gateways>();

export function gatewaysOf(core: CloudCore): Gateways {
  let g = services.get(core);
  if (!g) services.set(core, (g = new Gateways(core)));
  return g;
}

/** Console-side lifecycle (called by the API). */
export function onDeviceDisabled(core: CloudCore, pk: string, dn: string): void {
  const g = gatewaysOf(core);
  const gwKey = g.gatewayKeyOf(pk, dn);
  if (!gwKey) return;
  g.logout(pk, dn);
  g.notifyChange(gwKey, TopoChange.Disabled, [{ productKey: pk, deviceName: dn }]);
}

export function onDeviceEnabled(core: CloudCore, pk: string, dn: string): void {
  const g = gatewaysOf(core);
  const gwKey = g.gatewayKeyOf(pk, dn);
  if (gwKey) g.notifyChange(gwKey, TopoChange.Enabled, [{ productKey: pk, deviceName: dn }]);
}

export function onDeviceDeleted(core: CloudCore, pk: string, dn: string): void {
  const g = gatewaysOf(core);
  g.forgetGateway(deviceKey(pk, dn));
  const gwKey = g.gatewayKeyOf(pk, dn);
  if (gwKey) g.detachFrom(gwKey, [{ productKey: pk, deviceName: dn }], TopoChange.Deleted);
}
