/**
 * Alink system topics (alink-protocol.md 4, 5, 6; OTA 4.10): one table of rows, a builder, replyOf, a
 * parser for incoming topics, and the ownership check for custom topics.
 *
 * In a row, "$" stands for the two levels "<productKey>/<deviceName>" and "+" for one variable
 * level (event id, service id, RRPC message id). Reply topics are never listed: replyOf().
 */

/** Row numbers of ROWS. Rows with a fixed last level come before "+" rows they would also match. */
export const enum T {
  PropPost,
  PropBatchPost,
  PropSet,
  EventPost,
  Service,
  RrpcReq,
  RrpcResp,
  UpRaw,
  DownRaw,
  NtpReq,
  NtpResp,
  UpInit,
  UpSend,
  UpCancel,
  TopoAdd,
  TopoGet,
  TopoDel,
  TopoChange,
  SubReg,
  Login,
  Logout,
  BatchLogin,
  BatchLogout,
  ShadowUpdate,
  ShadowGet,
  DevInfo,
  ExtError,
  Register,
  Regnwl,
  OtaInform,
  OtaUpgrade,
  OtaProgress,
  OtaGet,
  /** parse(): not a system topic */
  Custom = -1,
}

// One string, split at load: "#" abbreviates "/sys/$/thing/", "@" "/ext/session/$/combine/",
// "^" "file/upload/mqtt/" (saves about 400 bytes of the bundle).
var ROWS = (
  '#event/property/post,#event/property/batch/post,#service/property/set,#event/+/post,#service/+,' +
  '/sys/$/rrpc/request/+,/sys/$/rrpc/response/+,#model/up_raw,#model/down_raw,/ext/ntp/$/request,' +
  '/ext/ntp/$/response,#^init,#^send,#^cancel,#topo/add,#topo/get,#topo/delete,#topo/change,' +
  '#sub/register,@login,@logout,@batch_login,@batch_logout,/shadow/update/$,/shadow/get/$,' +
  '#deviceinfo/update,/ext/error/$,/ext/register,/ext/regnwl,/ota/device/inform/$,/ota/device/upgrade/$,' +
  '/ota/device/progress/$,#ota/firmware/get'
)
  .split('#')
  .join('/sys/$/thing/')
  .split('@')
  .join('/ext/session/$/combine/')
  .split('^')
  .join('file/upload/mqtt/')
  .split(',');

/** The topic of row `k` for device pk/dn; `arg` fills the "+" level (event/service/RRPC id). */
export function topic(k: T, pk: string, dn: string, arg?: string): string {
  // Placeholders are found in the row before any name is put in, so a "$" or "+" inside a
  // name is never taken for one; "+" comes after "$" in every row, so it is filled first.
  var r = ROWS[k];
  var at = r.indexOf('$');
  var plus = r.indexOf('+');
  if (plus >= 0) r = r.substring(0, plus) + (arg || '') + r.substring(plus + 1);
  return at < 0 ? r : r.substring(0, at) + pk + '/' + dn + r.substring(at + 1);
}

/** The reply topic of a request topic. */
export function replyOf(t: string): string {
  return t + '_reply';
}

/** A synchronous-service topic of the ext RRPC form (4.5): the reply goes to the same topic. */
export function extRrpc(rrpcId: string, t: string): string {
  return '/ext/rrpc/' + rrpcId + t;
}

/** An incoming topic, taken apart. */
export interface Parsed {
  /** a T row, or T.Custom */
  kind: T;
  /** the topic was the `_reply` of row `kind` */
  reply: boolean;
  pk: string;
  dn: string;
  /** the "+" level: event id, service id or classic RRPC message id */
  id?: string;
  /** set when the topic came as /ext/rrpc/<rrpc>/...: answer on the same topic */
  rrpc?: string;
}

/**
 * Takes an incoming topic apart. A topic that is no system row gives kind T.Custom (pk and dn
 * then empty). "/ext/rrpc/<id>/<topic>" parses as <topic> with `rrpc` set (also for a custom
 * <topic>: a custom-topic RRPC).
 */
export function parse(t: string): Parsed {
  if (t.indexOf('/ext/rrpc/') == 0) {
    var i = t.indexOf('/', 10);
    if (i > 10) {
      var p = parse(t.substring(i));
      p.rrpc = t.substring(10, i);
      return p;
    }
  }
  var n = t.length - 6;
  var reply = n > 0 && t.substring(n) == '_reply';
  if (reply) t = t.substring(0, n);
  var lv = t.split('/');
  for (var k = 0; k < ROWS.length; k++) {
    // A row matches when it rebuilds exactly `t` from the levels at its placeholders ("$" spans
    // two levels, and in every row with a "+" the "+" comes after the "$", hence the + 1).
    var r = ROWS[k].split('/');
    var at = r.indexOf('$');
    var plus = r.indexOf('+');
    var pk = at < 0 ? '' : lv[at];
    var dn = at < 0 ? '' : lv[at + 1];
    var id = plus < 0 ? undefined : lv[plus + 1];
    if ((at < 0 || (pk && dn)) && id !== '' && topic(k, pk, dn, id) == t) return { kind: k, reply: reply, pk: pk, dn: dn, id: id };
  }
  return { kind: T.Custom, reply: false, pk: '', dn: '' };
}

/**
 * Whether device pk/dn may use topic (or filter) `t`: its custom topics "/<pk>/<dn>/...",
 * its own system topics "/sys/<pk>/<dn>/..." (the HaaS samples publish service replies there),
 * the product broadcast "/broadcast/<pk>/...", and any of these behind "/ext/rrpc/<id or +>"
 * (custom-topic RRPC: subscribe "/ext/rrpc/+/<topic>", answer on the topic the call came on).
 */
export function isOwnTopic(t: string, pk: string, dn: string): boolean {
  if (typeof t != 'string') return false;
  if (t.indexOf('/ext/rrpc/') == 0) {
    var i = t.indexOf('/', 10);
    return i > 10 && isOwnTopic(t.substring(i), pk, dn);
  }
  var own = '/' + pk + '/' + dn + '/';
  return t.indexOf(own) == 0 || t.indexOf('/sys' + own) == 0 || t.indexOf('/broadcast/' + pk + '/') == 0;
}

/**
 * Where the answer to a synchronous call that arrived on `t` goes: the same topic for
 * "/ext/rrpc/<id>/..." (custom-topic RRPC, ext RRPC), ".../rrpc/response/<id>" for a classic
 * "/sys/<pk>/<dn>/rrpc/request/<id>"; '' when `t` is no RRPC topic.
 */
export function rrpcAnswer(t: string): string {
  if (t.indexOf('/ext/rrpc/') == 0) return t;
  var p = parse(t);
  return p.kind == T.RrpcReq && !p.reply ? topic(T.RrpcResp, p.pk, p.dn, p.id) : '';
}
