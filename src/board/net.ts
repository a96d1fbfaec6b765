/**
 * dial(): a Link (link.ts) over require("net") or require("tls").
 *
 * What Espruino does that this hides (espruino-runtime.md 3.1, 3.2):
 * - net.connect/tls.connect throw synchronously: "Unable to locate host" -> Err.HostNotFound,
 *   anything else (a refused socket) -> Err.DialFailed;
 * - `connect` is taken from on('connect') only: a connect callback that has a parameter plus
 *   on('connect') runs neither; TLS fires it before the handshake ends (writes queue until then);
 * - a normal TLS close arrives as error {code:-30848} (peer close_notify) -> orderly close (0);
 *   any other error -> Err.LinkError; `close` always follows, and onClose fires exactly once;
 * - data arrives as binary strings of at most 536 bytes; write() takes binary strings only
 *   (a Uint8Array would be sent as the text "1,2,3"); it returns false whatever the backlog, so
 *   the backlog is counted here and cleared by `drain` (fired when the send buffer empties).
 * - ca must be DER: PEM text is converted (the first certificate's base64 body, via atob).
 * - a failed TLS handshake (e.g. TLS to a plain MQTT port) ends the socket, and then the
 *   interpreter raises its own exception ("mbedtls_ssl_handshake returned ...") once the socket's
 *   handlers have run. Module code that catches any exception before then leaves the report as a
 *   bare "Uncaught undefined" (measured on 2v29), so a closing socket is handled on a fresh tick;
 *   a TLS link that closes before a single byte came back is reported as Err.TlsFailed.
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
  // a byte arrived (over TLS: the handshake got an answer)
  var heard = false;
  var failure = 0;
  var sock: any;
  function end(code: number) {
    if (done) return;
    done = true;
    ev.onClose(code);
  }
  function closing() {
    setTimeout(function () {
      end(o.tls && !heard ? Err.TlsFailed : failure);
    }, 0);
  }
  try {
    var opts: any = { host: o.host, port: o.port };
    if (o.tls && o.ca) opts.ca = der(o.ca);
    sock = require(o.tls ? 'tls' : 'net').connect(opts);
  } catch (e) {
    return ('' + e).indexOf('locate') > 0 ? Err.HostNotFound : Err.DialFailed;
  }
  sock.on('connect', function () {
    if (!shut && !done) ev.onOpen();
  });
  sock.on('data', function (d: string) {
    heard = true;
    if (!shut && !done) ev.onData(d);
  });
  sock.on('error', function (e: any) {
    if (!(e && e.code == -30848)) failure = Err.LinkError;
    closing();
  });
  sock.on('close', closing);
  // bytes written since the socket last drained: what the board still holds for it
  var backlog = 0;
  sock.on('drain', function () {
    backlog = 0;
    if (!shut && !done && ev.onDrain) ev.onDrain();
  });
  return {
    write: function (bytes: string) {
      if (done || shut) return;
      try {
        sock.write(bytes);
        return (backlog += bytes.length);
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
