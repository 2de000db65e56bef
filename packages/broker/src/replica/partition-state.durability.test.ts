/**
 * The high watermark under flush.on.ack (issue 16 item 2, DESIGN §12): a batch counts only once the leader
 * has fsynced it (its durable end) and every ISR follower has reported it (a follower of such a topic
 * fsyncs before its fetch offset says it holds the data). Without it, today's rule (log ends) is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { highWatermarkCandidate, LeaderPartitionState } from './partition-state.js';

describe('highWatermarkCandidate', () => {
  it.each([
    // flushOnAck, leader log end, leader durable end, follower ends → candidate
    {
      flushOnAck: false,
      logEnd: 10,
      durable: 0,
      followers: [10, 10],
      want: 10,
      why: 'replication: log ends',
    },
    {
      flushOnAck: false,
      logEnd: 10,
      durable: 0,
      followers: [10, 6],
      want: 6,
      why: 'replication: slowest ISR member',
    },
    {
      flushOnAck: true,
      logEnd: 10,
      durable: 0,
      followers: [10, 10],
      want: 0,
      why: 'fsync: leader not synced',
    },
    {
      flushOnAck: true,
      logEnd: 10,
      durable: 7,
      followers: [10, 10],
      want: 7,
      why: 'fsync: leader synced to 7',
    },
    {
      flushOnAck: true,
      logEnd: 10,
      durable: 10,
      followers: [10, 4],
      want: 4,
      why: 'fsync: a follower reported 4',
    },
    { flushOnAck: true, logEnd: 10, durable: 10, followers: [10, 10], want: 10, why: 'fsync: all synced' },
    {
      flushOnAck: true,
      logEnd: 10,
      durable: 3,
      followers: [],
      want: 3,
      why: 'fsync: ISR of the leader alone',
    },
    { flushOnAck: false, logEnd: 10, durable: 3, followers: [], want: 10, why: 'replication: leader alone' },
    {
      flushOnAck: true,
      logEnd: 10,
      durable: 10,
      followers: [-1, 10],
      want: -1,
      why: 'a member yet to fetch',
    },
  ])('$why', ({ flushOnAck, logEnd, durable, followers, want }) => {
    expect(
      highWatermarkCandidate({
        flushOnAck,
        leaderLogEndOffset: logEnd,
        leaderDurableEndOffset: durable,
        followerEndOffsets: followers,
      }),
    ).toBe(want);
  });
});

function leader(flushOnAck: boolean, isr: readonly number[] = [1, 2, 3]): LeaderPartitionState {
  return new LeaderPartitionState({
    leaderId: 1,
    leaderEpoch: 3,
    partitionEpoch: 5,
    replicas: [1, 2, 3],
    isr,
    highWatermark: 0,
    leaderEpochStartOffset: 0,
    nowMs: 1_000,
    flushOnAck,
    leaderDurableEndOffset: 0,
  });
}

describe('LeaderPartitionState with flush.on.ack', () => {
  it('waits for the leader fsync even when every follower has the data', () => {
    const state = leader(true);
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 10, 1_001);
    state.recordFollowerFetch(3, 10, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    expect(state.isReplicated(10)).toBe(false);
    state.updateLeaderDurableEnd(6);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(6);
    state.updateLeaderDurableEnd(10);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.isReplicated(10)).toBe(true);
  });

  it('waits for every ISR follower report after the leader fsynced', () => {
    const state = leader(true);
    state.updateLeaderLogEnd(10);
    state.updateLeaderDurableEnd(10);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    state.recordFollowerFetch(2, 10, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    state.recordFollowerFetch(3, 8, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(8);
  });

  it('the same reports without it count the leader log end (today)', () => {
    const state = leader(false);
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 10, 1_001);
    state.recordFollowerFetch(3, 10, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(10);
  });

  it('a late fsync answer never moves the durable end back; turning it off never moves the HW back', () => {
    const state = leader(true, [1]);
    state.updateLeaderLogEnd(10);
    state.updateLeaderDurableEnd(9);
    state.updateLeaderDurableEnd(4);
    expect(state.leaderDurableEndOffset).toBe(9);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(9);
    state.setFlushOnAck(false);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(10);
    state.setFlushOnAck(true);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    expect(state.highWatermark).toBe(10);
  });

  it('turned on, counts no follower report made before (it may be of data never fsynced)', () => {
    const state = leader(false);
    state.updateLeaderLogEnd(10);
    state.recordFollowerFetch(2, 4, 1_001);
    state.recordFollowerFetch(3, 4, 1_001);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    state.recordFollowerFetch(2, 10, 1_002);
    state.recordFollowerFetch(3, 10, 1_002);
    // Reported, not counted yet: the change lands now.
    state.setFlushOnAck(true);
    state.updateLeaderDurableEnd(10);
    expect(state.maybeAdvanceHighWatermark()).toBe(false);
    expect(state.highWatermark).toBe(4);
    expect(state.replicaProgress(2)?.logEndOffset).toBe(4);
    state.recordFollowerFetch(2, 10, 1_003);
    state.recordFollowerFetch(3, 10, 1_003);
    expect(state.maybeAdvanceHighWatermark()).toBe(true);
    expect(state.highWatermark).toBe(10);
  });

  it('refuses a durable end past what the leader appended (an assertion, a bug)', () => {
    const state = leader(true);
    state.updateLeaderLogEnd(5);
    expect(() => state.updateLeaderDurableEnd(6)).toThrow(/covers only what was appended/);
  });
});
