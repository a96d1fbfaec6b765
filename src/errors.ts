/**
 * Result codes of the module. 0 is success. Local failures are negative, one hundred per layer
 * (board -2xx, mqtt -3xx, alink -4xx, features -5xx; the caller's input -1xx). A reply code from
 * the cloud other than 200 passes through unchanged as a positive number, so `code < 0` is a
 * local failure and `code > 0` a refusal by the cloud.
 *
 * The bundle carries no message text: sim/errors-text.ts and the README map codes to words.
 * A `const enum` is inlined by the compiler, so this table costs the bundle nothing.
 */
export const enum Err {
  Ok = 0,

  // -1xx: what the caller passed, or when it called
  BadArgument = -101, // a required key is missing or has the wrong type, or a value no JSON can hold
  TooLarge = -102, // payload, topic or file over the platform's limit
  TopicNotOwned = -103, // a custom topic outside this device's /pk/dn/ space
  NotConnected = -104, // called before connect()
  Ended = -105, // called after end()
  Busy = -106, // an operation of this kind is already running
  NotFound = -107, // a stored file or record does not exist
  BadKeepalive = -108, // keepaliveSec outside 30..1200
  BadSignMethod = -109, // signMethod is none of hmacsha256, hmacsha1, hmacmd5

  // -2xx: the board (sockets, crypto, Storage, Wi-Fi)
  DialFailed = -201, // net/tls connect threw: refused, or no socket
  LinkError = -202, // the socket reported an error
  NoCrypto = -203, // neither native crypto nor the fallback can sign
  StorageFailed = -204, // Storage write refused (full, bad name)
  WifiDown = -205, // Wi-Fi is not connected; dialing waits for it
  HttpFailed = -206, // an HTTPS request failed or answered with a non-JSON body
  HostNotFound = -207, // the host name did not resolve (DNS)
  TlsFailed = -208, // a TLS link closed before the server answered: a plain port, or the handshake was refused

  // -3xx: MQTT
  ConnackRefused = -300, // CONNACK return code rc is reported as -300 - rc (-301 ... -305)
  ProtocolError = -310, // a malformed packet arrived; the link is closed
  KeepaliveTimeout = -311, // no PINGRESP (or any packet) within 1.5 x keepalive
  QueueFull = -312, // the outgoing queue is full (offline, or the link backed up): the message was refused, nothing queued was dropped
  SubscribeRefused = -313, // SUBACK 0x80
  LinkClosed = -314, // the connection closed with requests still open
  ConnackTimeout = -315, // no CONNACK within the connect deadline
  MessageTooLarge = -316, // an incoming message over maxPacketBytes was acknowledged and dropped
  MessageRefused = -317, // the server closed the connection 3 times right after this message: dropped, the rest goes on

  // -4xx: Alink request/reply
  Timeout = -401, // no reply within the deadline
  BadReply = -402, // a reply that is not Alink JSON

  // -5xx: features (upload -50x, register -52x, gateway -54x, OTA -56x)
  UploadFailed = -501, // a block was refused after all retries
  UploadCancelled = -502,
  RegisterFailed = -520, // dynamic registration answered without a secret
  SubdevUnknown = -540, // a sub-device that is not in the topology or has no secret
  SubdevNotLoggedIn = -541,

  // -56x: over-the-air update (each also reported to the platform as a negative step)
  OtaBadNotice = -560, // an upgrade notice without a usable url, size, version or signature
  OtaDownloadFailed = -561, // the package could not be fetched, even resuming (step -2)
  OtaVerifyFailed = -562, // size or digest of the package differs from the notice (step -3)
  OtaApplyFailed = -563, // no room in Storage, or the board was not flashed OTA-ready (step -4)
  OtaRejected = -564, // the app rejected the update (its code is the step)
  OtaRolledBack = -565, // the new version did not connect in time; the previous one runs again (step -1)
}
