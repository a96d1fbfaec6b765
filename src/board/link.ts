/**
 * The transport seam between the MQTT session and the board (coreMQTT's transport interface, in
 * JavaScript). Bytes are binary strings: one character is one byte, 0..255.
 *
 * Contract:
 * - `dial` either returns a Link or a negative Err code when the board refused synchronously
 *   (Espruino's net.connect throws for an unknown host or a refused socket).
 * - `write` queues all the bytes; a failure is reported later, through `onClose`. It may return
 *   how many written bytes the link has not sent yet; `onDrain` then says when all were sent.
 * - `onData` may deliver any split or merge of packets (Espruino hands out at most 536 bytes).
 * - `onClose` fires exactly once per Link, with 0 for an orderly close or a negative Err code;
 *   no `onData` follows it. `close()` also ends in `onClose`.
 * - For TLS, `onOpen` may fire before the handshake has finished; writes are queued until it does.
 */
export interface Link {
  write(bytes: string): number | void;
  close(): void;
}

export interface LinkEvents {
  onOpen(): void;
  onData(chunk: string): void;
  onClose(code: number): void;
  /** Everything written was sent (the backlog write() returned is 0 again). */
  onDrain?(): void;
}

export interface DialOptions {
  host: string;
  port: number;
  tls?: boolean;
  /** CA certificate for TLS (DER as a binary string, or PEM, which the board converts). */
  ca?: string;
}

export type Dial = (opts: DialOptions, events: LinkEvents) => Link | number;
