/**
 * Pure decisions of the group consumer (no I/O, no timers): what to start and revoke when the
 * coordinator hands out a new assignment, what to do after each error code, which topics a regex
 * subscription names, and where a newly owned partition starts reading. The shell in
 * group-consumer.ts and membership.ts carries them out.
 */
import { assert, type ErrorCode, isWrongNode, needsCoordinatorLookup } from '@tributary/core';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The wire shape (TopicPartitions in group.proto): one topic with several partitions. */
export interface TopicPartitionList {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/** Flattens the wire shape; duplicates are dropped, order is topic then partition. */
export function flattenPartitions(
  lists: readonly { readonly topic: string; readonly partitions: readonly number[] }[],
): TopicPartition[] {
  const seen = new Map<string, TopicPartition>();
  for (const list of lists) {
    for (const partition of list.partitions) {
      const tp = { topic: list.topic, partition };
      seen.set(partitionKey(tp), tp);
    }
  }
  return [...seen.values()].sort(comparePartitions);
}

/** Groups partitions per topic, both sorted, as group.proto's TopicPartitions carry them. */
export function groupPartitions(
  partitions: Iterable<TopicPartition>,
): { topic: string; partitions: number[] }[] {
  const byTopic = new Map<string, Set<number>>();
  for (const tp of partitions) {
    const set = byTopic.get(tp.topic) ?? new Set<number>();
    set.add(tp.partition);
    byTopic.set(tp.topic, set);
  }
  return [...byTopic.keys()]
    .sort()
    .map((topic) => ({ topic, partitions: [...(byTopic.get(topic) ?? [])].sort((a, b) => a - b) }));
}

export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

export interface Reconciliation {
  /** Newly assigned: start consuming these. */
  readonly toStart: TopicPartition[];
  /** Owned but no longer assigned: stop fetching, finish the handler, commit, then report them gone. */
  readonly toRevoke: TopicPartition[];
}

/**
 * KIP-848 reconciliation: the assignment is the full set the member should own now, so anything owned
 * but missing is revoked and anything assigned but not owned is started. Partitions already being
 * revoked (`revoking`) are neither started again nor revoked twice.
 */
export function reconcile(
  owned: readonly TopicPartition[],
  assignment: readonly TopicPartition[],
  revoking: ReadonlySet<string> = new Set(),
): Reconciliation {
  const ownedKeys = new Set(owned.map(partitionKey));
  const assignedKeys = new Set(assignment.map(partitionKey));
  const toStart = assignment.filter((tp) => !ownedKeys.has(partitionKey(tp)));
  const toRevoke = owned.filter(
    (tp) => !assignedKeys.has(partitionKey(tp)) && !revoking.has(partitionKey(tp)),
  );
  assert(
    toStart.every((tp) => !toRevoke.some((r) => partitionKey(r) === partitionKey(tp))),
    'a partition cannot be both started and revoked',
  );
  return { toStart: [...toStart].sort(comparePartitions), toRevoke: [...toRevoke].sort(comparePartitions) };
}

/**
 * What the membership loop does after a heartbeat error:
 * - `rejoin`: the coordinator forgot or fenced this member: drop every partition without committing
 *   (they may already belong to someone else) and join again with epoch 0;
 * - `find-coordinator`: the coordinator moved or is loading: look it up again, back off, retry;
 * - `retry`: back off and send the same heartbeat again;
 * - `fatal`: the request can never succeed (bad group id, conflicting assignor): stop the consumer.
 */
export type HeartbeatAction = 'rejoin' | 'find-coordinator' | 'retry' | 'fatal';

/**
 * The coordinator moved or is loading, or the broker that answered may be gone and the coordinator with it
 * (a transport failure, a node that is not where metadata said): look it up again.
 */
function heartbeatFindsCoordinator(code: ErrorCode): boolean {
  return (
    needsCoordinatorLookup(code) ||
    code === 'COORDINATOR_LOAD_IN_PROGRESS' ||
    code === 'REQUEST_TIMED_OUT' ||
    isWrongNode(code)
  );
}

export function heartbeatAction(code: ErrorCode, retriable: boolean): HeartbeatAction {
  if (code === 'UNKNOWN_MEMBER_ID' || code === 'FENCED_MEMBER_EPOCH') return 'rejoin';
  if (heartbeatFindsCoordinator(code)) return 'find-coordinator';
  return retriable ? 'retry' : 'fatal';
}

/**
 * What a commit does after an error: `retry-new-epoch` (STALE_MEMBER_EPOCH: the commit raced a
 * heartbeat that raised the epoch; resend with the newest one), `find-coordinator`, `retry`, or `fail`
 * (the member is gone or fenced: its offsets must not be written).
 */
export type CommitAction = 'retry-new-epoch' | 'find-coordinator' | 'retry' | 'fail';

export function commitAction(code: ErrorCode, retriable: boolean): CommitAction {
  if (code === 'STALE_MEMBER_EPOCH') return 'retry-new-epoch';
  if (heartbeatFindsCoordinator(code)) return 'find-coordinator';
  if (code === 'UNKNOWN_MEMBER_ID' || code === 'FENCED_MEMBER_EPOCH') return 'fail';
  return retriable ? 'retry' : 'fail';
}

/**
 * The topics a subscription names. A list is taken as given (deduplicated, sorted); a RegExp is matched
 * against the cluster's topics, leaving out internal ones (`__` prefix, e.g. __consumer_offsets) as
 * Kafka's pattern subscriptions do.
 */
export function resolveSubscription(
  topics: readonly string[] | RegExp,
  clusterTopics: readonly string[],
): string[] {
  if (!(topics instanceof RegExp)) return [...new Set(topics)].sort();
  // A global or sticky regex keeps state between test() calls; a fresh copy without flags g/y has none.
  const pattern = new RegExp(topics.source, topics.flags.replace(/[gy]/g, ''));
  return [...new Set(clusterTopics)].filter((name) => !name.startsWith('__') && pattern.test(name)).sort();
}

/**
 * Where a newly owned partition starts: the committed offset, or without one (-1) Kafka's
 * auto.offset.reset: the earliest offset with fromBeginning, else the latest.
 */
export type StartPosition =
  | { readonly kind: 'committed'; readonly offset: number }
  | { readonly kind: 'reset'; readonly to: 'earliest' | 'latest' };

export function startPosition(committedOffset: number | undefined, fromBeginning: boolean): StartPosition {
  if (committedOffset !== undefined && committedOffset >= 0)
    return { kind: 'committed', offset: committedOffset };
  return { kind: 'reset', to: fromBeginning ? 'earliest' : 'latest' };
}

/**
 * The offsets worth committing: a partition's processed offset (next to read) when it differs from what
 * is known to be committed. Offsets only ever count records whose handler finished (at-least-once).
 */
export function offsetsToCommit(
  processed: ReadonlyMap<string, { readonly tp: TopicPartition; readonly offset: number }>,
  committed: ReadonlyMap<string, number>,
): { topic: string; partition: number; offset: number }[] {
  const result: { topic: string; partition: number; offset: number }[] = [];
  for (const [key, { tp, offset }] of processed) {
    if (committed.get(key) !== offset) result.push({ topic: tp.topic, partition: tp.partition, offset });
  }
  return result.sort(comparePartitions);
}
