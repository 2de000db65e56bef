import { type BrokerId, brokerId, leaderEpoch, partitionEpoch, TributaryError } from '@tributary/core';
import {
  BROKER_DECOMMISSIONED_CONFIG,
  MetadataImage,
  type PartitionChangeRecord,
  type PartitionRecord,
} from '@tributary/metadata';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ControlResult } from './context.js';
import { balanceLeaders, electPreferredLeaders } from './leader-balance.js';
import { brokerRecords, commit, replay } from './testing.js';

const b = brokerId;

interface PartitionSpec {
  readonly replicas: readonly number[];
  readonly leader: number;
  /** Default: every replica. */
  readonly isr?: readonly number[];
  readonly adding?: readonly number[];
  readonly removing?: readonly number[];
}

/** Brokers 1..brokerCount (unfenced except `fenced`) and topic "t" with the partitions given. */
function image(options: {
  brokerCount: number;
  fenced?: readonly number[];
  partitions: readonly PartitionSpec[];
}): MetadataImage {
  const records = brokerRecords(options.brokerCount, options.fenced);
  records.push({ type: 'Topic', name: 't', topicId: 't-id' });
  options.partitions.forEach((spec, partition) => {
    const record: PartitionRecord = {
      type: 'Partition',
      topicId: 't-id',
      partition,
      replicas: spec.replicas.map(b),
      isr: (spec.isr ?? spec.replicas).map(b),
      leader: spec.leader === -1 ? -1 : b(spec.leader),
      leaderEpoch: leaderEpoch(3),
      partitionEpoch: partitionEpoch(7),
      ...(spec.adding === undefined ? {} : { addingReplicas: spec.adding.map(b) }),
      ...(spec.removing === undefined ? {} : { removingReplicas: spec.removing.map(b) }),
    };
    records.push(record);
  });
  return replay(MetadataImage.EMPTY, records);
}

/** The PartitionChange records of a result (the only kind these commands write). */
function changes(result: ControlResult<unknown>): PartitionChangeRecord[] {
  return result.records.map((record) => {
    if (record.type !== 'PartitionChange') throw new Error(`unexpected ${record.type} record`);
    return record;
  });
}

function leaders(img: MetadataImage): (BrokerId | -1)[] {
  return [...(img.topicByName('t')?.partitions.values() ?? [])].map((state) => state.leader);
}

