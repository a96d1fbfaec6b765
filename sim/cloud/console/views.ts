/** What the console page may see, built field by field from the API so that nothing secret
 *  (deviceSecret, deviceToken, productSecret, the product's raw script) can leak through a
 *  record that grows new fields later. */
import type { CloudApi } from '../api';
import type { LogEntry } from '../log';
import { redact } from '../log';

export interface SubDeviceView {
  productKey: string;
  deviceName: string;
  online: boolean;
}

export interface ConsoleDeviceView {
  productKey: string;
  deviceName: string;
  productName: string;
  nodeType: 'device' | 'gateway' | 'subdevice';
  online: boolean;
  disabled: boolean;
  activated: boolean;
  /** Transport of the device's own connection, when it has one. */
  tls?: boolean;
  /** "pk/dn" of the gateway whose topology holds this sub-device. */
  gateway?: string;
  /** A gateway's topology, in the order the sub-devices were added. */
  subDevices?: SubDeviceView[];
}

export interface ConsoleServiceView {
  identifier: string;
  callType?: string;
  /** Input identifiers and types, to prefill the call's params. */
  inputs: { identifier: string; type: string }[];
}

export interface ConsoleProductView {
  productKey: string;
  name: string;
  nodeType: string;
  /** Property identifiers with access mode, and services, from the thing model (if any). */
  properties: { identifier: string; type: string; accessMode: string }[];
  services: ConsoleServiceView[];
}

function key(pk: string, dn: string): string {
  return pk + '/' + dn;
}

export function deviceViews(api: CloudApi): ConsoleDeviceView[] {
  const products = new Map(api.products().map((p) => [p.productKey, p]));
  const subOnline = new Set<string>();
  const gatewayOf = new Map<string, string>();
  const topologies = new Map<string, SubDeviceView[]>();
  for (const d of api.devices()) {
    if (products.get(d.productKey)?.nodeType !== 'gateway') continue;
    // A sub-device is online while a gateway's live connection has it logged in.
    for (const s of api.subdevicesOnline(d.productKey, d.deviceName)) subOnline.add(key(s.productKey, s.deviceName));
    const topo = api.topology(d.productKey, d.deviceName);
    for (const s of topo) gatewayOf.set(key(s.productKey, s.deviceName), key(d.productKey, d.deviceName));
    topologies.set(key(d.productKey, d.deviceName), topo.map((s) => ({ productKey: s.productKey, deviceName: s.deviceName, online: false })));
  }
  return api.devices().map((d) => {
    const p = products.get(d.productKey);
    const k = key(d.productKey, d.deviceName);
    const view: ConsoleDeviceView = {
      productKey: d.productKey,
      deviceName: d.deviceName,
      productName: p?.name ?? '',
      nodeType: p?.nodeType ?? 'device',
      online: d.online || subOnline.has(k),
      disabled: d.disabled,
      activated: d.activated,
    };
    if (d.tls !== undefined) view.tls = d.tls;
    const gw = gatewayOf.get(k);
    if (gw) view.gateway = gw;
    const topo = topologies.get(k);
    if (topo) view.subDevices = topo.map((s) => ({ ...s, online: subOnline.has(key(s.productKey, s.deviceName)) }));
    return view;
  });
}

export function productView(api: CloudApi, pk: string): ConsoleProductView | undefined {
  const p = api.products().find((x) => x.productKey === pk);
  if (!p) return undefined;
  return {
    productKey: p.productKey,
    name: p.name ?? '',
    nodeType: p.nodeType ?? 'device',
    properties: (p.tsl?.properties ?? []).map((x) => ({ identifier: x.identifier, type: x.dataType.type, accessMode: x.accessMode ?? 'rw' })),
    services: (p.tsl?.services ?? []).map((s) => {
      const view: ConsoleServiceView = { identifier: s.identifier, inputs: (s.inputData ?? []).map((i) => ({ identifier: i.identifier, type: i.dataType.type })) };
      if (s.callType) view.callType = s.callType;
      return view;
    }),
  };
}

/** A log entry as served: the payload redacted once more, in case a new message kind
 *  reaches the log without it. */
export function messageView(e: LogEntry): LogEntry {
  const out: LogEntry = { seq: e.seq, time: e.time, direction: e.direction, topic: e.topic, payload: redact(e.payload), verdict: e.verdict };
  if (e.productKey !== undefined) out.productKey = e.productKey;
  if (e.deviceName !== undefined) out.deviceName = e.deviceName;
  if (e.code !== undefined) out.code = e.code;
  if (e.detail !== undefined) out.detail = redact(e.detail);
  return out;
}
