/**
 * The internal topic __transaction_state: creating it on the first FindTransactionCoordinator, and
 * appending a coordinator shard's records to it (acks=all, through the ordinary replication path). As
 * __consumer_offsets (group/offsets-topic.ts) is for groups. Kafka's settings: compacted (the last record
 * per transactional id is kept, a tombstone forgets an expired id), transaction.state.log.min.isr, small
 * segments.
 */
import type { Clock } from '@tributary/core';
import { TributaryError } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import {
  asTributaryError,
  type ProducePartitionResult,
  type ProduceRequest__Output,
} from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import type { Logger } from 'pino';
import { TRANSACTION_STATE_TOPIC, TXN_DEFAULTS, TXN_SHELL_LIMITS } from './limits.js';
import { encodeTxnLogKey, encodeTxnLogValue, type TxnStateRecord } from './txn-log-codec.js';

export function coordinatorNotAvailable(message: string, cause?: unknown): TributaryError {
  return new TributaryError('COORDINATOR_NOT_AVAILABLE', message, cause === undefined ? {} : { cause });
}

/**
 * A failed state write. `certain` is true when the record was certainly not appended (refused before
 * the append): the core may then forget the transition. Otherwise its fate is unknown (the append may
 * have happened and be replicated later) and the shard must reload from the log (txn-types.ts).
 */
export class TxnStateWriteError extends Error {
  constructor(
    readonly error: TributaryError,
    readonly certain: boolean,
  ) {
    super(error.message, { cause: error });
    this.name = 'TxnStateWriteError';
  }
}

/**
 * Produce errors raised before the log append (requests.ts checks leadership, the ISR against
 * min.insync.replicas and the batch first), so the record is certainly not in the log.
 */
const REFUSED_BEFORE_APPEND: ReadonlySet<string> = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'NOT_ENOUGH_REPLICAS',
  'INVALID_REQUIRED_ACKS',
  'CORRUPT_MESSAGE',
  'INVALID_RECORD',
  'RECORD_LIST_TOO_LARGE',
  'MESSAGE_TOO_LARGE',
]);

/** Kafka maps a failed state write to NOT_COORDINATOR (leadership moved) or COORDINATOR_NOT_AVAILABLE. */
function writeError(partition: number, result: ProducePartitionResult | undefined): TxnStateWriteError {
  const code = result?.errorCode ?? '';
  const message = `writing to ${TRANSACTION_STATE_TOPIC}-${partition} failed: ${code} ${result?.errorMessage ?? 'no result'}`;
  const certain = REFUSED_BEFORE_APPEND.has(code);
  if (code === 'NOT_LEADER' || code === 'UNKNOWN_TOPIC_OR_PARTITION' || code === 'FENCED_LEADER_EPOCH') {
    return new TxnStateWriteError(new TributaryError('NOT_COORDINATOR', message), certain);
  }
  return new TxnStateWriteError(coordinatorNotAvailable(message), certain);
}

/** Appends one record to the partition with acks=all; rejects with a TxnStateWriteError. */
export async function appendTxnStateRecord(
  produce: (request: ProduceRequest__Output) => Promise<ProducePartitionResult[]>,
  clock: Clock,
  partition: number,
  record: TxnStateRecord,
): Promise<void> {
  const batch = encodeRecordBatch({
    records: [
      {
        key: encodeTxnLogKey(record.transactionalId),
        value: record.value === null ? null : encodeTxnLogValue(record.value),
        timestampMs: clock.wallMs(),
      },
    ],
  });
  let results: ProducePartitionResult[];
  try {
    results = await produce({
      acks: -1,
      timeoutMs: TXN_DEFAULTS.writeTimeoutMs,
      topics: [{ name: TRANSACTION_STATE_TOPIC, partitions: [{ partition, records: batch }] }],
      transactionalId: '',
    });
  } catch (thrown) {
    // The replica manager failed (closing, a disk error): whether the append happened is unknown.
    throw new TxnStateWriteError(
      coordinatorNotAvailable(`writing ${TRANSACTION_STATE_TOPIC}-${partition} failed`, thrown),
      false,
    );
  }
  const result = results[0];
  if (result === undefined || result.errorCode !== '') throw writeError(partition, result);
}

export interface TxnStateTopicSettings {
  readonly stateTopicPartitions: number;
  readonly stateTopicReplicationFactor: number;
}

export type CreateTopic = (request: {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: { name: string; value: string }[];
}) => Promise<void>;

/** Creates __transaction_state through the active controller; TOPIC_ALREADY_EXISTS counts as done. */
export async function createTxnStateTopic(
  image: MetadataImage,
  settings: TxnStateTopicSettings,
  createTopic: CreateTopic,
  logger: Logger,
): Promise<void> {
  const unfenced = image.unfencedBrokerIds().length;
  const replicationFactor = Math.max(1, Math.min(settings.stateTopicReplicationFactor, unfenced));
  const request = {
    name: TRANSACTION_STATE_TOPIC,
    partitions: settings.stateTopicPartitions,
    replicationFactor,
    configs: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'segment.bytes', value: String(TXN_SHELL_LIMITS.stateTopicSegmentBytes) },
      // transaction.state.log.min.isr, capped so a small cluster can still write its decisions.
      {
        name: 'min.insync.replicas',
        value: String(Math.min(TXN_DEFAULTS.stateTopicMinInsyncReplicas, replicationFactor)),
      },
    ],
  };
  try {
    await createTopic(request);
    logger.info(request, 'created the transaction state topic');
  } catch (thrown) {
    const error = asTributaryError(thrown);
    if (error.code !== 'TOPIC_ALREADY_EXISTS') {
      throw coordinatorNotAvailable(`creating ${TRANSACTION_STATE_TOPIC} failed: ${error.message}`, error);
    }
  }
}
