import { logIndex, nodeId, TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import {
  applyMembershipChange,
  bootstrapMembership,
  decodeMembership,
  encodeMembership,
  type Membership,
  type MembershipChange,
} from './membership.js';
import { TestCluster } from './testing/test-cluster.js';

const encode = (text: string) => new TextEncoder().encode(text);
const ids = (...values: number[]) => values.map(nodeId);

function codeOf(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof TributaryError) return error.code;
    throw error;
  }
}

/** A 3-voter cluster led by node 1, with node 4 running outside the membership. */
function clusterWithSpare(): TestCluster {
  const c = new TestCluster(3);
  c.elect(1);
  c.addNode(4);
  c.drain();
  return c;
}

/** Ticks every node until one of `candidates` leads; returns it. */
function electAmong(c: TestCluster, candidates: readonly number[]): number {
  for (let i = 0; i < 200; i++) {
    const leader = candidates.find((id) => c.raft(id).status().role === 'leader');
    if (leader !== undefined) return leader;
    c.tickAll(1);
  }
  throw new Error(`none of ${candidates.join(', ')} became leader`);
}

function change(c: TestCluster, leader: number, ch: MembershipChange): void {
  c.raft(leader).proposeMembership(ch);
  c.drain();
}

describe('membership encoding', () => {
  const m: Membership = {
    voters: ids(1, 2),
    learners: ids(3),
    addresses: { '3': 'h3:9093', '1': 'h1:9091' },
  };

  it('round-trips, canonically', () => {
    expect(decodeMembership(encodeMembership(m))).toEqual(m);
    const reordered = { ...m, addresses: { '1': 'h1:9091', '3': 'h3:9093' } };
    expect(encodeMembership(reordered)).toEqual(encodeMembership(m));
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['extra fields', '{"voters":[1],"learners":[],"addresses":[],"x":1}'],
    ['no voters', '{"voters":[],"learners":[],"addresses":[]}'],
    ['a duplicate', '{"voters":[1,1],"learners":[],"addresses":[]}'],
    ['a voter also a learner', '{"voters":[1],"learners":[1],"addresses":[]}'],
    ['a negative id', '{"voters":[-1],"learners":[],"addresses":[]}'],
    ['a fractional id', '{"voters":[1.5],"learners":[],"addresses":[]}'],
    ['an address for a non-member', '{"voters":[1],"learners":[],"addresses":[[2,"h:1"]]}'],
    ['a bad address', '{"voters":[1],"learners":[],"addresses":[[1,"no port"]]}'],
  ])('refuses %s', (_what, text) => {
    expect(codeOf(() => decodeMembership(encode(text)))).toBe('INVALID_REQUEST');
  });
});

describe('applyMembershipChange', () => {
  const m = bootstrapMembership(ids(1, 2));

  it('adds a learner with its address, promotes it, removes members', () => {
    const added = applyMembershipChange(m, { type: 'add-learner', id: nodeId(3), address: 'h3:1' });
    expect(added).toEqual({ voters: ids(1, 2), learners: ids(3), addresses: { '3': 'h3:1' } });
    const promoted = applyMembershipChange(added, { type: 'promote', id: nodeId(3) });
    expect(promoted).toEqual({ voters: ids(1, 2, 3), learners: [], addresses: { '3': 'h3:1' } });
    const removed = applyMembershipChange(promoted, { type: 'remove', id: nodeId(3) });
    expect(removed).toEqual({ voters: ids(1, 2), learners: [], addresses: {} });
  });

  it('refuses duplicates, unknown nodes and removing the last voter', () => {
    expect(
      codeOf(() => applyMembershipChange(m, { type: 'add-learner', id: nodeId(1), address: 'h:1' })),
    ).toBe('DUPLICATE_VOTER');
    expect(codeOf(() => applyMembershipChange(m, { type: 'promote', id: nodeId(1) }))).toBe(
      'DUPLICATE_VOTER',
    );
    expect(codeOf(() => applyMembershipChange(m, { type: 'promote', id: nodeId(9) }))).toBe(
      'VOTER_NOT_FOUND',
    );
    expect(codeOf(() => applyMembershipChange(m, { type: 'remove', id: nodeId(9) }))).toBe('VOTER_NOT_FOUND');
    const single = bootstrapMembership(ids(1));
    expect(codeOf(() => applyMembershipChange(single, { type: 'remove', id: nodeId(1) }))).toBe(
      'INVALID_REQUEST',
    );
  });
});

