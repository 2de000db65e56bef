/** Maps failures of the log and of requests to the per-partition error codes clients see. */
import { AssertionError, type ErrorCode, isErrorCode, TributaryError } from '@tributary/core';
import { LogAppendError, type LogAppendFailure } from '@tributary/log';

const APPEND_FAILURE_CODES: Record<LogAppendFailure, ErrorCode> = {
  CORRUPT_BATCH: 'CORRUPT_MESSAGE',
  TOO_LARGE: 'RECORD_TOO_LARGE',
  NON_CONTIGUOUS: 'CORRUPT_MESSAGE',
  FENCED_EPOCH: 'NOT_LEADER',
  EMPTY: 'CORRUPT_MESSAGE',
  OUT_OF_ORDER_SEQUENCE: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  INVALID_PRODUCER_EPOCH: 'INVALID_PRODUCER_EPOCH',
  INVALID_PRODUCER_FIELDS: 'INVALID_REQUEST',
  INVALID_CONTROL_BATCH: 'INVALID_RECORD',
  NOT_TRANSACTIONAL_IN_TRANSACTION: 'INVALID_TXN_STATE',
  // Final for the coordinator that sent the marker: a newer one owns the transaction (see txn/markers.ts).
  TRANSACTION_COORDINATOR_FENCED: 'TRANSACTION_COORDINATOR_FENCED',
};

export interface PartitionError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** A typed error becomes its code; anything else is a bug and is rethrown (assertions stay fatal). */
export function toPartitionError(error: unknown): PartitionError {
  if (error instanceof LogAppendError)
    return { code: APPEND_FAILURE_CODES[error.failure], message: error.message };
  if (error instanceof TributaryError && isErrorCode(error.code))
    return { code: error.code, message: error.message };
  if (error instanceof AssertionError) throw error;
  return { code: 'STORAGE_ERROR', message: error instanceof Error ? error.message : String(error) };
}
