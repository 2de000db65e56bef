import { type BrokerId, brokerEpoch, brokerId, TributaryError } from '@tributary/core';
import {
  isReassigning,
  type MetadataImage,
  NO_LEADER,
  type PartitionState,
  REPLICATION_THROTTLE_CONFIG,
} from '@tributary/metadata';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alterPartition } from './alter-partition.js';
import { fenceBroker } from './brokers.js';
import { decommissionBroker } from './decommission.js';
import { type AlterReassignmentsRequest, alterPartitionReassignments } from './reassignment.js';
import { commit, heartbeat, partitionRecord, replay, TOPIC, unfencedBrokers, withOrders } from './testing.js';

const b = brokerId;

/** Brokers 1..6 unfenced; topic "orders": 0: [1,2,3] ISR [1,2,3]; 1: [1] ISR [1]; 2: [2,3] ISR [2]. */
function setup(): MetadataImage {
  const epochs = { leaderEpoch: 2, partitionEpoch: 5 };
  return withOrders(unfencedBrokers(6), [
    partitionRecord(0, [1, 2, 3], [1, 2, 3], epochs),
    partitionRecord(1, [1], [1], epochs),
    partitionRecord(2, [2, 3], [2], epochs),
  ]);
}

function state(image: MetadataImage, index: number): PartitionState {
  const found = image.partition(TOPIC, index);
  if (found === undefined) throw new Error(`no partition ${index}`);
  return found;
}

function reassign(
  image: MetadataImage,
  targets: readonly { partition: number; replicas: number[] | null; topic?: string }[],
  fields: Partial<AlterReassignmentsRequest> = {},
) {
  return alterPartitionReassignments(image, {
    targets: targets.map((t) => ({
      topic: t.topic ?? 'orders',
      partition: t.partition,
      replicas: t.replicas === null ? null : t.replicas.map(b),
    })),
    throttleBytesPerSec: 0,
    removeThrottle: false,
    validateOnly: false,
    ...fields,
  });
}

/** The leader's ISR report for `index`, as the broker would send it. */
function expandIsr(image: MetadataImage, index: number, isr: number[]) {
  const current = state(image, index);
  return alterPartition(image, {
    brokerId: b(current.leader),
    brokerEpoch: image.broker(b(current.leader))?.brokerEpoch ?? brokerEpoch(0),
    items: [
      {
        topic: 'orders',
        partition: index,
        leaderEpoch: current.leaderEpoch,
        partitionEpoch: current.partitionEpoch,
        newIsr: isr.map(b),
      },
    ],
  });
}

const ids = (list: readonly BrokerId[] | undefined) => (list === undefined ? undefined : [...list]);
const view = (s: PartitionState) => ({
  replicas: [...s.replicas],
  isr: [...s.isr],
  leader: s.leader,
  leaderEpoch: s.leaderEpoch,
  partitionEpoch: s.partitionEpoch,
  adding: ids(s.addingReplicas),
  removing: ids(s.removingReplicas),
});

