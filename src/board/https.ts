/**
 * postForm(): an HTTPS POST of a urlencoded form with a JSON answer, over require("http")
 * (HTTPS dynamic registration, alink-protocol.md 2.1).
 *
 * Espruino specifics: protocol "https:" selects TLS; Content-Length must be set by hand;
 * request() can throw synchronously; res.statusCode is a string ("200"); the body arrives as
 * string chunks. encodeURIComponent is broken for bytes >= 0x80 on some builds, so the form is
 * percent-encoded here. There is no request timeout in Espruino: a timer provides one.
 *
 * Part of the optional registration part: createFormPost() is called by createRegistration()
 * (features/register.ts), so an app that never registers never creates it.
 */
import { Err } from '../errors';
import { urlParts } from './http-get';

export interface FormPost {
  /** application/x-www-form-urlencoded body of `fields` (bytes >= 0x80 as %XX of the byte). */
  form(fields: { [k: string]: any }): string;
  /**
   * POSTs `fields` to `url` ("https://host[:port]/path") and calls cb exactly once:
   * cb(0, json) for status 200 with a JSON body; otherwise cb(Err.HttpFailed, json or undefined).
   * `ms` bounds the whole exchange (default 20 s).
   */
  post(url: string, fields: { [k: string]: any }, cb: (code: number, json?: any) => void, ms?: number): void;
}

export function createFormPost(): FormPost {
  /** Percent-encodes all but the unreserved characters (RFC 3986), each byte >= 0x80 as itself. */
  function enc(s: string): string {
    var e = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      e += /[A-Za-z0-9_.~\-]/.test(c) ? c : '%' + (256 + (s.charCodeAt(i) & 255)).toString(16).substring(1).toUpperCase();
    }
    return e;
  }

  /** application/x-www-form-urlencoded body of `fields` (bytes >= 0x80 as %XX of the byte). */
  function form(fields: { [k: string]: any }): string {
    var out = '';
    for (var k in fields) out += (out ? '&' : '') + enc(k) + '=' + enc('' + fields[k]);
    return out;
  }

  /**
   * POSTs `fields` to `url` ("https://host[:port]/path") and calls cb exactly once:
   * cb(0, json) for status 200 with a JSON body; otherwise cb(Err.HttpFailed, json or undefined).
   * `ms` bounds the whole exchange (default 20 s).
   */
  function postForm(url: string, fields: { [k: string]: any }, cb: (code: number, json?: any) => void, ms?: number): void {
    // the deadline timer; 0 once cb has been called
    var timer: any;
    function end(code: number, json?: any) {
      if (!timer) return;
      clearTimeout(timer);
      timer = 0;
      cb(code, json);
    }
    var body = form(fields);
    timer = setTimeout(function () {
      end(Err.HttpFailed);
    }, ms || 20000);
    try {
      var u = urlParts(url);
      var req = require('http').request(
        {
          protocol: 'https:',
          host: u.host,
          port: u.port,
          path: u.path,
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': '' + body.length,
            Accept: 'text/xml,text/javascript,text/html,application/json',
          },
        },
        function (res: any) {
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
        },
      );
      req.on('error', function () {
        end(Err.HttpFailed);
      });
      req.end(body);
    } catch (e) {
      end(Err.HttpFailed);
    }
  }

  return { form: form, post: postForm };
}
