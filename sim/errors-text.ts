/**
 * Words for the module's result codes (src/errors.ts). The device carries only numbers; SimBoard,
 * the emulator, the tests and the README use this table to say what a code means.
 */
export const ERROR_TEXT: Record<number, string> = {
  0: 'success',
  [-101]: 'bad argument: a required key is missing or has the wrong type, or the value cannot be written as JSON (circular, nested over 20 levels, a throwing toJSON)',
  [-102]: 'too large: payload, topic or file over the platform limit',
  [-103]: 'topic not owned by this device',
  [-104]: 'not connected: call connect() first',
  [-105]: 'ended: the device was closed with end()',
  [-106]: 'busy: an operation of this kind is already running',
  [-107]: 'not found: no such stored file or record',
  [-108]: 'keepaliveSec must be 30..1200',
  [-109]: 'signMethod must be hmacsha256, hmacsha1 or hmacmd5',
  [-201]: 'dial failed: connection refused, or no socket free',
  [-202]: 'socket error',
  [-203]: 'no crypto: cannot sign',
  [-204]: 'Storage write failed',
  [-205]: 'Wi-Fi is down',
  [-206]: 'HTTPS request failed',
  [-207]: 'host not found (DNS)',
  [-208]: 'TLS handshake failed: the server closed before answering (a plain MQTT port?)',
  [-300]: 'CONNACK refused',
  [-301]: 'CONNACK refused: unacceptable protocol version',
  [-302]: 'CONNACK refused: identifier rejected',
  [-303]: 'CONNACK refused: server unavailable',
  [-304]: 'CONNACK refused: bad user name or password',
  [-305]: 'CONNACK refused: not authorized',
  [-310]: 'malformed MQTT packet from the server',
  [-311]: 'keepalive timeout: the link is dead',
  [-312]: 'outgoing queue full (offline or the link backed up): the message was refused, nothing queued was dropped',
  [-313]: 'subscription refused by the server',
  [-314]: 'the connection closed (before CONNACK, or with requests still open)',
  [-315]: 'no CONNACK in time',
  [-316]: 'an incoming message over maxPacketBytes was acknowledged and dropped',
  [-317]: 'the server closed the connection 3 times right after this message: it was dropped, the rest goes on',
  [-401]: 'no reply from the cloud in time',
  [-402]: 'reply is not Alink JSON',
  [-501]: 'upload failed',
  [-502]: 'upload cancelled',
  [-520]: 'dynamic registration failed',
  [-540]: 'sub-device unknown (not in topology or no secret)',
  [-541]: 'sub-device not logged in',
  [-560]: 'OTA notice unusable: no url, size, version or signature',
  [-561]: 'OTA download failed, even resuming',
  [-562]: 'OTA package refused: size or digest differs from the notice',
  [-563]: 'OTA update cannot be applied: no room in Storage or the board is not OTA-ready',
  [-564]: 'OTA update rejected by the app',
  [-565]: 'OTA update rolled back: the new version did not connect in time',
};

/** The text for a code; positive codes are the cloud's own reply codes. */
export function errorText(code: number): string {
  if (ERROR_TEXT[code] !== undefined) return ERROR_TEXT[code];
  if (code > 0) return `cloud reply code ${code}`;
  return `error ${code}`;
}
