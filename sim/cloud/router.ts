/** Routes device uplinks by topic pattern to the handler of their family (handlers/*.ts).
 *  Patterns are level lists: `:name` binds one level, a final `*name` binds the rest.
 *  Routes are tried in the order added, so specific patterns go before general ones; an
 *  extension can put its routes first with `{ first: true }`. */
import type { Uplink, UplinkHandler } from './uplink';

interface Route {
  levels: string[];
  handler: UplinkHandler;
  name: string;
}

export interface RouteMatch {
  handler: UplinkHandler;
  name: string;
  vars: Record<string, string>;
}

export class Router {
  private routes: Route[] = [];

  add(pattern: string, handler: UplinkHandler, opts: { first?: boolean; name?: string } = {}): void {
    const route = { levels: pattern.split('/'), handler, name: opts.name ?? pattern };
    if (opts.first) this.routes.unshift(route);
    else this.routes.push(route);
  }

  match(topic: string): RouteMatch | null {
    const t = topic.split('/');
    outer: for (const r of this.routes) {
      const vars: Record<string, string> = {};
      const p = r.levels;
      for (let i = 0; i < p.length; i++) {
        const seg = p[i];
        if (seg.charCodeAt(0) === 42 /* * */) {
          if (i >= t.length) continue outer;
          vars[seg.slice(1)] = t.slice(i).join('/');
          return { handler: r.handler, name: r.name, vars };
        }
        if (i >= t.length) continue outer;
        if (seg.charCodeAt(0) === 58 /* : */) {
          if (t[i] === '') continue outer;
          vars[seg.slice(1)] = t[i];
        } else if (seg !== t[i]) continue outer;
      }
      if (p.length === t.length) return { handler: r.handler, name: r.name, vars };
    }
    return null;
  }
}

export type { Uplink };
