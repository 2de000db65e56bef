import { type BrokerId, brokerId, SeededRandom, TributaryError } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BrokerLoad, placeReplicas, placeReplicasLeastLoaded } from './placement.js';

function brokers(count: number): BrokerId[] {
  return Array.from({ length: count }, (_, i) => brokerId(i + 1));
}

function leaderCounts(assignment: readonly (readonly BrokerId[])[]): Map<BrokerId, number> {
  const counts = new Map<BrokerId, number>();
  for (const replicas of assignment) {
    const leader = replicas[0];
    if (leader !== undefined) counts.set(leader, (counts.get(leader) ?? 0) + 1);
  }
  return counts;
}

describe('placeReplicas', () => {
  it('balances leaders and keeps replicas distinct for 3..9 brokers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 9 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 50 }),
        fc.nat(),
        (brokerCount, partitionCount, replicationFactor, startPartition, seed) => {
          const assignment = placeReplicas({
            brokers: brokers(brokerCount),
            partitionCount,
            replicationFactor,
            startPartition,
            random: new SeededRandom(seed),
          });
          expect(assignment).toHaveLength(partitionCount);
          for (const replicas of assignment) {
            expect(replicas).toHaveLength(replicationFactor);
            expect(new Set(replicas).size).toBe(replicationFactor);
            for (const replica of replicas) expect(replica >= 1 && replica <= brokerCount).toBe(true);
          }
          const leaderMax = Math.ceil(partitionCount / brokerCount);
          for (const count of leaderCounts(assignment).values()) expect(count).toBeLessThanOrEqual(leaderMax);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('spreads followers: with 4 brokers, RF 2 and 12 partitions each broker follows a mix of leaders', () => {
    const assignment = placeReplicas({
      brokers: brokers(4),
      partitionCount: 12,
      replicationFactor: 2,
      random: new SeededRandom(1),
    });
    const followersOf = new Map<BrokerId, Set<BrokerId>>();
    for (const [leader, follower] of assignment) {
      if (leader === undefined || follower === undefined) throw new Error('short replica list');
      const set = followersOf.get(leader) ?? new Set();
      set.add(follower);
      followersOf.set(leader, set);
    }
    for (const followers of followersOf.values()) expect(followers.size).toBeGreaterThan(1);
  });

  it('is deterministic for a seed and sorts the broker list itself', () => {
    const options = { partitionCount: 10, replicationFactor: 3 };
    const a = placeReplicas({ ...options, brokers: brokers(5), random: new SeededRandom(9) });
    const b = placeReplicas({ ...options, brokers: brokers(5).reverse(), random: new SeededRandom(9) });
    expect(a).toEqual(b);
  });

  it('puts replicas on distinct racks when every broker has a rack', () => {
    const racked = [1, 2, 3, 4, 5, 6].map((id) => ({
      id: brokerId(id),
      rack: id <= 2 ? 'a' : id <= 4 ? 'b' : 'c',
    }));
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 60 }), (seed, partitionCount) => {
        const assignment = placeReplicas({
          brokers: racked,
          partitionCount,
          replicationFactor: 3,
          random: new SeededRandom(seed),
        });
        for (const replicas of assignment) {
          const racks = replicas.map((id) => racked.find((b) => b.id === id)?.rack);
          expect(new Set(racks).size).toBe(3);
          expect(new Set(replicas).size).toBe(3);
        }
        const leaderMax = Math.ceil(partitionCount / racked.length);
        for (const count of leaderCounts(assignment).values()) expect(count).toBeLessThanOrEqual(leaderMax);
      }),
    );
  });

  it('still fills the replica list when racks are fewer than the replication factor', () => {
    const racked = [1, 2, 3, 4].map((id) => ({ id: brokerId(id), rack: id <= 2 ? 'a' : 'b' }));
    const assignment = placeReplicas({
      brokers: racked,
      partitionCount: 8,
      replicationFactor: 4,
      random: new SeededRandom(3),
    });
    for (const replicas of assignment) expect([...replicas].sort()).toEqual([1, 2, 3, 4]);
  });

  it('refuses a replication factor above the broker count or below 1, naming the count', () => {
    const random = new SeededRandom(1);
    const attempt = (replicationFactor: number) => () =>
      placeReplicas({ brokers: brokers(2), partitionCount: 1, replicationFactor, random });
    expect(attempt(3)).toThrow(TributaryError);
    expect(attempt(3)).toThrow('2 available brokers');
    expect(attempt(0)).toThrow(/>= 1/);
    expect(() => placeReplicas({ brokers: [], partitionCount: 1, replicationFactor: 1, random })).toThrow(
      TributaryError,
    );
  });

  it('returns nothing for zero partitions', () => {
    expect(
      placeReplicas({
        brokers: brokers(3),
        partitionCount: 0,
        replicationFactor: 1,
        random: new SeededRandom(1),
      }),
    ).toEqual([]);
  });
});

