import { AssertionError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { LeaderPartitionState, type LeaderStateInit } from './partition-state.js';

function leader(overrides: Partial<LeaderStateInit> = {}): LeaderPartitionState {
  return new LeaderPartitionState({
    leaderId: 1,
    leaderEpoch: 3,
    partitionEpoch: 5,
    replicas: [1, 2, 3],
    isr: [1, 2, 3],
    highWatermark: 0,
    leaderEpochStartOffset: 0,
    nowMs: 1_000,
    ...overrides,
  });
}

describe('LeaderPartitionState high watermark', () => {
  it('is the smallest log end over the ISR and waits for every member', () => {
    const state = leader();
    state.updateLeaderLogEnd(10);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    state.recordFollowerFetch(2, 10, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    state.recordFollowerFetch(3, 4, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(4);
    state.recordFollowerFetch(3, 10, 1_002);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(10);
    expect(state.isReplicated(10)).toBe(true);
    expect(state.isReplicated(11)).toBe(false);
  });

  it('never decreases, even when a member reports a smaller log end', () => {
    const state = leader({ highWatermark: 5, leaderEpochStartOffset: 8 });
    state.recordFollowerFetch(2, 2, 1_001);
    state.recordFollowerFetch(3, 8, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    expect(state.highWatermark).toBe(5);
  });

  it('with a single-member ISR follows the leader log end', () => {
    const state = leader({ isr: [1] });
    state.updateLeaderLogEnd(7);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(7);
  });

  it('ignores replicas outside the ISR', () => {
    const state = leader({ isr: [1, 2] });
    state.updateLeaderLogEnd(7);
    state.recordFollowerFetch(2, 7, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(7);
  });

  it('counts an in-flight expansion (maximal ISR)', () => {
    const state = leader({ isr: [1, 2] });
    state.updateLeaderLogEnd(4);
    state.recordFollowerFetch(2, 4, 1_001);
    state.maybeAdvanceHighWatermark();
    state.recordFollowerFetch(3, 4, 1_001);
    expect(state.proposeIsrChange(1_001, 10_000)?.added).toEqual([3]);
    state.updateLeaderLogEnd(9);
    state.recordFollowerFetch(2, 9, 1_002);
    expect(state.maybeAdvanceHighWatermark()).toBe(false); // 3 is still at 4
    state.recordFollowerFetch(3, 9, 1_002);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
  });

  it('asserts fetches beyond the leader log end and log ends going back', () => {
    const state = leader();
    expect(() => state.recordFollowerFetch(2, 1, 1_000)).toThrow(AssertionError);
    state.updateLeaderLogEnd(5);
    expect(() => state.updateLeaderLogEnd(4)).toThrow(AssertionError);
    expect(() => state.recordFollowerFetch(9, 1, 1_000)).toThrow(AssertionError);
  });

  it('refuses a high watermark above the log end on becoming leader', () => {
    expect(() => leader({ highWatermark: 9, leaderEpochStartOffset: 3 })).toThrow(AssertionError);
  });
});

describe('LeaderPartitionState ISR shrink', () => {
  it('shrinks followers not caught up for longer than the lag limit', () => {
    const state = leader();
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 10, 5_000); // caught up at 5_000
    state.recordFollowerFetch(3, 3, 5_000); // behind since 1_000
    expect(state.shrinkCandidates(5_000, 10_000)).toEqual([]);
    expect(state.shrinkCandidates(11_001, 10_000)).toEqual([3]);
    expect(state.shrinkCandidates(15_001, 10_000)).toEqual([2, 3]);
  });

  it('counts a follower caught up when it reaches the leader end of its previous fetch', () => {
    const state = leader();
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 5, 2_000); // leader end then: 10
    state.updateLeaderLogEnd(20);
    state.recordFollowerFetch(2, 10, 9_000); // reached 10: caught up as of 2_000
    expect(state.replicaProgress(2)?.lastCaughtUpMs).toBe(2_000);
    state.recordFollowerFetch(2, 20, 9_500);
    expect(state.replicaProgress(2)?.lastCaughtUpMs).toBe(9_500);
  });

  it('proposes the shrink once, until the controller answers', () => {
    const state = leader();
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 10, 20_000);
    const proposal = state.proposeIsrChange(20_000, 10_000);
    expect(proposal).toEqual({ newIsr: [1, 2], removed: [3], added: [] });
    expect(state.alterInFlight).toBe(true);
    expect(state.proposeIsrChange(20_000, 10_000)).toBeNull();
    state.alterPartitionDone('failed');
    expect(state.proposeIsrChange(20_000, 10_000)?.removed).toEqual([3]);
  });

  it('after a stale partition epoch waits for newer metadata', () => {
    const state = leader();
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 10, 20_000);
    expect(state.proposeIsrChange(20_000, 10_000)).not.toBeNull();
    state.alterPartitionDone('stale');
    expect(state.proposeIsrChange(20_000, 10_000)).toBeNull();
    expect(state.applyPartitionChange({ partitionEpoch: 6, isr: [1, 2, 3], replicas: [1, 2, 3] })).toBe(true);
    expect(state.proposeIsrChange(20_000, 10_000)?.removed).toEqual([3]);
  });

  it('applies committed ISR changes only with a newer partition epoch', () => {
    const state = leader();
    expect(state.applyPartitionChange({ partitionEpoch: 5, isr: [1], replicas: [1, 2, 3] })).toBe(false);
    expect(state.applyPartitionChange({ partitionEpoch: 7, isr: [1, 2], replicas: [1, 2, 3] })).toBe(true);
    expect(state.isr).toEqual([1, 2]);
    expect(state.applyPartitionChange({ partitionEpoch: 6, isr: [1], replicas: [1, 2, 3] })).toBe(false);
    expect(state.isr).toEqual([1, 2]);
  });
});

describe('LeaderPartitionState ISR expand', () => {
  it('adds a replica that reached the high watermark and the epoch start', () => {
    const state = leader({ isr: [1, 2], highWatermark: 0, leaderEpochStartOffset: 6 });
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 10, 1_001);
    state.maybeAdvanceHighWatermark();
    expect(state.highWatermark).toBe(10);
    state.recordFollowerFetch(3, 9, 1_001);
    expect(state.expandCandidates()).toEqual([]);
    state.recordFollowerFetch(3, 10, 1_002);
    expect(state.expandCandidates()).toEqual([3]);
    expect(state.proposeIsrChange(1_002, 10_000)).toEqual({ newIsr: [1, 2, 3], removed: [], added: [3] });
  });

  it('requires the epoch start offset even when the high watermark is lower', () => {
    const state = leader({ isr: [1], highWatermark: 2, leaderEpochStartOffset: 6 });
    state.recordFollowerFetch(2, 4, 1_001);
    expect(state.expandCandidates()).toEqual([]);
    state.recordFollowerFetch(2, 6, 1_001);
    expect(state.expandCandidates()).toEqual([2]);
  });

  it('tracks replicas added by a reassignment', () => {
    const state = leader({ replicas: [1, 2], isr: [1, 2] });
    state.applyPartitionChange({ partitionEpoch: 6, isr: [1, 2], replicas: [1, 2, 4] });
    // Never caught up until it fetches at the leader's log end (DescribeReplicas shows -1).
    expect(state.replicaProgress(4)?.lastCaughtUpMs).toBe(-1);
    state.recordFollowerFetch(4, 0, 1_001);
    expect(state.expandCandidates()).toEqual([4]);
    expect(state.replicaProgress(4)?.lastCaughtUpMs).toBe(1_001);
  });

  it('does not expand with an adding replica that is behind the high watermark', () => {
    const state = leader({ replicas: [1, 2], isr: [1, 2] });
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 10, 1_001);
    state.maybeAdvanceHighWatermark();
    state.applyPartitionChange({ partitionEpoch: 6, isr: [1, 2], replicas: [1, 2, 4] });
    state.recordFollowerFetch(4, 3, 1_002);
    expect(state.expandCandidates()).toEqual([]);
    expect(state.replicaProgress(4)?.lastCaughtUpMs).toBe(-1);
    state.recordFollowerFetch(4, 10, 1_003);
    expect(state.proposeIsrChange(1_003, 10_000)).toEqual({ newIsr: [1, 2, 4], removed: [], added: [4] });
  });
});

