/**
 * Prelude: errors as Espruino shows them.
 * - InternalError exists (net/tls/http throw it: "Unable to locate host").
 * - String(e) is "[object Object]" for errors whose prototype is not a built-in one (class E
 *   extends Error, or the TypeScript down-levelled pattern), as on Espruino.
 * - The text V8 puts in its own messages is reworded where Espruino's wording is known, when the
 *   error is printed or converted to a string (e.message keeps V8's text):
 *     "Cannot read properties of undefined (reading 'x')" -> Error: Can't read property 'x' of undefined
 *     "x is not defined"                                -> ReferenceError: "x" is not defined
 *     "Assignment to constant variable."                -> TypeError: Assignment to a constant
 */
import type { Prelude } from './realm';

export const errorsPrelude: Prelude = {
  name: 'errors',
  source: `function (g, I) {
  function InternalError(message) {
    if (!(this instanceof InternalError)) return new InternalError(message);
    var e = new Error(message);
    I.defineProperty(this, 'message', { value: message === undefined ? '' : String(message), writable: true, configurable: true, enumerable: false });
    I.defineProperty(this, 'stack', { value: e.stack, writable: true, configurable: true, enumerable: false });
  }
  InternalError.prototype = Object.create(Error.prototype);
  I.defineProperty(InternalError.prototype, 'constructor', { value: InternalError, writable: true, configurable: true, enumerable: false });
  I.defineProperty(InternalError.prototype, 'name', { value: 'InternalError', writable: true, configurable: true, enumerable: false });
  g.InternalError = InternalError;

  var builtin = [Error.prototype, TypeError.prototype, SyntaxError.prototype, ReferenceError.prototype,
    InternalError.prototype, I.RangeError.prototype, I.EvalError.prototype, I.URIError.prototype];
  var reRead = /^Cannot read properties of (\\w+) \\(reading '(.*)'\\)$/;
  var reSet = /^Cannot set properties of (\\w+) \\(setting '(.*)'\\)$/;
  var reUndef = /^(.+) is not defined$/;
  function espruinoText(name, msg) {
    var m;
    if ((m = reRead.exec(msg))) return 'Error: Can\\'t read property \\'' + m[2] + '\\' of ' + m[1];
    if ((m = reSet.exec(msg))) return 'Error: Can\\'t set property \\'' + m[2] + '\\' of ' + m[1];
    if (name === 'ReferenceError' && (m = reUndef.exec(msg))) return 'ReferenceError: "' + m[1] + '" is not defined';
    if (msg === 'Assignment to constant variable.') return 'TypeError: Assignment to a constant';
    if (name === 'RangeError' && msg === 'Maximum call stack size exceeded') return 'InternalError: Too much recursion - the stack is about to overflow';
    return msg === '' ? name : name + ': ' + msg;
  }
  I.defineProperty(Error.prototype, 'toString', { writable: true, configurable: true, enumerable: false, value: function toString() {
    if (builtin.indexOf(Object.getPrototypeOf(this)) < 0) return '[object Object]';
    var name = this.name === undefined ? 'Error' : String(this.name);
    var msg = this.message === undefined ? '' : String(this.message);
    return espruinoText(name, msg);
  } });
}`,
};
