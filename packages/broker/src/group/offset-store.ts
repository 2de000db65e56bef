/**
 * The committed offsets of the groups of one __consumer_offsets partition, as replayed from its records
 * (decide, then replay: the shell appends records and applies them here only once they are
 * acknowledged, and loading replays the partition from its start). Pure.
 */
import { type TopicPartition, tpKey } from './assignment.js';
import type { OffsetCommitKey, OffsetCommitValue } from './offsets-codec.js';

export interface CommittedOffset extends OffsetCommitValue, TopicPartition {}

export class OffsetStore {
  readonly #groups = new Map<string, Map<string, CommittedOffset>>();

  /** Replays one record; a null value (tombstone) deletes. */
  apply(key: OffsetCommitKey, value: OffsetCommitValue | null): void {
    let offsets = this.#groups.get(key.group);
    const k = tpKey(key.topic, key.partition);
    if (value === null) {
      offsets?.delete(k);
      if (offsets?.size === 0) this.#groups.delete(key.group);
      return;
    }
    if (offsets === undefined) {
      offsets = new Map();
      this.#groups.set(key.group, offsets);
    }
    offsets.set(k, { topic: key.topic, partition: key.partition, ...value });
  }

  hasGroup(group: string): boolean {
    return this.#groups.has(group);
  }

  groupIds(): string[] {
    return [...this.#groups.keys()];
  }

  /** Every offset of the group, or those of the named partitions that have one; sorted. */
  fetch(group: string, partitions: readonly TopicPartition[] | null = null): CommittedOffset[] {
    const offsets = this.#groups.get(group);
    if (offsets === undefined) return [];
    const found =
      partitions === null
        ? [...offsets.values()]
        : partitions.flatMap((tp) => {
            const committed = offsets.get(tpKey(tp.topic, tp.partition));
            return committed === undefined ? [] : [committed];
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
      for (const committed of offsets.values()) {
        if (committed.commitTimestampMs < cutoffWallMs) {
          out.push({ group, topic: committed.topic, partition: committed.partition });
        }
      }
    }
    return out;
  }
}