describe('alterPartitionReassignments: start', () => {
  it('puts target first, marks adding and removing, keeps ISR and leader, bumps the partition epoch', () => {
    const image = setup();
    const result = reassign(image, [{ partition: 1, replicas: [2, 3] }]);
    expect(result.response.results[0]?.error).toBeNull();
    const next = commit(image, result);
    expect(view(state(next, 1))).toEqual({
      replicas: [2, 3, 1],
      isr: [1],
      leader: 1,
      leaderEpoch: 2,
      partitionEpoch: 6,
      adding: [2, 3],
      removing: [1],
    });
    expect(result.response.results[0]?.state).toEqual(state(next, 1));
  });

  it('a new target replaces a running one, computed from the original replicas', () => {
    let image = commit(setup(), reassign(setup(), [{ partition: 1, replicas: [2, 3] }]));
    image = commit(image, reassign(image, [{ partition: 1, replicas: [4] }]));
    expect(view(state(image, 1))).toMatchObject({ replicas: [4, 1], adding: [4], removing: [1], isr: [1] });
  });

  it('an override drops from the ISR the replicas the replaced move added and the new one does not keep', () => {
    let image = commit(setup(), reassign(setup(), [{ partition: 1, replicas: [2, 3] }]));
    image = commit(image, expandIsr(image, 1, [1, 2]));
    image = commit(image, reassign(image, [{ partition: 1, replicas: [3] }]));
    expect(view(state(image, 1))).toMatchObject({ replicas: [3, 1], isr: [1], adding: [3], removing: [1] });
    // With the original replica out of the ISR, an override that drops every in-sync replica is refused.
    let fenced = commit(setup(), reassign(setup(), [{ partition: 1, replicas: [2, 3] }]));
    fenced = commit(fenced, expandIsr(fenced, 1, [1, 2]));
    fenced = commit(fenced, fenceBroker(fenced, b(1)));
    expect(view(state(fenced, 1))).toMatchObject({ isr: [2], leader: 2, leaderEpoch: 3 });
    const refused = reassign(fenced, [{ partition: 1, replicas: [4] }]);
    expect(refused.response.results[0]?.error?.code).toBe('INVALID_REPLICA_ASSIGNMENT');
    // An override keeping the in-sync adding replica keeps it as leader.
    fenced = commit(fenced, reassign(fenced, [{ partition: 1, replicas: [2, 4] }]));
    expect(view(state(fenced, 1))).toMatchObject({
      replicas: [2, 4, 1],
      isr: [2],
      leader: 2,
      adding: [2, 4],
    });
  });

  it('the same set in another order only reorders (no move); an identical target writes nothing', () => {
    const image = setup();
    const reorder = reassign(image, [{ partition: 0, replicas: [3, 1, 2] }]);
    const next = commit(image, reorder);
    expect(view(state(next, 0))).toMatchObject({ replicas: [3, 1, 2], adding: undefined, leader: 1 });
    expect(reassign(next, [{ partition: 0, replicas: [3, 1, 2] }]).records).toEqual([]);
    const running = commit(image, reassign(image, [{ partition: 1, replicas: [2, 3] }]));
    expect(reassign(running, [{ partition: 1, replicas: [2, 3] }]).records).toEqual([]);
  });

  it('completes at once when every target replica is in sync (a shrink), moving the leader', () => {
    const image = setup();
    const result = reassign(image, [{ partition: 0, replicas: [3, 2] }]);
    expect(result.records).toHaveLength(1);
    const next = commit(image, result);
    expect(view(state(next, 0))).toEqual({
      replicas: [3, 2],
      isr: [2, 3],
      leader: 3,
      leaderEpoch: 3,
      partitionEpoch: 6,
      adding: undefined,
      removing: undefined,
    });
  });

  it('validate_only decides and answers but writes nothing', () => {
    const image = setup();
    const result = reassign(image, [{ partition: 1, replicas: [2] }], {
      validateOnly: true,
      throttleBytesPerSec: 100,
    });
    expect(result.records).toEqual([]);
    expect(result.response.results[0]?.state?.addingReplicas).toEqual([2]);
  });
});

describe('alterPartitionReassignments: validation, per target', () => {
  it('refuses bad targets one by one while the others go ahead', () => {
    const image = setup();
    const result = reassign(image, [
      { partition: 9, replicas: [1] },
      { partition: 0, replicas: [2], topic: 'nope' },
      { partition: 0, replicas: [] },
      { partition: 1, replicas: [2] },
      { partition: 1, replicas: [3] },
      { partition: 2, replicas: null },
    ]);
    const outcome = result.response.results.map((r) => (r.error === null ? 'ok' : r.error.code));
    expect(outcome).toEqual([
      'UNKNOWN_TOPIC_OR_PARTITION',
      'UNKNOWN_TOPIC_OR_PARTITION',
      'INVALID_REPLICA_ASSIGNMENT',
      'ok',
      'INVALID_REQUEST',
      'NO_REASSIGNMENT_IN_PROGRESS',
    ]);
    expect(result.records).toHaveLength(1);
  });

  it('names what is wrong with a replica list', () => {
    const image = replay(setup(), [
      { type: 'Config', resourceType: 'broker', resourceName: '5', name: 'decommissioned', value: 'true' },
    ]);
    const refusal = (replicas: number[]) => {
      const error = reassign(image, [{ partition: 0, replicas }]).response.results[0]?.error;
      return error === null || error === undefined ? 'ok' : `${error.code}: ${error.message}`;
    };
    expect(refusal([])).toMatch(/^INVALID_REPLICA_ASSIGNMENT: .*empty/);
    expect(refusal([1, 1])).toMatch(/^INVALID_REPLICA_ASSIGNMENT: .*duplicates/);
    expect(refusal([1, 77])).toMatch(/^INVALID_REPLICA_ASSIGNMENT: .*broker 77 is not registered/);
    expect(refusal([1, 5])).toMatch(/^INVALID_REPLICA_ASSIGNMENT: .*broker 5 is being decommissioned/);
    expect(refusal(Array.from({ length: 17 }, (_, i) => i + 1))).toMatch(/exceed the limit of 16/);
    expect(refusal([4, 6])).toBe('ok');
  });

  it('a decommissioned broker already holding the partition may stay in the target', () => {
    let image = setup();
    image = replay(image, [
      { type: 'Config', resourceType: 'broker', resourceName: '3', name: 'decommissioned', value: 'true' },
    ]);
    expect(reassign(image, [{ partition: 0, replicas: [3, 2, 4] }]).response.results[0]?.error).toBeNull();
  });
});

