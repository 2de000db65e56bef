/**
 * Admin.describeProducers (Kafka's Admin.describeProducers, KIP-664): the producers each partition's
 * leader remembers, from its log's producer state, with their epochs, last sequences and the first offset
 * of their open transaction: what an operator needs to abort a hanging transaction
 * (`trib transactions describe-producers`, `abort --start-offset`). One Broker.DescribeProducers call per
 * leader broker, all at once. Partitions answered with an error saying the client's metadata was stale
 * (NOT_LEADER, no leader known) are asked again after a metadata refresh, within the call's deadline and
 * at most DESCRIBE_PRODUCERS_LIMITS.attemptsMax rounds; every other outcome is a per-partition entry.
 */
import {
  type ActiveProducer__Output,
  type DescribeProducersPartitionResult__Output,
  unary,
} from '@tributary/protocol';
import { askPartitionLeaders, topicsOf } from './leader-rounds.js';
import { DESCRIBE_PRODUCERS_LIMITS } from './limits.js';
import type { BrokerSide, PartitionError, TopicPartitionRef } from './reassignments.js';

/** One producer a partition's leader remembers (Kafka's ProducerState); null where it has none. */
export interface ActiveProducerDescription {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The sequence of its last record; null when it appended none in this epoch. */
  readonly lastSequence: number | null;
  /** The max timestamp of its last batch, in ms; null when none. */
  readonly lastTimestampMs: number | null;
  /** The epoch of the coordinator that wrote its last marker; null when no marker was written. */
  readonly coordinatorEpoch: number | null;
  /** The offset its open transaction started at in this partition; null when none is open. */
  readonly currentTransactionStartOffset: number | null;
}

export interface PartitionProducersDescription extends TopicPartitionRef {
  /** The broker that answered (the leader); null when none could be asked. */
  readonly leaderId: number | null;
  /** Sorted by producer id; empty on error. */
  readonly activeProducers: readonly ActiveProducerDescription[];
  readonly error: PartitionError | null;
}

/** The wire's -1 ("none") as null. */
function orNull(value: number): number | null {
  return value < 0 ? null : value;
}

export function activeProducerDescription(answer: ActiveProducer__Output): ActiveProducerDescription {
  return {
    producerId: answer.producerId,
    producerEpoch: answer.producerEpoch,
    lastSequence: orNull(answer.lastSequence),
    lastTimestampMs: orNull(answer.lastTimestampMs),
    coordinatorEpoch: orNull(answer.coordinatorEpoch),
    currentTransactionStartOffset: orNull(answer.currentTxnStartOffset),
  };
}

export async function describeProducersOnLeaders(
  brokers: BrokerSide,
  wanted: readonly TopicPartitionRef[],
  deadlineMs: number,
): Promise<PartitionProducersDescription[]> {
  return askPartitionLeaders(brokers, wanted, deadlineMs, {
    attemptsMax: DESCRIBE_PRODUCERS_LIMITS.attemptsMax,
    retryBackoffMs: DESCRIBE_PRODUCERS_LIMITS.retryBackoffMs,
    failed,
    ask: async (address, leaderId, refs, remainingMs) => {
      const topics = topicsOf(refs, (r) => ({ partition: r.partition }));
      const response = await unary(
        brokers.connections.get(address),
        'DescribeProducers',
        { topics },
        { deadlineMs: Math.max(1, Math.min(remainingMs, DESCRIBE_PRODUCERS_LIMITS.callTimeoutMs)) },
      );
      return response.results.map((result) => described(result, leaderId));
    },
  });
}

function failed(
  ref: TopicPartitionRef,
  leaderId: number | null,
  code: string,
  message: string,
): PartitionProducersDescription {
  return {
    topic: ref.topic,
    partition: ref.partition,
    leaderId,
    activeProducers: [],
    error: { code, message },
  };
}

function described(
  result: DescribeProducersPartitionResult__Output,
  leaderId: number,
): PartitionProducersDescription {
  if (result.errorCode !== '') {
    return failed(result, leaderId, result.errorCode, result.errorMessage);
  }
  return {
    topic: result.topic,
    partition: result.partition,
    leaderId,
    activeProducers: result.activeProducers.map(activeProducerDescription),
    error: null,
  };
}
