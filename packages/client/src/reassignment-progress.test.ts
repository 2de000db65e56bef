import { describe, expect, it } from 'vitest';
import {
  averageBytesPerOffset,
  estimateRate,
  type PartitionReassignmentProgress,
  ProgressTracker,
  reassignmentProgress,
} from './reassignment-progress.js';
import type { OngoingReassignmentDescription, PartitionReplicasDescription } from './reassignments.js';

const ongoing: OngoingReassignmentDescription = {
  topic: 'orders',
  partition: {
    partition: 0,
    leader: 1,
    leaderEpoch: 2,
    replicas: [1, 2, 4, 5],
    isr: [1, 2, 4],
    addingReplicas: [4, 5],
    removingReplicas: [2],
  },
};

function described(overrides: Partial<PartitionReplicasDescription> = {}): PartitionReplicasDescription {
  return {
    topic: 'orders',
    partition: 0,
    leaderId: 1,
    error: null,
    leaderEpoch: 2,
    logStartOffset: 100,
    logEndOffset: 1_100,
    highWatermark: 1_100,
    sizeBytes: 50_000,
    replicas: [
      { brokerId: 1, logEndOffset: 1_100, inIsr: true, caughtUpMsAgo: 0 },
      { brokerId: 2, logEndOffset: 1_100, inIsr: true, caughtUpMsAgo: 0 },
      { brokerId: 4, logEndOffset: 1_100, inIsr: true, caughtUpMsAgo: 0 },
    ],
    ...overrides,
  };
}

describe('reassignmentProgress', () => {
  it('averages bytes per offset over the leader log and estimates bytes behind per adding replica', () => {
    expect(averageBytesPerOffset(described())).toBe(50);
    expect(averageBytesPerOffset(described({ logStartOffset: 5, logEndOffset: 5 }))).toBe(0);
    const [progress] = reassignmentProgress([ongoing], [described()]);
    expect(progress).toMatchObject({
      topic: 'orders',
      partition: 0,
      targetReplicas: [1, 4, 5],
      leaderLogEndOffset: 1_100,
      bytesPerOffset: 50,
      error: null,
      adding: [
        { brokerId: 4, logEndOffset: 1_100, offsetsBehind: 0, bytesBehind: 0, inIsr: true },
        // Broker 5 has not fetched yet: it must copy the whole log from its start.
        { brokerId: 5, logEndOffset: null, offsetsBehind: 1_000, bytesBehind: 50_000, inIsr: false },
      ],
      bytesBehind: 50_000,
    });
  });

  it('counts a replica half way as half the bytes', () => {
    const half = described({
      replicas: [
        { brokerId: 4, logEndOffset: 600, inIsr: false, caughtUpMsAgo: -1 },
        { brokerId: 5, logEndOffset: 1_100, inIsr: true, caughtUpMsAgo: 0 },
      ],
    });
    const [progress] = reassignmentProgress([ongoing], [half]);
    expect(progress?.adding.map((a) => a.bytesBehind)).toEqual([25_000, 0]);
  });

  it('leaves bytes unknown when the leader could not be asked, with the reason', () => {
    const [withError] = reassignmentProgress(
      [ongoing],
      [described({ error: { code: 'NOT_LEADER', message: 'moved' } })],
    );
    expect(withError).toMatchObject({
      bytesBehind: null,
      bytesPerOffset: null,
      error: { code: 'NOT_LEADER' },
    });
    const [missing] = reassignmentProgress([ongoing], []);
    expect(missing?.error?.code).toBe('LEADER_NOT_AVAILABLE');
    expect(missing?.adding.every((a) => a.offsetsBehind === null)).toBe(true);
  });
});

describe('estimateRate', () => {
  it('is unknown until two samples', () => {
    expect(estimateRate([])).toEqual({ bytesPerSec: null, etaMs: null });
    expect(estimateRate([{ atMs: 0, bytesBehind: 1_000 }])).toEqual({ bytesPerSec: null, etaMs: null });
  });

  it('is the net bytes caught up per second between the oldest and newest sample', () => {
    const samples = [
      { atMs: 0, bytesBehind: 10_000 },
      { atMs: 1_000, bytesBehind: 9_500 },
      { atMs: 2_000, bytesBehind: 8_000 },
    ];
    // 2,000 bytes in 2 s: 1,000 B/s; 8,000 bytes left: 8 s.
    expect(estimateRate(samples)).toEqual({ bytesPerSec: 1_000, etaMs: 8_000 });
  });

  it('has no rate or ETA while the gap does not close', () => {
    expect(
      estimateRate([
        { atMs: 0, bytesBehind: 1_000 },
        { atMs: 1_000, bytesBehind: 1_200 },
      ]),
    ).toEqual({ bytesPerSec: null, etaMs: null });
    expect(
      estimateRate([
        { atMs: 5, bytesBehind: 1_000 },
        { atMs: 5, bytesBehind: 900 },
      ]),
    ).toEqual({ bytesPerSec: null, etaMs: null });
  });

  it('says ETA 0 once nothing is behind', () => {
    expect(
      estimateRate([
        { atMs: 0, bytesBehind: 500 },
        { atMs: 500, bytesBehind: 0 },
      ]),
    ).toEqual({ bytesPerSec: 1_000, etaMs: 0 });
    expect(estimateRate([{ atMs: 0, bytesBehind: 0 }])).toEqual({ bytesPerSec: null, etaMs: 0 });
  });
});

describe('ProgressTracker', () => {
  const at = (bytesBehind: number | null, partition = 0): PartitionReassignmentProgress => ({
    topic: 'orders',
    partition,
    leader: 1,
    replicas: [1, 2],
    targetReplicas: [2],
    addingReplicas: [2],
    removingReplicas: [1],
    leaderLogEndOffset: 100,
    bytesPerOffset: 1,
    adding: [],
    bytesBehind,
    error: null,
  });

  it('keeps a bounded window per partition and forgets finished moves', () => {
    const tracker = new ProgressTracker(3);
    expect(tracker.observe(0, [at(1_000)])[0]).toMatchObject({ bytesPerSec: null, etaMs: null });
    expect(tracker.observe(1_000, [at(900)])[0]).toMatchObject({ bytesPerSec: 100, etaMs: 9_000 });
    tracker.observe(2_000, [at(600)]);
    // The window now holds t=1000..3000 (3 samples): 900 -> 300 in 2 s.
    expect(tracker.observe(3_000, [at(300)])[0]).toMatchObject({ bytesPerSec: 300, etaMs: 1_000 });
    // Unknown bytes: no estimate, and the sample is not kept.
    expect(tracker.observe(4_000, [at(null)])[0]).toMatchObject({ bytesPerSec: null, etaMs: null });
    // Partition 0 finished (absent); partition 0 later again starts from scratch.
    tracker.observe(5_000, [at(50, 1)]);
    expect(tracker.observe(6_000, [at(100)])[0]).toMatchObject({ bytesPerSec: null });
  });

  it('refuses samples that go back in time', () => {
    const tracker = new ProgressTracker();
    tracker.observe(10, [at(5)]);
    expect(() => tracker.observe(5, [at(4)])).toThrow(/time order/);
  });
});