describe('completion on ISR expansion', () => {
  it('completes in the same PartitionChange that brings the last target replica into the ISR', () => {
    let image = commit(setup(), reassign(setup(), [{ partition: 1, replicas: [2, 3] }]));
    image = commit(image, expandIsr(image, 1, [1, 2]));
    expect(view(state(image, 1))).toMatchObject({ isr: [1, 2], adding: [2, 3], leader: 1 });
    const result = expandIsr(image, 1, [1, 2, 3]);
    expect(result.records).toHaveLength(1);
    image = commit(image, result);
    // Leader 1 is not in the target: the first in-sync target replica leads with a new leader epoch.
    expect(view(state(image, 1))).toEqual({
      replicas: [2, 3],
      isr: [2, 3],
      leader: 2,
      leaderEpoch: 3,
      partitionEpoch: 8,
      adding: undefined,
      removing: undefined,
    });
    expect(result.response.results[0]?.state).toEqual(state(image, 1));
  });

  it('keeps the leader when it is in the target', () => {
    let image = commit(setup(), reassign(setup(), [{ partition: 0, replicas: [1, 4] }]));
    image = commit(image, expandIsr(image, 0, [1, 2, 3, 4]));
    expect(view(state(image, 0))).toMatchObject({ replicas: [1, 4], isr: [1, 4], leader: 1, leaderEpoch: 2 });
  });
});

describe('cancel', () => {
  it('goes back to the original replicas, dropping added replicas from the ISR', () => {
    let image = commit(setup(), reassign(setup(), [{ partition: 1, replicas: [2, 3] }]));
    image = commit(image, expandIsr(image, 1, [1, 2]));
    image = commit(image, reassign(image, [{ partition: 1, replicas: null }]));
    expect(view(state(image, 1))).toMatchObject({
      replicas: [1],
      isr: [1],
      leader: 1,
      leaderEpoch: 2,
      adding: undefined,
      removing: undefined,
    });
  });

  it('is refused when no original replica is in sync any more', () => {
    let image = commit(setup(), reassign(setup(), [{ partition: 1, replicas: [2, 3] }]));
    image = commit(image, expandIsr(image, 1, [1, 2]));
    // Broker 1 (the only original replica) is fenced: it leaves the ISR, 2 leads.
    image = commit(image, heartbeat(image, 1, { wantFence: true }));
    expect(view(state(image, 1))).toMatchObject({ isr: [2], leader: 2 });
    const result = reassign(image, [{ partition: 1, replicas: null }]);
    expect(result.response.results[0]?.error?.code).toBe('INVALID_REPLICA_ASSIGNMENT');
    expect(result.records).toEqual([]);
  });
});

describe('replication throttle', () => {
  const throttle = (image: MetadataImage) => image.configsOf('cluster', '').get(REPLICATION_THROTTLE_CONFIG);

  it('is set with a move, kept while any move runs, removed when the last one completes', () => {
    let image = setup();
    image = commit(
      image,
      reassign(
        image,
        [
          { partition: 1, replicas: [2] },
          { partition: 2, replicas: [2, 4] },
        ],
        { throttleBytesPerSec: 1000 },
      ),
    );
    expect(throttle(image)).toBe('1000');
    image = commit(image, expandIsr(image, 1, [1, 2]));
    expect(state(image, 1).replicas).toEqual([2]);
    expect(throttle(image)).toBe('1000');
    const last = expandIsr(image, 2, [2, 4]);
    expect(last.records.map((r) => r.type)).toEqual(['PartitionChange', 'Config']);
    image = commit(image, last);
    expect(throttle(image)).toBeUndefined();
  });

  it('is removed by a cancel of the last move and by remove_throttle', () => {
    let image = commit(
      setup(),
      reassign(setup(), [{ partition: 1, replicas: [2] }], { throttleBytesPerSec: 7 }),
    );
    image = commit(image, reassign(image, [{ partition: 1, replicas: null }]));
    expect(throttle(image)).toBeUndefined();
    image = commit(image, reassign(image, [], { throttleBytesPerSec: 9 }));
    expect(throttle(image)).toBe('9');
    image = commit(image, reassign(image, [], { removeThrottle: true }));
    expect(throttle(image)).toBeUndefined();
    expect(reassign(image, [], { removeThrottle: true }).records).toEqual([]);
  });
});

