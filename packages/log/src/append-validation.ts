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
  | 'TRANSACTION_COORDINATOR_FENCED'
  /** A client's batch stamped too far before or after the leader's wall clock (KIP-937). */
  | 'INVALID_TIMESTAMP';

/**
 * The one mapping of the log's append failures to the codes clients see (the broker answers with
 * `error.code` as it is; Kafka's LogValidator codes where Kafka has one).
 */
const FAILURE_CODES: Record<LogAppendFailure, ErrorCode> = {
  CORRUPT_BATCH: 'CORRUPT_MESSAGE',
  TOO_LARGE: 'RECORD_TOO_LARGE',
  // Only a follower's append can be out of order (the leader assigns offsets): the leader's data is bad.
  NON_CONTIGUOUS: 'CORRUPT_MESSAGE',
  FENCED_EPOCH: 'NOT_LEADER',
  EMPTY: 'CORRUPT_MESSAGE',
  OUT_OF_ORDER_SEQUENCE: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  INVALID_PRODUCER_EPOCH: 'INVALID_PRODUCER_EPOCH',
  INVALID_PRODUCER_FIELDS: 'INVALID_REQUEST',
  INVALID_CONTROL_BATCH: 'INVALID_RECORD',
  NOT_TRANSACTIONAL_IN_TRANSACTION: 'INVALID_TXN_STATE',
  // Final for the coordinator that sent the marker: a newer one owns the transaction (see the broker's txn/markers.ts).
  TRANSACTION_COORDINATOR_FENCED: 'TRANSACTION_COORDINATOR_FENCED',
  INVALID_TIMESTAMP: 'INVALID_TIMESTAMP',
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
 * One batch of an append as parsed once per request: what the log tracks, plus the two header fields the
 * broker's producer rules read (recordCount against lastOffsetDelta, the compression bits).
 */
export interface AppendBatchInfo extends BatchInfo {
  readonly recordCount: number;
  readonly attributes: number;
  /** The first record's timestamp (with maxTimestamp, what KIP-937's check reads; timestamp-validation.ts). */
  readonly baseTimestamp: number;
}

/**
 * An append buffer split and validated (lengths, magic, CRC) by parseAppend: the leader's produce parses its
 * batches once and hands this to the checks before the append and to the append itself. Only parseAppend
 * makes one (private constructor), so the log never trusts batch positions it did not read itself.
 */
export class ParsedAppend {
  readonly bytes: Buffer;
  readonly batches: readonly AppendBatchInfo[];

  private constructor(bytes: Buffer, batches: readonly AppendBatchInfo[]) {
    this.bytes = bytes;
    this.batches = batches;
  }

  /** Splits and validates `bytes` once (see parseAppendBatches); throws LogAppendError. */
  static parse(codec: BatchCodec, bytes: Buffer): ParsedAppend {
    return new ParsedAppend(bytes, parseAppendBatches(codec, bytes));
  }
}

/**
 * Splits an append buffer into batches and validates each (lengths, magic, CRC) before anything touches
 * the disk: an append is all or nothing. Positions in the result are relative to `bytes`.
 */
export function parseAppendBatches(codec: BatchCodec, bytes: Buffer): AppendBatchInfo[] {
  if (bytes.length === 0) throw new LogAppendError('EMPTY', 'append has no batches');
  if (bytes.length > LOG_LIMITS.appendBytesMax) {
    throw new LogAppendError(
      'TOO_LARGE',
      `append of ${bytes.length} bytes exceeds ${LOG_LIMITS.appendBytesMax}`,
    );
  }
  const batches: AppendBatchInfo[] = [];
  let position = 0;
  while (position < bytes.length) {
    const size = batchSizeAt(codec, bytes, position);
    if (size < 0 || position + size > bytes.length || !codec.isValid(bytes, position, size)) {
      throw new LogAppendError('CORRUPT_BATCH', `batch at byte ${position} of the append is corrupt`);
    }
    if (batches.length >= LOG_LIMITS.batchesPerAppendMax) {
      throw new LogAppendError('TOO_LARGE', `append has more than ${LOG_LIMITS.batchesPerAppendMax} batches`);
    }
    batches.push({
      ...readBatchInfo(codec, bytes, position, position),
      recordCount: codec.readRecordCount(bytes, position),
      attributes: codec.readAttributes(bytes, position),
      baseTimestamp: codec.readBaseTimestamp(bytes, position),
    });
    position += size;
  }
  return batches;
}
