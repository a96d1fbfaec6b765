/** topics.ts: the rows against the topic tables of alink-protocol.md 4, 5.1, 6; parse; ownership. */
import { topic, replyOf, extRrpc, parse, isOwnTopic, T } from '../../src/alink/topics';

const pk = 'a1TestPK001', dn = 'dev001';

describe('topic builder', () => {
  const expected: [T, string, string?][] = [
    [T.PropPost, '/sys/a1TestPK001/dev001/thing/event/property/post'],
    [T.PropBatchPost, '/sys/a1TestPK001/dev001/thing/event/property/batch/post'],
    [T.PropSet, '/sys/a1TestPK001/dev001/thing/service/property/set'],
    [T.EventPost, '/sys/a1TestPK001/dev001/thing/event/alarm/post', 'alarm'],
    [T.Service, '/sys/a1TestPK001/dev001/thing/service/reboot', 'reboot'],
    [T.RrpcReq, '/sys/a1TestPK001/dev001/rrpc/request/1234', '1234'],
    [T.RrpcResp, '/sys/a1TestPK001/dev001/rrpc/response/1234', '1234'],
    [T.UpRaw, '/sys/a1TestPK001/dev001/thing/model/up_raw'],
    [T.DownRaw, '/sys/a1TestPK001/dev001/thing/model/down_raw'],
    [T.NtpReq, '/ext/ntp/a1TestPK001/dev001/request'],
    [T.NtpResp, '/ext/ntp/a1TestPK001/dev001/response'],
    [T.UpInit, '/sys/a1TestPK001/dev001/thing/file/upload/mqtt/init'],
    [T.UpSend, '/sys/a1TestPK001/dev001/thing/file/upload/mqtt/send'],
    [T.UpCancel, '/sys/a1TestPK001/dev001/thing/file/upload/mqtt/cancel'],
    [T.TopoAdd, '/sys/a1TestPK001/dev001/thing/topo/add'],
    [T.TopoGet, '/sys/a1TestPK001/dev001/thing/topo/get'],
    [T.TopoDel, '/sys/a1TestPK001/dev001/thing/topo/delete'],
    [T.TopoChange, '/sys/a1TestPK001/dev001/thing/topo/change'],
    [T.SubReg, '/sys/a1TestPK001/dev001/thing/sub/register'],
    [T.Login, '/ext/session/a1TestPK001/dev001/combine/login'],
    [T.Logout, '/ext/session/a1TestPK001/dev001/combine/logout'],
    [T.BatchLogin, '/ext/session/a1TestPK001/dev001/combine/batch_login'],
    [T.BatchLogout, '/ext/session/a1TestPK001/dev001/combine/batch_logout'],
    [T.ShadowUpdate, '/shadow/update/a1TestPK001/dev001'],
    [T.ShadowGet, '/shadow/get/a1TestPK001/dev001'],
    [T.DevInfo, '/sys/a1TestPK001/dev001/thing/deviceinfo/update'],
    [T.ExtError, '/ext/error/a1TestPK001/dev001'],
    [T.Register, '/ext/register'],
    [T.Regnwl, '/ext/regnwl'],
  ];

  // rest parameters: a 3-parameter function would make jest wait for a `done` on 2-element rows
  it.each(expected)('row %s -> %s', (...row) => {
    const [k, t, arg] = row;
    expect(topic(k, pk, dn, arg)).toBe(t);
  });

  it('every row round-trips through parse (request and _reply)', () => {
    for (const [k, t, arg] of expected) {
      const p = parse(t);
      expect([t, p.kind, p.reply, p.id]).toEqual([t, k, false, arg]);
      if (t.indexOf('$') < 0 && k !== T.Register && k !== T.Regnwl) expect([p.pk, p.dn]).toEqual([pk, dn]);
      const r = parse(replyOf(t));
      expect([t, r.kind, r.reply]).toEqual([t, k, true]);
    }
  });

  it('"$" and "+" inside names are not placeholders -> kept verbatim', () => {
    expect(topic(T.Service, 'p+k', 'd$n', 's+x$')).toBe('/sys/p+k/d$n/thing/service/s+x$');
    expect(topic(T.PropPost, 'p$', '+d')).toBe('/sys/p$/+d/thing/event/property/post');
  });
});

