/**
 * Kafka error codes from the shared table (packages/core ERROR_CODES, whose `kafka` column is the
 * wire code): results of the replica manager and coordinator carry code names, thrown errors carry
 * TributaryErrors; anything else is UNKNOWN_SERVER_ERROR (-1), as Kafka answers an unexpected failure.
 */
import { ERROR_CODES, isErrorCode, KAFKA_NONE, TributaryError } from '@tributary/core';

export const KAFKA_UNKNOWN_SERVER_ERROR = -1;

/** '' (success) → 0; a known code name → its Kafka code; anything else → UNKNOWN_SERVER_ERROR. */
export function kafkaCodeOfName(code: string): number {
  if (code === '') return KAFKA_NONE;
  return isErrorCode(code) ? ERROR_CODES[code].kafka : KAFKA_UNKNOWN_SERVER_ERROR;
}

export function kafkaCodeOfError(error: unknown): number {
  return error instanceof TributaryError ? ERROR_CODES[error.code].kafka : KAFKA_UNKNOWN_SERVER_ERROR;
}

/** Kafka error messages are nullable strings; ours are bounded so a response never echoes a huge input. */
const ERROR_MESSAGE_CHARS_MAX = 500;

export function kafkaErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length <= ERROR_MESSAGE_CHARS_MAX ? text : `${text.slice(0, ERROR_MESSAGE_CHARS_MAX)}...`;
}

/**
 * The replica manager answers with the gRPC message types, whose int64 fields may be typed as
 * number | string | Long; it fills them with numbers, and this reads any of the three.
 */
export function int64Of(
  value: number | string | { toString(): string } | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : Number(value.toString());
}
