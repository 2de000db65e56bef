/**
 * Per-broker partition lists (led by, replica on, in the ISR of), for the controller's fence, unfence and
 * heartbeat paths and the broker's reattachment of followers. Each (role, broker) set is built by one
 * O(partitions) scan the first time an image is asked for it; after that every image a delta derives from
 * that image gets the set by updating the base's for the partitions that changed, rather than scanning again.
 * Only sets someone asked for are built and kept up to date, so deltas pay nothing for the others.
 *
 * A set holds, per topic, a bitset of the partition indexes where the broker has the role (bit p of byte
 * p >> 3), not the partition states: the states are looked up in the image when a list is asked for. So a
 * delta costs O(changes) plus one copy of each touched topic's bitset (partitions / 8 bytes), and a
 * CreateTopic of 1,000 partitions adds one 125-byte bitset per set instead of 1,000 map entries (which, at
 * 30,000 partitions, made index upkeep 40% of every apply on the controllers and much of their GC).
 */
import { assert, type BrokerId } from '@tributary/core';
import type { PartitionState, TopicImage } from './image.js';
import { PersistentMap } from './persistent/persistent-map.js';
import { NO_LEADER, type TopicId } from './records.js';

/** One partition's state before and after a delta; undefined = absent (created or removed). */
export interface PartitionChange {
  readonly before: PartitionState | undefined;
  readonly after: PartitionState | undefined;
}

export type BrokerRole = 'led' | 'replica' | 'inIsr';

/** What an index needs of its image: its topics, in order, and where a topic stands in that order. */
export interface IndexedImage {
  topics(): Iterable<TopicImage>;
  topic(topicId: TopicId): TopicImage | undefined;
  topicPosition(topicId: TopicId): number;
}

/** The partitions of one topic in a set: `count` bits set in `bits`. Never changed once in a set. */
interface TopicBits {
  readonly bits: Uint8Array;
  readonly count: number;
}

/** A topic's bits while one delta updates them (a private copy). */
interface TopicDraft {
  bits: Uint8Array;
  count: number;
}

/** A broker's partitions in one role, per topic. */
interface PartitionSet {
  readonly role: BrokerRole;
  readonly brokerId: BrokerId;
  readonly topics: PersistentMap<TopicId, TopicBits>;
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

/** Sets (or clears) `partition`'s bit in a draft, growing it (at least doubling) when it is too short. */
function setBit(draft: TopicDraft, partition: number, on: boolean): void {
  assert(Number.isSafeInteger(partition) && partition >= 0, () => `bad partition index ${partition}`);
  const byte = partition >>> 3;
  if (byte >= draft.bits.length) {
    assert(on, () => `partition ${partition} is not in the set it leaves`);
    const grown = new Uint8Array(Math.max(byte + 1, draft.bits.length * 2));
    grown.set(draft.bits);
    draft.bits = grown;
  }
  const mask = 1 << (partition & 7);
  const old = draft.bits[byte] ?? 0;
  assert(
    ((old & mask) !== 0) !== on,
    () => `partition ${partition} is already ${on ? 'in' : 'out of'} the set`,
  );
  draft.bits[byte] = on ? old | mask : old & ~mask;
  draft.count += on ? 1 : -1;
}

/** The set after `changes`: itself when no partition entered or left it. */
function updateSet(set: PartitionSet, changes: readonly PartitionChange[]): PartitionSet {
  const { role, brokerId } = set;
  const drafts = new Map<TopicId, TopicDraft>();
  for (const { before, after } of changes) {
    const had = before !== undefined && hasRole(role, brokerId, before);
    const has = after !== undefined && hasRole(role, brokerId, after);
    if (had === has) continue;
    const state = after ?? before;
    assert(state !== undefined, 'a partition change with neither side');
    let draft = drafts.get(state.topicId);
    if (draft === undefined) {
      const old = set.topics.get(state.topicId);
      draft =
        old === undefined
          ? { bits: new Uint8Array(0), count: 0 }
          : { bits: old.bits.slice(), count: old.count };
      drafts.set(state.topicId, draft);
    }
    setBit(draft, state.partition, has);
  }
  if (drafts.size === 0) return set;
  const updated: [TopicId, TopicBits][] = [];
  const emptied: TopicId[] = [];
  for (const [topicId, { bits, count }] of drafts) {
    if (count === 0) emptied.push(topicId);
    else updated.push([topicId, { bits, count }]);
  }
  return { role, brokerId, topics: set.topics.withChanges(updated, emptied) };
}

/** The set by a full scan of the image: O(partitions). */
function scanSet(role: BrokerRole, brokerId: BrokerId, topics: Iterable<TopicImage>): PartitionSet {
  const found: [TopicId, TopicBits][] = [];
  for (const topic of topics) {
    const draft: TopicDraft = { bits: new Uint8Array((topic.partitions.size + 7) >>> 3), count: 0 };
    for (const state of topic.partitions.values()) {
      if (hasRole(role, brokerId, state)) setBit(draft, state.partition, true);
    }
    if (draft.count > 0) found.push([topic.topicId, { bits: draft.bits, count: draft.count }]);
  }
  return { role, brokerId, topics: PersistentMap.fromDistinctKeys(found) };
}

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
    for (const [key, set] of this.#sets) sets.set(key, updateSet(set, changes));
    return new BrokerPartitionIndex(sets);
  }

  /**
   * The partitions where `brokerId` has `role`, in the image's order: topics as topicsById iterates
   * them, then by partition index — the order a full scan gives. The first call per role and broker
   * scans the image (or, on a derived image, reuses the set kept up to date); the list costs one state
   * lookup per partition in it plus a sort of the topics, and is cached per image.
   */
  list(role: BrokerRole, brokerId: BrokerId, image: IndexedImage): readonly PartitionState[] {
    const key = setKey(role, brokerId);
    const cached = this.#lists.get(key);
    if (cached !== undefined) return cached;
    let set = this.#sets.get(key);
    if (set === undefined) {
      set = scanSet(role, brokerId, image.topics());
      this.#sets.set(key, set);
    }
    const topics: { readonly at: number; readonly topic: TopicImage; readonly bits: Uint8Array }[] = [];
    for (const [topicId, { bits }] of set.topics) {
      const topic = image.topic(topicId);
      assert(topic !== undefined, () => `indexed topic ${topicId} is not in the image`);
      topics.push({ at: image.topicPosition(topicId), topic, bits });
    }
    topics.sort((a, b) => a.at - b.at);
    const list: PartitionState[] = [];
    for (const { topic, bits } of topics) {
      for (let byte = 0; byte < bits.length; byte++) {
        const value = bits[byte] ?? 0;
        if (value === 0) continue;
        for (let bit = 0; bit < 8; bit++) {
          if ((value & (1 << bit)) === 0) continue;
          const partition = byte * 8 + bit;
          const state = topic.partitions.get(partition);
          assert(
            state !== undefined,
            () => `indexed partition ${topic.topicId}/${partition} is not in the image`,
          );
          list.push(state);
        }
      }
    }
    const frozen = Object.freeze(list);
    this.#lists.set(key, frozen);
    return frozen;
  }
}
