/** What a handler receives for one device uplink, and what it returns for the message log. */
import type { CloudCore, Session } from './core';
import { parseRequest, type AlinkRequest } from './alink';

export interface Uplink {
  core: CloudCore;
  /** The connection the message came in on. */
  session: Session;
  topic: string;
  payload: Buffer;
  /** Levels bound by the route pattern (`pk`, `dn`, `eventId`, ...). */
  vars: Record<string, string>;
  /** The device the topic belongs to (the session's own, or one it proxies). */
  productKey: string;
  deviceName: string;
}

/** The log verdict of an uplink: 'ok', 'replied', 'rejected', 'unmatched', ... and the code
 *  of the reply sent, if any. */
export interface Verdict {
  verdict: string;
  code?: number;
  detail?: string;
}

export type UplinkHandler = (up: Uplink) => Verdict;

/** Parses an uplink's Alink request; a malformed one is answered here with the platform's code
 *  (alink.ts parseRequest) and its verdict returned instead. */
export function readRequest(up: Uplink): AlinkRequest | Verdict {
  const r = parseRequest(up.payload);
  if (r.ok) return r.req;
  return up.core.replyAlink(up, { id: r.id }, r.code, {}, r.message);
}

export function isVerdict(x: object): x is Verdict {
  return (x as Verdict).verdict !== undefined;
}

/** A handler of one Alink request, given the request already parsed (see readRequest). */
export function withRequest(handler: (up: Uplink, req: AlinkRequest) => Verdict): UplinkHandler {
  return (up) => {
    const req = readRequest(up);
    return isVerdict(req) ? req : handler(up, req);
  };
}
