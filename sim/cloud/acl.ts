/** Topic permissions: which topics a connection may publish to and subscribe to. A device owns
 *  the topics that carry its own productKey/deviceName (and those of devices it proxies, e.g. a
 *  gateway's logged-in sub-devices); custom topics follow the product's topic classes. */
import { matchFilter } from './topic';
import { DEFAULT_TOPIC_CLASSES, type ProductRecord, type TopicClass } from './registry';

/** Where a topic's owner sits: [pk level, dn level] after splitting on '/'. */
export interface OwnedTopic {
  productKey: string;
  deviceName: string;
  /** 'sys' | 'ext' | 'shadow' | 'ota' | 'custom' | 'broadcast' */
  family: string;
  /** For custom topics: the part after `/${pk}/${dn}/`. */
  suffix?: string;
}

/** Finds the owner of a topic or filter from its fixed levels; null for topics no device owns. */
export function ownerOf(topic: string): OwnedTopic | null {
  const l = topic.split('/');
  if (l[0] !== '' || l.length < 4) return null;
  switch (l[1]) {
    case 'sys':
      return { productKey: l[2], deviceName: l[3], family: 'sys' };
    case 'shadow': // /shadow/update|get/pk/dn
      return l.length === 5 ? { productKey: l[3], deviceName: l[4], family: 'shadow' } : null;
    case 'ota': // /ota/device/<what>/pk/dn
      return l.length === 6 && l[2] === 'device' ? { productKey: l[4], deviceName: l[5], family: 'ota' } : null;
    case 'broadcast':
      return { productKey: l[2], deviceName: '', family: 'broadcast' };
    case 'ext':
      if (l[2] === 'rrpc') {
        // /ext/rrpc/<id>/<inner topic...>: owned by the inner topic's owner
        const inner = ownerOf('/' + l.slice(4).join('/'));
        return inner ? { ...inner, family: 'ext' } : null;
      }
      // /ext/ntp|session|error|register.../pk/dn/...
      return l.length >= 5 ? { productKey: l[3], deviceName: l[4], family: 'ext' } : null;
    default:
      return { productKey: l[1], deviceName: l[2], family: 'custom', suffix: l.slice(3).join('/') };
  }
}

function classesOf(product: ProductRecord | undefined): TopicClass[] {
  return product?.topicClasses ?? DEFAULT_TOPIC_CLASSES;
}

/** A custom suffix (or the device's suffix filter) against the product's topic classes. A class
 *  pattern may hold `+`/`#`; a wildcard in the device's own filter must equal the class text. */
function classAllows(classes: TopicClass[], suffix: string, need: 'pub' | 'sub'): boolean {
  const wild = suffix.includes('+') || suffix.includes('#');
  for (const c of classes) {
    if (c.access !== 'all' && c.access !== need) continue;
    if (c.suffix === suffix || (!wild && matchFilter(c.suffix, suffix))) return true;
  }
  return false;
}

export interface Actor {
  productKey: string;
  deviceName: string;
  /** Keys `pk/dn` of the other devices this connection may act for. */
  proxied: Set<string>;
}

function actsFor(actor: Actor, pk: string, dn: string): boolean {
  return (pk === actor.productKey && dn === actor.deviceName) || actor.proxied.has(pk + '/' + dn);
}

/** Publish permission. Returns null when allowed, else the reason. */
export function publishDenied(actor: Actor, topic: string, product: (pk: string) => ProductRecord | undefined): string | null {
  const o = ownerOf(topic);
  if (!o) return 'topic not owned by any device';
  if (o.family === 'broadcast') return 'broadcast topics are cloud-to-device only';
  if (!actsFor(actor, o.productKey, o.deviceName)) return 'topic belongs to another device';
  if (o.family === 'custom' && !classAllows(classesOf(product(o.productKey)), o.suffix ?? '', 'pub')) return 'no publish permission for this topic class';
  return null;
}

/** Subscribe permission for a filter. Returns null when allowed, else the reason. Wildcards
 *  are not allowed in the productKey/deviceName levels (alink-protocol.md §4.8). */
export function subscribeDenied(actor: Actor, filter: string, product: (pk: string) => ProductRecord | undefined): string | null {
  const o = ownerOf(filter);
  if (!o) return 'topic not owned by any device';
  if (o.family === 'broadcast') return o.productKey === actor.productKey ? null : 'broadcast of another product';
  if (/[+#]/.test(o.productKey + o.deviceName)) return 'wildcard in productKey/deviceName';
  if (!actsFor(actor, o.productKey, o.deviceName)) return 'topic belongs to another device';
  if (o.family === 'custom' && !classAllows(classesOf(product(o.productKey)), o.suffix ?? '', 'sub')) return 'no subscribe permission for this topic class';
  return null;
}