describe('electPreferredLeaders (named partitions)', () => {
  const start = image({
    brokerCount: 4,
    fenced: [4],
    partitions: [
      { replicas: [1, 2, 3], leader: 2 }, // 0: elected
      { replicas: [2, 3, 1], leader: 2 }, // 1: already led by its preferred leader
      { replicas: [3, 1, 2], leader: 1, isr: [1, 2] }, // 2: preferred out of the ISR
      { replicas: [4, 1, 2], leader: 1 }, // 3: preferred fenced
      { replicas: [5, 1, 2], leader: 1 }, // 4: preferred not registered
      // 5: reassigning from [1, 2, 3] to [2, 3, 4]: the preferred leader is the target's first, 2, not 1.
      { replicas: [1, 2, 3, 4], leader: 1, adding: [4], removing: [1] },
    ],
  });

  it('answers per item and elects with a new leader epoch and partition epoch', () => {
    const names = [0, 1, 2, 3, 4, 5].map((partition) => ({ topic: 't', partition }));
    names.push({ topic: 't', partition: 6 }, { topic: 'nope', partition: 0 });
    const result = electPreferredLeaders(start, { partitions: names });
    expect(result.response.results.map((r) => [r.partition, r.errorCode, r.leader])).toEqual([
      [0, null, 1],
      [1, 'ELECTION_NOT_NEEDED', 2],
      [2, 'PREFERRED_LEADER_NOT_AVAILABLE', 1],
      [3, 'PREFERRED_LEADER_NOT_AVAILABLE', 1],
      [4, 'PREFERRED_LEADER_NOT_AVAILABLE', 1],
      [5, null, 2],
      [6, 'UNKNOWN_TOPIC_OR_PARTITION', -1],
      [0, 'UNKNOWN_TOPIC_OR_PARTITION', -1],
    ]);
    expect(result.response.results[2]?.message).toContain('not in the ISR');
    expect(result.response.results[3]?.message).toContain('fenced');
    expect(result.response.results[4]?.message).toContain('not registered');
    expect(result.response.results[7]?.message).toContain('"nope" does not exist');
    expect(result.records).toEqual([
      {
        type: 'PartitionChange',
        topicId: 't-id',
        partition: 0,
        leader: 1,
        leaderEpoch: 4,
        partitionEpoch: 8,
      },
      {
        type: 'PartitionChange',
        topicId: 't-id',
        partition: 5,
        leader: 2,
        leaderEpoch: 4,
        partitionEpoch: 8,
      },
    ]);
    expect(leaders(commit(start, result))).toEqual([1, 2, 1, 1, 1, 2]);
  });

  it('writes nothing when nothing is elected, and refuses a partition named twice or too many names', () => {
    expect(electPreferredLeaders(start, { partitions: [{ topic: 't', partition: 1 }] }).records).toEqual([]);
    const twice = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 0 },
    ];
    expect(() => electPreferredLeaders(start, { partitions: twice })).toThrow(TributaryError);
    expect(() => electPreferredLeaders(start, { partitions: twice })).toThrow('named twice');
    const many = Array.from({ length: 10_001 }, (_, partition) => ({ topic: 't', partition }));
    expect(() => electPreferredLeaders(start, { partitions: many })).toThrow('at most 10000');
  });

  it("with 'all' reports only partitions that needed an election, capped per command", () => {
    const all = electPreferredLeaders(start, { partitions: 'all' });
    expect(all.response.results.map((r) => [r.partition, r.errorCode])).toEqual([
      [0, null],
      [2, 'PREFERRED_LEADER_NOT_AVAILABLE'],
      [3, 'PREFERRED_LEADER_NOT_AVAILABLE'],
      [4, 'PREFERRED_LEADER_NOT_AVAILABLE'],
      [5, null],
    ]);
    expect(all.response.more).toBe(false);
    const capped = electPreferredLeaders(start, { partitions: 'all', electionsMax: 1 });
    expect(capped.records).toHaveLength(1);
    expect(capped.response.more).toBe(true);
    // The next command continues where the first stopped.
    const next = electPreferredLeaders(commit(start, capped), { partitions: 'all', electionsMax: 1 });
    expect(changes(next).map((r) => r.partition)).toEqual([5]);
    expect(next.response.more).toBe(false);
  });
});

