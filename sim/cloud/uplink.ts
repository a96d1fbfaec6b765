/** What a handler receives for one device uplink, and what it returns for the message log. */
import type { CloudCore, Session } from './core';

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