describe('property: every sequence of moves, cancels, ISR changes and fencing', () => {
  type Step =
    | { kind: 'move'; partition: number; replicas: number[] }
    | { kind: 'cancel'; partition: number }
    | { kind: 'expand'; partition: number; broker: number }
    | { kind: 'fence'; broker: number }
    | { kind: 'unfence'; broker: number }
    | { kind: 'decommission'; broker: number };
  const broker = fc.integer({ min: 1, max: 6 });
  const partition = fc.integer({ min: 0, max: 2 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('move' as const),
      partition,
      replicas: fc.uniqueArray(broker, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ kind: fc.constant('cancel' as const), partition }),
    fc.record({ kind: fc.constant('expand' as const), partition, broker }),
    fc.record({ kind: fc.constant('fence' as const), broker }),
    fc.record({ kind: fc.constant('unfence' as const), broker }),
    fc.record({ kind: fc.constant('decommission' as const), broker }),
  );

  /** Moves completed by an ISR expansion over all runs: the property must reach them to mean much. */
  let completions = 0;

  function run(image: MetadataImage, s: Step): MetadataImage {
    switch (s.kind) {
      case 'move':
        return commit(image, reassign(image, [{ partition: s.partition, replicas: s.replicas }]));
      case 'cancel':
        return commit(image, reassign(image, [{ partition: s.partition, replicas: null }]));
      case 'expand': {
        const current = state(image, s.partition);
        const registration = image.broker(b(s.broker));
        if (current.leader === NO_LEADER || registration?.fenced !== false) return image;
        if (!current.replicas.includes(b(s.broker)) || current.isr.includes(b(s.broker))) return image;
        const next = commit(image, expandIsr(image, s.partition, [...current.isr, s.broker]));
        if (isReassigning(current) && !isReassigning(state(next, s.partition))) completions++;
        return next;
      }
      case 'fence':
        if (image.broker(b(s.broker))?.fenced !== false) return image;
        return commit(image, fenceBroker(image, b(s.broker)));
      case 'unfence':
        if (image.broker(b(s.broker))?.fenced !== true) return image;
        return commit(image, heartbeat(image, s.broker));
      case 'decommission':
        try {
          const request = { brokerId: b(s.broker), throttleBytesPerSec: 0, cancel: false };
          return commit(image, decommissionBroker(image, request));
        } catch (error) {
          // Refused whole (nowhere to move a replica): nothing written.
          if (error instanceof TributaryError) return image;
          throw error;
        }
    }
  }

  it('replays without assertion failures, never empties an ISR nor leaves the leader outside it', () => {
    // Seeded (REASSIGNMENT_PROPERTY_SEED=n replays a run): the count of completed moves below is a property
    // of the generated runs, and an unseeded run reached none about once in hundreds of suite runs.
    const seed = Number(process.env.REASSIGNMENT_PROPERTY_SEED ?? 20_261_207);
    console.log(`reassignment property: seed ${seed}`);
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let image = setup();
        for (const s of steps) {
          image = run(image, s);
          for (const p of [0, 1, 2]) {
            const current = state(image, p);
            expect(current.isr.length).toBeGreaterThan(0);
            if (current.leader !== NO_LEADER) expect(current.isr).toContain(current.leader);
            const target = current.replicas.filter((id) => !(current.removingReplicas ?? []).includes(id));
            // A move whose target is all in sync has completed.
            if (current.addingReplicas !== undefined || current.removingReplicas !== undefined) {
              expect(target.every((id) => current.isr.includes(id))).toBe(false);
            }
          }
        }
      }),
      { numRuns: 300, seed },
    );
    expect(completions, `seed ${seed}`).toBeGreaterThan(0);
  });
});