describe('balanceLeaders', () => {
  /** Broker 1 is preferred leader of `preferred` partitions (RF 2 with broker 2), `notLed` of them led by 2. */
  function skewed(preferred: number, notLed: number): MetadataImage {
    const partitions: PartitionSpec[] = [];
    for (let i = 0; i < preferred; i++) partitions.push({ replicas: [1, 2], leader: i < notLed ? 2 : 1 });
    return image({ brokerCount: 2, partitions });
  }

  const options = { imbalancePercentage: 10, electionsMax: 1_000 };

  it('does nothing at exactly the threshold and moves every not-led partition just above it', () => {
    const atThreshold = balanceLeaders(skewed(10, 1), options);
    expect(atThreshold.records).toEqual([]);
    expect(atThreshold.response.imbalanced).toEqual([]);

    const above = balanceLeaders(skewed(10, 2), options);
    expect(above.response.imbalanced).toEqual([{ brokerId: 1, preferred: 10, notLed: 2 }]);
    expect(changes(above).map((r) => [r.partition, r.leader])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(balanceLeaders(commit(skewed(10, 2), above), options).records).toEqual([]);
  });

  it('with 0 % any not-led partition counts; with 100 % nothing ever does', () => {
    expect(balanceLeaders(skewed(10, 1), { ...options, imbalancePercentage: 0 }).records).toHaveLength(1);
    expect(balanceLeaders(skewed(4, 4), { ...options, imbalancePercentage: 100 }).records).toEqual([]);
  });

  it('skips partitions whose preferred leader is fenced or out of the ISR, and reassigning partitions', () => {
    const start = image({
      brokerCount: 3,
      fenced: [3],
      partitions: [
        { replicas: [1, 2], leader: 2, isr: [2] }, // out of the ISR
        { replicas: [1, 2], leader: 2 }, // moved
        { replicas: [1, 2, 3], leader: 2, adding: [3] }, // reassigning: neither counted nor moved
        { replicas: [3, 1], leader: 1 }, // broker 3 fenced
      ],
    });
    const result = balanceLeaders(start, options);
    expect(changes(result).map((r) => r.partition)).toEqual([1]);
    expect(result.response).toMatchObject({
      imbalanced: [
        { brokerId: 1, preferred: 2, notLed: 2 },
        { brokerId: 3, preferred: 1, notLed: 1 },
      ],
      elected: 1,
      notAvailable: 2,
      capped: false,
    });
  });

  it('gives no leaderships back to a broker being decommissioned', () => {
    const draining = replay(skewed(4, 4), [
      {
        type: 'Config',
        resourceType: 'broker',
        resourceName: '1',
        name: BROKER_DECOMMISSIONED_CONFIG,
        value: 'true',
      },
    ]);
    expect(balanceLeaders(draining, options).records).toEqual([]);
    expect(balanceLeaders(skewed(4, 4), options).records).toHaveLength(4);
  });

  it('writes at most electionsMax changes per run; later runs finish the job', () => {
    let current = skewed(50, 40);
    const first = balanceLeaders(current, { ...options, electionsMax: 15 });
    expect(first.records).toHaveLength(15);
    expect(first.response.capped).toBe(true);
    let runs = 1;
    current = commit(current, first);
    for (; runs < 10; runs++) {
      const run = balanceLeaders(current, { ...options, electionsMax: 15 });
      if (run.records.length === 0) break;
      current = commit(current, run);
    }
    // 40 moves at 15 per run: 15, 15, then the last 10 (10 of 50 not led is 20 %, still above 10 %).
    expect(runs).toBe(3);
    expect(leaders(current).every((leader) => leader === 1)).toBe(true);
  });

  it('property: after a run, every broker whose preferred leaders are all available is within the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            replicas: fc.shuffledSubarray([1, 2, 3, 4], { minLength: 2, maxLength: 3 }),
            leaderIndex: fc.nat(2),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 0, max: 100 }),
        (specs, imbalancePercentage) => {
          const partitions = specs.map(({ replicas, leaderIndex }) => ({
            replicas,
            leader: replicas[leaderIndex % replicas.length] ?? -1,
          }));
          const start = image({ brokerCount: 4, partitions });
          const result = balanceLeaders(start, { imbalancePercentage, electionsMax: 1_000 });
          // Leader changes only, each to the preferred leader with the next epochs.
          for (const record of changes(result)) {
            const before = start.partition(record.topicId, record.partition);
            expect(record.leader).toBe(before?.replicas[0]);
            expect(record.leaderEpoch).toBe((before?.leaderEpoch ?? 0) + 1);
            expect(record.isr).toBeUndefined();
          }
          const after = commit(start, result);
          const counts = new Map<BrokerId, { preferred: number; notLed: number }>();
          for (const state of after.topicByName('t')?.partitions.values() ?? []) {
            const preferred = state.replicas[0] ?? b(0);
            const count = counts.get(preferred) ?? { preferred: 0, notLed: 0 };
            count.preferred += 1;
            if (state.leader !== preferred) count.notLed += 1;
            counts.set(preferred, count);
          }
          for (const { preferred, notLed } of counts.values()) {
            expect(notLed * 100).toBeLessThanOrEqual(imbalancePercentage * preferred);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
