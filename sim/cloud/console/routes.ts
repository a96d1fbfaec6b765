/** The console's JSON endpoints under /api/: read views of devices, products, properties,
 *  files and the message log, and the two cloud-side actions (property set, service call)
 *  whose answer is the API's DownlinkResult as-is (the device's reply, or timeout, offline,
 *  refused), so the page shows exactly what happened. */
import type { CloudApi } from '../api';
import { deviceViews, messageView, productView } from './views';
import { handleOtaApi } from './ota-routes';
import { isObject } from '../is-object';

export interface ApiAnswer {
  status: number;
  /** JSON body, or raw bytes for a file download. */
  body: unknown;
  download?: { fileName: string; bytes: Buffer };
}

const MESSAGE_PAGE = 500;

function ok(body: unknown): ApiAnswer {
  return { status: 200, body };
}

function error(status: number, message: string): ApiAnswer {
  return { status, body: { error: message } };
}

export async function handleApi(api: CloudApi, method: string, path: string, query: URLSearchParams, body: unknown): Promise<ApiAnswer> {
  const parts = path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  // parts[0] is "api"
  const [, what, pk, dn, sub, name] = parts;

  if (method === 'GET' && what === 'devices' && parts.length === 2) return ok(deviceViews(api));
  if (method === 'GET' && what === 'products' && parts.length === 3) {
    const p = productView(api, pk);
    return p ? ok(p) : error(404, 'no such product');
  }
  if (method === 'GET' && what === 'messages' && parts.length === 2) {
    const after = Number(query.get('after') ?? '0') || 0;
    const all = api.messages({ where: (e) => e.seq > after });
    return ok(all.slice(-MESSAGE_PAGE).map(messageView));
  }
  const ota = handleOtaApi(api, method, parts, body);
  if (ota) return ota;
  if (what !== 'devices' || !pk || !dn) return error(404, 'not found');
  if (!api.device(pk, dn)) return error(404, 'no such device');

  if (method === 'GET' && sub === 'properties' && parts.length === 5) return ok(api.properties(pk, dn));
  if (method === 'GET' && sub === 'history' && parts.length === 5) return ok(api.propertyHistory(pk, dn));
  if (method === 'GET' && sub === 'files' && parts.length === 5) return ok(api.files(pk, dn));
  if (method === 'GET' && sub === 'files' && parts.length === 6) {
    const bytes = api.readFile(pk, dn, name);
    return bytes ? { status: 200, body: null, download: { fileName: name, bytes } } : error(404, 'no such file');
  }
  if (method === 'POST' && sub === 'properties' && parts.length === 5) {
    if (!isObject(body) || !isObject(body.params)) return error(400, 'body must be {"params": {...}}');
    return ok(await api.setProperties(pk, dn, body.params));
  }
  if (method === 'POST' && sub === 'services' && parts.length === 6) {
    if (!isObject(body) || !isObject(body.params)) return error(400, 'body must be {"params": {...}, "sync": false}');
    return ok(await api.invokeService(pk, dn, name, body.params, { sync: body.sync === true }));
  }
  return error(404, 'not found');
}
