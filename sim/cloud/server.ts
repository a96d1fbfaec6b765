/** aedes plus hooks, and the MQTT (plain and TLS) listeners. No broker logic is forked:
 *  preConnect/authenticate decide logins, authorizePublish/authorizeSubscribe enforce topic
 *  ownership, `published` feeds the router, authorizeForward keeps device uplinks from being
 *  echoed to subscribers. Downlinks go straight to a connection (core.sendDown). */
import net from 'node:net';
import tls from 'node:tls';
import { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { Aedes, type AedesPublishPacket, type Client, type PublishPacket, type Subscription } from 'aedes';
import { publishDenied, subscribeDenied, ownerOf } from './acl';
import type { CloudCore, Session } from './core';
import { decideLogin } from './login';
import { payloadText } from './log';
import { guardPacketSize } from './packet-guard';
import { deviceKey } from './registry';
import { pushRegistration } from './handlers/register';
import type { Verdict } from './uplink';

export interface MqttServers {
  broker: Aedes;
  mqttPort: number;
  tlsPort: number;
  close(): Promise<void>;
}

/** Forbidden publishes are diverted here: the device still gets its PUBACK (the emulator drops,
 *  it does not disconnect), nothing is routed, and no device may subscribe to `$` topics. */
const DROP_PREFIX = '$dropped/';

function isTls(client: Client): boolean {
  return (client.conn as tls.TLSSocket).encrypted === true;
}

/** The first byte of a TLS record carrying a ClientHello (handshake content type 22). An MQTT
 *  CONNECT starts with 0x10. */
const TLS_HANDSHAKE = 0x16;

/** A Duplex over `raw` that first yields `head` (bytes already read from it): TLSSocket reads a
 *  plain Duplex through its own stream wrapper, so nothing read while sniffing is lost. */
function replaying(raw: net.Socket, head: Buffer): Duplex {
  const d = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk, _enc, cb) {
      raw.write(chunk, cb);
    },
    final(cb) {
      raw.end();
      cb();
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  d.push(head);
  raw.on('data', (c: Buffer) => {
    if (!d.push(c)) raw.pause();
  });
  raw.on('end', () => d.push(null));
  raw.on('close', () => d.destroy());
  raw.on('error', (e) => d.destroy(e));
  return d;
}

export async function startMqtt(core: CloudCore, opts: { host: string; mqttPort: number; tlsPort: number; certPem: string; keyPem: string }): Promise<MqttServers> {
  const keepalives = new WeakMap<Client, number>();
  /** The clientId each device sent. aedes keys its clients by clientId and closes the older of
   *  two with the same one; the platform keys connections by device (productKey+deviceName), so
   *  aedes is given "<username> <clientId>" and a device using another's clientId string
   *  disconnects nobody but, through takeOver(), an older login of itself. */
  const sentIds = new WeakMap<Client, string>();
  const lastError = new WeakMap<Client, string>();
  /** QoS > 0 uplinks whose connection was corked in authorizePublish, until `published`.
   *  aedes sends the PUBACK before it publishes, and the reply one turn of the event loop
   *  later: two writes, two segments and two reads on the device for every request. Corked,
   *  both go out in one write, as a TCP stack may coalesce them anyway; the order of the
   *  packets is unchanged. Every other path of a corked uplink closes the connection. */
  const heldAcks = new WeakSet<object>();
  const product = (pk: string) => core.registry.product(pk);

  const broker = await Aedes.createBroker({
    // The real limit is the platform's; 64 chars of prefix plus the `|...|` options.
    maxClientsIdLength: 512,
    heartbeatInterval: 3600_000,
    connectTimeout: 10_000,
    drainTimeout: 10_000,

    preConnect(client, packet, done) {
      keepalives.set(client, packet.keepalive ?? 0);
      sentIds.set(client, packet.clientId);
      packet.clientId = (packet.username ?? '') + ' ' + packet.clientId;
      done(null, true);
    },

    authenticate(client, username, password, done) {
      const clientId = sentIds.get(client) ?? client.id;
      const d = decideLogin(core.registry, { clientId, username, password, keepalive: keepalives.get(client) ?? 0, tls: isTls(client), instanceId: core.options.instanceId });
      if (!d.ok) {
        const who = (username ?? '').split('&');
        core.log.add({ direction: 'up', productKey: who[1], deviceName: who[0], topic: '$connect', payload: 'clientId=' + clientId, verdict: 'refused', code: d.returnCode, detail: d.reason });
        const err = Object.assign(new Error(d.reason), { returnCode: d.returnCode });
        return done(err, false);
      }
      const session: Session = {
        client, productKey: d.productKey, deviceName: d.deviceName, key: deviceKey(d.productKey, d.deviceName),
        clientId, tls: isTls(client), autoSubscribe: d.autoSubscribe, extRrpc: d.extRrpc, kind: d.kind,
        connectedAt: Date.now(), proxied: new Set(), filters: new Map(),
      };
      core.bySocket.set(client, session);
      // Registered before CONNACK goes out: the device may publish the moment it sees it.
      if (session.kind === 'device') takeOver(session);
      done(null, true);
    },

    authorizePublish(client, packet, done) {
      const session = client ? core.bySocket.get(client) : undefined;
      if (!session) return done(new Error('not logged in'));
      const size = packet.payload ? packet.payload.length : 0;
      if (size > core.options.maxPayloadBytes) {
        core.log.add({ direction: 'up', productKey: session.productKey, deviceName: session.deviceName, topic: packet.topic, payload: '(' + size + ' bytes)', verdict: 'rejected', detail: 'payload larger than ' + core.options.maxPayloadBytes + ' bytes; connection closed' });
        return done(new Error('payload too large'));
      }
      // The platform keeps no retained messages: the flag is dropped, so aedes stores nothing.
      packet.retain = false;
      const denied = session.kind !== 'device' ? 'registration connections may not publish' : publishDenied(session, packet.topic, product);
      if (denied) {
        core.log.add({ direction: 'up', productKey: session.productKey, deviceName: session.deviceName, topic: packet.topic, payload: payloadText(packet.payload as Buffer), verdict: 'forbidden', detail: denied });
        const refusedTopic = packet.topic;
        packet.topic = DROP_PREFIX + session.key;
        for (const hook of core.deniedPublishHooks) {
          try {
            hook(session, refusedTopic, (packet.payload ?? Buffer.alloc(0)) as Buffer);
          } catch {
            // an extension's bug must not take the broker down
          }
        }
      }
      // A QoS 1/2 uplink: its PUBACK is held back until the uplink has been routed (see
      // `published`), so the acknowledgement and the reply leave in one segment.
      if (packet.qos && client) {
        client.conn.cork();
        heldAcks.add(packet);
      }
      done(null);
    },

    authorizeSubscribe(client, sub, done) {
      const session = core.bySocket.get(client);
      const denied = !session ? 'not logged in' : session.kind !== 'device' ? 'registration connections may not subscribe' : subscribeDenied(session, sub.topic, product);
      if (denied) {
        core.log.add({ direction: 'up', productKey: session?.productKey, deviceName: session?.deviceName, topic: sub.topic, payload: 'SUBSCRIBE', verdict: 'forbidden', detail: denied });
        return done(null, null); // SUBACK 0x80 for this filter [MQTT-3.9.3]
      }
      // The platform grants at most QoS 1 (§8).
      const qos = Math.min(sub.qos, 1) as Subscription['qos'];
      session!.filters.set(sub.topic, qos);
      done(null, { ...sub, qos });
    },

    authorizeForward(client, packet) {
      // Device uplinks reach the cloud, not other subscribers — except custom topics, which
      // the broker routes as usual (only the device itself can hold such a subscription).
      if ((packet as { clientId?: string }).clientId !== undefined && ownerOf(packet.topic)?.family !== 'custom') return null;
      return packet;
    },

    published(packet, client, done) {
      if (client && packet.topic.charCodeAt(0) !== 36 /* $ */) route(core, client, packet);
      // aedes writes a reply in an immediate queued while routing; this one runs after it.
      if (client && heldAcks.delete(packet)) setImmediate(() => client.conn.uncork());
      done(null);
    },
  });

  function takeOver(session: Session): void {
    const previous = core.sessions.get(session.key);
    core.sessions.set(session.key, session);
    // One live connection per device: a second login closes the first (DOC-73742).
    if (previous && previous.client !== session.client) {
      lastError.set(previous.client, 'replaced by a new login of the same device');
      previous.client.close();
    }
    const device = core.registry.device(session.productKey, session.deviceName);
    if (device && !device.activated) {
      device.activated = true;
      core.registry.changed();
    }
  }

  broker.on('clientReady', (client: Client) => {
    const session = core.bySocket.get(client);
    if (!session) return;
    if (session.kind !== 'device') return pushRegistration(core, session);
    core.emit('connect', { productKey: session.productKey, deviceName: session.deviceName, clientId: session.clientId, tls: session.tls });
  });

  broker.on('unsubscribe', (topics: string[], client: Client) => {
    const session = core.bySocket.get(client);
    if (session) for (const t of topics) session.filters.delete(t);
  });

  broker.on('clientError', (client: Client, err: Error) => lastError.set(client, err.message));

  broker.on('clientDisconnect', (client: Client) => {
    const session = core.bySocket.get(client);
    if (!session || session.kind !== 'device') return;
    if (core.sessions.get(session.key) === session) core.sessions.delete(session.key);
    for (const [key, s] of core.proxies) if (s === session) core.proxies.delete(key);
    core.emit('disconnect', { productKey: session.productKey, deviceName: session.deviceName, clientId: session.clientId, reason: lastError.get(client) ?? 'closed' });
  });

  // A PUBLISH may carry the largest payload, a topic of up to 65,535 bytes and a packet id.
  const maxBody = core.options.maxPayloadBytes + 65_539;
  const onSocket = (socket: net.Socket) => {
    socket.setNoDelay(true);
    let client: Client | undefined;
    guardPacketSize(socket, maxBody, (announced) => {
      const session = client ? core.bySocket.get(client) : undefined;
      core.log.add({ direction: 'up', productKey: session?.productKey, deviceName: session?.deviceName, topic: '$packet', payload: '(' + announced + ' bytes announced)', verdict: 'rejected', detail: 'packet larger than ' + maxBody + ' bytes; connection closed' });
    });
    client = broker.handle(socket);
  };
  // The MQTT port serves plain MQTT and MQTT over TLS alike, as the platform's 1883 and 443 do
  // (DOC-147356, alink-protocol.md 1.1): the first byte tells a ClientHello from a CONNECT.
  const secureContext = tls.createSecureContext({ cert: opts.certPem, key: opts.keyPem });
  const plain = net.createServer((raw) => {
    raw.setNoDelay(true);
    raw.on('error', () => undefined);
    // Until its first byte a socket is nobody's: give it aedes' CONNECT deadline.
    raw.setTimeout(10_000, () => raw.destroy());
    raw.once('data', (head: Buffer) => {
      raw.setTimeout(0);
      raw.pause();
      if (head[0] !== TLS_HANDSHAKE) {
        raw.unshift(head);
        // aedes reads with 'readable' + read(), which picks the bytes up again
        onSocket(raw);
        return;
      }
      const t = new tls.TLSSocket(replaying(raw, head) as unknown as net.Socket, { isServer: true, secureContext });
      // A failed handshake only concerns that socket; closing either side closes both.
      t.on('error', () => raw.destroy());
      t.on('close', () => raw.destroy());
      onSocket(t);
    });
  });
  const secure = tls.createServer({ cert: opts.certPem, key: opts.keyPem }, onSocket);
  // A failed handshake (garbage on the TLS port) only concerns that socket.
  secure.on('tlsClientError', () => undefined);
  const listen = (server: net.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, opts.host, () => resolve((server.address() as AddressInfo).port));
    });
  const mqttPort = await listen(plain, opts.mqttPort);
  const tlsPort = await listen(secure, opts.tlsPort);

  return {
    broker,
    mqttPort,
    tlsPort,
    close: async () => {
      const closeServer = (s: net.Server) => new Promise<void>((r) => s.close(() => r()));
      const closing = Promise.all([closeServer(plain), closeServer(secure)]);
      await new Promise<void>((r) => broker.close(() => r()));
      await closing;
    },
  };
}

