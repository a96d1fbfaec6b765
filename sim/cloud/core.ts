/** The emulator's shared state and the one way down to a device: sessions (who is online on
 *  which connection), the message log, pending cloud→device requests, per-device runtime state
 *  (last properties, events, shadow) and sendDown(). Handlers, the API and extensions all work
 *  through this object. */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Client } from 'aedes';
import { MessageLog, payloadText, type LogEntry } from './log';
import { Registry, deviceKey } from './registry';
import { Router } from './router';
import { matchFilter } from './topic';
import { buildReply, methodFromTopic, type AlinkRequest } from './alink';
import type { Uplink } from './uplink';
import type { RawScript } from './raw-script';

/** One authenticated MQTT connection. */
export interface Session {
  client: Client;
  productKey: string;
  deviceName: string;
  /** `pk/dn` */
  key: string;
  clientId: string;
  tls: boolean;
  /** `_ss=1`: system topics are delivered without a SUBSCRIBE. */
  autoSubscribe: boolean;
  /** `ext` bit 0: synchronous services go over `/ext/rrpc/...`. */
  extRrpc: boolean;
  /** 'device' (normal login), or a dynamic-registration connection that gets one push. */
  kind: 'device' | 'register' | 'regnwl';
  connectedAt: number;
  /** Keys `pk/dn` of devices this connection may act for (filled by the gateway handlers). */
  proxied: Set<string>;
  /** Granted subscription filters → QoS, recorded when authorised. aedes registers a
   *  subscription asynchronously, so a PUBLISH right behind a SUBSCRIBE would otherwise be
   *  answered before the filter exists; the platform handles a connection's packets in order. */
  filters: Map<string, number>;
}

export type DownlinkResult =
  | { status: 'reply'; code: number; data: unknown; message?: string; id?: string }
  | { status: 'timeout' }
  | { status: 'offline' }
  /** Refused by the cloud before sending (e.g. TSL check); nothing went to the device. */
  | { status: 'refused'; code: number; message: string };

export interface PropertyValue {
  value: unknown;
  /** Device-supplied time (ms) or the arrival time. */
  time: number;
}

export interface ShadowDoc {
  desired: Record<string, unknown>;
  reported: Record<string, unknown>;
  metadata: { desired: Record<string, { timestamp: number }>; reported: Record<string, { timestamp: number }> };
  version: number;
}

/** Numeric samples kept per property for the console's charts (the platform's console shows recent history too). */
export const PROPERTY_HISTORY = 60;

export interface DeviceState {
  props: Record<string, PropertyValue>;
  /** The last PROPERTY_HISTORY numeric values of each property, oldest first. */
  history: Record<string, PropertyValue[]>;
  /** Most recent events, newest last (bounded). */
  events: { id: string; value: unknown; time: number }[];
  shadow: ShadowDoc;
}

export interface CoreOptions {
  /** How long the cloud waits for a device's reply to a downlink request (platform: 8 s). */
  replyTimeoutMs: number;
  /** Largest PUBLISH payload accepted; bigger ones close the connection. */
  maxPayloadBytes: number;
  logCapacity: number;
  /** Raw data scripts by productKey (override the registry's `rawScript`). */
  rawScripts: Record<string, RawScript>;
  /** Where extensions keep files (uploads); absent: in memory. */
  dataDir?: string;
  /** The instance this emulator plays (StartOptions.instanceId); absent: a legacy instance. */
  instanceId?: string;
}

export interface SendOptions {
  qos?: 0 | 1;
  force?: boolean;
  then?: () => void;
}

interface Pending {
  resolve: (r: DownlinkResult) => void;
  timer: NodeJS.Timeout;
}

const SYSTEM_PREFIXES = ['/sys/', '/ext/ntp/', '/ota/device/upgrade/', '/shadow/get/', '/ext/session/', '/ext/register', '/ext/regnwl', '/ext/error/'];

/** File upload replies: Link SDK 4.x (`aiot_mqtt_upload_api.c`) and the HaaS module subscribe
 *  these explicitly, so the emulator does not count them among what `_ss=1` covers. */
const UPLOAD_REPLY = /^\/sys\/[^/]+\/[^/]+\/thing\/file\/upload\/mqtt\/[a-z]+_reply$/;

/** Topics `_ss=1` delivers without a SUBSCRIBE (alink-protocol.md §9 item 2): system topics;
 *  through `/ext/rrpc/<id>/` only system ones (a custom-topic RRPC needs the device's own
 *  subscription to `/ext/rrpc/+/<topic>`). */
export function isSystemTopic(topic: string): boolean {
  if (topic.startsWith('/ext/rrpc/')) {
    const slash = topic.indexOf('/', 10);
    return slash > 0 && isSystemTopic(topic.slice(slash));
  }
  if (UPLOAD_REPLY.test(topic)) return false;
  for (const p of SYSTEM_PREFIXES) if (topic.startsWith(p)) return true;
  return false;
}

