/**
 * postForm(): an HTTPS POST of a urlencoded form with a JSON answer, over require("http")
 * (HTTPS dynamic registration, alink-protocol.md 2.1).
 *
 * Espruino specifics: protocol "https:" selects TLS; Content-Length must be set by hand;
 * request() can throw synchronously; res.statusCode is a string ("200"); the body arrives as
 * string chunks. encodeURIComponent is broken for bytes >= 0x80 on some builds, so the form is
 * percent-encoded here. There is no request timeout in Espruino: a timer provides one.
 */
import { Err } from '../errors';

var SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';

/** application/x-www-form-urlencoded body of `fields` (bytes >= 0x80 as %XX of the byte). */
export function form(fields: { [k: string]: any }): string {
  var out = '';
  for (var k in fields) {
    var s = k + '=' + fields[k];
    var e = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      var n = s.charCodeAt(i) & 255;
      e += SAFE.indexOf(c) >= 0 || (c == '=' && i == k.length) ? c : '%' + (n < 16 ? '0' : '') + n.toString(16).toUpperCase();
    }
    out += (out ? '&' : '') + e;
  }
  return out;
}

/**
 * POSTs `fields` to `url` ("https://host[:port]/path") and calls cb exactly once:
 * cb(0, json) for status 200 with a JSON body; otherwise cb(Err.HttpFailed, json or undefined).
 * `ms` bounds the whole exchange (default 20 s).
 */
export function postForm(url: string, fields: { [k: string]: any }, cb: (code: number, json?: any) => void, ms?: number): void {
  var done = false;
  var timer: any;
  function end(code: number, json?: any) {
    if (done) return;
    done = true;
    clearTimeout(timer);
    cb(code, json);
  }
  var u = url.replace('https://', '');
  var p = u.indexOf('/');
  var host = p < 0 ? u : u.substring(0, p);
  var c = host.indexOf(':');
  var body = form(fields);
  var opts = {
    protocol: 'https:',
    host: c < 0 ? host : host.substring(0, c),
    port: c < 0 ? 443 : +host.substring(c + 1),
    path: p < 0 ? '/' : u.substring(p),
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': '' + body.length,
      Accept: 'text/xml,text/javascript,text/html,application/json',
    },
  };
  timer = setTimeout(function () {
    end(Err.HttpFailed);
  }, ms || 20000);
  try {
    var req = require('http').request(opts, function (res: any) {
      var text = '';
      res.on('data', function (d: string) {
        text += d;
      });
      // Espruino emits end then close; either one finishes
      function fin() {
        var json;
        try {
          json = JSON.parse(text);
        } catch (e) {}
        end(res.statusCode == '200' && json !== undefined ? 0 : Err.HttpFailed, json);
      }
      res.on('end', fin);
      res.on('close', fin);
    });
    req.on('error', function () {
      end(Err.HttpFailed);
    });
    req.end(body);
  } catch (e) {
    end(Err.HttpFailed);
  }
}
