/**
 * The partitions a group member owns and what it knows about each: where the next fetch starts, what
 * its handlers finished (the offset to commit), whether it is being revoked, and the pause/seek state
 * the application set. Synchronous bookkeeping only; the loops live in group-consumer.ts.
 */
import { assert, TributaryError } from '@tributary/core';
import { partitionKey, type TopicPartition } from './reconcile.js';

export interface PartitionState {
  readonly tp: TopicPartition;
  readonly key: string;
  /** The next offset to fetch; undefined until looked up (committed offset or auto reset). */
  position: number | undefined;
  /** The committed offset was out of range: reset by fromBeginning instead of using it. */
  resetNeeded: boolean;
  /** One past the last record whose handler finished: what a commit may write. */
  processed: number | undefined;
  /** Stop delivering; the partition goes as soon as its in-flight handler is done. */
  revoking: boolean;
  /** Bumped by seek(): records fetched before it are dropped. */
  generation: number;
  /** Settles when the handler working on this partition is done. */
  inFlight: Promise<void> | undefined;
}

export interface PauseSpec {
  readonly topic: string;
  /** Default: every partition of the topic, including ones assigned later. */
  readonly partitions?: readonly number[];
}

export class OwnedPartitions {
  private readonly states = new Map<string, PartitionState>();
  private readonly pausedTopics = new Set<string>();
  private readonly pausedPartitions = new Set<string>();
  /** Seeks asked for partitions not owned yet, applied when they are assigned. */
  private readonly pendingSeeks = new Map<string, number>();

  get size(): number {
    return this.states.size;
  }

  all(): PartitionState[] {
    return [...this.states.values()];
  }

  list(): TopicPartition[] {
    return this.all().map((state) => state.tp);
  }

  get(tp: TopicPartition): PartitionState | undefined {
    return this.states.get(partitionKey(tp));
  }

  revokingKeys(): Set<string> {
    return new Set(
      this.all()
        .filter((s) => s.revoking)
        .map((s) => s.key),
    );
  }

  /** Whether `state` is still the live entry for its partition (not dropped, lost or re-added since). */
  isCurrent(state: PartitionState): boolean {
    return this.states.get(state.key) === state;
  }

  add(tp: TopicPartition): PartitionState {
    const key = partitionKey(tp);
    assert(!this.states.has(key), () => `${tp.topic}-${tp.partition} is already owned`);
    const seek = this.pendingSeeks.get(key);
    this.pendingSeeks.delete(key);
    const state: PartitionState = {
      tp,
      key,
      position: seek,
      resetNeeded: false,
      processed: undefined,
      revoking: false,
      generation: 0,
      inFlight: undefined,
    };
    this.states.set(key, state);
    return state;
  }

  remove(state: PartitionState): void {
    if (this.isCurrent(state)) this.states.delete(state.key);
  }

  clear(): PartitionState[] {
    const removed = this.all();
    this.states.clear();
    return removed;
  }

  /** Owned, not being revoked, position known and not paused: what the next fetch round covers. */
  fetchable(): PartitionState[] {
    return this.all().filter((s) => !s.revoking && s.position !== undefined && !this.isPaused(s.tp));
  }

  /** Owned partitions whose start position still has to be looked up. */
  uninitialized(): PartitionState[] {
    return this.all().filter((s) => !s.revoking && s.position === undefined);
  }

  seek(tp: TopicPartition, offset: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `seek ${tp.topic}-${tp.partition}: offset ${offset} is not valid`,
      );
    }
    const state = this.states.get(partitionKey(tp));
    if (state === undefined) {
      this.pendingSeeks.set(partitionKey(tp), offset);
      return;
    }
    state.position = offset;
    state.resetNeeded = false;
    state.generation++;
  }

  pause(specs: readonly PauseSpec[]): void {
    for (const spec of specs) {
      if (spec.partitions === undefined) this.pausedTopics.add(spec.topic);
      else
        for (const p of spec.partitions)
          this.pausedPartitions.add(partitionKey({ topic: spec.topic, partition: p }));
    }
  }

  resume(specs: readonly PauseSpec[]): void {
    for (const spec of specs) {
      if (spec.partitions === undefined) {
        this.pausedTopics.delete(spec.topic);
        for (const key of [...this.pausedPartitions]) {
          if (key.startsWith(`${spec.topic}\u0000`)) this.pausedPartitions.delete(key);
        }
      } else {
        for (const p of spec.partitions)
          this.pausedPartitions.delete(partitionKey({ topic: spec.topic, partition: p }));
      }
    }
  }

  isPaused(tp: TopicPartition): boolean {
    return this.pausedTopics.has(tp.topic) || this.pausedPartitions.has(partitionKey(tp));
  }

  paused(): TopicPartition[] {
    return this.list().filter((tp) => this.isPaused(tp));
  }

  /** Processed offsets of the given states (default all owned), keyed as CommitManager.committed. */
  processedOffsets(
    states: readonly PartitionState[] = this.all(),
  ): Map<string, { tp: TopicPartition; offset: number }> {
    const result = new Map<string, { tp: TopicPartition; offset: number }>();
    for (const state of states) {
      if (state.processed !== undefined) result.set(state.key, { tp: state.tp, offset: state.processed });
    }
    return result;
  }
}
