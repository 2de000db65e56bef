import { AssertionError, LIMITS, logIndex, type NodeId, nodeId, TributaryError, term } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { bootstrapMembership } from './membership.js';
import type { MemoryStorage } from './storage.js';
import { storageWithTerms, TestCluster } from './testing/test-cluster.js';
import type { AppendResponse, Message } from './types.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as TributaryError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('election', () => {
  it('elects a leader that commits a leader-change entry on every node', () => {
    const c = new TestCluster(3);
    c.elect(1);
    expect(c.raft(1).status()).toMatchObject({ role: 'leader', term: 1, leaderId: 1, commit: 1 });
    for (const id of [2, 3]) {
      expect(c.raft(id).status()).toMatchObject({ role: 'follower', term: 1, leaderId: 1 });
      expect(c.node(id).applied.map((e) => e.type)).toEqual(['leader-change']);
    }
  });

  it('draws election timeouts in [electionTicks, 2*electionTicks)', () => {
    const c = new TestCluster(1, { preVote: false });
    let ticks = 0;
    while (c.raft(1).status().role !== 'leader') {
      c.tick(1);
      ticks++;
    }
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(ticks).toBeLessThan(20);
  });

  it('refuses proposals on a follower with NOT_LEADER', () => {
    const c = new TestCluster(3);
    c.elect(1);
    expectCode(() => c.raft(2).propose(encode('x')), 'NOT_LEADER');
  });

  it('replicates proposals in order to every node', () => {
    const c = new TestCluster(3, { maxEntriesPerAppend: 2, maxInflightAppends: 2 });
    c.elect(1);
    const last = c.propose(1, 10);
    expect(last).toBe(11);
    for (const id of [1, 2, 3]) {
      expect(c.node(id).applied.map((e) => e.index)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    }
  });

  it('refuses proposals past LIMITS.raftPendingProposalsMax uncommitted entries', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.isolate(1);
    const raft = c.raft(1);
    for (let i = 0; i < LIMITS.raftPendingProposalsMax; i++) raft.propose(encode(''));
    expectCode(() => raft.propose(encode('')), 'RESOURCE_EXHAUSTED');
  });
});

describe('pre-vote and check-quorum', () => {
  it('a partitioned node that rejoins does not disrupt a stable leader', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.isolate(3);
    c.tickAll(100); // node 3 pre-campaigns again and again, but never bumps its term
    expect(c.raft(3).status().term).toBe(1);
    c.heal();
    c.tickAll(5);
    expect(c.raft(1).status()).toMatchObject({ role: 'leader', term: 1 });
    expect(c.raft(3).status()).toMatchObject({ role: 'follower', term: 1, leaderId: 1 });
  });

  it('without pre-vote, the rejoining node forces a new term (what pre-vote prevents)', () => {
    const c = new TestCluster(3, { preVote: false, checkQuorum: false });
    c.elect(1);
    c.isolate(3);
    c.tickAll(100);
    expect(c.raft(3).status().term).toBeGreaterThan(1);
    c.heal();
    c.tickAll(5);
    expect(c.raft(1).status().term).toBeGreaterThan(1);
  });

  it('followers in contact with a leader ignore vote requests (leader stickiness)', () => {
    const c = new TestCluster(3, { preVote: false });
    c.elect(1);
    c.dropIf = (m) => (m.from === 1 && m.to === 3) || (m.from === 3 && m.to === 1);
    c.tick(3, 25); // node 3 hears nobody and campaigns; node 2 still hears the leader
    c.tickAll(1);
    expect(c.raft(1).status()).toMatchObject({ role: 'leader', term: 1 });
    expect(c.raft(2).status()).toMatchObject({ term: 1, leaderId: 1 });
  });

  it('a leader cut off from a majority steps down within an election timeout', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.isolate(1);
    c.tick(1, 21);
    expect(c.raft(1).status().role).toBe('follower');
  });
});

