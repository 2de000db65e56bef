import { TributaryError } from '@tributary/core';

/**
 * What is wrong with a batch. A producer's bad batch is refused with INVALID_REQUEST; log recovery uses
 * `problem` to tell a torn tail ('TRUNCATED' at the end of a file) from corruption.
 */
export type BatchProblem =
  | 'TRUNCATED'
  | 'BAD_LENGTH'
  | 'BAD_MAGIC'
  | 'CRC_MISMATCH'
  | 'BAD_RECORD_COUNT'
  | 'BAD_VARINT'
  | 'BAD_RECORD'
  | 'UNSUPPORTED_COMPRESSION'
  | 'OUT_OF_RANGE';

export class RecordBatchError extends TributaryError {
  readonly problem: BatchProblem;
  /** Byte position in the buffer where the problem was found. */
  readonly position: number;

  constructor(problem: BatchProblem, position: number, message: string) {
    super('INVALID_REQUEST', `invalid record batch (${problem} at byte ${position}): ${message}`);
    this.problem = problem;
    this.position = position;
  }
}

export function isRecordBatchError(error: unknown): error is RecordBatchError {
  return error instanceof RecordBatchError;
}
