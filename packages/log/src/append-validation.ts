import { type ErrorCode, TributaryError } from '@tributary/core';
import { type BatchCodec, type BatchInfo, batchSizeAt, readBatchInfo } from './batch-codec.js';
import { LOG_LIMITS } from './limits.js';

export type LogAppendFailure =
  | 'CORRUPT_BATCH'
  | 'TOO_LARGE'
  | 'NON_CONTIGUOUS'
  | 'FENCED_EPOCH'
  | 'EMPTY'
  /** An idempotent batch whose sequence does not follow its producer's last one (see producer-state.ts). */
  | 'OUT_OF_ORDER_SEQUENCE'
  /** An idempotent batch from an older epoch of its producer id. */
  | 'INVALID_PRODUCER_EPOCH'
  /** Producer id set but epoch or base sequence impossible (negative, out of range). */
  | 'INVALID_PRODUCER_FIELDS'
  /** A control batch (transaction marker) from a client, or one whose marker cannot be read. */
  | 'INVALID_CONTROL_BATCH'
  /** A non-transactional batch from a producer with an open transaction (Kafka's InvalidTxnStateException). */
  | 'NOT_TRANSACTIONAL_IN_TRANSACTION'
  /** A marker from an older coordinator epoch than the last marker its producer got (KIP-98 fencing). */
  | 'TRANSACTION_COORDINATOR_FENCED';

const FAILURE_CODES: Record<LogAppendFailure, ErrorCode> = {
  CORRUPT_BATCH: 'INVALID_REQUEST',
  TOO_LARGE: 'RESOURCE_EXHAUSTED',
  NON_CONTIGUOUS: 'OFFSET_OUT_OF_RANGE',
  FENCED_EPOCH: 'NOT_LEADER',
  EMPTY: 'INVALID_REQUEST',
  OUT_OF_ORDER_SEQUENCE: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  INVALID_PRODUCER_EPOCH: 'INVALID_PRODUCER_EPOCH',
  INVALID_PRODUCER_FIELDS: 'INVALID_REQUEST',
  INVALID_CONTROL_BATCH: 'INVALID_RECORD',
  NOT_TRANSACTIONAL_IN_TRANSACTION: 'INVALID_TXN_STATE',
  TRANSACTION_COORDINATOR_FENCED: 'TRANSACTION_COORDINATOR_FENCED',
};

/** An append the log refuses; `failure` says why (the code is what travels to clients). */
export class LogAppendError extends TributaryError {
  readonly failure: LogAppendFailure;
  constructor(failure: LogAppendFailure, message: string) {
    super(FAILURE_CODES[failure], message);
    this.failure = failure;
  }
}

/**
 * Splits an append buffer into batches and validates each (lengths, magic, CRC) before anything touches
 * the disk: an append is all or nothing. Positions in the result are relative to `bytes`.
 */
export function parseAppendBatches(codec: BatchCodec, bytes: Buffer): BatchInfo[] {
  if (bytes.length === 0) throw new LogAppendError('EMPTY', 'append has no batches');
  if (bytes.length > LOG_LIMITS.appendBytesMax) {
    throw new LogAppendError(
      'TOO_LARGE',
      `append of ${bytes.length} bytes exceeds ${LOG_LIMITS.appendBytesMax}`,
    );
  }
  const batches: BatchInfo[] = [];
  let position = 0;
  while (position < bytes.length) {
    const size = batchSizeAt(codec, bytes, position);
    if (size < 0 || position + size > bytes.length || !codec.isValid(bytes, position, size)) {
      throw new LogAppendError('CORRUPT_BATCH', `batch at byte ${position} of the append is corrupt`);
    }
    if (batches.length >= LOG_LIMITS.batchesPerAppendMax) {
      throw new LogAppendError('TOO_LARGE', `append has more than ${LOG_LIMITS.batchesPerAppendMax} batches`);
    }
    batches.push(readBatchInfo(codec, bytes, position, position));
    position += size;
  }
  return batches;
}