describe('LeaderPartitionState log start over the ISR (DeleteRecords)', () => {
  it('is the smallest log start of the leader and the ISR followers, -1 until each reported', () => {
    const state = leader();
    state.updateLeaderLogEnd(20);
    expect(state.isrLogStartOffset(12)).toBe(-1);
    state.recordFollowerFetch(2, 20, 1_001);
    state.recordFollowerLogStart(2, 12, 20);
    expect(state.isrLogStartOffset(12)).toBe(-1);
    state.recordFollowerFetch(3, 15, 1_001);
    state.recordFollowerLogStart(3, 9, 15);
    expect(state.isrLogStartOffset(12)).toBe(9);
    state.recordFollowerLogStart(3, 14, 15);
    expect(state.isrLogStartOffset(12)).toBe(12);
    // A follower cannot start past what it holds.
    state.recordFollowerLogStart(2, 30, 20);
    expect(state.isrLogStartOffset(25)).toBe(14);
  });

  it('ignores followers outside the ISR and forgets removed replicas', () => {
    const state = leader({ isr: [1, 2] });
    state.recordFollowerFetch(2, 0, 1_001);
    state.recordFollowerLogStart(2, 0, 0);
    state.recordFollowerFetch(3, 0, 1_001);
    state.recordFollowerLogStart(3, 0, 0);
    expect(state.isrLogStartOffset(0)).toBe(0);
    state.applyPartitionChange({ partitionEpoch: 6, isr: [1], replicas: [1, 2] });
    expect(state.isrLogStartOffset(4)).toBe(4);
    expect(() => state.recordFollowerLogStart(3, 0, 0)).toThrow(AssertionError);
  });
});
