/**
 * Admin.deleteRecords (Kafka's AdminClient.deleteRecords, KIP-107): each partition's log start moves to
 * the given offset (-1: the high watermark) on its leader, which answers once its in-sync replicas have
 * moved theirs. One Broker.DeleteRecords call per leader broker, all at once. Partitions answered with an
 * error saying the client's metadata was stale (NOT_LEADER, no leader known) are asked again after a
 * metadata refresh, within the call's deadline and at most DELETE_RECORDS_CLIENT_LIMITS.attemptsMax times
 * (moving a log start again is a no-op); every other outcome is a per-partition entry.
 */
import { TributaryError, WIRE_LIMITS } from '@tributary/core';
import { asTributaryError, type DeleteRecordsPartitionResult__Output, unary } from '@tributary/protocol';
import {
  type BrokerSide,
  leaderMayHaveMoved,
  type PartitionError,
  REASSIGNMENT_LIMITS,
  requireValidPartitions,
  type TopicPartitionRef,
} from './reassignments.js';
import { sleep } from './retry.js';

export const DELETE_RECORDS_CLIENT_LIMITS = {
  /** Rounds of asking the leaders (the first included). */
  attemptsMax: 5,
  retryBackoffMs: 100,
  /** Kept off the call's remaining time when telling the leader how long it may wait for its followers. */
  replyMarginMs: 200,
  /** The broker's bound on that wait. */
  leaderWaitMsMax: WIRE_LIMITS.deleteRecordsTimeoutMsMax,
} as const;

/** Kafka's DeleteRecordsRequest.HIGH_WATERMARK. */
export const DELETE_TO_HIGH_WATERMARK = -1;

export interface RecordsToDelete extends TopicPartitionRef {
  /** The new log start offset: every record below it is deleted. -1: the high watermark. */
  readonly offset: number;
}

export interface DeletedRecords extends TopicPartitionRef {
  /** The partition's log start offset afterwards (Kafka's low watermark); null on error. */
  readonly lowWatermark: number | null;
  readonly error: PartitionError | null;
}

export function requireRecordsToDelete(wanted: readonly RecordsToDelete[]): void {
  requireValidPartitions(wanted);
  const seen = new Set<string>();
  for (const { topic, partition, offset } of wanted) {
    const where = `${topic}-${partition}`;
    if (seen.has(where)) throw new TributaryError('INVALID_REQUEST', `${where} is named twice`);
    seen.add(where);
    if (!Number.isSafeInteger(offset) || offset < DELETE_TO_HIGH_WATERMARK) {
      throw new TributaryError('INVALID_REQUEST', `${where}: offset must be -1 or at least 0, got ${offset}`);
    }
  }
}

export async function deleteRecordsOnLeaders(
  brokers: BrokerSide,
  wanted: readonly RecordsToDelete[],
  deadlineMs: number,
): Promise<DeletedRecords[]> {
  requireRecordsToDelete(wanted);
  const deadlineAt = performance.now() + deadlineMs;
  const done = new Map<string, DeletedRecords>();
  let pending = [...wanted];
  for (let attempt = 0; pending.length > 0; attempt++) {
    const remainingMs = deadlineAt - performance.now();
    const last = attempt + 1 >= DELETE_RECORDS_CLIENT_LIMITS.attemptsMax || remainingMs <= 0;
    if (attempt > 0)
      await sleep(Math.min(DELETE_RECORDS_CLIENT_LIMITS.retryBackoffMs, Math.max(0, remainingMs)));
    await brokers.metadata
      .refresh([...new Set(pending.map((p) => p.topic))], Math.max(1, remainingMs))
      .catch(() => undefined); // No broker answered: the round below reports the partitions as leaderless.
    const outcomes = await askLeaders(brokers, pending, Math.max(1, deadlineAt - performance.now()));
    const retry: RecordsToDelete[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const asked = pending[index];
      if (asked === undefined) continue;
      if (!last && leaderMayHaveMoved(outcome.error)) retry.push(asked);
      else done.set(keyOf(asked), outcome);
    }
    pending = retry;
  }
  return wanted.map((w) => done.get(keyOf(w)) ?? failed(w, 'UNKNOWN', 'no answer'));
}