describe('log replication', () => {
  it('backs off in one step over a divergent suffix using the reject hints', () => {
    const voters = [1, 2, 3].map(nodeId);
    const leaderTerms = [...Array<number>(20).fill(1), ...Array<number>(10).fill(3)];
    const followerTerms = [...Array<number>(20).fill(1), ...Array<number>(30).fill(2)];
    const storages = new Map<NodeId, MemoryStorage>([
      [nodeId(1), storageWithTerms(voters, leaderTerms, 3)],
      [nodeId(2), storageWithTerms(voters, followerTerms, 3)],
      [nodeId(3), storageWithTerms(voters, leaderTerms, 3)],
    ]);
    const c = new TestCluster(3, { preVote: false }, storages);
    c.elect(1);
    c.tickAll(2);
    const rejects = c.delivered.filter((m): m is AppendResponse => m.type === 'append-response' && m.reject);
    expect(rejects.filter((m) => m.from === 2)).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ index: 30, rejectHintIndex: 30, rejectHintTerm: 2 });
    expect(c.logOf(2)).toEqual(c.logOf(1));
    expect(c.logOf(2)).toHaveLength(31);
  });

  it('figure 8: never commits an earlier-term entry by counting replicas (Raft §5.4.2)', () => {
    const { c } = figure8Phase1({});
    expect(c.raft(1).status().commit).toBe(0);
    figure8Phase2(c);
    // Node 5's entry at index 2 wins everywhere, and nobody ever applied node 1's.
    for (const id of [2, 3, 4, 5]) expect(c.logOf(id)[1]).toBe('2@3');
    for (const id of [1, 2, 3, 4, 5])
      expect(c.node(id).applied.find((e) => e.index === 2)?.term ?? 3).toBe(3);
  });

  it('figure 8 with the unsafe test knob: a committed entry is missing from a later leader', () => {
    const { c } = figure8Phase1({ unsafeCommitEarlierTermByCounting: true });
    expect(c.raft(1).status().commit).toBe(2);
    expect(c.node(1).applied.map((e) => `${e.index}@${e.term}`)).toEqual(['1@1', '2@2']);
    // Node 1 crashes; node 5 legitimately wins term 5 (votes from 3 and 4) holding 2@3 at index 2:
    // leader completeness is broken, and replicating would overwrite what node 1 already applied.
    c.dropIf = (m) => m.from === 1 || m.to === 1 || m.type === 'append';
    for (let i = 0; i < 100 && c.raft(5).status().role !== 'leader'; i++) c.tick(5);
    expect(c.raft(5).status()).toMatchObject({ role: 'leader', term: 5 });
    expect(c.logOf(5)[1]).toBe('2@3');
  });
});

/**
 * Raft paper figure 8 (5 nodes): node 1 leads term 4 holding 2@2 (from term 2); node 5 holds 2@3.
 * Node 1 gets 2@2 onto nodes 2 and 3 (a majority with itself) but its own 3@4 only onto node 2.
 */
function figure8Phase1(knobs: { unsafeCommitEarlierTermByCounting?: boolean }): { c: TestCluster } {
  const voters = [1, 2, 3, 4, 5].map(nodeId);
  const storages = new Map<NodeId, MemoryStorage>([
    [nodeId(1), storageWithTerms(voters, [1, 2], 3)],
    [nodeId(2), storageWithTerms(voters, [1, 2], 3)],
    [nodeId(3), storageWithTerms(voters, [1], 3)],
    [nodeId(4), storageWithTerms(voters, [1], 3)],
    [nodeId(5), storageWithTerms(voters, [1, 3], 3)],
  ]);
  const config = { preVote: false, checkQuorum: false, maxEntriesPerAppend: 1, testingKnobs: knobs };
  const c = new TestCluster(5, config, storages);
  const carriesTerm4 = (m: Message): boolean => m.type === 'append' && m.entries.some((e) => e.term === 4);
  // Node 3 may take 2@2 but never 3@4 (its first probe, which it rejects anyway, carries 3@4 too).
  const node3HasIndex2 = (): boolean => c.raft(3).status().lastIndex >= 2;
  c.dropIf = (m) =>
    m.type.startsWith('append') &&
    (m.to === 4 || m.to === 5 || (m.to === 3 && carriesTerm4(m) && node3HasIndex2()));
  c.elect(1);
  c.tick(1, 3);
  expect(c.raft(1).status().term).toBe(4);
  return { c };
}

