/**
 * Hands one fetched batch to the application's handler (eachMessage or eachBatch) and records what it
 * finished: a record counts as processed (committable) only once its handler has returned.
 */
import { TributaryError } from '@tributary/core';
import { beginHandling } from './async-helpers.js';
import type { OwnedPartitions, PartitionState } from './owned-partitions.js';
import type { GroupMemberIdentity, PartitionBatch, RunHandlers } from './types.js';

/** One partition's records from one fetch round, and the seek generation they were fetched under. */
export interface Delivery {
  readonly state: PartitionState;
  readonly generation: number;
  readonly batch: PartitionBatch;
}

export interface DispatchContext {
  readonly owned: OwnedPartitions;
  /** False once close() was called. */
  isRunning(): boolean;
  /** The member as it is now (its epoch moves with every assignment it reconciles). */
  member(): GroupMemberIdentity;
}

/** Still owned, not being revoked, not seeked since the fetch, and the consumer still running. */
export function deliverable(context: DispatchContext, delivery: Delivery): boolean {
  const { state } = delivery;
  return (
    context.owned.isCurrent(state) &&
    !state.revoking &&
    state.generation === delivery.generation &&
    context.isRunning()
  );
}

/** Records `offset` (one past the last handled record) as committable, unless the batch went stale. */
export function markProcessed(owned: OwnedPartitions, delivery: Delivery, offset: number): void {
  if (owned.isCurrent(delivery.state) && delivery.state.generation === delivery.generation) {
    delivery.state.processed = offset;
  }
}

/**
 * Runs the handler over the batch. eachMessage stops early when the partition is revoked, seeked,
 * paused or the consumer closes; a handler error rewinds the position to the failed record (a later
 * run() delivers it again) and is rethrown.
 */
export async function dispatch(
  context: DispatchContext,
  delivery: Delivery,
  handlers: RunHandlers,
): Promise<void> {
  const { owned } = context;
  const { state, batch } = delivery;
  const done = beginHandling(state);
  let next = batch.messages[0]?.offset ?? 0;
  const stillSame = (): boolean => owned.isCurrent(state) && state.generation === delivery.generation;
  try {
    if ('eachBatch' in handlers) {
      await handlers.eachBatch({
        batch,
        isRunning: () => context.isRunning(),
        isStale: () => !deliverable(context, delivery),
        groupMetadata: () => {
          // A member keeps its id when it is fenced and rejoins: without this check a handler from before
          // the fencing would commit under the new epoch a partition another member already resumed.
          if (!stillSame()) {
            throw new TributaryError(
              'ILLEGAL_GENERATION',
              `${batch.topic}-${batch.partition} is no longer this member's as it was when the batch was fetched (lost, reassigned or seeked)`,
            );
          }
          return context.member();
        },
      });
      const last = batch.messages[batch.messages.length - 1];
      if (last !== undefined) markProcessed(owned, delivery, last.offset + 1);
      return;
    }
    for (const message of batch.messages) {
      if (!deliverable(context, delivery)) return;
      if (owned.isPaused(state.tp)) {
        // The rest of the batch is fetched again after resume().
        if (stillSame()) state.position = message.offset;
        return;
      }
      next = message.offset;
      await handlers.eachMessage({ topic: batch.topic, partition: batch.partition, message });
      markProcessed(owned, delivery, message.offset + 1);
    }
  } catch (error) {
    if (stillSame()) state.position = next;
    throw error;
  } finally {
    done();
  }
}
