/**
 * The board's network: whether the station is joined to Wi-Fi, name resolution, and the
 * synchronous failures Espruino's blocking connect() reports.
 *
 * - DNS: Espruino resolves inside connect() (gethostbyname) and throws "Unable to locate host".
 *   Node cannot resolve synchronously, so names resolve through SimBoardOptions.dns only
 *   (exact names, "*.suffix" wildcards, "*"); the default maps every *.aliyuncs.com name and
 *   "localhost" to 127.0.0.1. IP literals resolve to themselves.
 * - Refused connections: Espruino's connect() is blocking and throws "Unable to create socket"
 *   (after printing "Connect failed (err 111)"). For loopback targets SimBoard checks, synchronously,
 *   whether anything listens on the port (Linux /proc/net/tcp{,6}); elsewhere a refusal arrives
 *   later as an `error` event then `close` (approximation).
 * - While Wi-Fi is down (SimBoard.wifi.drop(), until the app re-joins), names do not resolve and
 *   connecting to an address fails like a refused connection.
 */
import * as fs from 'fs';
import * as net from 'net';

export const DEFAULT_DNS: Record<string, string> = { '*.aliyuncs.com': '127.0.0.1', localhost: '127.0.0.1' };

/** Something the network closes when Wi-Fi drops. */
export interface NetworkUser {
  networkLost(): void;
}

export class Network {
  joined = true;
  private readonly users = new Set<NetworkUser>();

  constructor(private readonly dns: Record<string, string>) {}

  /** Resolve a host name to an IP, or undefined ("Unable to locate host"). */
  resolve(host: string): string | undefined {
    if (!this.joined) return undefined;
    if (net.isIP(host)) return host;
    const h = host.toLowerCase();
    const table = this.dns;
    if (Object.prototype.hasOwnProperty.call(table, h)) return table[h];
    let best: string | undefined;
    let bestLen = -1;
    for (const key of Object.keys(table)) {
      if (key.startsWith('*.') && h.endsWith(key.slice(1)) && key.length > bestLen) { best = table[key]; bestLen = key.length; }
    }
    if (best !== undefined) return best;
    return table['*'];
  }

  /** Would a connect() to ip:port be refused right away? (only known for loopback on Linux) */
  refusedNow(ip: string, port: number): boolean {
    if (!this.joined) return true;
    if (!isLoopback(ip) || process.platform !== 'linux') return false;
    return !listeningOnLoopback(ip, port);
  }

  add(user: NetworkUser): void { this.users.add(user); }
  remove(user: NetworkUser): void { this.users.delete(user); }

  /** Wi-Fi lost: every open connection fails. */
  drop(): void {
    this.joined = false;
    for (const u of [...this.users]) u.networkLost();
  }
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** Parse /proc/net/tcp{,6} for a LISTEN socket that accepts connections to ip:port. */
export function listeningOnLoopback(ip: string, port: number): boolean {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const v4 = ip.includes('.') ? ip.split('.').map((x) => Number(x)) : undefined;
  const v4Hex = v4 ? v4.slice().reverse().map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('') : '';
  const accepts = (addr: string): boolean => {
    if (addr.length === 8) return v4 !== undefined && (addr === '00000000' || addr === v4Hex);
    if (/^0+$/.test(addr)) return true; // [::] (dual stack)
    if (v4 && addr === '0000000000000000FFFF0000' + v4Hex) return true;
    return ip === '::1' && addr === '00000000000000000000000001000000';
  };
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try { text = fs.readFileSync(file, 'latin1'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== '0A') continue;
      const [addr, p] = cols[1].split(':');
      if (p === portHex && accepts(addr)) return true;
    }
  }
  return false;
}
