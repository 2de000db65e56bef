import { brokerId, TributaryError } from '@tributary/core';
import { type MetadataImage, REPLICATION_THROTTLE_CONFIG, targetReplicas } from '@tributary/metadata';
import { describe, expect, it } from 'vitest';
import { type DecommissionBrokerRequest, decommissionBroker } from './decommission.js';
import { alterPartitionReassignments } from './reassignment.js';
import { commit, partitionRecord, TOPIC, unfencedBrokers, withOrders } from './testing.js';

const b = brokerId;

/** Unfenced brokers with the given racks (null: none); topic "orders" with partitions in sync. */
function cluster(racks: readonly (string | null)[], partitions: readonly number[][]): MetadataImage {
  return withOrders(
    unfencedBrokers(racks),
    partitions.map((replicas, index) => partitionRecord(index, replicas, replicas)),
  );
}

function decommission(image: MetadataImage, id: number, fields: Partial<DecommissionBrokerRequest> = {}) {
  return decommissionBroker(image, { brokerId: b(id), throttleBytesPerSec: 0, cancel: false, ...fields });
}

const targets = (image: MetadataImage) =>
  [...(image.topicById(TOPIC)?.partitions.values() ?? [])].map((s) => [...targetReplicas(s)]);

describe('decommissionBroker', () => {
  it('marks the broker and moves each replica in place to the least-loaded broker, counting as it goes', () => {
    const image = cluster([null, null, null, null], [[1, 2], [1, 3], [1], [1, 2], [2, 3]]);
    const result = decommission(image, 1);
    expect(result.records[0]).toEqual({
      type: 'Config',
      resourceType: 'broker',
      resourceName: '1',
      name: 'decommissioned',
      value: 'true',
    });
    const next = commit(image, result);
    expect(next.isDecommissioned(b(1))).toBe(true);
    expect(next.placeableBrokerIds()).toEqual([2, 3, 4]);
    // Loads before: 2 → 3, 3 → 2, 4 → 0; each move adds one to its broker's count.
    expect(targets(next)).toEqual([[4, 2], [4, 3], [3], [4, 2], [2, 3]]);
    expect(result.response.moves.map((m) => [m.topic, m.state.partition, m.state.addingReplicas])).toEqual([
      ['orders', 0, [4]],
      ['orders', 1, [4]],
      ['orders', 2, [3]],
      ['orders', 3, [4]],
    ]);
    expect(result.response.remaining).toBe(0);
    // Running again moves nothing more (the broker is in no target any more).
    expect(decommission(next, 1).records).toEqual([]);
  });

  it('prefers a broker on the same rack, and never a decommissioned one', () => {
    let image = cluster(
      ['a', 'a', 'b', 'b', 'a'],
      [
        [1, 3],
        [3, 1],
      ],
    );
    image = commit(image, decommission(image, 5));
    image = commit(image, decommission(image, 1, { throttleBytesPerSec: 500 }));
    expect(targets(image)).toEqual([
      [2, 3],
      [3, 2],
    ]);
    expect(image.configsOf('cluster', '').get(REPLICATION_THROTTLE_CONFIG)).toBe('500');
  });

  it('refuses the whole drain, writing nothing, when a partition has nowhere to go', () => {
    const image = cluster([null, null, null], [[1], [1, 2, 3]]);
    expect(() => decommission(image, 1)).toThrowError(
      expect.objectContaining({
        code: 'INVALID_REPLICA_ASSIGNMENT',
        message: expect.stringMatching(/orders\/1/),
      }),
    );
  });

  it('replaces the broker in the target of a partition that is already moving', () => {
    let image = cluster([null, null, null, null], [[2]]);
    const start = alterPartitionReassignments(image, {
      targets: [{ topic: 'orders', partition: 0, replicas: [b(1), b(3)] }],
      throttleBytesPerSec: 0,
      removeThrottle: false,
      validateOnly: false,
    });
    image = commit(image, start);
    image = commit(image, decommission(image, 1));
    const state = image.partition(TOPIC, 0);
    expect(state?.replicas).toEqual([4, 3, 2]);
    expect(state?.addingReplicas).toEqual([4, 3]);
    expect(state?.removingReplicas).toEqual([2]);
  });

  it('moves at most partitionsMax per command and finishes in later commands', () => {
    let image = cluster([null, null, null], [[1], [1], [1], [1], [1]]);
    const first = decommission(image, 1, { partitionsMax: 2 });
    expect(first.response).toMatchObject({ remaining: 3 });
    expect(first.records).toHaveLength(3);
    image = commit(image, first);
    const second = decommission(image, 1, { partitionsMax: 2 });
    expect(second.records.map((r) => r.type)).toEqual(['PartitionChange', 'PartitionChange']);
    image = commit(image, second);
    image = commit(image, decommission(image, 1, { partitionsMax: 2 }));
    expect(targets(image)).toEqual([[2], [3], [2], [3], [2]]);
    expect(decommission(image, 1).response.remaining).toBe(0);
  });

  it('cancel removes the mark only; an unknown broker is refused', () => {
    let image = cluster([null, null], [[1]]);
    image = commit(image, decommission(image, 1));
    image = commit(image, decommission(image, 1, { cancel: true }));
    expect(image.isDecommissioned(b(1))).toBe(false);
    expect(targets(image)).toEqual([[2]]);
    expect(decommission(image, 1, { cancel: true }).records).toEqual([]);
    expect(() => decommission(image, 9)).toThrowError(TributaryError);
    expect(() => decommission(image, 9)).toThrowError(/broker 9 is not registered/);
  });
});
