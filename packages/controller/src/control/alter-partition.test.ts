import { brokerEpoch, brokerId, type ErrorCode, leaderEpoch, partitionEpoch } from '@tributary/core';
import type { MetadataImage } from '@tributary/metadata';
import { describe, expect, it } from 'vitest';
import { type AlterPartitionItem, alterPartition } from './alter-partition.js';
import {
  commit,
  expectCode,
  heartbeat,
  partitionRecord,
  TOPIC,
  unfencedBrokers,
  withOrders,
} from './testing.js';

const b = brokerId;
const LEADER_EPOCH = 2;
const PARTITION_EPOCH = 5;

/**
 * Brokers 1..5 unfenced, then 5 fenced; topic "orders" with leader epoch 2 and partition epoch 5 on
 * every partition: 0: replicas [1,2,3] ISR [1,2,3]; 1: [2,3,1] ISR [2,3,1]; 2: [1,4,5] ISR [1].
 */
function setup(): MetadataImage {
  let image = unfencedBrokers(5);
  image = commit(image, heartbeat(image, 5, { wantFence: true }));
  const epochs = { leaderEpoch: LEADER_EPOCH, partitionEpoch: PARTITION_EPOCH };
  return withOrders(image, [
    partitionRecord(0, [1, 2, 3], [1, 2, 3], epochs),
    partitionRecord(1, [2, 3, 1], [2, 3, 1], epochs),
    partitionRecord(2, [1, 4, 5], [1], epochs),
  ]);
}

function item(partition: number, newIsr: number[], fields: Partial<AlterPartitionItem> = {}) {
  return {
    topic: 'orders',
    partition,
    leaderEpoch: leaderEpoch(LEADER_EPOCH),
    partitionEpoch: partitionEpoch(PARTITION_EPOCH),
    newIsr: newIsr.map(b),
    ...fields,
  };
}

function alterAs(image: MetadataImage, leader: number, items: AlterPartitionItem[]) {
  const epoch = image.broker(b(leader))?.brokerEpoch ?? brokerEpoch(0);
  return alterPartition(image, { brokerId: b(leader), brokerEpoch: epoch, items });
}

