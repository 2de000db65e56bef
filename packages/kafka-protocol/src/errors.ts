/**
 * Why a Kafka frame could not be decoded. The listener answers none of these (it cannot trust the
 * correlation id of a frame it could not read): it logs the error and closes the connection, as Kafka's
 * own SocketServer does with an InvalidRequestException.
 */
export type KafkaProtocolErrorCode =
  /** A length, count or field runs past the end of the frame (or of a tagged field's bytes). */
  | 'TRUNCATED'
  /** A length or count is negative where it may not be, or over a named bound (KAFKA_LIMITS). */
  | 'BAD_LENGTH'
  /** A value no version of the field can hold: null where not nullable, bad UTF-8, a bool other than 0/1. */
  | 'BAD_VALUE'
  /** Bytes left after the body, or inside a tagged field after its value. */
  | 'TRAILING_BYTES'
  /** A tagged field repeated or out of ascending order (KIP-482). */
  | 'BAD_TAG';

export class KafkaProtocolError extends Error {
  override readonly name = 'KafkaProtocolError';
  readonly code: KafkaProtocolErrorCode;
  /** Byte position in the frame where the problem was found. */
  readonly position: number;

  constructor(code: KafkaProtocolErrorCode, position: number, message: string) {
    super(`${message} (at byte ${position})`);
    this.code = code;
    this.position = position;
  }
}
