/**
 * Request validation for the Broker and Replication services: counts, sizes and ranges are checked
 * before anything reaches the replica manager, and every problem is an INVALID_REQUEST (or
 * INVALID_REQUIRED_ACKS) naming the field. Pure.
 */
import { TributaryError } from '@tributary/core';
import {
  type DeleteRecordsRequest__Output,
  type DescribeProducersRequest__Output,
  type FetchRequest__Output,
  type ListOffsetsRequest__Output,
  type MetadataRequest__Output,
  type ProduceRequest__Output,
  type ReplicaFetchRequest__Output,
  requireCountAtMost,
  requireIntInRange,
  requireNonEmpty,
  requireSafeUint,
} from '@tributary/protocol';
import { OFFSETS_TOPIC } from '../group/limits.js';
import { DELETE_RECORDS_LIMITS } from '../replica/delete-records.js';
import { REQUEST_LIMITS } from './limits.js';

const INT32_MAX = 0x7fff_ffff;

function invalid(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', message);
}

interface TopicPartitions {
  readonly name: string;
  readonly partitions: readonly { readonly partition: number }[];
}

/** Topic and partition counts in bounds, names present, no topic-partition named twice. */
function checkTopics(topics: readonly TopicPartitions[], field: string): void {
  requireCountAtMost(topics, field, REQUEST_LIMITS.topicsPerRequestMax);
  const seen = new Set<string>();
  let partitions = 0;
  for (const topic of topics) {
    requireNonEmpty(topic.name, `${field}.name`);
    partitions += topic.partitions.length;
    if (partitions > REQUEST_LIMITS.partitionsPerRequestMax) {
      throw invalid(`${field} name more than ${REQUEST_LIMITS.partitionsPerRequestMax} partitions`);
    }
    for (const { partition } of topic.partitions) {
      requireIntInRange(partition, `${field}.partitions.partition`);
      const key = `${topic.name}\u0000${partition}`;
      if (seen.has(key)) throw invalid(`${field} name ${topic.name}-${partition} twice`);
      seen.add(key);
    }
  }
}

export function validateProduceRequest(request: ProduceRequest__Output): void {
  if (request.acks !== -1 && request.acks !== 0 && request.acks !== 1) {
    throw new TributaryError('INVALID_REQUIRED_ACKS', `acks must be -1, 0 or 1, got ${request.acks}`);
  }
  requireIntInRange(request.timeoutMs, 'timeout_ms', { max: REQUEST_LIMITS.produceTimeoutMsMax });
  checkTopics(request.topics, 'topics');
  for (const topic of request.topics) {
    if (topic.name === OFFSETS_TOPIC) {
      throw new TributaryError(
        'INVALID_TOPIC',
        `${OFFSETS_TOPIC} is an internal topic; written by the group coordinator`,
      );
    }
  }
  let bytes = 0;
  for (const topic of request.topics) {
    for (const data of topic.partitions) {
      if (data.records.length === 0) {
        throw invalid(`topics.partitions.records of ${topic.name}-${data.partition} is empty`);
      }
      bytes += data.records.length;
    }
  }
  if (bytes > REQUEST_LIMITS.produceBytesPerRequestMax) {
    throw invalid(
      `the request carries ${bytes} bytes of records; the limit is ${REQUEST_LIMITS.produceBytesPerRequestMax}`,
    );
  }
}

export function validateFetchRequest(request: FetchRequest__Output): void {
  requireIntInRange(request.maxWaitMs, 'max_wait_ms', { max: REQUEST_LIMITS.fetchMaxWaitMsMax });
  requireIntInRange(request.minBytes, 'min_bytes', { max: REQUEST_LIMITS.fetchBytesMax });
  requireIntInRange(request.maxBytes, 'max_bytes', { max: REQUEST_LIMITS.fetchBytesMax });
  // Kafka's isolation levels: 0 read_uncommitted, 1 read_committed.
  if (request.isolationLevel !== undefined)
    requireIntInRange(request.isolationLevel, 'isolation_level', { max: 1 });
  checkTopics(request.topics, 'topics');
  for (const topic of request.topics) {
    for (const partition of topic.partitions) {
      requireSafeUint(partition.fetchOffset, 'topics.partitions.fetch_offset');
      requireIntInRange(partition.partitionMaxBytes, 'topics.partitions.partition_max_bytes', {
        max: REQUEST_LIMITS.fetchBytesMax,
      });
      requireIntInRange(partition.currentLeaderEpoch, 'topics.partitions.current_leader_epoch', {
        min: -1,
        max: INT32_MAX,
      });
    }
  }
}

export function validateListOffsetsRequest(request: ListOffsetsRequest__Output): void {
  checkTopics(request.topics, 'topics');
  for (const topic of request.topics) {
    for (const partition of topic.partitions) {
      requireIntInRange(partition.timestamp, 'topics.partitions.timestamp', {
        min: -2,
        max: Number.MAX_SAFE_INTEGER,
      });
    }
  }
}

export function validateDeleteRecordsRequest(request: DeleteRecordsRequest__Output): void {
  requireIntInRange(request.timeoutMs, 'timeout_ms', { max: DELETE_RECORDS_LIMITS.timeoutMsMax });
  checkTopics(request.topics, 'topics');
  for (const topic of request.topics) {
    for (const partition of topic.partitions) {
      // -1: the high watermark.
      requireIntInRange(partition.offset, 'topics.partitions.offset', {
        min: -1,
        max: Number.MAX_SAFE_INTEGER,
      });
    }
  }
}

/** DescribeProducers: bounded topics and partitions, none named twice (the answer is one entry each). */
export function validateDescribeProducersRequest(request: DescribeProducersRequest__Output): void {
  checkTopics(request.topics, 'topics');
}

export function validateMetadataRequest(request: MetadataRequest__Output): void {
  requireCountAtMost(request.topics, 'topics', REQUEST_LIMITS.topicsPerRequestMax);
  for (const name of request.topics) requireNonEmpty(name, 'topics');
}

export function validateReplicaFetchRequest(request: ReplicaFetchRequest__Output): void {
  requireIntInRange(request.replicaId, 'replica_id');
  requireSafeUint(request.brokerEpoch, 'broker_epoch');
  requireIntInRange(request.maxWaitMs, 'max_wait_ms', { max: REQUEST_LIMITS.fetchMaxWaitMsMax });
  requireIntInRange(request.minBytes, 'min_bytes', { max: REQUEST_LIMITS.fetchBytesMax });
  requireIntInRange(request.maxBytes, 'max_bytes', { max: REQUEST_LIMITS.fetchBytesMax });
  requireCountAtMost(request.partitions, 'partitions', REQUEST_LIMITS.partitionsPerRequestMax);
  const seen = new Set<string>();
  for (const partition of request.partitions) {
    requireNonEmpty(partition.topic, 'partitions.topic');
    requireIntInRange(partition.partition, 'partitions.partition');
    requireSafeUint(partition.fetchOffset, 'partitions.fetch_offset');
    requireIntInRange(partition.lastFetchedEpoch, 'partitions.last_fetched_epoch', {
      min: -1,
      max: INT32_MAX,
    });
    requireSafeUint(partition.logStartOffset, 'partitions.log_start_offset');
    const key = `${partition.topic}\u0000${partition.partition}`;
    if (seen.has(key)) throw invalid(`partitions name ${partition.topic}-${partition.partition} twice`);
    seen.add(key);
  }
}
