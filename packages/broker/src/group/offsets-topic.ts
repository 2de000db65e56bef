/**
 * The internal topic __consumer_offsets: which of its partitions coordinates a group, creating it on the
 * first FindCoordinator, and appending a shard's records to it (acks=all, through the ordinary
 * replication path). Split out of the coordinator shell, which applies what these writes acknowledge.
 */
import { assert, type Clock, type ErrorCode, TributaryError } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import {
  asTributaryError,
  type ProducePartitionResult,
  type ProduceRequest__Output,
} from '@tributary/protocol';
import { encodeRecordBatch, murmur2, toPositive } from '@tributary/records';
import type { Logger } from 'pino';
import { GROUP_DEFAULTS, OFFSETS_TOPIC } from './limits.js';
import {
  encodeOffsetKey,
  encodeOffsetValue,
  type OffsetCommitKey,
  type OffsetCommitValue,
} from './offsets-codec.js';

export interface OffsetsRecord {
  readonly key: OffsetCommitKey;
  readonly value: OffsetCommitValue | null;
}

/** Kafka's rule: the group's partition of __consumer_offsets is toPositive(murmur2(utf8(group))) % N. */
export function offsetsPartitionFor(groupId: string, partitionCount: number): number {
  return toPositive(murmur2(Buffer.from(groupId, 'utf8'))) % partitionCount;
}

export function notAvailable(message: string, cause?: unknown): TributaryError {
  return new TributaryError('COORDINATOR_NOT_AVAILABLE', message, cause === undefined ? {} : { cause });
}

/** A producer's own failures on a transactional offsets write, which Kafka hands back unchanged. */
const PRODUCER_WRITE_ERRORS: ReadonlySet<string> = new Set([
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'INVALID_TXN_STATE',
]);

/**
 * Kafka maps a failed offsets write to NOT_COORDINATOR (leadership moved) or COORDINATOR_NOT_AVAILABLE;
 * a transactional write's producer errors (an older epoch than the partition saw) pass through.
 */
function writeError(partition: number, result: ProducePartitionResult | undefined): TributaryError {
  const code = result?.errorCode ?? '';
  const message = `writing to ${OFFSETS_TOPIC}-${partition} failed: ${code} ${result?.errorMessage ?? 'no result'}`;
  // STORAGE_ERROR: the partition's log directory failed here, so its leadership (and the coordinator) moves:
  // Kafka's GroupMetadataManager answers NOT_COORDINATOR for KAFKA_STORAGE_ERROR too. Nothing was stored,
  // and the caller applies a commit only after the write succeeded.
  if (
    code === 'NOT_LEADER' ||
    code === 'UNKNOWN_TOPIC_OR_PARTITION' ||
    code === 'FENCED_LEADER_EPOCH' ||
    code === 'STORAGE_ERROR'
  ) {
    return new TributaryError('NOT_COORDINATOR', message);
  }
  if (PRODUCER_WRITE_ERRORS.has(code)) return new TributaryError(code as ErrorCode, message);
  return notAvailable(message);
}

/** The producer a transactional offsets batch belongs to (TxnOffsetCommit). */
export interface OffsetsProducer {
  readonly producerId: number;
  readonly producerEpoch: number;
}

/**
 * Appends the records to the partition with acks=all; returns the offset of the first. Throws
 * NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE. With a producer, the batch is that producer's
 * transactional batch at sequence 0, as Kafka's group coordinator writes it (the caller produces with
 * origin 'coordinator', which checks the epoch but not the sequence).
 */
export async function appendOffsetsRecords(
  produce: (request: ProduceRequest__Output) => Promise<ProducePartitionResult[]>,
  clock: Clock,
  partition: number,
  records: readonly OffsetsRecord[],
  producer: OffsetsProducer | null = null,
): Promise<number> {
  const timestampMs = clock.wallMs();
  const transactional = producer === null ? {} : { ...producer, baseSequence: 0, isTransactional: true };
  const batch = encodeRecordBatch({
    ...transactional,
    records: records.map((r) => ({
      key: encodeOffsetKey(r.key),
      value: r.value === null ? null : encodeOffsetValue(r.value),
      timestampMs,
    })),
  });
  const results = await produce({
    acks: -1,
    timeoutMs: GROUP_DEFAULTS.writeTimeoutMs,
    topics: [{ name: OFFSETS_TOPIC, partitions: [{ partition, records: batch }] }],
    transactionalId: '',
  });
  const result = results[0];
  if (result === undefined || result.errorCode !== '') throw writeError(partition, result);
  // The replica manager answers plain numbers (the message's Long form is for the wire).
  const baseOffset = typeof result.baseOffset === 'number' ? result.baseOffset : -1;
  assert(baseOffset >= 0, 'an acknowledged offsets write has a base offset');
  return baseOffset;
}

export interface OffsetsTopicSettings {
  readonly offsetsTopicPartitions: number;
  readonly offsetsTopicReplicationFactor: number;
}

/** Creates __consumer_offsets through the active controller; TOPIC_ALREADY_EXISTS counts as done. */
export async function createOffsetsTopic(
  image: MetadataImage,
  settings: OffsetsTopicSettings,
  createTopic: (request: {
    name: string;
    partitions: number;
    replicationFactor: number;
    configs: { name: string; value: string }[];
  }) => Promise<void>,
  logger: Logger,
): Promise<void> {
  const unfenced = image.unfencedBrokerIds().length;
  const request = {
    name: OFFSETS_TOPIC,
    partitions: settings.offsetsTopicPartitions,
    replicationFactor: Math.max(1, Math.min(settings.offsetsTopicReplicationFactor, unfenced)),
    // Kafka's offsets topic: compacted (the last commit per group and partition is kept, a tombstone deletes
    // one; never time retention, which would delete live offsets) with smaller segments. A topic created
    // before compaction existed keeps the configs it was created with (retention.ms=-1, delete): alter its
    // cleanup.policy to compact to have it cleaned.
    configs: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'segment.bytes', value: String(GROUP_DEFAULTS.offsetsTopicSegmentBytes) },
    ],
  };
  try {
    await createTopic(request);
    logger.info(request, 'created the offsets topic');
  } catch (thrown) {
    const error = asTributaryError(thrown);
    if (error.code !== 'TOPIC_ALREADY_EXISTS')
      throw notAvailable(`creating ${OFFSETS_TOPIC} failed: ${error.message}`, error);
  }
}
