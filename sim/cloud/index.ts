/** Starts the local Alibaba Cloud IoT Platform emulator: MQTT (plain + TLS), HTTPS and the
 *  console page (HTTP) on loopback, a registry of products/devices, and the driving API.
 *
 *    const cloud = await start({ registry, replyTimeoutMs: 500 });
 *    ... cloud.mqttPort, cloud.tlsPort, cloud.httpsPort, cloud.consoleUrl, cloud.caPem, cloud.api ...
 *    await cloud.stop();
 */
import { join } from 'node:path';
import { CloudApi } from './api';
import { loadTlsMaterial } from './ca';
import { startConsole } from './console/server';
import { CloudCore } from './core';
import { installHandlers } from './handlers';
import { startHttps } from './https';
import type { RawScript } from './raw-script';
import { Registry, defaultRegistry, type RegistryFile } from './registry';
import { startMqtt } from './server';

export interface StartOptions {
  /** Where registry.json and the CA live (created if missing). Without it everything is in memory. */
  dataDir?: string;
  /** Products and devices to serve (takes precedence over dataDir's registry.json; kept in memory). */
  registry?: RegistryFile;
  mqttPort?: number;
  tlsPort?: number;
  httpsPort?: number;
  host?: string;
  /** Wait for a device's answer to property set / service calls (platform: 8000 ms). */
  replyTimeoutMs?: number;
  /** Largest PUBLISH payload; bigger closes the connection (default 256 KB). */
  maxPayloadBytes?: number;
  /** Message log ring size (default 10,000 entries). */
  logCapacity?: number;
  /** Raw data scripts by productKey (override the registry's `rawScript`). */
  rawScripts?: Record<string, RawScript>;
  /** Port of the console page (plain HTTP on `host`; default 0 = any free port). */
  consolePort?: number;
  /** Extensions: install more routes/handlers on the core before the servers start. */
  install?: (core: CloudCore) => void;
  /** Serve as a new-version / Enterprise instance with this id: MQTT dynamic registration must
   *  then carry `instanceId=<id>` in its clientId (DOC mqtt-based-dynamic-registration). */
  instanceId?: string;
}

export interface RunningCloud {
  mqttPort: number;
  tlsPort: number;
  httpsPort: number;
  /** The console page, e.g. http://127.0.0.1:PORT/ */
  consoleUrl: string;
  consolePort: number;
  host: string;
  /** PEM of the CA that signed the servers' certificate: trust it to connect over TLS. */
  caPem: string;
  /** Path of ca.pem when a dataDir is used. */
  caPath?: string;
  api: CloudApi;
  core: CloudCore;
  stop(): Promise<void>;
}

export async function start(opts: StartOptions = {}): Promise<RunningCloud> {
  const host = opts.host ?? '127.0.0.1';
  const registry = opts.registry
    ? new Registry(opts.registry)
    : opts.dataDir
      ? Registry.openDir(opts.dataDir)
      : new Registry(defaultRegistry());
  const material = loadTlsMaterial(opts.dataDir);
  const core = new CloudCore(registry, {
    replyTimeoutMs: opts.replyTimeoutMs ?? 8000,
    instanceId: opts.instanceId,
    maxPayloadBytes: opts.maxPayloadBytes ?? 256 * 1024,
    logCapacity: opts.logCapacity ?? 10000,
    rawScripts: opts.rawScripts ?? {},
    dataDir: opts.dataDir,
  });
  opts.install?.(core);
  installHandlers(core);
  const mqtt = await startMqtt(core, { host, mqttPort: opts.mqttPort ?? 0, tlsPort: opts.tlsPort ?? 0, certPem: material.certPem, keyPem: material.keyPem });
  let httpsServer;
  try {
    httpsServer = await startHttps(core, { host, port: opts.httpsPort ?? 0, certPem: material.certPem, keyPem: material.keyPem });
  } catch (e) {
    await mqtt.close();
    throw e;
  }
  core.httpsUrl = 'https://' + (host.includes(':') ? '[' + host + ']' : host) + ':' + httpsServer.port;
  const api = new CloudApi(core);
  let consoleServer;
  try {
    consoleServer = await startConsole(api, { host, port: opts.consolePort ?? 0 });
  } catch (e) {
    await Promise.all([mqtt.close(), httpsServer.close()]);
    throw e;
  }
  let stopped = false;
  return {
    mqttPort: mqtt.mqttPort,
    tlsPort: mqtt.tlsPort,
    httpsPort: httpsServer.port,
    consoleUrl: consoleServer.url,
    consolePort: consoleServer.port,
    host,
    caPem: material.caPem,
    caPath: opts.dataDir ? join(opts.dataDir, 'ca.pem') : undefined,
    api,
    core,
    async stop() {
      if (stopped) return;
      stopped = true;
      core.cancelWaits({ status: 'offline' });
      await Promise.all([mqtt.close(), httpsServer.close(), consoleServer.close()]);
      await registry.flush();
    },
  };
}

export { CloudApi } from './api';
export type { DownlinkResult } from './core';
export type { RegistryFile, ProductRecord, DeviceRecord } from './registry';
export type { LogEntry } from './log';
