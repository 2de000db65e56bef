/** Maps failures of the log and of requests to the per-partition error codes clients see. */
import { AssertionError, type ErrorCode, isErrorCode, TributaryError } from '@tributary/core';

export interface PartitionError {
  readonly code: ErrorCode;
  readonly message: string;
}

/**
 * A typed error becomes its code (the log's append failures carry theirs from its one table,
 * LogAppendError); anything else is a bug and is rethrown (assertions stay fatal).
 */
export function toPartitionError(error: unknown): PartitionError {
  if (error instanceof TributaryError && isErrorCode(error.code))
    return { code: error.code, message: error.message };
  if (error instanceof AssertionError) throw error;
  return { code: 'STORAGE_ERROR', message: error instanceof Error ? error.message : String(error) };
}
