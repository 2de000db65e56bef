/**
 * DescribeReplicas as the leader answers it (pure over the partitions it is given): offsets, size and each
 * replica's progress as the leader last saw it. Reassignment tooling polls this to show how far a moving
 * replica has come.
 */
import type { DescribedPartitionReplicas, ReplicaProgress } from '@tributary/protocol';
import type { Partition } from './partition.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * For the reads only a leader answers (DescribeReplicas, DescribeProducers): the partition this broker
 * leads, or the per-partition refusal (UNKNOWN_TOPIC_OR_PARTITION when not hosted here, NOT_LEADER when
 * only followed).
 */
export function ledPartition<P extends { readonly role: { readonly kind: string } }>(
  lookup: (topic: string, partition: number) => P | undefined,
  { topic, partition: index }: TopicPartition,
  brokerId: number,
): { readonly led: P } | { readonly code: string; readonly message: string } {
  const partition = lookup(topic, index);
  if (partition === undefined) {
    return {
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
      message: `${topic}-${index} is not hosted by broker ${brokerId}`,
    };
  }
  if (partition.role.kind !== 'leader') {
    return { code: 'NOT_LEADER', message: `broker ${brokerId} does not lead ${topic}-${index}` };
  }
  return { led: partition };
}

/**
 * `wanted` null: every partition `partitions` holds that this broker leads. Otherwise one answer per wanted
 * partition, in order: UNKNOWN_TOPIC_OR_PARTITION when not hosted here, NOT_LEADER when only followed.
 */
export function describeReplicas(options: {
  readonly wanted: readonly TopicPartition[] | null;
  readonly lookup: (topic: string, partition: number) => Partition | undefined;
  readonly all: () => Iterable<Partition>;
  readonly brokerId: number;
  readonly nowMs: number;
}): DescribedPartitionReplicas[] {
  const { wanted, lookup, brokerId, nowMs } = options;
  if (wanted === null) {
    return [...options.all()]
      .filter((partition) => partition.role.kind === 'leader')
      .map((partition) => describeLed(partition, nowMs));
  }
  return wanted.map((tp) => {
    const found = ledPartition(lookup, tp, brokerId);
    return 'led' in found
      ? describeLed(found.led, nowMs)
      : failed(tp.topic, tp.partition, found.code, found.message);
  });
}

function describeLed(partition: Partition, nowMs: number): DescribedPartitionReplicas {
  const state = partition.leaderState();
  const log = partition.log;
  const replicas: ReplicaProgress[] = [];
  for (const id of partition.replicas) {
    const inIsr = state?.isr.includes(id) === true;
    if (id === partition.brokerId) {
      replicas.push({ brokerId: id, logEndOffset: log.logEndOffset, inIsr, caughtUpMsAgo: 0 });
      continue;
    }
    const progress = state?.replicaProgress(id);
    const caughtUp = progress?.lastCaughtUpMs ?? -1;
    replicas.push({
      brokerId: id,
      // -1 (not fetched in this leader epoch yet) does not fit the unsigned field: 0, nothing known held.
      logEndOffset: Math.max(progress?.logEndOffset ?? 0, 0),
      inIsr,
      caughtUpMsAgo: caughtUp < 0 ? -1 : Math.max(0, Math.floor(nowMs - caughtUp)),
    });
  }
  return {
    topic: partition.topic,
    partition: partition.partition,
    errorCode: '',
    errorMessage: '',
    leaderEpoch: partition.leaderEpoch,
    logStartOffset: log.logStartOffset,
    logEndOffset: log.logEndOffset,
    highWatermark: partition.highWatermark,
    sizeBytes: log.sizeBytes,
    replicas,
  };
}

function failed(topic: string, partition: number, code: string, message: string): DescribedPartitionReplicas {
  return {
    topic,
    partition,
    errorCode: code,
    errorMessage: message,
    leaderEpoch: 0,
    logStartOffset: 0,
    logEndOffset: 0,
    highWatermark: 0,
    sizeBytes: 0,
    replicas: [],
  };
}