/** Node 1 crashes; node 5 wins term 5 with votes from 3 and 4 and replicates its 2@3. */
function figure8Phase2(c: TestCluster): void {
  c.isolate(1);
  c.dropIf = (m) => m.from === 1 || m.to === 1;
  for (let i = 0; i < 100 && c.raft(5).status().role !== 'leader'; i++) c.tick(5);
  expect(c.raft(5).status().role).toBe('leader');
  c.tickAll(3);
}

describe('snapshots', () => {
  it('sends a snapshot to a follower that needs compacted entries', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.isolate(3);
    c.tickAll(1);
    c.propose(1, 20);
    const leader = c.node(1);
    const applied = leader.applied[leader.applied.length - 1]?.index ?? logIndex(0);
    expect(applied).toBe(21);
    leader.storage.createSnapshot(applied, encode('state@21'), bootstrapMembership(c.voters));
    leader.storage.compact(logIndex(applied - 2));
    c.heal();
    c.tickAll(5);
    const follower = c.node(3);
    expect(follower.snapshotsInstalled.map((s) => s.meta.index)).toEqual([21]);
    expect(follower.raft.status()).toMatchObject({ commit: 21, applied: 21, snapshotIndex: 21 });
    c.propose(1, 1);
    expect(follower.applied.map((e) => e.index)).toEqual([22]);
  });
});

describe('a follower that lost its disk', () => {
  /** Node 3 acknowledges entries, goes down while the leader keeps committing, and comes back empty. */
  function wipeFollowerWhileLeaderGoesOn(): TestCluster {
    const c = new TestCluster(3);
    c.elect(1);
    c.propose(1, 5);
    expect(c.raft(1).status().progress?.get(nodeId(3))?.match).toBe(6);
    c.isolate(3);
    c.propose(1, 5);
    c.wipe(3);
    expect(c.raft(3).status()).toMatchObject({ term: 0, votedFor: null, commit: 0, lastIndex: 0 });
    return c;
  }

  function expectCaughtUp(c: TestCluster): void {
    const leader = c.raft(1).status();
    expect(leader).toMatchObject({ role: 'leader', term: 1 });
    expect(leader.progress?.get(nodeId(3))?.match).toBe(leader.lastIndex);
    expect(c.raft(3).status()).toMatchObject({
      role: 'follower',
      term: 1,
      leaderId: 1,
      commit: leader.commit,
      applied: leader.commit,
      lastIndex: leader.lastIndex,
    });
    // The wiped node rebuilt a log matching the leader's (its own may start after a snapshot).
    const from = c.node(3).storage.firstIndex();
    const leaderFrom = c.logOf(1).filter((entry) => Number(entry.split('@')[0]) >= from);
    expect(c.logOf(3)).toEqual(leaderFrom);
    // It told the leader where its log ends by rejecting a heartbeat whose commit passed it.
    const lossReports = c.delivered.filter(
      (m): m is AppendResponse => m.type === 'append-response' && m.from === 3 && m.reject && m.index === 0,
    );
    expect(lossReports.length).toBeGreaterThan(0);
    expect(lossReports[0]).toMatchObject({ rejectHintIndex: 0, rejectHintTerm: 0 });
  }

  it('catches up by appends, never committing past its log end', () => {
    const c = wipeFollowerWhileLeaderGoesOn();
    c.heal();
    // An append reaches it first: it rejects the probes down to the stale match, which must not ping-pong
    // (drain() would never go quiet); the next heartbeat's rejection reports the loss.
    c.propose(1, 1);
    expect(c.raft(3).status()).toMatchObject({ term: 1, commit: 0, lastIndex: 0 });
    c.tickAll(3);
    expectCaughtUp(c);
    expect(c.node(3).snapshotsInstalled).toEqual([]);
    expect(c.node(3).applied.map((e) => e.index)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    c.propose(1, 2);
    expectCaughtUp(c);
  });

  it('receives a snapshot when the leader compacted the entries it needs', () => {
    const c = wipeFollowerWhileLeaderGoesOn();
    const leader = c.node(1);
    leader.storage.createSnapshot(logIndex(11), encode('state@11'), bootstrapMembership(c.voters));
    leader.storage.compact(logIndex(9));
    c.heal();
    c.tickAll(3);
    expect(c.node(3).snapshotsInstalled.map((s) => s.meta.index)).toEqual([11]);
    expectCaughtUp(c);
    c.propose(1, 2);
    expectCaughtUp(c);
    expect(c.node(3).applied.map((e) => e.index)).toEqual([12, 13]);
  });

  it('does not commit on a heartbeat what it cannot tell matches the leader', () => {
    // Entries of an older term may come from a deposed leader; only appends vouch for them.
    const voters = [1, 2, 3].map(nodeId);
    const storages = new Map([[nodeId(2), storageWithTerms(voters, [1, 1, 1], 2)]]);
    const c = new TestCluster(3, {}, storages);
    c.raft(2).step({ type: 'heartbeat', from: nodeId(1), to: nodeId(2), term: term(2), commit: logIndex(3) });
    expect(c.raft(2).status()).toMatchObject({ term: 2, leaderId: 1, commit: 0 });
    expect(c.raft(2).ready().messages).toEqual([{ type: 'heartbeat-response', from: 2, to: 1, term: 2 }]);
  });
});

describe('leadership transfer', () => {
  it('hands leadership to an up-to-date target', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.propose(1, 3);
    c.raft(1).transferLeadership(nodeId(2));
    c.drain();
    expect(c.raft(2).status()).toMatchObject({ role: 'leader', term: 2 });
    expect(c.raft(1).status()).toMatchObject({ role: 'follower', leaderId: 2 });
  });

  it('catches a lagging target up first, refusing proposals meanwhile, and aborts after a timeout', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.isolate(2);
    c.propose(1, 3);
    c.raft(1).transferLeadership(nodeId(2));
    expect(c.raft(1).status().transferee).toBe(2);
    expectCode(() => c.raft(1).propose(encode('x')), 'NOT_LEADER');
    c.tick(1, 10);
    expect(c.raft(1).status()).toMatchObject({ role: 'leader', transferee: null });
    c.heal();
    c.raft(1).transferLeadership(nodeId(2));
    c.tickAll(3);
    expect(c.raft(2).status().role).toBe('leader');
    expect(c.logOf(2).slice(0, 4)).toEqual(c.logOf(1).slice(0, 4));
  });
});

