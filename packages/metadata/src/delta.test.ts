import {
  AssertionError,
  type BrokerId,
  brokerEpoch,
  brokerId,
  leaderEpoch,
  partitionEpoch,
} from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { MetadataDelta, replayAll } from './delta.js';
import { MetadataImage } from './image.js';
import type { MetadataRecord, PartitionRecord } from './records.js';

const b = brokerId;

function register(id: number, epoch: number, fenced = false): MetadataRecord {
  return {
    type: 'RegisterBroker',
    brokerId: b(id),
    brokerEpoch: brokerEpoch(epoch),
    incarnationId: `inc-${id}-${epoch}`,
    address: `host${id}:9092`,
    rack: null,
    fenced,
  };
}

function partition(
  topicId: string,
  index: number,
  replicas: number[],
  leader = replicas[0] ?? -1,
): PartitionRecord {
  const ids = replicas.map(b);
  return {
    type: 'Partition',
    topicId,
    partition: index,
    replicas: ids,
    isr: ids,
    leader: leader === -1 ? -1 : b(leader),
    leaderEpoch: leaderEpoch(0),
    partitionEpoch: partitionEpoch(0),
  };
}

function build(records: readonly MetadataRecord[], image = MetadataImage.EMPTY): MetadataImage {
  const start = image.offset + 1;
  return replayAll(
    image,
    records.map((record, i) => ({ record, offset: start + i })),
  );
}

const threeBrokers = [register(1, 1), register(2, 2), register(3, 3)];
const ordersTopic: MetadataRecord[] = [
  { type: 'Topic', name: 'orders', topicId: 't-orders' },
  partition('t-orders', 0, [1, 2, 3]),
  partition('t-orders', 1, [2, 3, 1]),
  partition('t-orders', 2, [3, 1, 2]),
];

