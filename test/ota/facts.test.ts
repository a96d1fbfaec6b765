/** The OTA topics of test/ota/FACTS.md, as the module builds and recognises them. (The
 *  payloads and behaviour are held end to end by the other test/ota and test/cloud/ota tests.) */
import { T, parse, topic } from '../../src/alink/topics';
import { isSystemTopic } from '../../sim/cloud/core';

test('the four OTA topics', () => {
  expect(topic(T.OtaInform, 'a1PK', 'dev')).toBe('/ota/device/inform/a1PK/dev');
  expect(topic(T.OtaUpgrade, 'a1PK', 'dev')).toBe('/ota/device/upgrade/a1PK/dev');
  expect(topic(T.OtaProgress, 'a1PK', 'dev')).toBe('/ota/device/progress/a1PK/dev');
  expect(topic(T.OtaGet, 'a1PK', 'dev')).toBe('/sys/a1PK/dev/thing/ota/firmware/get');
});

test('a notice is recognised with the device it is for (a gateway gets its sub-devices\')', () => {
  expect(parse('/ota/device/upgrade/a1Sub/s001')).toEqual({ kind: T.OtaUpgrade, reply: false, pk: 'a1Sub', dn: 's001', id: undefined });
  expect(parse('/sys/a1PK/dev/thing/ota/firmware/get_reply')).toMatchObject({ kind: T.OtaGet, reply: true });
  // _ss=1 sessions get the notice without subscribing, as system topics
  expect(isSystemTopic('/ota/device/upgrade/a1PK/dev')).toBe(true);
});
