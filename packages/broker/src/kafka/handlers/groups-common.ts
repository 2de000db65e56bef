/**
 * What the Kafka group API handlers (groups-*.ts) share: error codes by name (the coordinator answers
 * with names from the shared table, or throws TributaryErrors), the answer for a broker without a group
 * coordinator, and copies of the bytes the coordinator keeps. The handlers translate wire versions to the
 * coordinator's protocol-neutral calls and back; every rule is the coordinator's (DESIGN §9: one group
 * coordinator and one store of committed offsets for both APIs).
 */
import { ERROR_CODES, type ErrorCode, KAFKA_NONE, TributaryError } from '@tributary/core';

/** Kafka's answer while no coordinator can serve (here also: this broker runs without one). */
export const COORDINATOR_NOT_AVAILABLE = ERROR_CODES.COORDINATOR_NOT_AVAILABLE.kafka;

export const NO_COORDINATOR_MESSAGE = 'this broker runs without a group coordinator';

/** Kafka's value of the authorized-operations bitfields when they were not asked for (KIP-430). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;

/** A failure as the coordinator reports it: a code name and a message. */
export interface GroupFailure {
  readonly code: ErrorCode;
  readonly message: string;
}

/** null (success) → 0; a code name → its Kafka code. */
export function kafkaCode(code: ErrorCode | null): number {
  return code === null ? KAFKA_NONE : ERROR_CODES[code].kafka;
}

/**
 * A TributaryError thrown by the coordinator as a failure to answer with; anything else is a bug and
 * propagates (the listener logs it and closes the connection), as the coordinator's own shell does.
 */
export function failureOf(error: unknown): GroupFailure {
  if (error instanceof TributaryError) return { code: error.code, message: error.message };
  throw error;
}

/**
 * A copy of bytes the coordinator keeps beyond the request (protocol metadata, assignments): decoded
 * bytes are views into the request frame, and a kept view would keep the whole frame alive with it.
 */
export function ownBytes(view: Uint8Array): Buffer {
  return Buffer.from(view);
}