describe('membership changes in a cluster (thesis §4.1)', () => {
  it('replicates to a learner, which never campaigns and does not count for commits', () => {
    const c = clusterWithSpare();
    change(c, 1, { type: 'add-learner', id: nodeId(4), address: 'h4:1' });
    const last = c.propose(1, 3);
    expect(c.raft(4).status().commit).toBe(last);
    expect(c.raft(1).status().learners).toEqual(ids(4));
    expect(c.raft(1).status().progress?.get(nodeId(4))?.match).toBe(last);
    // Leadership goes to voters only.
    expect(codeOf(() => c.raft(1).transferLeadership(nodeId(4)))).toBe('INVALID_REQUEST');
    // Commits need 2 of the 3 voters: with 2 and 3 cut off, the learner's ack is not enough.
    c.isolate(2, 3);
    const index = c.raft(1).propose(encode('x')).index;
    c.drain();
    expect(c.raft(1).status().commit).toBeLessThan(index);
    // Even cut off from the leader, a learner never starts an election.
    c.isolate(1);
    c.tick(4, 100);
    expect(c.raft(4).status().role).toBe('follower');
    expect(c.raft(4).status().term).toBe(c.raft(1).status().term);
  });

  it('promotes a learner to voter; the new voter set decides commits and elections', () => {
    const c = clusterWithSpare();
    change(c, 1, { type: 'add-learner', id: nodeId(4), address: 'h4:1' });
    change(c, 1, { type: 'promote', id: nodeId(4) });
    for (const id of [1, 2, 3, 4]) expect(c.raft(id).status().voters).toEqual(ids(1, 2, 3, 4));
    // 4 voters: a quorum is 3, so 1 and 4 alone cannot commit.
    c.isolate(2, 3);
    const index = c.raft(1).propose(encode('x')).index;
    c.drain();
    expect(c.raft(1).status().commit).toBeLessThan(index);
    c.heal();
    c.drain();
    c.tick(1, 2);
    expect(c.raft(1).status().commit).toBeGreaterThanOrEqual(index);
    c.isolate(1);
    const leader = electAmong(c, [2, 3, 4]);
    expect(c.raft(leader).status().voters).toEqual(ids(1, 2, 3, 4));
  });

  it('allows one change at a time, and none before the leader commits an entry of its term', () => {
    const c = clusterWithSpare();
    c.isolate(2, 3);
    c.raft(1).proposeMembership({ type: 'add-learner', id: nodeId(4), address: 'h4:1' });
    c.drain();
    expect(codeOf(() => c.raft(1).proposeMembership({ type: 'promote', id: nodeId(4) }))).toBe(
      'RECONFIGURATION_IN_PROGRESS',
    );
    c.heal();
    c.tick(1, 2);
    change(c, 1, { type: 'promote', id: nodeId(4) });
    expect(c.raft(1).status().voters).toEqual(ids(1, 2, 3, 4));
    // A new leader whose no-op has not committed refuses changes (the single-server change bug's fix).
    const fresh = new TestCluster(3);
    fresh.dropIf = (m) => m.type === 'append-response';
    fresh.elect(2);
    expect(codeOf(() => fresh.raft(2).proposeMembership({ type: 'remove', id: nodeId(3) }))).toBe(
      'RECONFIGURATION_IN_PROGRESS',
    );
    expect(codeOf(() => fresh.raft(1).proposeMembership({ type: 'remove', id: nodeId(3) }))).toBe(
      'NOT_LEADER',
    );
  });

  it('a leader that removes itself leads until the removal commits, then steps down for good', () => {
    const c = new TestCluster(3);
    c.elect(1);
    change(c, 1, { type: 'remove', id: nodeId(1) });
    expect(c.raft(1).status().role).toBe('follower');
    // It handed over with TimeoutNow: one of the remaining voters leads without an election timeout.
    const leaders = [2, 3].filter((id) => c.raft(id).status().role === 'leader');
    expect(leaders).toHaveLength(1);
    const leader = leaders[0] as number;
    expect(c.raft(leader).status().voters).toEqual(ids(2, 3));
    c.propose(leader, 2);
    // The removed node gets nothing more and never campaigns.
    c.tickAll(50);
    expect(c.raft(1).status().role).toBe('follower');
    expect(c.raft(leader).status().role).toBe('leader');
  });

  it('a removed node whose removal it cannot know committed may campaign to finish it (thesis §4.2.2)', () => {
    const c = new TestCluster(2);
    c.elect(1);
    // 1 removes itself; 2 never gets the entry, and 1 loses leadership (check-quorum) before it commits.
    c.dropIf = (m) => m.to === nodeId(2) && m.type === 'append';
    c.raft(1).proposeMembership({ type: 'remove', id: nodeId(1) });
    c.drain();
    c.tickAll(30);
    c.heal();
    // Node 2 (voters {1, 2}) cannot win without 1, whose log is ahead; 1 campaigns, wins with 2's vote
    // alone (its own does not count), commits its removal and steps down; 2 then leads alone.
    for (let i = 0; i < 100 && c.raft(2).status().role !== 'leader'; i++) c.tickAll(1);
    expect(c.raft(2).status().role).toBe('leader');
    expect(c.raft(2).status().voters).toEqual(ids(2));
    expect(c.raft(1).status().role).toBe('follower');
  });

  it('reverts to the previous membership when a conflicting suffix is truncated, and rebuilds it on restart', () => {
    const c = new TestCluster(5);
    c.elect(1);
    c.addNode(6);
    // Only node 2 gets the membership entry.
    c.dropIf = (m) => m.type === 'append' && m.to !== nodeId(2);
    c.raft(1).proposeMembership({ type: 'add-learner', id: nodeId(6), address: 'h6:1' });
    c.drain();
    expect(c.raft(2).status().learners).toEqual(ids(6));
    c.restart(2);
    expect(c.raft(2).status().learners).toEqual(ids(6)); // rebuilt from the stored log
    c.isolate(1, 2);
    const leader = electAmong(c, [3, 4, 5]);
    c.propose(leader, 2);
    c.heal();
    c.tick(leader, 2);
    expect(c.raft(2).status().learners).toEqual([]);
    expect(c.raft(2).status().voters).toEqual(ids(1, 2, 3, 4, 5));
  });

  it('snapshots carry the membership; a learner added after compaction gets it', () => {
    const c = clusterWithSpare();
    c.addNode(5);
    change(c, 1, { type: 'add-learner', id: nodeId(4), address: 'h4:1' });
    change(c, 1, { type: 'promote', id: nodeId(4) });
    const applied = c.propose(1, 3);
    const leader = c.node(1);
    const membership = leader.raft.membershipAt(applied);
    expect(membership?.voters).toEqual(ids(1, 2, 3, 4));
    leader.storage.createSnapshot(applied, encode('state'), membership ?? bootstrapMembership(ids(1)));
    leader.storage.compact(applied);
    change(c, 1, { type: 'add-learner', id: nodeId(5), address: 'h5:1' });
    c.tick(1, 2);
    expect(c.node(5).snapshotsInstalled.map((s) => s.meta.voters)).toEqual([ids(1, 2, 3, 4)]);
    expect(c.raft(5).status().learners).toEqual(ids(5));
    expect(c.raft(5).status().addresses).toEqual({ '4': 'h4:1', '5': 'h5:1' });
    expect(c.raft(5).status().commit).toBe(c.raft(1).status().commit);
    expect(logIndex(applied)).toBe(applied);
  });
});