/** Replica counts per broker after adding the assignment to the existing load. */
function replicaCounts(
  ids: readonly BrokerId[],
  load: ReadonlyMap<BrokerId, BrokerLoad>,
  assignment: readonly (readonly BrokerId[])[],
): number[] {
  const counts = new Map(ids.map((id) => [id, load.get(id)?.replicas ?? 0]));
  for (const replicas of assignment) for (const id of replicas) counts.set(id, (counts.get(id) ?? 0) + 1);
  return ids.map((id) => counts.get(id) ?? 0);
}

function spread(counts: readonly number[]): number {
  return Math.max(...counts) - Math.min(...counts);
}

describe('placeReplicasLeastLoaded', () => {
  const loadArbitrary = fc.array(
    fc.record({
      replicas: fc.integer({ min: 0, max: 40 }),
      leaderShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { minLength: 1, maxLength: 9 },
  );

  it('keeps the replica-count spread within max(old spread, 1), uses only the given brokers, each once per partition', () => {
    fc.assert(
      fc.property(
        loadArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 60 }),
        (loads, rfWanted, partitionCount) => {
          const ids = brokers(loads.length);
          const replicationFactor = Math.min(rfWanted, ids.length);
          const load = new Map<BrokerId, BrokerLoad>(
            loads.map((l, i) => [
              brokerId(i + 1),
              { replicas: l.replicas, preferredLeaders: Math.floor(l.replicas * l.leaderShare) },
            ]),
          );
          // A loaded broker that is not placeable (fenced or decommissioned) must never be chosen.
          load.set(brokerId(99), { replicas: 0, preferredLeaders: 0 });
          const assignment = placeReplicasLeastLoaded({
            brokers: ids,
            load,
            partitionCount,
            replicationFactor,
          });
          expect(assignment).toHaveLength(partitionCount);
          for (const replicas of assignment) {
            expect(replicas).toHaveLength(replicationFactor);
            expect(new Set(replicas).size).toBe(replicationFactor);
            for (const id of replicas) expect(ids).toContain(id);
          }
          const before = spread(replicaCounts(ids, load, []));
          const after = spread(replicaCounts(ids, load, assignment));
          expect(after).toBeLessThanOrEqual(Math.max(before, 1));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('spreads preferred leaders evenly over an evenly loaded cluster', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 20 }),
        (brokerCount, rfWanted, partitionCount, existing) => {
          const ids = brokers(brokerCount);
          const replicationFactor = Math.min(rfWanted, brokerCount);
          const load = new Map(ids.map((id) => [id, { replicas: existing, preferredLeaders: 0 }]));
          const assignment = placeReplicasLeastLoaded({
            brokers: ids,
            load,
            partitionCount,
            replicationFactor,
          });
          const leaderMax = Math.ceil(partitionCount / brokerCount);
          for (const count of leaderCounts(assignment).values()) expect(count).toBeLessThanOrEqual(leaderMax);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('fills a newly added (empty) broker first and makes it lead', () => {
    const ids = brokers(4);
    const load = new Map<BrokerId, BrokerLoad>([
      [brokerId(1), { replicas: 10, preferredLeaders: 4 }],
      [brokerId(2), { replicas: 10, preferredLeaders: 3 }],
      [brokerId(3), { replicas: 10, preferredLeaders: 3 }],
    ]);
    const assignment = placeReplicasLeastLoaded({
      brokers: ids,
      load,
      partitionCount: 3,
      replicationFactor: 2,
    });
    expect(assignment.map((replicas) => replicas[0])).toEqual([4, 4, 4]);
    // Followers go to the brokers with the most leaderships among the least loaded (1 leads 4 partitions).
    expect(assignment[0]).toEqual([4, 1]);
    expect(replicaCounts(ids, load, assignment)).toEqual([11, 11, 11, 3]);
  });

  it('puts replicas on distinct racks when every broker has a rack', () => {
    const racked = [1, 2, 3, 4, 5, 6].map((id) => ({
      id: brokerId(id),
      rack: id <= 2 ? 'a' : id <= 4 ? 'b' : 'c',
    }));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        (replicaLoads, partitionCount) => {
          const load = new Map(
            replicaLoads.map((replicas, i) => [brokerId(i + 1), { replicas, preferredLeaders: 0 }]),
          );
          const assignment = placeReplicasLeastLoaded({
            brokers: racked,
            load,
            partitionCount,
            replicationFactor: 3,
          });
          for (const replicas of assignment) {
            const racks = replicas.map((id) => racked.find((b) => b.id === id)?.rack);
            expect(new Set(racks).size).toBe(3);
          }
        },
      ),
    );
  });

  it('refuses too few brokers and bad counts like placeReplicas', () => {
    const load = new Map<BrokerId, BrokerLoad>();
    expect(() =>
      placeReplicasLeastLoaded({ brokers: brokers(2), load, partitionCount: 1, replicationFactor: 3 }),
    ).toThrow('2 available brokers');
    expect(() =>
      placeReplicasLeastLoaded({ brokers: brokers(2), load, partitionCount: -1, replicationFactor: 1 }),
    ).toThrow(TributaryError);
    expect(
      placeReplicasLeastLoaded({ brokers: brokers(2), load, partitionCount: 0, replicationFactor: 2 }),
    ).toEqual([]);
  });
});
