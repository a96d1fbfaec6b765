/** A self-signed CA and a server certificate (localhost, 127.0.0.1, *.aliyuncs.com names),
 *  created with node-forge at first start and written next to the registry so that clients
 *  can trust `ca.pem`. Without a data dir they live in memory for the life of the process. */
import forge from 'node-forge';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const SERVER_NAMES = [
  'localhost',
  '*.iot-as-mqtt.cn-shanghai.aliyuncs.com',
  'iot-auth.cn-shanghai.aliyuncs.com',
  '*.aliyuncs.com',
];

function serial(): string {
  // Positive 16-byte serial: a leading 0x01 keeps the DER integer positive.
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

function yearsFromNow(years: number): Date {
  const d = new Date();
  d.setFullYear(d.getFullYear() + years);
  return d;
}

/** Creates a fresh CA and a server certificate signed by it. */
export function createTlsMaterial(): TlsMaterial {
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  ca.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  ca.validity.notAfter = yearsFromNow(10);
  const caName = [{ name: 'commonName', value: 'aliyunIoT emulator local CA' }, { name: 'organizationName', value: 'aliyunIoT emulator' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = yearsFromNow(5);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...SERVER_NAMES.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
  };
}

let inMemory: TlsMaterial | null = null;

/** The TLS material of `dataDir` (created on first use), or a per-process one without it. */
export function loadTlsMaterial(dataDir?: string): TlsMaterial {
  if (!dataDir) return (inMemory ??= createTlsMaterial());
  const caPath = join(dataDir, 'ca.pem');
  const certPath = join(dataDir, 'server.pem');
  const keyPath = join(dataDir, 'server-key.pem');
  if (existsSync(caPath) && existsSync(certPath) && existsSync(keyPath)) {
    return { caPem: readFileSync(caPath, 'utf8'), certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
  }
  mkdirSync(dataDir, { recursive: true });
  const m = createTlsMaterial();
  // The CA key is not kept: the server certificate is all the emulator needs to serve TLS.
  writeFileSync(caPath, m.caPem);
  writeFileSync(certPath, m.certPem);
  writeFileSync(keyPath, m.keyPem, { mode: 0o600 });
  return m;
}