describe('replyOf / extRrpc', () => {
  it('replyOf appends _reply', () => {
    expect(replyOf(topic(T.PropPost, pk, dn))).toBe('/sys/a1TestPK001/dev001/thing/event/property/post_reply');
    expect(replyOf(topic(T.Service, pk, dn, 'reboot'))).toBe('/sys/a1TestPK001/dev001/thing/service/reboot_reply');
  });

  it('extRrpc -> /ext/rrpc/<id> + the service topic (4.5)', () => {
    expect(extRrpc('99', topic(T.Service, pk, dn, 'sync'))).toBe('/ext/rrpc/99/sys/a1TestPK001/dev001/thing/service/sync');
  });
});

describe('parse', () => {
  it('property post_reply -> PropPost reply (not an event called "property")', () => {
    expect(parse('/sys/a1TestPK001/dev001/thing/event/property/post_reply')).toEqual({
      kind: T.PropPost, reply: true, pk, dn, id: undefined,
    });
  });

  it('event post_reply -> EventPost reply with the event id', () => {
    const p = parse('/sys/pk2/dn2/thing/event/alarm/post_reply');
    expect([p.kind, p.reply, p.pk, p.dn, p.id]).toEqual([T.EventPost, true, 'pk2', 'dn2', 'alarm']);
  });

  it('property/set of a sub-device -> PropSet with the sub pk/dn', () => {
    const p = parse('/sys/a1SubPK0002/sub001/thing/service/property/set');
    expect([p.kind, p.pk, p.dn, p.reply]).toEqual([T.PropSet, 'a1SubPK0002', 'sub001', false]);
  });

  it('async service -> Service with the service id', () => {
    const p = parse('/sys/pk/dn/thing/service/setMode');
    expect([p.kind, p.id, p.rrpc]).toEqual([T.Service, 'setMode', undefined]);
  });

  it('classic RRPC request -> RrpcReq with the message id', () => {
    const p = parse('/sys/pk/dn/rrpc/request/1415151515');
    expect([p.kind, p.id]).toEqual([T.RrpcReq, '1415151515']);
  });

  it('ext RRPC service -> Service with rrpc id; ext RRPC down_raw -> DownRaw with rrpc id', () => {
    const p = parse('/ext/rrpc/1234567/sys/pk/dn/thing/service/syncSvc');
    expect([p.kind, p.id, p.rrpc, p.pk, p.dn]).toEqual([T.Service, 'syncSvc', '1234567', 'pk', 'dn']);
    const q = parse('/ext/rrpc/77/sys/pk/dn/thing/model/down_raw');
    expect([q.kind, q.rrpc]).toEqual([T.DownRaw, '77']);
  });

  it('ext RRPC on a custom topic -> Custom with rrpc set', () => {
    const p = parse('/ext/rrpc/5/pk/dn/user/cmd');
    expect([p.kind, p.rrpc]).toEqual([T.Custom, '5']);
  });

  it('custom and malformed topics -> Custom', () => {
    for (const t of ['/pk/dn/user/get', '/pk/dn/user/get_reply', '/sys/pk/dn/thing/event/x/post/extra', '/sys/pk', '/sys//dn/thing/topo/add',
      '/sys/pk/dn/thing/service/', 'sys/pk/dn/thing/topo/add', '', '/ext/rrpc/', '_reply']) {
      const p = parse(t);
      expect([t, p.kind, p.pk, p.dn]).toEqual([t, T.Custom, '', '']);
    }
  });
});

describe('isOwnTopic', () => {
  it('own custom, own /sys and product broadcast topics -> 0', () => {
    for (const t of ['/pk/dn/user/update', '/pk/dn/user/#', '/sys/pk/dn/thing/service/s_reply', '/broadcast/pk/all']) {
      expect([t, isOwnTopic(t, 'pk', 'dn')]).toEqual([t, true]);
    }
  });

  it('another device, wildcards over pk/dn, prefixes that merely start alike -> TopicNotOwned', () => {
    for (const t of ['/pk/dn2/user/update', '/pk/dnx/user', '/pk/+/user/get', '/#', '/pk/dn', 'pk/dn/user', '/sys/pk/other/x', '/broadcast/pk2/x', '']) {
      expect([t, isOwnTopic(t, 'pk', 'dn')]).toEqual([t, false]);
    }
    expect(isOwnTopic(undefined as any, 'pk', 'dn')).toBe(false);
  });
});
