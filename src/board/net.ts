/**
 * dial(): a Link (link.ts) over require("net") or require("tls").
 *
 * What Espruino does that this hides (espruino-runtime.md 3.1, 3.2):
 * - net.connect/tls.connect throw synchronously (unknown host, refused socket) -> Err.DialFailed;
 * - `connect` is taken from on('connect') only: a connect callback that has a parameter plus
 *   on('connect') runs neither; TLS fires it before the handshake ends (writes queue until then);
 * - a normal TLS close arrives as error {code:-30848} (peer close_notify) -> orderly close (0);
 *   any other error -> Err.LinkError; `close` always follows, and onClose fires exactly once;
 * - data arrives as binary strings of at most 536 bytes; write() takes binary strings only
 *   (a Uint8Array would be sent as the text "1,2,3").
 * - ca must be DER: PEM text is converted (the first certificate's base64 body, via atob).
 * A failed TLS handshake gives no error event, only close: the session sees a close before CONNACK.
 */
import { Err } from '../errors';
import { Dial, DialOptions, LinkEvents, Link } from './link';

/** DER bytes of a PEM certificate; anything that is not PEM is assumed to be DER already. */
export function der(ca: string): string {
  var b = ca.indexOf('-----BEGIN');
  var s = ca.indexOf('\n', b);
  var e = ca.indexOf('-----END', s);
  return b < 0 || s < 0 || e < 0 ? ca : atob(ca.substring(s + 1, e).replace(/\s+/g, ''));
}

export var dial: Dial = function (o: DialOptions, ev: LinkEvents): Link | number {
  var done = false;
  // set by close(): nothing more reaches the caller but the one onClose
  var shut = false;
  var sock: any;
  function end(code: number) {
    if (done) return;
    done = true;
    ev.onClose(code);
  }
  try {
    var opts: any = { host: o.host, port: o.port };
    if (o.tls && o.ca) opts.ca = der(o.ca);
    sock = require(o.tls ? 'tls' : 'net').connect(opts);
  } catch (e) {
    return Err.DialFailed;
  }
  sock.on('connect', function () {
    if (!shut && !done) ev.onOpen();
  });
  sock.on('data', function (d: string) {
    if (!shut && !done) ev.onData(d);
  });
  sock.on('error', function (e: any) {
    end(e && e.code == -30848 ? 0 : Err.LinkError);
  });
  sock.on('close', function () {
    end(0);
  });
  return {
    write: function (bytes: string) {
      if (done || shut) return;
      try {
        sock.write(bytes);
      } catch (e) {
        // "This socket is closed" / "Not connected to the internet"
        try {
          sock.end();
        } catch (x) {}
        end(Err.LinkError);
      }
    },
    close: function () {
      if (done || shut) return;
      shut = true;
      try {
        sock.end();
      } catch (e) {}
      // report on the next tick: never re-enter the caller, and do not wait for a peer that
      // may never answer; the socket's own close event is then ignored
      setTimeout(function () {
        end(0);
      }, 0);
    },
  };
};

/** Whether the firmware has TLS (the ESP32 builds do; some others leave it out). */
export function hasTls(): boolean {
  try {
    return !!require('tls').connect;
  } catch (e) {
    return false;
  }
}
