/**
 * Admin calls answered by each partition's leader (DeleteRecords, DescribeProducers): one call per leader
 * broker, all at once; partitions answered with an error saying the client's metadata was stale (the error
 * table's `wrongNode`, or no leader known) are asked again after a metadata refresh, within the call's
 * deadline and at most `attemptsMax` rounds; every other outcome is a per-partition entry, in the order
 * asked. The calls supply only what differs: the RPC to one leader and the shape of an outcome.
 */
import { isErrorCode, isWrongNode, TributaryError } from '@tributary/core';
import { asTributaryError } from '@tributary/protocol';
import {
  type BrokerSide,
  type PartitionError,
  REASSIGNMENT_LIMITS,
  requireValidPartitions,
  type TopicPartitionRef,
} from './reassignments.js';
import { sleep } from './retry.js';

export interface PartitionOutcome extends TopicPartitionRef {
  readonly error: PartitionError | null;
}

export interface LeaderRounds<W extends TopicPartitionRef, R extends PartitionOutcome> {
  /** Rounds of asking the leaders (the first included), and the pause between them. */
  readonly attemptsMax: number;
  readonly retryBackoffMs: number;
  /** An outcome for `ref` that failed with `code`; `leaderId` is null when no leader could be asked. */
  failed(ref: W, leaderId: number | null, code: string, message: string): R;
  /**
   * One leader's answers for `refs` (the RPC may reject: every ref then fails with its error). A partition
   * the answer leaves out fails as unanswered.
   */
  ask(address: string, leaderId: number, refs: readonly W[], remainingMs: number): Promise<readonly R[]>;
}

/** A partition's error after which its leader may be another broker (the error table's `wrongNode`). */
export function leaderMayHaveMoved(error: PartitionError | null): boolean {
  return error !== null && isErrorCode(error.code) && isWrongNode(error.code);
}

/** Valid refs, none named twice (each partition has one outcome); checked before anything is sent. */
export function requireLeaderPartitions(wanted: readonly TopicPartitionRef[]): void {
  requireValidPartitions(wanted);
  const seen = new Set<string>();
  for (const ref of wanted) {
    if (seen.has(keyOf(ref))) {
      throw new TributaryError('INVALID_REQUEST', `${ref.topic}-${ref.partition} is named twice`);
    }
    seen.add(keyOf(ref));
  }
}

export async function askPartitionLeaders<W extends TopicPartitionRef, R extends PartitionOutcome>(
  brokers: BrokerSide,
  wanted: readonly W[],
  deadlineMs: number,
  rounds: LeaderRounds<W, R>,
): Promise<R[]> {
  requireLeaderPartitions(wanted);
  const deadlineAt = performance.now() + deadlineMs;
  const done = new Map<string, R>();
  let pending = [...wanted];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const remainingMs = deadlineAt - performance.now();
    const last = attempt + 1 >= rounds.attemptsMax || remainingMs <= 0;
    if (attempt > 0) await sleep(Math.min(rounds.retryBackoffMs, Math.max(0, remainingMs)));
    await brokers.metadata
      .refresh([...new Set(pending.map((p) => p.topic))], Math.max(1, remainingMs), { autoCreate: false })
      .catch(() => undefined); // No broker answered: the round below reports the partitions as leaderless.
    const outcomes = await askLeadersOnce(
      brokers,
      pending,
      Math.max(1, deadlineAt - performance.now()),
      rounds,
    );
    const retry: W[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const asked = pending[index];
      if (asked === undefined) continue;
      if (!last && leaderMayHaveMoved(outcome.error)) retry.push(asked);
      else done.set(keyOf(asked), outcome);
    }
    pending = retry;
  }
  return wanted.map((w) => done.get(keyOf(w)) ?? rounds.failed(w, null, 'UNKNOWN', 'no answer'));
}

function keyOf(ref: TopicPartitionRef): string {
  return `${ref.topic}\u0000${ref.partition}`;
}

/** One round: each partition's leader asked once; the outcomes in `wanted`'s order. */
async function askLeadersOnce<W extends TopicPartitionRef, R extends PartitionOutcome>(
  brokers: BrokerSide,
  wanted: readonly W[],
  remainingMs: number,
  rounds: LeaderRounds<W, R>,
): Promise<R[]> {
  const outcomes = new Map<string, R>();
  const byLeader = new Map<number, W[]>();
  for (const ref of wanted) {
    const topic = brokers.metadata.topic(ref.topic);
    const leader = topic?.partitions[ref.partition]?.leaderId ?? -1;
    if (topic === undefined || ref.partition >= topic.partitions.length) {
      const message = `no partition ${ref.topic}-${ref.partition}`;
      outcomes.set(keyOf(ref), rounds.failed(ref, null, 'UNKNOWN_TOPIC_OR_PARTITION', message));
    } else if (leader < 0) {
      outcomes.set(keyOf(ref), rounds.failed(ref, null, 'LEADER_NOT_AVAILABLE', 'no leader known'));
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
  await Promise.all(
    [...byLeader].map(async ([leaderId, refs]) => {
      for (const outcome of await askLeader(brokers, leaderId, refs, remainingMs, rounds)) {
        outcomes.set(keyOf(outcome), outcome);
      }
    }),
  );
  return wanted.map(
    (ref) => outcomes.get(keyOf(ref)) ?? rounds.failed(ref, null, 'UNKNOWN', 'the leader did not answer it'),
  );
}

async function askLeader<W extends TopicPartitionRef, R extends PartitionOutcome>(
  brokers: BrokerSide,
  leaderId: number,
  refs: readonly W[],
  remainingMs: number,
  rounds: LeaderRounds<W, R>,
): Promise<readonly R[]> {
  const address = brokers.metadata.brokerAddress(leaderId);
  if (address === undefined) {
    return refs.map((ref) =>
      rounds.failed(ref, null, 'LEADER_NOT_AVAILABLE', `no address for broker ${leaderId}`),
    );
  }
  try {
    return await rounds.ask(address, leaderId, refs, remainingMs);
  } catch (error) {
    // An unreachable broker reads as LEADER_NOT_AVAILABLE: worth a refresh and another round.
    const failure = asTributaryError(error);
    return refs.map((ref) => rounds.failed(ref, leaderId, failure.code, failure.message));
  }
}

/** The per-topic partition lists of a request naming `refs`, each partition described by `entry`. */
export function topicsOf<W extends TopicPartitionRef, E>(
  refs: readonly W[],
  entry: (ref: W) => E,
): { name: string; partitions: E[] }[] {
  return [...new Set(refs.map((r) => r.topic))].map((name) => ({
    name,
    partitions: refs.filter((r) => r.topic === name).map(entry),
  }));
}