export class CloudCore extends EventEmitter {
  readonly log: MessageLog;
  readonly router = new Router();
  /** Online sessions by device key. */
  readonly sessions = new Map<string, Session>();
  /** Devices reachable through another device's connection (gateway sub-devices): key → session. */
  readonly proxies = new Map<string, Session>();
  readonly bySocket = new WeakMap<Client, Session>();
  /** Called after the ACL refused a publish (already logged as 'forbidden'), so an extension
   *  can answer where the platform does (gateway: 520 for a sub-device not logged in). */
  readonly deniedPublishHooks: ((session: Session, topic: string, payload: Buffer) => void)[] = [];
  /** HTTPS routes of extensions (OTA downloads), tried in order before the built-in ones;
   *  a handler returns true when it answered the request. */
  readonly httpsHandlers: ((req: IncomingMessage, res: ServerResponse) => boolean)[] = [];
  /** Base URL of the HTTPS server ("https://host:port"), set once it listens. */
  httpsUrl: string | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly states = new Map<string, DeviceState>();

  constructor(readonly registry: Registry, readonly options: CoreOptions) {
    super();
    this.log = new MessageLog(options.logCapacity, (e: LogEntry) => {
      if (this.listenerCount('message') > 0) this.emit('message', e);
    });
  }

  /** The connection through which (pk, dn) is reachable: its own, or a proxying gateway's. */
  sessionFor(pk: string, dn: string): Session | undefined {
    const key = deviceKey(pk, dn);
    return this.sessions.get(key) ?? this.proxies.get(key);
  }

  stateOf(pk: string, dn: string): DeviceState {
    const key = deviceKey(pk, dn);
    let s = this.states.get(key);
    if (!s) {
      s = { props: {}, history: {}, events: [], shadow: { desired: {}, reported: {}, metadata: { desired: {}, reported: {} }, version: 0 } };
      this.states.set(key, s);
    }
    return s;
  }

  /** Sends a message to a device if it can receive it: `_ss=1` sessions get system topics
   *  unasked, otherwise one of the connection's subscriptions must match. Logged either way.
   *  Returns whether it was handed to the connection. */
  sendDown(pk: string, dn: string, topic: string, payload: Buffer | string, opts: SendOptions = {}): boolean {
    const s = this.sessionFor(pk, dn);
    if (!s || s.client.closed) {
      const text = payloadText(payload);
      this.log.add({ direction: 'down', productKey: pk, deviceName: dn, topic, payload: text, verdict: 'offline' });
      return false;
    }
    return this.sendToSession(s, topic, payload, opts, pk, dn);
  }

  /** Delivers on one connection (see sendDown); `force` skips the subscription check (pushes
   *  the platform makes unasked, like `/ext/register`); `then` runs once the bytes are written. */
  sendToSession(s: Session, topic: string, payload: Buffer | string, opts: SendOptions = {}, pk = s.productKey, dn = s.deviceName): boolean {
    const text = payloadText(payload);
    let granted = -1;
    if (opts.force || (s.autoSubscribe && isSystemTopic(topic))) granted = 1;
    else {
      for (const [filter, q] of s.filters) {
        if (q > granted && matchFilter(filter, topic)) granted = q;
      }
    }
    if (granted < 0) {
      this.log.add({ direction: 'down', productKey: pk, deviceName: dn, topic, payload: text, verdict: 'dropped', detail: 'device has no subscription for the topic' });
      return false;
    }
    const qos = Math.min(granted, opts.qos ?? 0) as 0 | 1;
    const buf = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const then = opts.then;
    s.client.publish({ cmd: 'publish', topic, payload: buf, qos, retain: false, dup: false }, () => then?.());
    this.log.add({ direction: 'down', productKey: pk, deviceName: dn, topic, payload: text, verdict: 'ok' });
    return true;
  }

  /** Replies to an Alink request on `<topic>_reply`; returns the verdict for the uplink. */
  replyAlink(up: Uplink, req: Pick<AlinkRequest, 'id' | 'method'>, code: number, data?: unknown, message?: string): { verdict: string; code: number; detail?: string } {
    const method = req.method || methodFromTopic(up.topic);
    this.sendDown(up.productKey, up.deviceName, up.topic + '_reply', buildReply(req.id, code, data, method, message));
    return code === 200 ? { verdict: 'replied', code } : { verdict: 'rejected', code, detail: message };
  }

  /** Registers a wait for the device's answer under `key`; the promise settles exactly once,
   *  with the answer (settle()) or `{status:'timeout'}` after `timeoutMs`. */
  expect(key: string, timeoutMs = this.options.replyTimeoutMs): Promise<DownlinkResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        resolve({ status: 'timeout' });
      }, timeoutMs);
      this.pending.set(key, { resolve, timer });
    });
  }

  /** Delivers a device answer to its waiter; false when nobody waits for that key. */
  settle(key: string, result: DownlinkResult): boolean {
    const p = this.pending.get(key);
    if (!p) return false;
    this.pending.delete(key);
    clearTimeout(p.timer);
    p.resolve(result);
    return true;
  }

  cancelWaits(reason: DownlinkResult = { status: 'timeout' }): void {
    for (const [key, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(key);
      p.resolve(reason);
    }
  }
}
