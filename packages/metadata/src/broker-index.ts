/**
 * Per-broker partition lists (led by, replica on, in the ISR of), for the controller's fence, unfence and
 * heartbeat paths. Each (role, broker) set is built by one O(partitions) scan the first time an image is
 * asked for it; after that every image a delta derives from that image gets the set by updating the
 * base's for the partitions that changed — O(changes × replicas × log n) — rather than scanning again.
 * Only sets someone asked for are built and kept up to date (the controller asks for ISR membership of
 * the brokers it fences and unfences), so deltas pay nothing for the others.
 */
import { assert, type BrokerId, LIMITS } from '@tributary/core';
import type { PartitionState, TopicImage } from './image.js';
import { PersistentMap } from './persistent/persistent-map.js';
import { NO_LEADER, type TopicId } from './records.js';

/** One partition's state before and after a delta; undefined = absent (created or removed). */
export interface PartitionChange {
  readonly before: PartitionState | undefined;
  readonly after: PartitionState | undefined;
}

export type BrokerRole = 'led' | 'replica' | 'inIsr';

/** What an index needs of its image: the topics to scan, and where a topic stands in their order. */
export interface IndexedImage {
  topics(): Iterable<TopicImage>;
  topicPosition(topicId: TopicId): number;
}

/** Sort keys are topicPosition × PARTITION_SPAN + partition, so no partition index may reach it. */
const PARTITION_SPAN = 2 ** 17;

/** A broker's partitions in one role, keyed by partitionKey(). */
interface PartitionSet {
  readonly role: BrokerRole;
  readonly brokerId: BrokerId;
  readonly partitions: PersistentMap<string, PartitionState>;
}

function partitionKey(state: PartitionState): string {
  return `${state.topicId}:${state.partition}`;
}

function setKey(role: BrokerRole, brokerId: BrokerId): string {
  return `${role}:${brokerId}`;
}

function hasRole(role: BrokerRole, brokerId: BrokerId, state: PartitionState): boolean {
  switch (role) {
    case 'led':
      return state.leader !== NO_LEADER && state.leader === brokerId;
    case 'replica':
      return state.replicas.includes(brokerId);
    case 'inIsr':
      return state.isr.includes(brokerId);
  }
}

assert(LIMITS.partitionsPerTopicMax <= PARTITION_SPAN, 'partition indexes must fit the sort key span');

export class BrokerPartitionIndex {
  /** Built sets by setKey(); few (at most three per broker), so this small Map is copied per delta. */
  readonly #sets: Map<string, PartitionSet>;
  /** Sorted lists already handed out for this image, by setKey(). */
  readonly #lists = new Map<string, readonly PartitionState[]>();

  constructor(sets: Map<string, PartitionSet> = new Map()) {
    this.#sets = sets;
  }

  /**
   * The index of the image after `changes`: every built set updated. Itself when no partition changed
   * (the image's partitions are then the same, so its sets and lists still hold).
   */
  withChanges(changes: readonly PartitionChange[]): BrokerPartitionIndex {
    if (changes.length === 0) return this;
    const sets = new Map<string, PartitionSet>();
    for (const [key, { role, brokerId, partitions }] of this.#sets) {
      const removed: string[] = [];
      const added: [string, PartitionState][] = [];
      for (const { before, after } of changes) {
        if (after !== undefined && hasRole(role, brokerId, after)) added.push([partitionKey(after), after]);
        else if (before !== undefined && hasRole(role, brokerId, before)) removed.push(partitionKey(before));
      }
      // withChanges() rebuilds in bulk when the batch is large next to the set (a big CreateTopic).
      sets.set(key, { role, brokerId, partitions: partitions.withChanges(added, removed) });
    }
    return new BrokerPartitionIndex(sets);
  }

  /**
   * The partitions where `brokerId` has `role`, in the image's order: topics as topicsById iterates
   * them, then by partition index — the order a full scan gives. The first call per role and broker
   * scans the image (or, on a derived image, reuses the set kept up to date); sorting is O(k log k) for
   * k partitions, a numeric sort with one position lookup per topic, and the list is cached per image.
   */
  list(role: BrokerRole, brokerId: BrokerId, image: IndexedImage): readonly PartitionState[] {
    const key = setKey(role, brokerId);
    const cached = this.#lists.get(key);
    if (cached !== undefined) return cached;
    let set = this.#sets.get(key);
    if (set === undefined) {
      set = {
        role,
        brokerId,
        partitions: PersistentMap.fromDistinctKeys(scan(role, brokerId, image.topics())),
      };
      this.#sets.set(key, set);
    }
    const topicPositions = new Map<TopicId, number>();
    const keyed: { readonly at: number; readonly state: PartitionState }[] = [];
    for (const state of set.partitions.values()) {
      let topicPosition = topicPositions.get(state.topicId);
      if (topicPosition === undefined) {
        topicPosition = image.topicPosition(state.topicId);
        topicPositions.set(state.topicId, topicPosition);
      }
      keyed.push({ at: topicPosition * PARTITION_SPAN + state.partition, state });
    }
    const list = Object.freeze(keyed.sort((a, b) => a.at - b.at).map(({ state }) => state));
    this.#lists.set(key, list);
    return list;
  }
}

function* scan(
  role: BrokerRole,
  brokerId: BrokerId,
  topics: Iterable<TopicImage>,
): Generator<[string, PartitionState], undefined, unknown> {
  for (const topic of topics) {
    for (const state of topic.partitions.values()) {
      if (hasRole(role, brokerId, state)) yield [partitionKey(state), state];
    }
  }
  return undefined;
}
