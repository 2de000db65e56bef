/**
 * The leader's side of ISR changes (DESIGN §6): asks each led partition's LeaderPartitionState for a due
 * shrink or expansion, sends the proposals to the active controller, and hands each result back to the
 * partition's state (with the committed partition applied at once, optimistically: the metadata log brings
 * the same change shortly).
 *
 * Like Kafka's AlterPartitionManager, one AlterPartition is in flight at a time and proposals made meanwhile
 * wait and go together in the next (at most WIRE_LIMITS.partitionsPerRequestMax each): a follower that
 * catches up on 30,000 partitions at once costs a few controller commands, not 30,000.
 */
import { assert, type Clock, WIRE_LIMITS } from '@tributary/core';
import type { AlterPartitionItem, AlterPartitionResult__Output } from '@tributary/protocol';
import type pino from 'pino';
import { partitionKey } from './follower-fetcher.js';
import type { Partition } from './partition.js';

export interface IsrReporterOptions {
  readonly clock: Clock;
  readonly logger: pino.Logger;
  /** Kafka's replica.lag.time.max.ms: a follower this far behind leaves the ISR. */
  readonly lagMaxMs: number;
  /** BrokerLifecycle.AlterPartition to the active controller; resolves with per-item results. */
  readonly alterPartition: (items: AlterPartitionItem[]) => Promise<AlterPartitionResult__Output[]>;
}

interface DueChange {
  readonly partition: Partition;
  readonly item: AlterPartitionItem;
}

export class IsrReporter {
  readonly #options: IsrReporterOptions;
  /** Proposals waiting for the next AlterPartition, by partitionKey (a partition has one at a time). */
  readonly #pending = new Map<string, DueChange>();
  #inFlight = false;

  constructor(options: IsrReporterOptions) {
    this.#options = options;
  }

  /** Proposes every due ISR change of `partitions` (the periodic check). */
  checkIsr(partitions: Iterable<Partition>): void {
    for (const partition of partitions) this.#propose(partition);
    this.#flush();
  }

  /**
   * A follower fetched: a replica that caught up joins the ISR now rather than at the next check. The
   * proposals of one fetch's partitions are sent together (after the current turn).
   */
  afterFollowerFetch(partition: Partition): void {
    const state = partition.leaderState();
    if (state === null || state.alterInFlight || state.expandCandidates().length === 0) return;
    if (this.#propose(partition)) queueMicrotask(() => this.#flush());
  }

  /** Proposals waiting to be sent (tests). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  #propose(partition: Partition): boolean {
    const item = this.#isrProposal(partition);
    if (item === null) return false;
    this.#pending.set(partitionKey(partition.topic, partition.partition), { partition, item });
    return true;
  }

  /** Sends what is pending unless a request is in flight (its completion sends the rest). */
  #flush(): void {
    if (this.#inFlight || this.#pending.size === 0) return;
    const due: DueChange[] = [];
    for (const [key, change] of this.#pending) {
      if (due.length >= WIRE_LIMITS.partitionsPerRequestMax) break;
      due.push(change);
      this.#pending.delete(key);
    }
    assert(due.length > 0, 'a flush sends what is pending');
    this.#inFlight = true;
    this.#sendAlterPartition(due).finally(() => {
      this.#inFlight = false;
      this.#flush();
    });
  }

  #isrProposal(partition: Partition): AlterPartitionItem | null {
    const state = partition.leaderState();
    if (state === null) return null;
    const proposal = state.proposeIsrChange(this.#options.clock.nowMs(), this.#options.lagMaxMs);
    if (proposal === null) return null;
    this.#options.logger.info(
      { topic: partition.topic, partition: partition.partition, ...proposal, epoch: state.leaderEpoch },
      'proposing an ISR change',
    );
    return {
      topic: partition.topic,
      partition: partition.partition,
      leaderEpoch: state.leaderEpoch,
      partitionEpoch: state.partitionEpoch,
      newIsr: [...proposal.newIsr],
    };
  }

  #sendAlterPartition(due: readonly DueChange[]): Promise<void> {
    return this.#options.alterPartition(due.map((entry) => entry.item)).then(
      (results) => {
        // By partition, so matching a large batch's results is linear, not quadratic.
        const byPartition = new Map<string, AlterPartitionResult__Output>();
        for (const result of results) byPartition.set(partitionKey(result.topic, result.partition), result);
        for (const { partition, item } of due) {
          this.#onResult(
            partition,
            item,
            byPartition.get(partitionKey(partition.topic, partition.partition)),
          );
        }
      },
      (error: unknown) => {
        this.#options.logger.warn({ err: error }, 'AlterPartition failed');
        for (const { partition, item } of due) this.#onResult(partition, item, undefined);
      },
    );
  }

  #onResult(
    partition: Partition,
    item: AlterPartitionItem,
    result: AlterPartitionResult__Output | undefined,
  ): void {
    const state = partition.leaderState();
    // A different leader state (new epoch) has nothing in flight from this call.
    if (state === null || state.leaderEpoch !== item.leaderEpoch) return;
    if (result === undefined || result.errorCode !== '') {
      state.alterPartitionDone(result?.errorCode === 'STALE_PARTITION_EPOCH' ? 'stale' : 'failed');
      if (result !== undefined) {
        this.#options.logger.info(
          { topic: item.topic, partition: item.partition, code: result.errorCode },
          'ISR change refused',
        );
      }
      return;
    }
    state.alterPartitionDone('ok');
    const info = result.partitionInfo;
    // Optimistic: the committed partition as the controller returned it (metadata will bring the same).
    if (
      info !== null &&
      info.leaderEpoch === partition.leaderEpoch &&
      info.partitionEpoch > partition.partitionEpoch
    ) {
      partition.applyPartitionChange({
        topicId: partition.topicId,
        leader: info.leader,
        leaderEpoch: info.leaderEpoch,
        partitionEpoch: info.partitionEpoch,
        replicas: info.replicas,
        isr: info.isr,
      });
    }
  }
}
