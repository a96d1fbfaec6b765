/**
 * MQTT 3.1.1 control packets as plain objects, told apart by `cmd` (the packet type number, as
 * in the fixed header's high nibble). Field names are short and not mangled: they are shared by
 * the codec, the framer, the session and the tests.
 *
 * Every string is a BINARY STRING: one character is one byte (0..255). Topics, client ids,
 * user names, passwords and payloads arrive here already converted to bytes (UTF-8 conversion is
 * the alink layer's job), so `.length` is a byte count everywhere in this directory.
 */

/** Packet types: the high nibble of the first byte [MQTT-2.2.1]. 0 and 15 are reserved. */
export const enum PacketType {
  Connect = 1,
  Connack = 2,
  Publish = 3,
  Puback = 4,
  Pubrec = 5,
  Pubrel = 6,
  Pubcomp = 7,
  Subscribe = 8,
  Suback = 9,
  Unsubscribe = 10,
  Unsuback = 11,
  Pingreq = 12,
  Pingresp = 13,
  Disconnect = 14,
}

/** CONNACK return codes [MQTT-3.2.2.3]. The session reports a refusal as Err.ConnackRefused - rc. */
export const enum ConnackCode {
  Accepted = 0,
  BadProtocol = 1,
  IdRejected = 2,
  Unavailable = 3,
  BadAuth = 4,
  NotAuthorized = 5,
}

/** SUBACK return code for a refused subscription [MQTT-3.9.3]. */
export const SubackFailure = 0x80;

export interface Will {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

export interface ConnectPacket {
  cmd: PacketType.Connect;
  clientId: string;
  /** Seconds; 0 turns keep-alive off. */
  keepalive: number;
  clean: boolean;
  username?: string;
  password?: string;
  will?: Will;
}

export interface ConnackPacket {
  cmd: PacketType.Connack;
  /** Session Present flag. */
  present: boolean;
  rc: number;
}

export interface PublishPacket {
  cmd: PacketType.Publish;
  topic: string;
  payload: string;
  qos: number;
  dup: boolean;
  retain: boolean;
  /** Packet identifier; present (1..65535) when qos > 0, 0 otherwise. */
  id: number;
}

/** PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK: a packet identifier and nothing else. */
export interface AckPacket {
  cmd: PacketType.Puback | PacketType.Pubrec | PacketType.Pubrel | PacketType.Pubcomp | PacketType.Unsuback;
  id: number;
}

export interface Subscription {
  topic: string;
  qos: number;
}

export interface SubscribePacket {
  cmd: PacketType.Subscribe;
  id: number;
  subs: Subscription[];
}

export interface SubackPacket {
  cmd: PacketType.Suback;
  id: number;
  /** One code per requested filter: the granted QoS (0..2) or SubackFailure (0x80). */
  granted: number[];
}

export interface UnsubscribePacket {
  cmd: PacketType.Unsubscribe;
  id: number;
  topics: string[];
}

/** PINGREQ, PINGRESP and DISCONNECT: no variable header, no payload. */
export interface EmptyPacket {
  cmd: PacketType.Pingreq | PacketType.Pingresp | PacketType.Disconnect;
}

/** Set by the Framer on a packet whose body was over its limit: only the head was decoded. */
export interface Oversize {
  big_?: boolean;
}

export type Packet = Oversize &
  (
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | AckPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | EmptyPacket
  );