/** One uplink: find its route, run the handler, log the message with the handler's verdict. */
function route(core: CloudCore, client: Client, packet: AedesPublishPacket | PublishPacket): void {
  const session = core.bySocket.get(client);
  if (!session) return;
  const topic = packet.topic;
  const payload = (packet.payload ?? Buffer.alloc(0)) as Buffer;
  const match = core.router.match(topic);
  const vars = match?.vars ?? {};
  const owner = vars.pk && vars.dn ? { productKey: vars.pk, deviceName: vars.dn } : ownerOf(topic) ?? session;
  const entry = core.log.reserve({ direction: 'up', productKey: owner.productKey, deviceName: owner.deviceName, topic, payload: payloadText(payload), verdict: 'pending' });
  let v: Verdict;
  if (!match) v = { verdict: 'unhandled', detail: 'no handler for this topic' };
  else {
    try {
      v = match.handler({ core, session, topic, payload, vars, productKey: owner.productKey, deviceName: owner.deviceName });
    } catch (e) {
      // A handler bug must not take the broker down; the device simply gets no reply.
      v = { verdict: 'error', code: 500, detail: (e as Error).message };
    }
  }
  entry.verdict = v.verdict;
  if (v.code !== undefined) entry.code = v.code;
  if (v.detail !== undefined) entry.detail = v.detail;
  core.log.commit(entry);
}
