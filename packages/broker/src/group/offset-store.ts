/**
 * The committed offsets of the groups of one __consumer_offsets partition, as replayed from its records
 * (decide, then replay: the shell appends records and applies them here only once they are
 * acknowledged, and loading replays the partition from its start, one code path for both). Pure.
 *
 * Transactional offset commits (KIP-98, KIP-447) are kept apart, per producer, until the producer's
 * transaction ends: OffsetFetch never sees them, a COMMIT marker materializes them and an ABORT marker
 * drops them. As Kafka's GroupMetadata.completePendingTxnOffsetCommit, a materialized offset replaces the
 * committed one only when its record is later in the log than the committed one's, so a plain commit
 * written after the transactional one (but before the marker) wins.
 */
import { assert } from '@tributary/core';
import { type TopicPartition, tpKey } from './assignment.js';
import type { OffsetCommitKey, OffsetCommitValue } from './offsets-codec.js';

export interface CommittedOffset extends OffsetCommitValue, TopicPartition {}

/** Where a record sits: its offset in __consumer_offsets and its producer (null: not transactional). */
export interface OffsetRecordPosition {
  readonly recordOffset: number;
  readonly producerId: number | null;
}

interface StoredOffset {
  readonly committed: CommittedOffset;
  /** The record's offset in __consumer_offsets: which of two commits is the later one. */
  readonly recordOffset: number;
}

/** group → topic-partition key → offset. */
type GroupOffsets = Map<string, Map<string, StoredOffset>>;

export class OffsetStore {
  readonly #groups: GroupOffsets = new Map();
  /** producer id → that producer's offsets awaiting its transaction's marker. */
  readonly #pending = new Map<number, GroupOffsets>();

  /** Replays one record; a null value (tombstone) deletes. A transactional record stays pending. */
  apply(key: OffsetCommitKey, value: OffsetCommitValue | null, position: OffsetRecordPosition): void {
    assert(Number.isSafeInteger(position.recordOffset), 'an offsets record has a log offset');
    if (position.producerId === null) {
      put(this.#groups, key, value, position.recordOffset);
      return;
    }
    let pending = this.#pending.get(position.producerId);
    if (pending === undefined) {
      pending = new Map();
      this.#pending.set(position.producerId, pending);
    }
    put(pending, key, value, position.recordOffset);
    // Kafka keeps the producer's (possibly empty) entry until the marker: a marker completes it either way.
  }

  /**
   * Replays the producer's transaction marker: COMMIT materializes its pending offsets (each only over an
   * earlier committed record), ABORT drops them. A marker for a producer with nothing pending changes
   * nothing. Returns the number of offsets materialized.
   */
  completeTransaction(producerId: number, commit: boolean): number {
    const pending = this.#pending.get(producerId);
    this.#pending.delete(producerId);
    if (pending === undefined || !commit) return 0;
    let materialized = 0;
    for (const [group, offsets] of pending) {
      for (const [k, stored] of offsets) {
        const current = this.#groups.get(group)?.get(k);
        if (current !== undefined && current.recordOffset > stored.recordOffset) continue;
        let target = this.#groups.get(group);
        if (target === undefined) {
          target = new Map();
          this.#groups.set(group, target);
        }
        target.set(k, stored);
        materialized++;
      }
    }
    return materialized;
  }

  /** Whether a transaction's offset for the partition awaits its marker (KIP-447's unstable offsets). */
  hasPending(group: string, topic: string, partition: number): boolean {
    const k = tpKey(topic, partition);
    for (const pending of this.#pending.values()) {
      if (pending.get(group)?.has(k) === true) return true;
    }
    return false;
  }

  /** The group's partitions with a transaction's offset awaiting its marker; sorted. */
  pendingPartitions(group: string): TopicPartition[] {
    const found = new Map<string, TopicPartition>();
    for (const pending of this.#pending.values()) {
      for (const [k, { committed }] of pending.get(group) ?? []) {
        found.set(k, { topic: committed.topic, partition: committed.partition });
      }
    }
    return [...found.values()].sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    );
  }

  /** Producers whose transactional offsets await a marker. */
  pendingProducerIds(): number[] {
    return [...this.#pending.keys()];
  }

  get pendingProducerCount(): number {
    return this.#pending.size;
  }

  hasPendingFrom(producerId: number): boolean {
    return this.#pending.has(producerId);
  }

  /** Whether the group has committed offsets, or offsets awaiting a transaction's marker. */
  hasGroup(group: string): boolean {
    if (this.#groups.has(group)) return true;
    for (const pending of this.#pending.values()) if (pending.has(group)) return true;
    return false;
  }

  groupIds(): string[] {
    const ids = new Set(this.#groups.keys());
    for (const pending of this.#pending.values()) for (const group of pending.keys()) ids.add(group);
    return [...ids];
  }

  /** Every committed offset of the group, or those of the named partitions that have one; sorted. */
  fetch(group: string, partitions: readonly TopicPartition[] | null = null): CommittedOffset[] {
    const offsets = this.#groups.get(group);
    if (offsets === undefined) return [];
    const found =
      partitions === null
        ? [...offsets.values()].map((stored) => stored.committed)
        : partitions.flatMap((tp) => {
            const stored = offsets.get(tpKey(tp.topic, tp.partition));
            return stored === undefined ? [] : [stored.committed];
          });
    return found.sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    );
  }

  /** Offsets committed before cutoffWallMs in the groups `eligible` accepts (retention). */
  olderThan(cutoffWallMs: number, eligible: (group: string) => boolean): OffsetCommitKey[] {
    const out: OffsetCommitKey[] = [];
    for (const [group, offsets] of this.#groups) {
      if (!eligible(group)) continue;
      for (const { committed } of offsets.values()) {
        if (committed.commitTimestampMs < cutoffWallMs) {
          out.push({ group, topic: committed.topic, partition: committed.partition });
        }
      }
    }
    return out;
  }
}

function put(
  groups: GroupOffsets,
  key: OffsetCommitKey,
  value: OffsetCommitValue | null,
  recordOffset: number,
): void {
  let offsets = groups.get(key.group);
  const k = tpKey(key.topic, key.partition);
  if (value === null) {
    offsets?.delete(k);
    if (offsets?.size === 0) groups.delete(key.group);
    return;
  }
  if (offsets === undefined) {
    offsets = new Map();
    groups.set(key.group, offsets);
  }
  offsets.set(k, { committed: { topic: key.topic, partition: key.partition, ...value }, recordOffset });
}
