import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { type Assignment, toPairs } from './assignment.js';
import { ConsumerGroup, type HeartbeatInput } from './consumer-group.js';

const COUNTS = new Map([['t', 4]]);

function beat(overrides: Partial<HeartbeatInput> & { memberId: string }): HeartbeatInput {
  return {
    memberEpoch: 0,
    clientId: 'client',
    subscribedTopics: ['t'],
    assignor: '',
    rebalanceTimeoutMs: 10_000,
    sessionTimeoutMs: 0,
    ownedPartitions: [],
    ...overrides,
  };
}

function parts(assignment: Assignment): number[] {
  return toPairs(assignment).map((tp) => tp.partition);
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof TributaryError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('ConsumerGroup', () => {
  it('a first member gets every partition and the group becomes Stable', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    expect(group.state).toBe('Empty');
    const result = group.heartbeat(beat({ memberId: 'a' }), COUNTS, 0);
    expect(result.memberEpoch).toBe(1);
    expect(parts(result.assignment)).toEqual([0, 1, 2, 3]);
    expect(result.heartbeatIntervalMs).toBe(3_000);
    expect(group.state).toBe('Stable');
  });

  it('the heartbeat interval is at most a third of the session timeout', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    expect(
      group.heartbeat(beat({ memberId: 'a', sessionTimeoutMs: 6_000 }), COUNTS, 0).heartbeatIntervalMs,
    ).toBe(2_000);
  });

  it('a joining member gets partitions only after their owner reported them revoked', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    const a1 = group.heartbeat(beat({ memberId: 'a' }), COUNTS, 0);
    const b1 = group.heartbeat(beat({ memberId: 'b' }), COUNTS, 1);
    expect(b1.memberEpoch).toBe(2);
    expect(parts(b1.assignment)).toEqual([]);
    const a2 = group.heartbeat(
      beat({ memberId: 'a', memberEpoch: a1.memberEpoch, ownedPartitions: toPairs(a1.assignment) }),
      COUNTS,
      2,
    );
    // a must revoke two partitions first: it stays at epoch 1 and is told to keep two.
    expect(a2.memberEpoch).toBe(1);
    expect(parts(a2.assignment)).toHaveLength(2);
    expect(group.state).toBe('Reconciling');
    expect(parts(group.heartbeat(beat({ memberId: 'b', memberEpoch: 2 }), COUNTS, 3).assignment)).toEqual([]);
    const a3 = group.heartbeat(
      beat({ memberId: 'a', memberEpoch: 1, ownedPartitions: toPairs(a2.assignment) }),
      COUNTS,
      4,
    );
    expect(a3.memberEpoch).toBe(2);
    const b2 = group.heartbeat(beat({ memberId: 'b', memberEpoch: 2 }), COUNTS, 5);
    expect(parts(b2.assignment)).toHaveLength(2);
    expect(new Set([...parts(a3.assignment), ...parts(b2.assignment)])).toEqual(new Set([0, 1, 2, 3]));
    expect(group.state).toBe('Stable');
    // While reconciling both were told to come back soon; once stable, the normal interval again.
    expect([b1.heartbeatIntervalMs, a2.heartbeatIntervalMs]).toEqual([200, 200]);
    expect([a3.heartbeatIntervalMs, b2.heartbeatIntervalMs]).toEqual([3_000, 3_000]);
  });

  it('an unknown member with an epoch is refused with UNKNOWN_MEMBER_ID', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    expect(codeOf(() => group.heartbeat(beat({ memberId: 'x', memberEpoch: 3 }), COUNTS, 0))).toBe(
      'UNKNOWN_MEMBER_ID',
    );
  });

  it('a wrong epoch is fenced; the member rejoins with epoch 0', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    group.heartbeat(beat({ memberId: 'a' }), COUNTS, 0);
    expect(codeOf(() => group.heartbeat(beat({ memberId: 'a', memberEpoch: 7 }), COUNTS, 1))).toBe(
      'FENCED_MEMBER_EPOCH',
    );
    const rejoined = group.heartbeat(beat({ memberId: 'a' }), COUNTS, 2);
    expect(rejoined.memberEpoch).toBeGreaterThan(1);
    expect(parts(rejoined.assignment)).toEqual([0, 1, 2, 3]);
  });

  it('a member whose session lapsed is removed and its partitions go to the others', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    group.heartbeat(beat({ memberId: 'a', sessionTimeoutMs: 1_000 }), COUNTS, 0);
    const b = group.heartbeat(beat({ memberId: 'b', sessionTimeoutMs: 5_000 }), COUNTS, 0);
    expect(group.expire(1_000)).toEqual([]);
    expect(group.expire(1_001)).toEqual(['a']);
    const b2 = group.heartbeat(beat({ memberId: 'b', memberEpoch: b.memberEpoch }), COUNTS, 1_002);
    expect(parts(b2.assignment)).toEqual([0, 1, 2, 3]);
  });

  it('a member that does not revoke within its rebalance timeout is removed', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    const a = group.heartbeat(beat({ memberId: 'a', rebalanceTimeoutMs: 2_000 }), COUNTS, 0);
    group.heartbeat(beat({ memberId: 'b' }), COUNTS, 0);
    const owned = toPairs(a.assignment);
    group.heartbeat(
      beat({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: 2_000, ownedPartitions: owned }),
      COUNTS,
      100,
    );
    group.heartbeat(
      beat({ memberId: 'a', memberEpoch: 1, rebalanceTimeoutMs: 2_000, ownedPartitions: owned }),
      COUNTS,
      1_500,
    );
    expect(group.expire(2_000)).toEqual([]);
    expect(group.expire(2_101)).toEqual(['a']);
    expect(group.hasMember('a')).toBe(false);
  });

  it('fences commits by member id and epoch', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    expect(() => group.validateCommit('', -1)).not.toThrow();
    const a = group.heartbeat(beat({ memberId: 'a' }), COUNTS, 0);
    expect(codeOf(() => group.validateCommit('', -1))).toBe('GROUP_NOT_EMPTY');
    expect(codeOf(() => group.validateCommit('zz', 1))).toBe('UNKNOWN_MEMBER_ID');
    expect(() => group.validateCommit('a', a.memberEpoch)).not.toThrow();
    expect(codeOf(() => group.validateCommit('a', a.memberEpoch + 5))).toBe('STALE_MEMBER_EPOCH');
    // b joins; once a has revoked it moves to epoch 2 and epoch 1 is stale after it is Stable.
    group.heartbeat(beat({ memberId: 'b' }), COUNTS, 1);
    const a2 = group.heartbeat(
      beat({ memberId: 'a', memberEpoch: 1, ownedPartitions: toPairs(a.assignment) }),
      COUNTS,
      2,
    );
    group.heartbeat(
      beat({ memberId: 'a', memberEpoch: 1, ownedPartitions: toPairs(a2.assignment) }),
      COUNTS,
      3,
    );
    expect(codeOf(() => group.validateCommit('a', 1))).toBe('STALE_MEMBER_EPOCH');
    expect(() => group.validateCommit('a', 2)).not.toThrow();
  });

  it('accepts the previous epoch while the member is still reconciling', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    const a = group.heartbeat(beat({ memberId: 'a' }), COUNTS, 0);
    group.heartbeat(beat({ memberId: 'b' }), COUNTS, 0);
    group.heartbeat(
      beat({ memberId: 'a', memberEpoch: 1, ownedPartitions: toPairs(a.assignment) }),
      COUNTS,
      1,
    );
    group.heartbeat(beat({ memberId: 'c' }), COUNTS, 2);
    // b has nothing to revoke, so it moves to epoch 3 at once, but its target partitions are still
    // held by a (pending revocation): b is reconciling and its previous epoch 2 still commits.
    const b = group.heartbeat(beat({ memberId: 'b', memberEpoch: 2 }), COUNTS, 3);
    expect(b.memberEpoch).toBe(3);
    expect(parts(b.assignment)).toEqual([]);
    expect(() => group.validateCommit('b', 3)).not.toThrow();
    expect(() => group.validateCommit('b', 2)).not.toThrow();
    expect(codeOf(() => group.validateCommit('b', 1))).toBe('STALE_MEMBER_EPOCH');
  });

  it('refuses session timeouts out of range and unknown or conflicting assignors', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    expect(codeOf(() => group.heartbeat(beat({ memberId: 'a', sessionTimeoutMs: 999 }), COUNTS, 0))).toBe(
      'INVALID_REQUEST',
    );
    expect(codeOf(() => group.heartbeat(beat({ memberId: 'a', sessionTimeoutMs: 300_001 }), COUNTS, 0))).toBe(
      'INVALID_REQUEST',
    );
    expect(codeOf(() => group.heartbeat(beat({ memberId: 'a', assignor: 'sticky' }), COUNTS, 0))).toBe(
      'INVALID_REQUEST',
    );
    expect(codeOf(() => group.heartbeat(beat({ memberId: '', assignor: 'range' }), COUNTS, 0))).toBe(
      'INVALID_REQUEST',
    );
    group.heartbeat(beat({ memberId: 'a', assignor: 'range' }), COUNTS, 0);
    expect(group.describe().assignor).toBe('range');
    expect(codeOf(() => group.heartbeat(beat({ memberId: 'b', assignor: 'round-robin' }), COUNTS, 0))).toBe(
      'INCONSISTENT_GROUP_PROTOCOL',
    );
    expect(group.memberCount).toBe(1);
  });

  it('a partition count change bumps the group epoch and assigns the new partitions', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    const a = group.heartbeat(beat({ memberId: 'a' }), COUNTS, 0);
    const epoch = group.groupEpoch;
    const a2 = group.heartbeat(
      beat({ memberId: 'a', memberEpoch: a.memberEpoch, ownedPartitions: toPairs(a.assignment) }),
      new Map([['t', 6]]),
      1,
    );
    expect(group.groupEpoch).toBe(epoch + 1);
    expect(parts(a2.assignment)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a leaving member frees its partitions; leaving twice is harmless', () => {
    const group = new ConsumerGroup({ groupId: 'g' });
    group.heartbeat(beat({ memberId: 'a' }), COUNTS, 0);
    const b = group.heartbeat(beat({ memberId: 'b' }), COUNTS, 0);
    expect(group.heartbeat(beat({ memberId: 'a', memberEpoch: -1 }), COUNTS, 1).memberEpoch).toBe(-1);
    expect(group.heartbeat(beat({ memberId: 'a', memberEpoch: -1 }), COUNTS, 1).memberEpoch).toBe(-1);
    const b2 = group.heartbeat(beat({ memberId: 'b', memberEpoch: b.memberEpoch }), COUNTS, 2);
    expect(parts(b2.assignment)).toEqual([0, 1, 2, 3]);
    expect(group.describe().members.map((m) => m.memberId)).toEqual(['b']);
  });
});
