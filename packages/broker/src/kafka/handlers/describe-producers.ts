/**
 * DescribeProducers (61) v0 (DESIGN §9; KIP-664): what `kafka-transactions.sh describe-producers` and
 * `abort --start-offset` ask of a partition's leader. The same path as the gRPC Broker.DescribeProducers
 * (services/describe-producers.ts): the replica manager answers each partition from its log's producer
 * state (replica/describe-producers.ts); Read on the topic was checked by the guard (txn-guards.ts).
 *
 * Kafka answers every partition it is asked, duplicates included, so this handler does too: each distinct
 * partition is asked once and its answer given wherever it was named. A partition index below 0 or an
 * empty topic name names no partition (UNKNOWN_TOPIC_OR_PARTITION) instead of failing the whole request.
 */
import { ERROR_CODES } from '@tributary/core';
import {
  DescribeProducers,
  parseVersions,
  type RequestOf,
  type ResponseInputOf,
} from '@tributary/kafka-protocol';
import type {
  DescribeProducersPartitionResult__Output,
  DescribeProducersTopic__Output,
} from '@tributary/protocol';
import { answerDescribeProducers } from '../../services/describe-producers.js';
import { type RegisteredHandler, registerHandler } from '../handler.js';
import { kafkaCodeOfError, kafkaCodeOfName, kafkaErrorMessage } from '../kafka-errors.js';
import type { KafkaBrokerParts } from '../parts.js';

/** What this handler uses of the broker. */
type Parts = Pick<KafkaBrokerParts, 'producers'>;

type Request = RequestOf<typeof DescribeProducers>;
type Response = ResponseInputOf<typeof DescribeProducers>;
type PartitionResult = Response['topics'][number]['partitions'][number];

const UNKNOWN_PARTITION = ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION.kafka;

export function describeProducersHandler(parts: Parts): RegisteredHandler {
  return registerHandler({
    api: DescribeProducers,
    advertised: parseVersions('0'),
    handle: (request) => describeProducers(parts, request),
  });
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** The distinct partitions worth asking about, topic by topic. */
function askable(request: Request): DescribeProducersTopic__Output[] {
  const byTopic = new Map<string, Set<number>>();
  for (const topic of request.topics) {
    if (topic.name === '') continue;
    const partitions = byTopic.get(topic.name) ?? new Set<number>();
    for (const index of topic.partitionIndexes) if (index >= 0) partitions.add(index);
    byTopic.set(topic.name, partitions);
  }
  return [...byTopic].map(([name, partitions]) => ({
    name,
    partitions: [...partitions].map((partition) => ({ partition })),
  }));
}

function describeProducers(parts: Parts, request: Request): Response {
  let results: readonly DescribeProducersPartitionResult__Output[] = [];
  let failure: { code: number; message: string } | null = null;
  try {
    results = answerDescribeProducers({ topics: askable(request) }, parts.producers).results;
  } catch (error) {
    // Past the request bounds (services/limits.ts): every partition gets the one error.
    failure = { code: kafkaCodeOfError(error), message: kafkaErrorMessage(error) };
  }
  const byKey = new Map(results.map((r) => [keyOf(r.topic, r.partition), r]));
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partitionIndex): PartitionResult => {
        const result = byKey.get(keyOf(topic.name, partitionIndex));
        if (result === undefined) {
          return failed(
            partitionIndex,
            failure?.code ?? UNKNOWN_PARTITION,
            failure?.message ?? `no partition ${topic.name}-${partitionIndex}`,
          );
        }
        if (result.errorCode !== '') {
          return failed(partitionIndex, kafkaCodeOfName(result.errorCode), result.errorMessage);
        }
        return {
          partitionIndex,
          errorCode: 0,
          errorMessage: null,
          activeProducers: result.activeProducers.map((p) => ({
            producerId: p.producerId,
            producerEpoch: p.producerEpoch,
            lastSequence: p.lastSequence,
            lastTimestamp: p.lastTimestampMs,
            coordinatorEpoch: p.coordinatorEpoch,
            currentTxnStartOffset: p.currentTxnStartOffset,
          })),
        };
      }),
    })),
  };
}

function failed(partitionIndex: number, errorCode: number, errorMessage: string): PartitionResult {
  return { partitionIndex, errorCode, errorMessage, activeProducers: [] };
}
