/**
 * getFrom(): a streaming GET over require("http") from byte `from` of the resource on (HTTP
 * Range), for files too big for RAM: every chunk goes to `ev.data` as it arrives (on Espruino,
 * binary strings of at most 536 bytes) and `ev.end(code)` comes exactly once.
 *
 * Espruino specifics: res.statusCode is a string; a body cut by a dropped link ends with the
 * same `end`/`close` as a complete one, so the caller compares what it got with what it
 * expected; there is no request timeout, so a timer gives up on a silent server after `idleMs`
 * and every later event of that request is ignored. The request is made on a fresh tick, never
 * inside a socket callback (board/net.ts says why).
 */
import { Err } from '../errors';

export interface GetEvents {
  /** The status ("200" for the whole resource, "206" from `from` on). */
  head(status: string): void;
  data(chunk: string): void;
  /** 0 when the body ended; Err.HttpFailed when refused, answered with another status, cut by a socket error, or silent. */
  end(code: number): void;
}

/** {secure, host, port, path} of "[http[s]://]host[:port][/path?query]"; path keeps the query. */
export function urlParts(url: string): { secure: boolean; host: string; port: number; path: string } {
  // HTTPS unless the URL says http://
  var secure = url.indexOf('http://') != 0;
  var i = url.indexOf('://');
  var u = i < 0 ? url : url.substring(i + 3);
  var p = (u + '/').indexOf('/');
  var hp = u.substring(0, p).split(':');
  return { secure: secure, host: hp[0], port: +hp[1] || (secure ? 443 : 80), path: u.substring(p) || '/' };
}

/** Starts the GET; the returned function abandons it (no further events). */
export function getFrom(url: string, from: number, ev: GetEvents, idleMs: number): () => void {
  var timer: any;
  var over = false;
  function end(code: number) {
    if (over) return;
    over = true;
    if (timer) clearTimeout(timer);
    ev.end(code);
  }
  function alive() {
    // (Espruino throws on clearTimeout(undefined))
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () {
      end(Err.HttpFailed);
    }, idleMs);
  }
  alive();
  // opened on a fresh tick: the caller may be inside a socket's callback (see net.ts)
  setTimeout(function () {
    if (over) return;
    try {
      var u = urlParts(url);
      var req = require('http').request(
        {
          protocol: u.secure ? 'https:' : 'http:',
          host: u.host,
          port: u.port,
          path: u.path,
          method: 'GET',
          headers: { Range: 'bytes=' + from + '-' },
        },
        function (res: any) {
          var status = '' + res.statusCode;
          if (status != '200' && status != '206') return end(Err.HttpFailed);
          ev.head(status);
          res.on('data', function (d: string) {
            if (over) return;
            alive();
            ev.data(d);
          });
          res.on('end', function () {
            end(0);
          });
          res.on('close', function () {
            end(0);
          });
        },
      );
      req.on('error', function () {
        end(Err.HttpFailed);
      });
      req.end();
    } catch (e) {
      // request() throws at once for an unknown host or when the network is down
      end(Err.HttpFailed);
    }
  }, 0);
  return function () {
    over = true;
    if (timer) clearTimeout(timer);
  };
}
