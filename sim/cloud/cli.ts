/** `npm run cloud`: runs the emulator with the registry in .cloud-data/ (or CLOUD_DATA_DIR) and
 *  prints its endpoints and the credentials of the demo devices (the generated demo registry
 *  is local test data; nothing else prints secrets). Ports: MQTT 1883, MQTT/TLS 8883,
 *  HTTPS 8443, console page 8080 unless CLOUD_MQTT_PORT / CLOUD_TLS_PORT / CLOUD_HTTPS_PORT /
 *  CLOUD_CONSOLE_PORT say otherwise. */
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { start } from './index';

/** This machine's IPv4 addresses other than loopback: what a board on the LAN connects to. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

function port(name: string, fallback: number): number {
  const v = process.env[name];
  return v ? Number.parseInt(v, 10) : fallback;
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.CLOUD_DATA_DIR ?? '.cloud-data');
  const cloud = await start({
    dataDir,
    host: process.env.CLOUD_HOST ?? '127.0.0.1',
    mqttPort: port('CLOUD_MQTT_PORT', 1883),
    tlsPort: port('CLOUD_TLS_PORT', 8883),
    httpsPort: port('CLOUD_HTTPS_PORT', 8443),
    consolePort: port('CLOUD_CONSOLE_PORT', 8080),
  });
  const h = cloud.host;
  const out: string[] = [
    'aliyunIoT cloud emulator',
    `  MQTT      mqtt://${h}:${cloud.mqttPort}   (securemode=3)`,
    `  MQTT/TLS  mqtts://${h}:${cloud.tlsPort}  (securemode=2; trust ${cloud.caPath})`,
    `  HTTPS     https://${h}:${cloud.httpsPort}/auth/register/device`,
    `  console   ${cloud.consoleUrl}`,
    `  registry  ${resolve(dataDir, 'registry.json')}`,
    '',
    ...(h === '0.0.0.0'
      ? [`A board on your LAN: "host": one of ${lanAddresses().join(', ') || '(no LAN address found)'}, "port": ${cloud.mqttPort} with "tls": false, or ${cloud.tlsPort} with "tls": true.`, '']
      : [`Listening on ${h} only; for a board on your LAN: CLOUD_HOST=0.0.0.0 npm run cloud`, '']),
    'Products:',
  ];
  for (const p of cloud.api.products()) {
    out.push(`  ${p.productKey}  ${p.name ?? ''} [${p.nodeType ?? 'device'}] dynamicRegistration=${!!p.dynamicRegistration} productSecret=${p.productSecret}`);
  }
  out.push('', 'Devices:');
  for (const d of cloud.core.registry.allDevices()) {
    const secret = d.deviceSecret ? `deviceSecret=${d.deviceSecret}` : '(no secret: register it dynamically)';
    out.push(`  ${d.productKey} / ${d.deviceName}  ${secret}${d.disabled ? ' [disabled]' : ''}`);
  }
  out.push('', 'Ctrl-C to stop.');
  console.log(out.join('\n'));
  cloud.api.on('connect', (e) => console.log(`connect     ${e.productKey}/${e.deviceName} ${e.tls ? 'tls' : 'tcp'}`));
  cloud.api.on('disconnect', (e) => console.log(`disconnect  ${e.productKey}/${e.deviceName} (${e.reason})`));
  cloud.api.on('message', (e) => {
    if (e.verdict !== 'ok' && e.verdict !== 'replied') console.log(`${e.direction.padEnd(4)} ${e.verdict.padEnd(9)} ${e.topic} ${e.code ?? ''} ${e.detail ?? ''}`);
  });
  const stop = () => {
    cloud.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  console.error('cloud emulator failed to start: ' + e.message);
  process.exit(1);
});
