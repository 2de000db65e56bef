/**
 * DescribeProducers as the leader answers it (Kafka's ReplicaManager.activeProducerState, KIP-664): the
 * producers its log's producer state still remembers, each with its epoch, last sequence and timestamp,
 * the coordinator epoch of its last marker and the first offset of its open transaction. Only the leader
 * answers: a follower's producer state may lag the leader's by the batches it has not fetched yet, and
 * an operator aborting a hanging transaction must see the state the leader will check the marker against.
 * Pure over the partitions it is given.
 */
import type { ProducerEntry } from '@tributary/log';
import type { ActiveProducer__Output, DescribeProducersPartitionResult__Output } from '@tributary/protocol';
import { ledPartition, type TopicPartition } from './describe-replicas.js';

/** Kafka's "none" on DescribeProducers' wire, for every field that may have none. */
export const NO_VALUE = -1;

/** What DescribeProducers reads of a hosted partition (a Partition has it). */
export interface ProducerStateHolder {
  readonly role: { readonly kind: 'leader' | 'follower' };
  readonly log: { readonly producers: { entries(): readonly ProducerEntry[] } };
}

/** One answer per wanted partition, in order; the caller has validated the request. */
export function describeProducers(options: {
  readonly wanted: readonly TopicPartition[];
  readonly lookup: (topic: string, partition: number) => ProducerStateHolder | undefined;
  readonly brokerId: number;
}): DescribeProducersPartitionResult__Output[] {
  const { wanted, lookup, brokerId } = options;
  return wanted.map((tp) => {
    const found = ledPartition(lookup, tp, brokerId);
    if (!('led' in found)) return failed(tp.topic, tp.partition, found.code, found.message);
    const { topic, partition: index } = tp;
    const activeProducers = found.led.log.producers
      .entries()
      .map(activeProducerOf)
      .sort((a, b) => a.producerId - b.producerId);
    return { topic, partition: index, errorCode: '', errorMessage: '', activeProducers };
  });
}

/** A producer entry as Kafka reports it: -1 for a sequence, timestamp or offset the entry does not have. */
export function activeProducerOf(entry: ProducerEntry): ActiveProducer__Output {
  const last = entry.batches.at(-1);
  return {
    producerId: entry.producerId,
    producerEpoch: entry.producerEpoch,
    lastSequence: last?.lastSequence ?? NO_VALUE,
    lastTimestampMs: last?.maxTimestamp ?? NO_VALUE,
    coordinatorEpoch: entry.coordinatorEpoch ?? NO_VALUE,
    currentTxnStartOffset: entry.currentTxnFirstOffset ?? NO_VALUE,
  };
}

function failed(
  topic: string,
  partition: number,
  code: string,
  message: string,
): DescribeProducersPartitionResult__Output {
  return { topic, partition, errorCode: code, errorMessage: message, activeProducers: [] };
}