describe('alterPartition', () => {
  it('shrinks the ISR with the next partition epoch and the same leader epoch', () => {
    const image = setup();
    const result = alterAs(image, 1, [item(0, [1, 2])]);
    expect(result.records).toEqual([
      {
        type: 'PartitionChange',
        topicId: TOPIC,
        partition: 0,
        isr: [1, 2],
        leaderEpoch: 2,
        partitionEpoch: 6,
      },
    ]);
    const after = commit(image, result);
    expect(after.partition(TOPIC, 0)).toMatchObject({
      leader: 1,
      isr: [1, 2],
      leaderEpoch: 2,
      partitionEpoch: 6,
    });
    // The response carries the partition as it is once the records apply.
    expect(result.response.results).toEqual([
      { topic: 'orders', partition: 0, error: null, state: after.partition(TOPIC, 0) },
    ]);
  });

  it('expands the ISR with an unfenced replica', () => {
    const image = setup();
    const after = commit(image, alterAs(image, 1, [item(2, [1, 4])]));
    expect(after.partition(TOPIC, 2)).toMatchObject({ isr: [1, 4], partitionEpoch: 6 });
  });

  it('writes nothing for an unchanged ISR (in any order) and succeeds', () => {
    const image = setup();
    const result = alterAs(image, 1, [item(0, [3, 1, 2])]);
    expect(result.records).toEqual([]);
    expect(result.response.results).toEqual([
      { topic: 'orders', partition: 0, error: null, state: image.partition(TOPIC, 0) },
    ]);
  });

  it('refuses a change based on a partition epoch that a committed change has passed', () => {
    let image = setup();
    image = commit(image, alterAs(image, 1, [item(0, [1, 2])]));
    const stale = alterAs(image, 1, [item(0, [1])]);
    expect(stale.records).toEqual([]);
    expect(stale.response.results[0]?.error?.code).toBe('STALE_PARTITION_EPOCH');
    expect(stale.response.results[0]?.state).toMatchObject({ isr: [1, 2], partitionEpoch: 6 });
    const retried = alterAs(image, 1, [item(0, [1], { partitionEpoch: partitionEpoch(6) })]);
    expect(commit(image, retried).partition(TOPIC, 0)).toMatchObject({ isr: [1], partitionEpoch: 7 });
  });

  it('refuses an unknown broker or a stale broker epoch for the whole request', () => {
    const image = setup();
    const epoch = image.broker(b(1))?.brokerEpoch ?? brokerEpoch(0);
    expectCode(
      () => alterPartition(image, { brokerId: b(9), brokerEpoch: epoch, items: [item(0, [1, 2])] }),
      'UNKNOWN_BROKER',
      'broker 9',
    );
    expectCode(
      () =>
        alterPartition(image, {
          brokerId: b(1),
          brokerEpoch: brokerEpoch(epoch + 1),
          items: [item(0, [1, 2])],
        }),
      'STALE_BROKER_EPOCH',
      `epoch ${epoch + 1}`,
    );
  });

  const refusals: ReadonlyArray<{
    readonly name: string;
    readonly leader: number;
    readonly item: AlterPartitionItem;
    readonly code: ErrorCode;
    readonly fragment: string;
  }> = [
    {
      name: 'unknown topic',
      leader: 1,
      item: { ...item(0, [1]), topic: 'nope' },
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
      fragment: 'nope/0',
    },
    {
      name: 'unknown partition',
      leader: 1,
      item: item(9, [1]),
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
      fragment: 'orders/9',
    },
    {
      name: 'not the leader',
      leader: 1,
      item: item(1, [2, 1]),
      code: 'NOT_LEADER',
      fragment: 'broker 1 does not lead orders/1',
    },
    {
      name: 'older leader epoch',
      leader: 1,
      item: item(0, [1], { leaderEpoch: leaderEpoch(1) }),
      code: 'FENCED_LEADER_EPOCH',
      fragment: 'leader epoch 1',
    },
    {
      name: 'newer leader epoch',
      leader: 1,
      item: item(0, [1], { leaderEpoch: leaderEpoch(3) }),
      code: 'UNKNOWN_LEADER_EPOCH',
      fragment: 'leader epoch 3',
    },
    {
      name: 'older partition epoch',
      leader: 1,
      item: item(0, [1], { partitionEpoch: partitionEpoch(4) }),
      code: 'STALE_PARTITION_EPOCH',
      fragment: 'partition epoch 4',
    },
    {
      name: 'newer partition epoch',
      leader: 1,
      item: item(0, [1], { partitionEpoch: partitionEpoch(6) }),
      code: 'STALE_PARTITION_EPOCH',
      fragment: 'partition epoch 6',
    },
    { name: 'empty ISR', leader: 1, item: item(0, []), code: 'INVALID_REQUEST', fragment: 'empty' },
    {
      name: 'ISR without the leader',
      leader: 1,
      item: item(0, [2, 3]),
      code: 'INVALID_REQUEST',
      fragment: 'leaves out the leader 1',
    },
    {
      name: 'ISR with a non-replica',
      leader: 1,
      item: item(0, [1, 4]),
      code: 'INVALID_REQUEST',
      fragment: 'broker 4 is not a replica',
    },
    {
      name: 'ISR with a fenced broker',
      leader: 1,
      item: item(2, [1, 5]),
      code: 'INVALID_REQUEST',
      fragment: 'broker 5 is fenced',
    },
    {
      name: 'ISR with duplicates',
      leader: 1,
      item: item(0, [1, 2, 2]),
      code: 'INVALID_REQUEST',
      fragment: 'duplicates',
    },
  ];

  for (const refusal of refusals) {
    it(`refuses an item: ${refusal.name}`, () => {
      const image = setup();
      const result = alterAs(image, refusal.leader, [refusal.item]);
      expect(result.records).toEqual([]);
      const [only] = result.response.results;
      expect(only?.error?.code).toBe(refusal.code);
      expect(only?.error?.message).toContain(refusal.fragment);
      const current = image.partition(TOPIC, refusal.item.partition);
      expect(only?.state ?? undefined).toEqual(refusal.item.topic === 'orders' ? current : undefined);
    });
  }

  it('decides each item of a batch on its own, in request order', () => {
    const image = setup();
    const result = alterAs(image, 1, [
      item(0, [1, 3]),
      item(1, [2]),
      item(2, [1]),
      item(2, [1, 4]),
      { ...item(0, [1]), topic: 'gone' },
    ]);
    expect(result.records).toHaveLength(1);
    expect(result.response.results.map((r) => [r.topic, r.partition, r.error?.code ?? ''])).toEqual([
      ['orders', 0, ''],
      ['orders', 1, 'NOT_LEADER'],
      ['orders', 2, ''],
      ['orders', 2, 'INVALID_REQUEST'],
      ['gone', 0, 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
    expect(result.response.results[3]?.error?.message).toContain('more than once');
    const after = commit(image, result);
    expect(after.partition(TOPIC, 0)).toMatchObject({ isr: [1, 3], partitionEpoch: 6 });
    expect(after.partition(TOPIC, 1)).toEqual(image.partition(TOPIC, 1));
    expect(after.partition(TOPIC, 2)).toEqual(image.partition(TOPIC, 2));
  });
});
