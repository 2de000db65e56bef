import {
  type BrokerId,
  brokerEpoch,
  brokerId,
  leaderEpoch,
  partitionEpoch,
  type Random,
  SeededRandom,
} from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetadataDelta } from './delta.js';
import { MetadataImage, type PartitionState } from './image.js';
import { persistentMapStats } from './persistent/stats.js';
import type { MetadataRecord } from './records.js';

const BROKERS = [1, 2, 3, 4, 5].map(brokerId);

function registerAll(): MetadataRecord[] {
  return BROKERS.map((id) => ({
    type: 'RegisterBroker',
    brokerId: id,
    brokerEpoch: brokerEpoch(id),
    incarnationId: `inc-${id}`,
    address: `host${id}:9092`,
    rack: null,
    fenced: false,
  }));
}

function partitionRecord(topicId: string, partition: number, replicas: BrokerId[]): MetadataRecord {
  return {
    type: 'Partition',
    topicId,
    partition,
    replicas,
    isr: replicas,
    leader: replicas[0] ?? brokerId(1),
    leaderEpoch: leaderEpoch(0),
    partitionEpoch: partitionEpoch(0),
  };
}

function apply(image: MetadataImage, records: readonly MetadataRecord[]): MetadataImage {
  const delta = new MetadataDelta(image);
  for (const record of records) delta.replay(record, image.offset + 1);
  return delta.apply();
}

/** The reference: the full scan the image used to do on every first call. */
function naive(image: MetadataImage, role: 'led' | 'replica' | 'inIsr', id: BrokerId): PartitionState[] {
  const found: PartitionState[] = [];
  for (const topic of image.topicsById.values()) {
    for (const state of topic.partitions.values()) {
      const members = role === 'led' ? [state.leader] : role === 'replica' ? state.replicas : state.isr;
      if (members.includes(id)) found.push(state);
    }
  }
  return found;
}

function lists(image: MetadataImage, id: BrokerId): PartitionState[][] {
  return [
    [...image.partitionsLedBy(id)],
    [...image.partitionsWithReplica(id)],
    [...image.partitionsWithIsrMember(id)],
  ];
}

function pick<T>(random: Random, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[random.int(0, items.length)];
}

/** One random command's records: create or remove a topic, add a partition, or move leader/ISR. */
function randomRecords(image: MetadataImage, random: Random, step: number): MetadataRecord[] {
  const topic = pick(random, [...image.topicsById.values()]);
  const replicas = (): BrokerId[] => [...BROKERS].sort(() => random.next() - 0.5).slice(0, 3);
  const choice = random.int(0, 5);
  if (choice === 0 || topic === undefined) {
    const topicId = `t-${step}`;
    const count = random.int(1, 4);
    const records: MetadataRecord[] = [{ type: 'Topic', topicId, name: `topic-${step}` }];
    for (let p = 0; p < count; p++) records.push(partitionRecord(topicId, p, replicas()));
    return records;
  }
  if (choice === 1) return [{ type: 'RemoveTopic', topicId: topic.topicId }];
  if (choice === 2) return [partitionRecord(topic.topicId, topic.partitions.size, replicas())];
  const state = pick(random, [...topic.partitions.values()]);
  if (state === undefined) return [];
  const isr = state.replicas.filter(() => random.next() < 0.7);
  const leader = pick(random, isr);
  return [
    {
      type: 'PartitionChange',
      topicId: topic.topicId,
      partition: state.partition,
      isr: isr.length > 0 ? isr : state.isr,
      leader: isr.length > 0 && leader !== undefined ? leader : -1,
      leaderEpoch: leaderEpoch(state.leaderEpoch + 1),
      partitionEpoch: partitionEpoch(state.partitionEpoch + 1),
    },
  ];
}

describe('per-broker partition lists', () => {
  it('kept up to date delta by delta, they equal a full scan; older images keep theirs', () => {
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const random = new SeededRandom(seed);
        let image = apply(MetadataImage.EMPTY, registerAll());
        const seen: { image: MetadataImage; lists: PartitionState[][][] }[] = [];
        for (let step = 0; step < 60; step++) {
          image = apply(image, randomRecords(image, random, step));
          // Ask on some images only, so some sets are carried across images nobody asked.
          if (random.next() < 0.3) {
            const asked = BROKERS.map((id) => lists(image, id));
            for (const [i, id] of BROKERS.entries()) {
              expect(asked[i]).toEqual([
                naive(image, 'led', id),
                naive(image, 'replica', id),
                naive(image, 'inIsr', id),
              ]);
            }
            seen.push({ image, lists: asked });
          }
        }
        for (const old of seen) expect(BROKERS.map((id) => lists(old.image, id))).toEqual(old.lists);
      }),
      { numRuns: 60 },
    );
  });

  it('20,000 topics, one delta each: every apply copies a bounded number of slots, whatever the size', () => {
    let image = apply(MetadataImage.EMPTY, registerAll());
    image.partitionsWithIsrMember(brokerId(1)); // built once, then carried by every delta below
    let halfway = image;
    let worstSlots = 0;
    for (let t = 0; t < 20_000; t++) {
      const topicId = `t-${t}`;
      const replicas = [0, 1, 2].map((r) => brokerId(((t + r) % BROKERS.length) + 1));
      const before = persistentMapStats.slotsCopied;
      image = apply(image, [
        { type: 'Topic', topicId, name: `topic-${t}` },
        partitionRecord(topicId, 0, replicas),
        partitionRecord(topicId, 1, replicas),
      ]);
      worstSlots = Math.max(worstSlots, persistentMapStats.slotsCopied - before);
      if (t === 9_999) halfway = image;
    }
    // topicsById + topicsByName (one HAMT path, <= 7 × 32 slots, and one order path, <= 4 × 32, each),
    // the topic's two-partition map, and one broker set; copying a 20,000-entry map would be far more.
    expect(worstSlots).toBeLessThan(2_000);
    expect(image.topicsById.size).toBe(20_000);
    expect(image.partitionCount()).toBe(40_000);
    expect(halfway.topicsById.size).toBe(10_000);
    expect(halfway.topicByName('topic-10000')).toBeUndefined();
    expect(image.partitionsWithIsrMember(brokerId(1))).toEqual(naive(image, 'inIsr', brokerId(1)));
    expect(halfway.partitionsWithIsrMember(brokerId(1))).toEqual(naive(halfway, 'inIsr', brokerId(1)));
  });
});
