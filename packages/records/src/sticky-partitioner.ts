import { assert, type Random, TributaryError } from '@tributary/core';

export interface PartitionChoice {
  readonly numPartitions: number;
  /** Partitions with a live leader; when empty or absent, any partition may be chosen (as in Kafka). */
  readonly availablePartitions?: readonly number[] | undefined;
}

/**
 * Kafka's sticky partitioner for records without a key (KIP-480): every keyless record of a topic goes
 * to one partition until the producer closes a batch for it, then a new partition is drawn at random.
 * Sticking fills batches faster than round-robin, so fewer, larger batches (and gRPC calls) are sent.
 */
export class StickyPartitioner {
  private readonly current = new Map<string, number>();

  constructor(private readonly random: Random) {}

  /** The partition for the next keyless record of `topic`. */
  partition(topic: string, choice: PartitionChoice): number {
    const sticky = this.current.get(topic);
    if (sticky !== undefined && sticky < choice.numPartitions) return sticky;
    return this.choose(topic, choice, undefined);
  }

  /**
   * The caller closed a batch for `previousPartition` (it filled up or lingered long enough); move on to
   * another partition unless another caller already did.
   */
  onNewBatch(topic: string, choice: PartitionChoice, previousPartition: number): number {
    const sticky = this.current.get(topic);
    if (sticky !== undefined && sticky !== previousPartition && sticky < choice.numPartitions) return sticky;
    return this.choose(topic, choice, previousPartition);
  }

  /** Drops a topic's state (the producer stopped using it): keeps the map bounded by topics in use. */
  forget(topic: string): void {
    this.current.delete(topic);
  }

  private choose(topic: string, choice: PartitionChoice, avoid: number | undefined): number {
    const { numPartitions } = choice;
    if (!Number.isInteger(numPartitions) || numPartitions < 1) {
      throw new TributaryError(
        'INVALID_PARTITIONS',
        `numPartitions must be a positive integer, got ${numPartitions}`,
      );
    }
    const available = choice.availablePartitions ?? [];
    const candidates =
      available.length > 0 ? available : Array.from({ length: numPartitions }, (_, partition) => partition);
    const chosen = pickAvoiding(candidates, avoid, this.random);
    assert(
      chosen >= 0 && chosen < numPartitions,
      () => `partition ${chosen} is outside [0, ${numPartitions})`,
    );
    this.current.set(topic, chosen);
    return chosen;
  }
}

/**
 * A uniform pick among `candidates` other than `avoid` (when another exists), with one random draw:
 * Kafka loops until it draws a different partition; drawing from n - 1 and skipping is the same
 * distribution without the unbounded loop.
 */
function pickAvoiding(candidates: readonly number[], avoid: number | undefined, random: Random): number {
  const avoidIndex = avoid === undefined ? -1 : candidates.indexOf(avoid);
  if (avoidIndex === -1 || candidates.length === 1) {
    return candidates[random.int(0, candidates.length)] ?? 0;
  }
  let index = random.int(0, candidates.length - 1);
  if (index >= avoidIndex) index++;
  return candidates[index] ?? 0;
}