describe('MetadataImage and MetadataDelta', () => {
  it('EMPTY is empty with offset -1', () => {
    expect(MetadataImage.EMPTY.isEmpty()).toBe(true);
    expect(MetadataImage.EMPTY.offset).toBe(-1);
    expect(MetadataImage.EMPTY.nextProducerId).toBe(0);
  });

  it('builds brokers, topics and partitions with read helpers', () => {
    const image = build([...threeBrokers, ...ordersTopic]);
    expect(image.offset).toBe(6);
    expect(image.unfencedBrokerIds()).toEqual([1, 2, 3]);
    expect(image.topicByName('orders')?.topicId).toBe('t-orders');
    expect(image.topicById('t-orders')?.partitions.size).toBe(3);
    expect(image.partition('t-orders', 1)?.leader).toBe(2);
    expect(image.partitionsLedBy(b(3)).map((p) => p.partition)).toEqual([2]);
    expect(image.partitionsWithReplica(b(1))).toHaveLength(3);
    expect(image.partitionsWithIsrMember(b(2))).toHaveLength(3);
    expect(image.partitionsLedBy(b(9))).toEqual([]);
    expect(image.partitionCount()).toBe(3);
  });

  it('fences, unfences and unregisters brokers with their current epoch', () => {
    const image = build([
      ...threeBrokers,
      { type: 'FenceBroker', brokerId: b(2), brokerEpoch: brokerEpoch(2) },
      { type: 'UnregisterBroker', brokerId: b(3), brokerEpoch: brokerEpoch(3) },
    ]);
    expect(image.unfencedBrokerIds()).toEqual([1]);
    expect(image.broker(b(2))?.fenced).toBe(true);
    expect(image.broker(b(3))).toBeUndefined();
    const next = build([{ type: 'UnfenceBroker', brokerId: b(2), brokerEpoch: brokerEpoch(2) }], image);
    expect(next.unfencedBrokerIds()).toEqual([1, 2]);
    expect(image.broker(b(2))?.fenced).toBe(true);
  });

  it('applies partition changes and leaves the old image untouched', () => {
    const before = build([...threeBrokers, ...ordersTopic]);
    const after = build(
      [
        {
          type: 'PartitionChange',
          topicId: 't-orders',
          partition: 0,
          leader: b(2),
          isr: [b(2), b(3)],
          leaderEpoch: leaderEpoch(1),
          partitionEpoch: partitionEpoch(1),
        },
      ],
      before,
    );
    expect(after.partition('t-orders', 0)).toMatchObject({ leader: 2, isr: [2, 3], leaderEpoch: 1 });
    expect(after.partition('t-orders', 0)?.replicas).toEqual([1, 2, 3]);
    expect(before.partition('t-orders', 0)).toMatchObject({ leader: 1, isr: [1, 2, 3], leaderEpoch: 0 });
    expect(after.partitionsLedBy(b(2)).map((p) => p.partition)).toEqual([0, 1]);
    // Untouched partitions and maps are shared, not copied.
    expect(after.partition('t-orders', 1)).toBe(before.partition('t-orders', 1));
    expect(after.brokers).toBe(before.brokers);
  });

  it('removes a topic with its configs, freeing the name', () => {
    const image = build([
      ...threeBrokers,
      ...ordersTopic,
      { type: 'Config', resourceType: 'topic', resourceName: 'orders', name: 'retention.ms', value: '1000' },
      { type: 'Config', resourceType: 'cluster', resourceName: '', name: 'x', value: 'y' },
    ]);
    expect(image.topicConfigs('orders').get('retention.ms')).toBe('1000');
    const delta = new MetadataDelta(image);
    delta.replay({ type: 'RemoveTopic', topicId: 't-orders' }, 20);
    delta.replay({ type: 'Topic', name: 'orders', topicId: 't-orders-2' }, 21);
    delta.replay(partition('t-orders-2', 0, [1]), 21);
    const after = delta.apply();
    expect(after.topicByName('orders')?.topicId).toBe('t-orders-2');
    expect(after.topicById('t-orders')).toBeUndefined();
    expect(after.topicConfigs('orders').size).toBe(0);
    expect(after.configsOf('cluster', '').get('x')).toBe('y');
    const changes = delta.changes();
    expect([...changes.removedTopics]).toEqual(['t-orders']);
    expect([...changes.createdTopics]).toEqual(['t-orders-2']);
    expect(changes.partitions.get('t-orders-2')).toEqual(new Set([0]));
    expect([...changes.configResources]).toEqual(['topic:orders']);
  });

  it('sets and removes configs; an emptied resource disappears', () => {
    const image = build([
      ...threeBrokers,
      { type: 'Config', resourceType: 'broker', resourceName: '1', name: 'log.dirs', value: '/d' },
      { type: 'Config', resourceType: 'broker', resourceName: '1', name: 'log.dirs', value: null },
    ]);
    expect(image.configs.size).toBe(0);
  });

  it('reports what changed', () => {
    const image = build([...threeBrokers, ...ordersTopic]);
    const delta = new MetadataDelta(image);
    delta.replay({ type: 'FenceBroker', brokerId: b(1), brokerEpoch: brokerEpoch(1) }, 10);
    delta.replay(
      {
        type: 'PartitionChange',
        topicId: 't-orders',
        partition: 0,
        leader: b(2),
        isr: [b(2), b(3)],
        leaderEpoch: leaderEpoch(1),
        partitionEpoch: partitionEpoch(1),
      },
      10,
    );
    delta.replay(
      { type: 'ProducerIds', brokerId: b(2), brokerEpoch: brokerEpoch(2), nextProducerId: 1000 },
      11,
    );
    const changes = delta.changes();
    expect([...changes.brokers]).toEqual([1]);
    expect(changes.partitions.get('t-orders')).toEqual(new Set([0]));
    expect(changes.createdTopics.size + changes.removedTopics.size).toBe(0);
    expect(changes.producerIds).toBe(true);
    expect(delta.apply().nextProducerId).toBe(1000);
  });

  it('advances the offset for Raft no-op entries', () => {
    const delta = new MetadataDelta(MetadataImage.EMPTY);
    delta.advanceTo(5);
    expect(delta.apply().offset).toBe(5);
  });
});