describe('restart', () => {
  it('recovers term, vote, commit and log from storage', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.propose(1, 5);
    const before = c.raft(2).status();
    for (const id of [1, 2, 3]) c.restart(id);
    const after = c.raft(2).status();
    expect(after).toMatchObject({ role: 'follower', term: before.term, commit: before.commit });
    expect(after.lastIndex).toBe(before.lastIndex);
    c.elect(3);
    c.propose(3, 1);
    for (const id of [1, 2, 3]) expect(c.raft(id).status().commit).toBe(8);
    expect(c.logOf(1)).toEqual(c.logOf(3));
  });
});

describe('ready contract', () => {
  it('hands out committed entries only once they are persisted', () => {
    const c = new TestCluster(1, { preVote: false });
    const raft = c.raft(1);
    for (let i = 0; i < 20 && raft.status().role !== 'leader'; i++) raft.tick();
    const first = raft.ready();
    expect(first.entries.map((e) => e.index)).toEqual([1]);
    expect(first.hardState).toMatchObject({ term: 1, votedFor: 1, commit: 1 });
    expect(first.committedEntries).toEqual([]);
    expect(() => raft.ready()).toThrow(AssertionError);
    c.node(1).storage.append(first.entries);
    raft.advance(first);
    const second = raft.ready();
    expect(second.committedEntries.map((e) => e.index)).toEqual([1]);
    raft.advance(second);
    expect(raft.hasReady()).toBe(false);
    expect(raft.status().applied).toBe(1);
  });

  it('ignores stale-term messages but tells a stale leader the newer term', () => {
    const c = new TestCluster(3);
    c.elect(1);
    c.raft(2).step({ type: 'heartbeat', from: nodeId(3), to: nodeId(2), term: term(0), commit: logIndex(0) });
    c.drain();
    expect(c.raft(2).status()).toMatchObject({ term: 1, leaderId: 1 });
  });
});
