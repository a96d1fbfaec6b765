/**
 * require("Wifi") as on ESP32 (libs/network/esp32/jswrap_esp32_network.c; espruino-runtime.md §3.4).
 * The simulated station starts joined (like a board with saved credentials) unless
 * SimBoardOptions.wifiJoined is false.
 * - connect(ssid, {password}, cb): cb(null) and `connected` {ip,netmask,gw} once joined, or, while
 *   the access point is away, cb("no_ap_found") and `disconnected` after the firmware's retries.
 * - SimBoard.wifi.drop(): `disconnected` {ssid,mac,reason,msg}; open sockets fail; names stop
 *   resolving. The firmware gives up re-joining: after SimBoard.wifi.restore() the app must call
 *   connect() again.
 * - getIP([cb]) returns {ip,netmask,gw,mac} (ip "0.0.0.0" while not joined), getStatus(),
 *   getDetails([cb]) ({ssid, password, status: "connected", authMode} while joined, else only
 *   {status: <last disconnect reason>}: the ESP32 firmware reads the station config, password
 *   included, only while connected), disconnect([cb]), setSNTP(server, zone) (accepted, no effect: use setTime),
 *   setHostname, getHostByName(host, cb), scan(cb), save(), turbo/power calls are absent.
 */
import type { BoardEvents } from './events';
import type { Network } from './network';
import type { Realm } from './realm';

export const STATION_IP = '192.168.4.2';
export const GATEWAY_IP = '192.168.4.1';
export const STATION_MAC = '24:0a:c4:00:00:01';
/** How long joining takes on the simulated board. */
export const JOIN_DELAY_MS = 5;

export class SimWifi {
  apUp = true;
  ssid = 'simboard-ap';
  /** The station config's password: set by every connect(), as the firmware stores it. */
  password = 'simboard-pass';
  /** Why the station last left (getDetails' status while not joined). */
  reason = 'off';
  module: any;
  private joinTimer: NodeJS.Timeout | undefined;

  constructor(private readonly realm: Realm, private readonly events: BoardEvents, private readonly network: Network,
    private readonly queueCall: (fn: Function, args: unknown[]) => void) {}

  /** The Wifi module object (created on first require). */
  getModule(): unknown {
    if (!this.module) this.module = this.createModule();
    return this.module;
  }

  isUp(): boolean {
    return this.network.joined;
  }

  /** A connect() is under way (its outcome not yet known). */
  get joining(): boolean {
    return this.joinTimer !== undefined;
  }

  drop(reason = 'beacon_timeout'): void {
    this.apUp = false;
    const was = this.network.joined;
    this.network.drop();
    this.reason = reason;
    if (was && this.module) this.events.dispatch(this.module, 'disconnected', [this.realm.data({ ssid: this.ssid, mac: STATION_MAC, reason, msg: reason })]);
  }

  restore(): void {
    this.apUp = true;
  }

  close(): void {
    if (this.joinTimer) clearTimeout(this.joinTimer);
  }

  private details() {
    return { ip: this.network.joined ? STATION_IP : '0.0.0.0', netmask: this.network.joined ? '255.255.255.0' : '0.0.0.0', gw: this.network.joined ? GATEWAY_IP : '0.0.0.0', mac: STATION_MAC };
  }

  private createModule(): unknown {
    const { realm, events } = this;
    const W = realm.object();
    const fnCall = (fn: Function, args: unknown[]) => this.queueCall(fn, args);
    W.connect = (ssid: unknown, options?: unknown, cb?: unknown) => {
      if (typeof options === 'function') { cb = options; options = undefined; }
      this.ssid = String(ssid);
      this.password = options && typeof (options as any).password === 'string' ? (options as any).password : '';
      if (this.joinTimer) clearTimeout(this.joinTimer);
      this.joinTimer = setTimeout(() => {
        this.joinTimer = undefined;
        if (this.apUp) {
          this.network.joined = true;
          events.dispatch(W, 'associated', [realm.data({ ssid: this.ssid, mac: STATION_MAC, channel: 1 })]);
          const d = this.details();
          events.dispatch(W, 'connected', [realm.data({ ip: d.ip, netmask: d.netmask, gw: d.gw })]);
          if (typeof cb === 'function') fnCall(cb, [null]);
        } else {
          this.reason = 'no_ap_found';
          events.dispatch(W, 'disconnected', [realm.data({ ssid: this.ssid, mac: STATION_MAC, reason: 'no_ap_found', msg: 'no_ap_found' })]);
          if (typeof cb === 'function') fnCall(cb, ['no_ap_found']);
        }
      }, JOIN_DELAY_MS);
    };
    W.disconnect = (cb?: unknown) => {
      const was = this.network.joined;
      this.network.drop();
      this.reason = 'assoc_leave';
      if (was) events.dispatch(W, 'disconnected', [realm.data({ ssid: this.ssid, mac: STATION_MAC, reason: 'assoc_leave', msg: 'assoc_leave' })]);
      if (typeof cb === 'function') fnCall(cb, []);
    };
    W.getIP = (cb?: unknown) => {
      const d = realm.data(this.details());
      if (typeof cb === 'function') fnCall(cb, [null, d]);
      return d;
    };
    W.getDetails = (cb?: unknown) => {
      const d = realm.data(this.network.joined ? { ssid: this.ssid, password: this.password, status: 'connected', authMode: 'wpa2' } : { status: this.reason });
      if (typeof cb === 'function') fnCall(cb, [d]);
      return d;
    };
    W.getStatus = (cb?: unknown) => {
      const d = realm.data({ station: this.network.joined ? 'connected' : 'off', ssid: this.ssid, bssid: '24:0a:c4:00:00:00', channel: 1, rssi: this.network.joined ? -50 : 0, htMode: 'HT20', authMode: 'wpa2', mode: 'sta', powersave: 'none' });
      if (typeof cb === 'function') fnCall(cb, [d]);
      return d;
    };
    W.setSNTP = (_server: unknown, _zone: unknown) => { /* accepted; the simulated clock is not stepped (use setTime) */ };
    W.setHostname = (_name: unknown) => { /* accepted */ };
    W.save = () => { /* accepted */ };
    W.scan = (cb: unknown) => {
      const list = this.apUp ? [{ ssid: this.ssid, mac: '24:0a:c4:00:00:00', authMode: 'wpa2', channel: 1, hidden: false, rssi: -50 }] : [];
      if (typeof cb === 'function') fnCall(cb, [realm.data(list)]);
    };
    W.getHostByName = (host: unknown, cb: unknown) => {
      const ip = this.network.resolve(String(host));
      if (typeof cb === 'function') fnCall(cb, [ip === undefined ? null : ip]);
    };
    return W;
  }
}