describe('replay invariants (violations are bugs: AssertionError)', () => {
  const base = build([...threeBrokers, ...ordersTopic]);
  const change = (fields: Partial<Record<string, unknown>>): MetadataRecord =>
    ({
      type: 'PartitionChange',
      topicId: 't-orders',
      partition: 0,
      leaderEpoch: leaderEpoch(1),
      partitionEpoch: partitionEpoch(1),
      ...fields,
    }) as MetadataRecord;
  const cases: [string, MetadataRecord, RegExp][] = [
    ['offset going back', { type: 'Topic', name: 'x', topicId: 'x' }, /offset went back/],
    [
      'a second topic with the same name',
      { type: 'Topic', name: 'orders', topicId: 'other' },
      /already topic/,
    ],
    ['a reused topic id', { type: 'Topic', name: 'other', topicId: 't-orders' }, /already exists/],
    ['a partition for an unknown topic', partition('nope', 0, [1]), /unknown topic/],
    ['a duplicate partition', partition('t-orders', 1, [1]), /already exists/],
    ['a partition with an empty ISR', { ...partition('t-orders', 7, [1]), isr: [] }, /empty ISR/],
    ['a partition with duplicate replicas', partition('t-orders', 7, [1, 1]), /duplicate replicas/],
    ['a leader outside the ISR', change({ leader: b(1), isr: [b(2)] }), /not in the ISR/],
    ['an ISR outside the replicas', change({ isr: [b(1), b(7)] }), /not a subset/],
    ['a leader change without a new leader epoch', change({ leader: b(2), leaderEpoch: 0 }), /without a new/],
    ['a leader epoch going back', change({ leaderEpoch: -1 as never }), /went back/],
    ['a partition epoch not growing', change({ partitionEpoch: 0 }), /does not grow/],
    ['a change to an unknown partition', change({ partition: 9 }), /unknown partition/],
    ['a change to an unknown topic', change({ topicId: 'nope' }), /unknown topic/],
    [
      'fencing an unknown broker',
      { type: 'FenceBroker', brokerId: b(9), brokerEpoch: brokerEpoch(1) },
      /not registered/,
    ],
    [
      'fencing with a stale epoch',
      { type: 'FenceBroker', brokerId: b(1), brokerEpoch: brokerEpoch(0) },
      /has epoch 1/,
    ],
    ['re-registering without a higher epoch', register(2, 2), /does not grow/],
    ['removing an unknown topic', { type: 'RemoveTopic', topicId: 'nope' }, /unknown topic/],
    [
      'config for an unknown topic',
      { type: 'Config', resourceType: 'topic', resourceName: 'nope', name: 'a', value: 'b' },
      /unknown topic/,
    ],
    [
      'producer ids going back',
      { type: 'ProducerIds', brokerId: b(1), brokerEpoch: brokerEpoch(1), nextProducerId: 0 },
      /must grow/,
    ],
  ];
  it.each(cases)('refuses %s', (what, record, message) => {
    const delta = new MetadataDelta(base);
    const offset = what === 'offset going back' ? base.offset - 1 : base.offset + 1;
    expect(() => delta.replay(record, offset)).toThrow(AssertionError);
    expect(() => new MetadataDelta(base).replay(record, offset)).toThrow(message);
  });

  it('lets a PartitionChange make a partition leaderless but keeps the ISR', () => {
    const image = build([change({ leader: -1, isr: [b(3)] })], base);
    expect(image.partition('t-orders', 0)).toMatchObject({ leader: -1, isr: [3] });
  });
});

describe('scale', () => {
  it('creates 100,000 partitions and changes a few without copying the world', () => {
    const brokers = [1, 2, 3].map((id) => register(id, id));
    const records: MetadataRecord[] = [...brokers];
    for (let t = 0; t < 100; t++) {
      const topicId = `topic-${t}`;
      records.push({ type: 'Topic', name: `t${t}`, topicId });
      for (let p = 0; p < 1000; p++) records.push(partition(topicId, p, [1 + (p % 3), 1 + ((p + 1) % 3)]));
    }
    const started = performance.now();
    const image = build(records);
    expect(image.partitionCount()).toBe(100_000);
    expect(image.partitionsLedBy(b(1)).length).toBe(33_400);
    let current = image;
    for (let i = 0; i < 100; i++) {
      const delta = new MetadataDelta(current);
      const topicId = `topic-${i}`;
      const old = current.partition(topicId, 0);
      if (old === undefined) throw new Error('missing partition');
      delta.replay(
        {
          type: 'PartitionChange',
          topicId,
          partition: 0,
          isr: old.replicas.slice(0, 1),
          leaderEpoch: old.leaderEpoch,
          partitionEpoch: partitionEpoch(old.partitionEpoch + 1),
        },
        current.offset + 1,
      );
      const next = delta.apply();
      expect(next.topicById('topic-99')).toBe(
        i === 99 ? next.topicById('topic-99') : current.topicById('topic-99'),
      );
      current = next;
    }
    // Generous bound: this is a smoke test against accidental O(n) per record, not a benchmark.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(current.partition('topic-5', 0)?.isr).toHaveLength(1);
    const leaders: BrokerId[] = current.partitionsLedBy(b(2)).map((p) => p.leader as BrokerId);
    expect(new Set(leaders)).toEqual(new Set([2]));
  });
});
