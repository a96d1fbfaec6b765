/** The console's live feed as Server-Sent Events: every log entry, connects/disconnects and
 *  property reports, so the page updates without polling the message log. */
import type { ServerResponse } from 'node:http';
import type { CloudApi, ConnectEvent, DisconnectEvent } from '../api';
import type { LogEntry } from '../log';
import { messageView } from './views';

/** Comment lines keep idle connections open through proxies and let us notice dead clients. */
const KEEPALIVE_MS = 15000;

export class LiveStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly keepalive: NodeJS.Timeout;
  private readonly onMessage = (e: LogEntry) => this.send('message', messageView(e));
  private readonly onConnect = (e: ConnectEvent) => this.send('presence', { productKey: e.productKey, deviceName: e.deviceName, online: true });
  private readonly onDisconnect = (e: DisconnectEvent) => this.send('presence', { productKey: e.productKey, deviceName: e.deviceName, online: false });
  private readonly onProperties = (e: { productKey: string; deviceName: string }) => this.send('properties', { productKey: e.productKey, deviceName: e.deviceName });

  constructor(private readonly api: CloudApi) {
    api.on('message', this.onMessage).on('connect', this.onConnect).on('disconnect', this.onDisconnect).on('properties', this.onProperties);
    this.keepalive = setInterval(() => this.write(': keepalive\n\n'), KEEPALIVE_MS);
    this.keepalive.unref();
  }

  /** Takes over a request's response for the life of the page. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  close(): void {
    clearInterval(this.keepalive);
    this.api.off('message', this.onMessage).off('connect', this.onConnect).off('disconnect', this.onDisconnect).off('properties', this.onProperties);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private send(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    // JSON.stringify never emits a raw newline, so one `data:` line carries the whole event.
    this.write('event: ' + event + '\ndata: ' + JSON.stringify(data) + '\n\n');
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}