function keyOf(ref: TopicPartitionRef): string {
  return `${ref.topic}\u0000${ref.partition}`;
}

function failed(ref: TopicPartitionRef, code: string, message: string): DeletedRecords {
  return { topic: ref.topic, partition: ref.partition, lowWatermark: null, error: { code, message } };
}

/** One round: each partition's leader asked once; the outcomes in `wanted`'s order. */
async function askLeaders(
  brokers: BrokerSide,
  wanted: readonly RecordsToDelete[],
  remainingMs: number,
): Promise<DeletedRecords[]> {
  const outcomes = new Map<string, DeletedRecords>();
  const byLeader = new Map<number, RecordsToDelete[]>();
  for (const ref of wanted) {
    const topic = brokers.metadata.topic(ref.topic);
    const leader = topic?.partitions[ref.partition]?.leaderId ?? -1;
    if (topic === undefined || ref.partition >= topic.partitions.length) {
      outcomes.set(
        keyOf(ref),
        failed(ref, 'UNKNOWN_TOPIC_OR_PARTITION', `no partition ${ref.topic}-${ref.partition}`),
      );
    } else if (leader < 0) {
      outcomes.set(keyOf(ref), failed(ref, 'LEADER_NOT_AVAILABLE', 'no leader known'));
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
  // The leader waits for its followers up to timeoutMs; its answer must get back before our deadline.
  const timeoutMs = Math.max(
    1,
    Math.min(
      remainingMs - DELETE_RECORDS_CLIENT_LIMITS.replyMarginMs,
      DELETE_RECORDS_CLIENT_LIMITS.leaderWaitMsMax,
    ),
  );
  await Promise.all(
    [...byLeader].map(async ([leaderId, refs]) => {
      for (const outcome of await askLeader(brokers, leaderId, refs, {
        timeoutMs,
        deadlineMs: remainingMs,
      })) {
        outcomes.set(keyOf(outcome), outcome);
      }
    }),
  );
  return wanted.map(
    (ref) => outcomes.get(keyOf(ref)) ?? failed(ref, 'UNKNOWN', 'the leader did not answer it'),
  );
}

async function askLeader(
  brokers: BrokerSide,
  leaderId: number,
  refs: readonly RecordsToDelete[],
  times: { readonly timeoutMs: number; readonly deadlineMs: number },
): Promise<DeletedRecords[]> {
  const address = brokers.metadata.brokerAddress(leaderId);
  if (address === undefined) {
    return refs.map((ref) => failed(ref, 'LEADER_NOT_AVAILABLE', `no address for broker ${leaderId}`));
  }
  const topics = [...new Set(refs.map((r) => r.topic))].map((name) => ({
    name,
    partitions: refs
      .filter((r) => r.topic === name)
      .map((r) => ({ partition: r.partition, offset: r.offset })),
  }));
  try {
    const response = await unary(
      brokers.connections.get(address),
      'DeleteRecords',
      { topics, timeoutMs: times.timeoutMs },
      { deadlineMs: times.deadlineMs },
    );
    return response.results.map(deletedRecords);
  } catch (error) {
    // An unreachable broker reads as LEADER_NOT_AVAILABLE: worth a refresh and another round.
    const failure = asTributaryError(error);
    return refs.map((ref) => failed(ref, failure.code, failure.message));
  }
}

function deletedRecords(result: DeleteRecordsPartitionResult__Output): DeletedRecords {
  const ok = result.errorCode === '';
  return {
    topic: result.topic,
    partition: result.partition,
    lowWatermark: ok ? result.lowWatermark : null,
    error: ok ? null : { code: result.errorCode, message: result.errorMessage },
  };
}
