import { TributaryError } from '@tributary/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  planRebalance,
  type RebalanceBroker,
  type RebalancePartition,
  type RebalanceTarget,
} from './rebalance.js';
import { summarizeRebalance } from './rebalance-summary.js';

function applyPlan(
  partitions: readonly RebalancePartition[],
  targets: readonly RebalanceTarget[],
): RebalancePartition[] {
  const byKey = new Map(targets.map((t) => [`${t.topic}-${t.partition}`, t.target]));
  return partitions.map((p) => ({
    ...p,
    replicas: [...(byKey.get(`${p.topic}-${p.partition}`) ?? p.replicas)],
  }));
}

function counts(partitions: readonly RebalancePartition[], leadersOnly: boolean): Map<number, number> {
  const result = new Map<number, number>();
  for (const p of partitions) {
    for (const id of leadersOnly ? p.replicas.slice(0, 1) : p.replicas)
      result.set(id, (result.get(id) ?? 0) + 1);
  }
  return result;
}

function expectShares(countsById: Map<number, number>, brokerIds: readonly number[], total: number): void {
  const floor = Math.floor(total / brokerIds.length);
  const ceil = Math.ceil(total / brokerIds.length);
  for (const id of brokerIds) {
    const count = countsById.get(id) ?? 0;
    expect(count >= floor && count <= ceil, `broker ${id} has ${count}, share ${floor}..${ceil}`).toBe(true);
  }
  for (const id of countsById.keys()) expect(brokerIds).toContain(id);
}

/** Topic "t" with replica lists as given, none reassigning. */
function layout(lists: readonly (readonly number[])[]): RebalancePartition[] {
  return lists.map((replicas, partition) => ({ topic: 't', partition, replicas, reassigning: false }));
}

/** Partitions laid out round-robin over brokers 1..n, rf replicas each. */
function roundRobin(partitionCount: number, n: number, rf: number): RebalancePartition[] {
  return layout(
    Array.from({ length: partitionCount }, (_, p) => Array.from({ length: rf }, (_, j) => ((p + j) % n) + 1)),
  );
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('planRebalance examples', () => {
  it('spreads 12 partitions x 3 replicas from 3 brokers over 5: floor/ceil replicas and leaders', () => {
    const before = roundRobin(12, 3, 3);
    const targets = planRebalance({ partitions: before, brokers: ids(5) });
    const after = applyPlan(before, targets);
    expectShares(counts(after, false), ids(5), 36);
    expectShares(counts(after, true), ids(5), 12);
    const summary = summarizeRebalance(before, targets, ids(5));
    expect(summary.brokers.map((b) => b.replicasBefore)).toEqual([12, 12, 12, 0, 0]);
    expect(summary.brokers.map((b) => b.replicasAfter).sort()).toEqual([7, 7, 7, 7, 8]);
    // The new brokers need 14 replicas; nothing more moves (the lower bound is met).
    expect(summary.replicasMoved).toBe(14);
    expect(summary.partitionsChanged).toBe(targets.length);
  });

  it('moves nothing when the layout is already balanced', () => {
    const before = roundRobin(10, 5, 3);
    expect(planRebalance({ partitions: before, brokers: ids(5) })).toEqual([]);
  });

  it('changes the preferred leader by reordering, without moving data', () => {
    // Replicas are balanced (2 each) but broker 1 leads everything.
    const before = layout([
      [1, 2],
      [1, 3],
      [1, 2],
      [3, 2],
    ]);
    const brokers = ids(3);
    const fixed = layout([
      [1, 2],
      [1, 3],
      [2, 1],
      [3, 2],
    ]);
    expect(planRebalance({ partitions: fixed, brokers })).toEqual([]);
    const targets = planRebalance({ partitions: before, brokers });
    const summary = summarizeRebalance(before, targets, brokers);
    expect(summary.replicasMoved).toBe(0);
    expectShares(counts(applyPlan(before, targets), true), brokers, 4);
  });

  it('moves everything off a broker missing from the list (decommissioned)', () => {
    const before = roundRobin(8, 4, 2);
    const targets = planRebalance({ partitions: before, brokers: [1, 2, 3] });
    const after = applyPlan(before, targets);
    expect(counts(after, false).get(4) ?? 0).toBe(0);
    expectShares(counts(after, false), [1, 2, 3], 16);
    const summary = summarizeRebalance(before, targets, [1, 2, 3]);
    expect(summary.brokers.find((b) => b.id === 4)).toEqual({
      id: 4,
      replicasBefore: 4,
      replicasAfter: 0,
      leadersBefore: 2,
      leadersAfter: 0,
    });
  });

  it('leaves reassigning partitions alone', () => {
    const before: RebalancePartition[] = [
      { topic: 'a', partition: 0, replicas: [1, 2, 3, 4], reassigning: true },
      { topic: 'a', partition: 1, replicas: [1, 2], reassigning: false },
    ];
    const targets = planRebalance({ partitions: before, brokers: [3, 4] });
    expect(targets).toEqual([{ topic: 'a', partition: 1, current: [1, 2], target: [3, 4] }]);
  });

  it('keeps replicas of a partition on different racks', () => {
    const brokers: RebalanceBroker[] = [
      { id: 1, rack: 'a' },
      { id: 2, rack: 'a' },
      { id: 3, rack: 'b' },
      { id: 4, rack: 'b' },
    ];
    const before = layout([
      [1, 2],
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    const after = applyPlan(before, planRebalance({ partitions: before, brokers }));
    for (const p of after) {
      const racks = p.replicas.map((id) => brokers.find((b) => b.id === id)?.rack);
      expect(new Set(racks).size).toBe(2);
    }
    expectShares(counts(after, false), ids(4), 8);
  });

  it('refuses a replication factor larger than the broker list, and bad input', () => {
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof TributaryError ? e.code : 'other';
      }
      return 'none';
    };
    expect(error(() => planRebalance({ partitions: roundRobin(2, 3, 3), brokers: [1, 2] }))).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
    expect(error(() => planRebalance({ partitions: [], brokers: [] }))).toBe('INVALID_REQUEST');
    expect(error(() => planRebalance({ partitions: [], brokers: [1, 1] }))).toBe('INVALID_REQUEST');
    expect(error(() => planRebalance({ partitions: layout([[1, 1]]), brokers: [1, 2] }))).toBe(
      'INVALID_REPLICA_ASSIGNMENT',
    );
  });
});

/** A random cluster: partitions over brokers 1..8 (some reassigning), and a broker list to spread over. */
const scenario = fc
  .record({
    listed: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 8 }),
    placed: fc.integer({ min: 1, max: 8 }),
    rf: fc.integer({ min: 1, max: 3 }),
    partitionSeeds: fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.nat({ max: 9 })), { maxLength: 60 }),
  })
  .filter((s) => s.rf <= s.listed.length && s.rf <= s.placed)
  .map((s) => {
    const partitions = s.partitionSeeds.map(([seed, _unused, reassigningRoll], i): RebalancePartition => {
      const replicas: number[] = [];
      for (let j = 0; replicas.length < s.rf; j++) {
        const id = ((seed + j * 7 + Math.floor(seed / 3)) % s.placed) + 1;
        if (!replicas.includes(id)) replicas.push(id);
        else if (j > 50) break;
      }
      for (let id = 1; replicas.length < s.rf; id++) if (!replicas.includes(id)) replicas.push(id);
      return { topic: `t${i % 3}`, partition: i, replicas, reassigning: reassigningRoll === 0 };
    });
    return { partitions, brokers: [...s.listed].sort((a, b) => a - b) };
  });

