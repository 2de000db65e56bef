/**
 * Admin.describeProducers (Kafka's Admin.describeProducers, KIP-664): the producers each partition's
 * leader remembers, from its log's producer state, with their epochs, last sequences and the first offset
 * of their open transaction: what an operator needs to abort a hanging transaction
 * (`trib transactions describe-producers`, `abort --start-offset`). One Broker.DescribeProducers call per
 * leader broker, all at once. Partitions answered with an error saying the client's metadata was stale
 * (NOT_LEADER, no leader known) are asked again after a metadata refresh, within the call's deadline and
 * at most DESCRIBE_PRODUCERS_LIMITS.attemptsMax rounds; every other outcome is a per-partition entry.
 */
import { TributaryError } from '@tributary/core';
import {
  type ActiveProducer__Output,
  asTributaryError,
  type DescribeProducersPartitionResult__Output,
  unary,
} from '@tributary/protocol';
import { DESCRIBE_PRODUCERS_LIMITS } from './limits.js';
import {
  type BrokerSide,
  leaderMayHaveMoved,
  type PartitionError,
  REASSIGNMENT_LIMITS,
  requireValidPartitions,
  type TopicPartitionRef,
} from './reassignments.js';
import { sleep } from './retry.js';

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

/** Valid refs, none named twice (a partition has one answer). */
export function requireProducerPartitions(wanted: readonly TopicPartitionRef[]): void {
  requireValidPartitions(wanted);
  const seen = new Set<string>();
  for (const ref of wanted) {
    const where = `${ref.topic}-${ref.partition}`;
    if (seen.has(where)) throw new TributaryError('INVALID_REQUEST', `${where} is named twice`);
    seen.add(where);
  }
}

export async function describeProducersOnLeaders(
  brokers: BrokerSide,
  wanted: readonly TopicPartitionRef[],
  deadlineMs: number,
): Promise<PartitionProducersDescription[]> {
  requireProducerPartitions(wanted);
  const deadlineAt = performance.now() + deadlineMs;
  const done = new Map<string, PartitionProducersDescription>();
  let pending = [...wanted];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const remainingMs = deadlineAt - performance.now();
    const last = attempt + 1 >= DESCRIBE_PRODUCERS_LIMITS.attemptsMax || remainingMs <= 0;
    if (attempt > 0) {
      await sleep(Math.min(DESCRIBE_PRODUCERS_LIMITS.retryBackoffMs, Math.max(0, remainingMs)));
    }
    await brokers.metadata
      .refresh([...new Set(pending.map((p) => p.topic))], Math.max(1, remainingMs))
      .catch(() => undefined); // No broker answered: the round below reports the partitions as leaderless.
    const outcomes = await askLeaders(brokers, pending, Math.max(1, deadlineAt - performance.now()));
    const retry: TopicPartitionRef[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const asked = pending[index];
      if (asked === undefined) continue;
      if (!last && leaderMayHaveMoved(outcome.error)) retry.push(asked);
      else done.set(keyOf(asked), outcome);
    }
    pending = retry;
  }
  return wanted.map((w) => done.get(keyOf(w)) ?? failed(w, null, 'UNKNOWN', 'no answer'));
}

function keyOf(ref: TopicPartitionRef): string {
  return `${ref.topic}\u0000${ref.partition}`;
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

/** One round: each partition's leader asked once; the outcomes in `wanted`'s order. */
async function askLeaders(
  brokers: BrokerSide,
  wanted: readonly TopicPartitionRef[],
  remainingMs: number,
): Promise<PartitionProducersDescription[]> {
  const outcomes = new Map<string, PartitionProducersDescription>();
  const byLeader = new Map<number, TopicPartitionRef[]>();
  for (const ref of wanted) {
    const topic = brokers.metadata.topic(ref.topic);
    const leader = topic?.partitions[ref.partition]?.leaderId ?? -1;
    if (topic === undefined || ref.partition >= topic.partitions.length) {
      outcomes.set(
        keyOf(ref),
        failed(ref, null, 'UNKNOWN_TOPIC_OR_PARTITION', `no partition ${ref.topic}-${ref.partition}`),
      );
    } else if (leader < 0) {
      outcomes.set(keyOf(ref), failed(ref, null, 'LEADER_NOT_AVAILABLE', 'no leader known'));
    } else {
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), ref]);
    }
  }
  if (byLeader.size > REASSIGNMENT_LIMITS.brokersMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `partitions led by more than ${REASSIGNMENT_LIMITS.brokersMax} brokers`,
    );
  }
  const callMs = Math.max(1, Math.min(remainingMs, DESCRIBE_PRODUCERS_LIMITS.callTimeoutMs));
  await Promise.all(
    [...byLeader].map(async ([leaderId, refs]) => {
      for (const outcome of await askLeader(brokers, leaderId, refs, callMs)) {
        outcomes.set(keyOf(outcome), outcome);
      }
    }),
  );
  return wanted.map(
    (ref) => outcomes.get(keyOf(ref)) ?? failed(ref, null, 'UNKNOWN', 'the leader did not answer it'),
  );
}

async function askLeader(
  brokers: BrokerSide,
  leaderId: number,
  refs: readonly TopicPartitionRef[],
  callMs: number,
): Promise<PartitionProducersDescription[]> {
  const address = brokers.metadata.brokerAddress(leaderId);
  if (address === undefined) {
    return refs.map((ref) => failed(ref, null, 'LEADER_NOT_AVAILABLE', `no address for broker ${leaderId}`));
  }
  const topics = [...new Set(refs.map((r) => r.topic))].map((name) => ({
    name,
    partitions: refs.filter((r) => r.topic === name).map((r) => ({ partition: r.partition })),
  }));
  try {
    const response = await unary(
      brokers.connections.get(address),
      'DescribeProducers',
      { topics },
      { deadlineMs: callMs },
    );
    return response.results.map((result) => described(result, leaderId));
  } catch (error) {
    // An unreachable broker reads as LEADER_NOT_AVAILABLE: worth a refresh and another round.
    const failure = asTributaryError(error);
    return refs.map((ref) => failed(ref, leaderId, failure.code, failure.message));
  }
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
