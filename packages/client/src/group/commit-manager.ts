/**
 * Offset commits and lookups for one group member. Commits run one at a time (in call order) so an older
 * commit can never overwrite a newer one; each carries the member's id and its newest epoch, and
 * STALE_MEMBER_EPOCH (a heartbeat raised the epoch meanwhile) is retried with the new epoch.
 */
import { assert, type Random, TributaryError } from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF } from '@tributary/protocol';
import { partitionError, sleep, toError } from '../retry.js';
import { GROUP_LIMITS } from './config.js';
import type { CoordinatorLookup } from './coordinator.js';
import { commitAction, groupPartitions, partitionKey, type TopicPartition } from './reconcile.js';
import type { GroupMemberIdentity } from './types.js';

export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to consume (last processed + 1), as Kafka commits it. */
  readonly offset: number;
}

export interface CommitManagerDeps {
  readonly lookup: CoordinatorLookup;
  readonly random: Random;
  /** Read before every attempt, so a retry after STALE_MEMBER_EPOCH uses the newest epoch. */
  readonly member: () => GroupMemberIdentity;
  /** Called on STALE_MEMBER_EPOCH: heartbeat now to learn the new epoch sooner. */
  readonly onStaleEpoch?: () => void;
  /**
   * KIP-447, for read_committed members: OffsetFetch asks for stable offsets only, and waits while a
   * transaction's offset commit for the partition awaits its marker (UNSTABLE_OFFSET_COMMIT) instead of
   * resuming from the offset before it, which would process that transaction's inputs a second time.
   */
  readonly requireStable?: boolean;
}

export function validateOffsets(offsets: readonly TopicPartitionOffset[]): void {
  for (const o of offsets) {
    if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `${o.topic}-${o.partition}: offset ${o.offset} is not valid`,
      );
    }
    if (!Number.isSafeInteger(o.partition) || o.partition < 0) {
      throw new TributaryError('INVALID_REQUEST', `${o.topic}: partition ${o.partition} is not valid`);
    }
  }
}

export class CommitManager {
  /** What this member knows to be committed, per partitionKey. */
  readonly committed = new Map<string, number>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: CommitManagerDeps) {}

  /** Commits `offsets` after every earlier commit has finished (whether it succeeded or not). */
  commit(offsets: readonly TopicPartitionOffset[], signal?: AbortSignal): Promise<void> {
    validateOffsets(offsets);
    const run = this.chain.then(() => this.commitNow(offsets, signal));
    this.chain = run.catch(() => undefined);
    return run;
  }

  forget(tp: TopicPartition): void {
    this.committed.delete(partitionKey(tp));
  }

  /** The committed offset per partitionKey (-1 = none), retrying coordinator moves. */
  async fetchCommitted(
    partitions: readonly TopicPartition[],
    signal?: AbortSignal,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (partitions.length === 0) return found;
    const request = {
      groupId: this.deps.lookup.groupId,
      topics: groupPartitions(partitions),
      requireStable: this.deps.requireStable === true,
    };
    for (let round = 0; ; round++) {
      try {
        const response = await this.deps.lookup.call(
          'OffsetFetch',
          request,
          signal === undefined ? {} : { signal },
        );
        for (const o of response.offsets) found.set(partitionKey(o), o.offset);
        return found;
      } catch (error) {
        const failure = toError(error);
        const attemptsMax =
          failure.code === 'UNSTABLE_OFFSET_COMMIT'
            ? GROUP_LIMITS.unstableOffsetFetchAttemptsMax
            : GROUP_LIMITS.commitAttemptsMax;
        if (!failure.retriable || round + 1 >= attemptsMax || signal?.aborted === true) {
          throw failure;
        }
        await sleep(backoffDelayMs(round, DEFAULT_BACKOFF, this.deps.random), signal);
      }
    }
  }

  private async commitNow(
    offsets: readonly TopicPartitionOffset[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    let pending = [...offsets];
    for (let round = 0; pending.length > 0; round++) {
      const member = this.deps.member();
      let failure: TributaryError | undefined;
      try {
        const response = await this.deps.lookup.call(
          'OffsetCommit',
          {
            groupId: this.deps.lookup.groupId,
            memberId: member.memberId,
            memberEpoch: member.memberEpoch,
            topics: groupPartitions(pending).map((t) => ({
              name: t.topic,
              partitions: t.partitions.map((partition) => ({
                partition,
                offset: offsetOf(pending, t.topic, partition),
                leaderEpoch: -1,
                metadata: '',
              })),
            })),
          },
          signal === undefined ? {} : { signal },
        );
        const failed = new Set<string>();
        for (const result of response.results) {
          const error = partitionError(
            result.errorCode,
            result.errorMessage,
            `${result.topic}-${result.partition}`,
          );
          if (error === undefined) continue;
          failed.add(partitionKey(result));
          if (!error.retriable) throw error;
          failure = error;
        }
        for (const o of pending)
          if (!failed.has(partitionKey(o))) this.committed.set(partitionKey(o), o.offset);
        pending = pending.filter((o) => failed.has(partitionKey(o)));
      } catch (error) {
        failure = toError(error);
        const action = commitAction(failure.code, failure.retriable);
        if (action === 'fail') throw failure;
        if (action === 'retry-new-epoch') this.deps.onStaleEpoch?.();
      }
      if (pending.length === 0) return;
      assert(failure !== undefined, 'a commit left partitions pending without an error');
      if (round + 1 >= GROUP_LIMITS.commitAttemptsMax || signal?.aborted === true) throw failure;
      // STALE_MEMBER_EPOCH: the heartbeat that raised the epoch has usually been answered already.
      await sleep(backoffDelayMs(round, DEFAULT_BACKOFF, this.deps.random), signal);
    }
  }
}

function offsetOf(offsets: readonly TopicPartitionOffset[], topic: string, partition: number): number {
  // The last entry wins when a caller names a partition twice.
  let offset = -1;
  for (const o of offsets) if (o.topic === topic && o.partition === partition) offset = o.offset;
  return offset;
}