describe('planRebalance properties', () => {
  it('(a)-(e): balanced replicas and leaders, factors kept, distinct replicas, reassigning untouched', () => {
    fc.assert(
      fc.property(scenario, ({ partitions, brokers }) => {
        const targets = planRebalance({ partitions, brokers });
        const after = applyPlan(partitions, targets);
        const movable = after.filter((p) => !p.reassigning);
        const replicaTotal = movable.reduce((sum, p) => sum + p.replicas.length, 0);
        expectShares(counts(movable, false), brokers, replicaTotal);
        expectShares(counts(movable, true), brokers, movable.length);
        for (const [i, p] of after.entries()) {
          const before = partitions[i] as RebalancePartition;
          expect(p.replicas).toHaveLength(before.replicas.length);
          expect(new Set(p.replicas).size).toBe(p.replicas.length);
          if (before.reassigning) expect(p.replicas).toEqual(before.replicas);
        }
        for (const t of targets) expect(t.target).not.toEqual(t.current);
      }),
      { numRuns: 300 },
    );
  });

  it('(c): a planned layout plans nothing, and the moves stay within twice the lower bound', () => {
    fc.assert(
      fc.property(scenario, ({ partitions, brokers }) => {
        const targets = planRebalance({ partitions, brokers });
        const after = applyPlan(partitions, targets);
        expect(planRebalance({ partitions: after, brokers })).toEqual([]);
        const movable = partitions.filter((p) => !p.reassigning);
        const before = counts(movable, false);
        const total = movable.reduce((sum, p) => sum + p.replicas.length, 0);
        const ceil = Math.ceil(total / brokers.length);
        const floor = Math.floor(total / brokers.length);
        // Every replica on an unlisted broker moves, and so does anything above the ceil or below the floor.
        let offList = 0;
        let over = 0;
        let under = 0;
        for (const [id, count] of before) {
          if (!brokers.includes(id)) offList += count;
          else over += Math.max(0, count - ceil);
        }
        for (const id of brokers) under += Math.max(0, floor - (before.get(id) ?? 0));
        const lowerBound = Math.max(offList + over, under);
        const moved = summarizeRebalance(partitions, targets).replicasMoved;
        expect(moved).toBeGreaterThanOrEqual(lowerBound);
        expect(moved).toBeLessThanOrEqual(2 * (offList + over + under));
      }),
      { numRuns: 300 },
    );
  });

  it('(d) with racks: no rack holds more replicas of a partition than needed', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 3 }), ({ partitions, brokers }, rackCount) => {
        const racked = brokers.map((id, i) => ({ id, rack: `r${i % rackCount}` }));
        const targets = planRebalance({ partitions, brokers: racked });
        const after = applyPlan(partitions, targets);
        const racks = new Set(racked.map((b) => b.rack)).size;
        for (const p of after.filter((q) => !q.reassigning)) {
          const perRack = new Map<string, number>();
          for (const id of p.replicas) {
            const rack = racked.find((b) => b.id === id)?.rack ?? 'missing';
            perRack.set(rack, (perRack.get(rack) ?? 0) + 1);
          }
          expect(perRack.has('missing')).toBe(false);
          // Racks differ in size by at most one broker here, so ceil(rf / racks) always fits.
          expect(Math.max(...perRack.values())).toBeLessThanOrEqual(Math.ceil(p.replicas.length / racks));
        }
        expect(planRebalance({ partitions: after, brokers: racked })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
