/**
 * TxnOffsetCommit's rules in the group coordinator (KIP-98, KIP-447), apart from the shell that writes the
 * records: who may commit for the group (the member fencing of the protocol the group uses) and the
 * bound on producers with pending offsets. Pure.
 *
 * As Kafka's OffsetMetadataManager.validateTransactionalOffsetCommit: a group that does not exist is
 * created as a simple (offsets-only) group when the commit names no generation, and refused with
 * ILLEGAL_GENERATION when it names one; a commit naming no member is accepted for any group (TxnOffsetCommit
 * v0-2 carry no member); a named member must be in the group at the named generation (or member epoch), so a
 * zombie consumer's transactional producer cannot commit offsets for partitions it no longer owns (in a
 * consumer-protocol group the member must also own each partition it commits: ConsumerGroup.validateTxnCommit).
 */
import { TributaryError } from '@tributary/core';
import type { OffsetCommitInput } from './coordinator-types.js';
import { GROUP_LIMITS } from './limits.js';
import type { CoordinatorShard } from './shard.js';

export interface TxnOffsetCommitInput {
  readonly groupId: string;
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** -1: no generation named (the check is skipped unless a member is named). */
  readonly generationId: number;
  /** '': no member named. */
  readonly memberId: string;
  /** KIP-345's static member id; null when none. */
  readonly groupInstanceId: string | null;
  readonly commits: readonly OffsetCommitInput[];
}

/** Throws the fencing error of the protocol the group uses (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, ...). */
export function validateTxnCommitMember(
  shard: CoordinatorShard,
  input: TxnOffsetCommitInput,
  nowMs: number,
): void {
  const consumer = shard.groups.get(input.groupId);
  if (consumer !== undefined && consumer.memberCount > 0) {
    consumer.validateTxnCommit(input.memberId, input.generationId, input.commits);
    return;
  }
  const classic = shard.classicGroups.get(input.groupId);
  if (classic !== undefined) {
    classic.validateTxnCommit(input, nowMs);
    return;
  }
  if (input.generationId >= 0) {
    throw new TributaryError(
      'ILLEGAL_GENERATION',
      `group ${input.groupId} has no members; generation ${input.generationId} is not current`,
    );
  }
  if (input.memberId !== '') {
    throw new TributaryError('UNKNOWN_MEMBER_ID', `group ${input.groupId} has no member ${input.memberId}`);
  }
}

/** Refuses a new producer once the shard holds the most producers with pending offsets it may. */
export function checkPendingRoom(shard: CoordinatorShard, producerId: number): void {
  const pending = shard.offsets.pendingProducerCount;
  if (pending < GROUP_LIMITS.pendingTxnProducersPerShardMax || shard.offsets.hasPendingFrom(producerId))
    return;
  throw new TributaryError(
    'RESOURCE_EXHAUSTED',
    `${pending} producers have transactional offsets pending on this coordinator partition; ` +
      `the limit is ${GROUP_LIMITS.pendingTxnProducersPerShardMax}`,
  );
}
