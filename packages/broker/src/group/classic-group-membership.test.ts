/**
 * Table tests of the classic group state machine, continued: KIP-345 static membership (replacement
 * without a rebalance, fencing, KIP-814's skipAssignment), LeaveGroup, and how classic offset commits
 * are fenced (generation, member, state).
 */
import { TributaryError } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { ClassicHarness, protocols } from './testing/classic-harness.js';

/** Static members i1 (leader) and i2 synced to generation 1. */
function staticGroup() {
  const h = new ClassicHarness();
  const j1 = h.join({ groupInstanceId: 'i1', requireKnownMemberId: true });
  const j2 = h.join({ groupInstanceId: 'i2', requireKnownMemberId: true });
  h.settle();
  const m1 = h.joined(j1).memberId;
  const m2 = h.joined(j2).memberId;
  const s2 = h.sync(m2, 1, [], 'i2');
  h.sync(m1, 1, [
    { memberId: m1, assignment: Buffer.from('one') },
    { memberId: m2, assignment: Buffer.from('two') },
  ]);
  expect(h.outcome(s2)).toBe('NONE');
  return { h, m1, m2 };
}

describe('ClassicGroup: static membership (KIP-345)', () => {
  it('joins a static member without MEMBER_ID_REQUIRED, its id prefixed by the instance id', () => {
    const { h, m1 } = staticGroup();
    expect(m1.startsWith('i1-')).toBe(true);
    expect(h.group.describe().members.map((m) => m.groupInstanceId)).toEqual(['i1', 'i2']);
  });

  it('replaces a restarted follower without a rebalance; it keeps its assignment; the old id is fenced', () => {
    const { h, m1, m2 } = staticGroup();
    const rejoin = h.join({ groupInstanceId: 'i2', requireKnownMemberId: true });
    const fresh = h.joined(rejoin);
    expect(fresh).toMatchObject({ errorCode: null, generationId: 1, leaderId: m1, members: [] });
    expect(fresh.memberId).not.toBe(m2);
    expect(h.group.state).toBe('Stable');
    expect(h.synced(h.sync(fresh.memberId, 1, [], 'i2')).assignment.toString()).toBe('two');
    expect(h.heartbeat(m2, 1, 'i2')).toBe('FENCED_INSTANCE_ID');
    expect(h.outcome(h.sync(m2, 1, [], 'i2'))).toBe('FENCED_INSTANCE_ID');
    expect(h.outcome(h.join({ memberId: m2, groupInstanceId: 'i2' }))).toBe('FENCED_INSTANCE_ID');
    expect(h.heartbeat(m2, 1)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('tells a rejoining static leader it leads but must skip the assignment (KIP-814, JoinGroup v9+)', () => {
    const { h, m1, m2 } = staticGroup();
    const v9 = h.joined(h.join({ groupInstanceId: 'i1', supportsSkipAssignment: true }));
    expect(v9).toMatchObject({ leaderId: v9.memberId, skipAssignment: true, generationId: 1 });
    expect(v9.members.map((m) => m.memberId)).toEqual([v9.memberId, m2]);
    // Older versions get the previous leader id, so the member does not think it leads.
    const v5 = h.joined(h.join({ groupInstanceId: 'i1' }));
    expect(v5).toMatchObject({ leaderId: v9.memberId, skipAssignment: false, members: [] });
    expect(v5.memberId).not.toBe(m1);
    expect(h.group.state).toBe('Stable');
  });

  it('rebalances when a rejoin changes the selected protocol', () => {
    const { h } = staticGroup();
    const both = protocols('cooperative-sticky', 'range');
    // i2 still offers only range, the one protocol in common: no rebalance.
    const first = h.joined(h.join({ groupInstanceId: 'i1', protocols: both }));
    expect(first.errorCode).toBeNull();
    expect(h.group.state).toBe('Stable');
    const second = h.join({ groupInstanceId: 'i2', protocols: both });
    expect(h.outcome(second)).toBe('WAITING');
    expect(h.group.state).toBe('PreparingRebalance');
    const leader = h.join({ memberId: first.memberId, groupInstanceId: 'i1', protocols: both });
    expect(h.joined(leader).protocolName).toBe('cooperative-sticky');
  });

  it('fences a waiting SyncGroup of the old id, and rebalances when replaced while completing', () => {
    const h = new ClassicHarness();
    const j1 = h.join({ groupInstanceId: 'i1' });
    const j2 = h.join({ groupInstanceId: 'i2' });
    h.settle();
    const m2 = h.joined(j2).memberId;
    const s2 = h.sync(m2, 1, [], 'i2');
    const replacement = h.join({ groupInstanceId: 'i2' });
    expect(h.outcome(s2)).toBe('FENCED_INSTANCE_ID');
    expect(h.group.state).toBe('PreparingRebalance');
    const leader = h.join({ memberId: h.joined(j1).memberId, groupInstanceId: 'i1' });
    expect(h.joined(replacement).generationId).toBe(2);
    expect(h.joined(leader).members).toHaveLength(2);
  });

  it('keeps a static member that does not rejoin in the generation, then removes it at its session timeout', () => {
    const { h, m1, m2 } = staticGroup();
    const rejoin = h.join({ memberId: m1, groupInstanceId: 'i1', sessionTimeoutMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      h.advance(9_000);
      expect(h.heartbeat(m2, 1, 'i2')).toBe('REBALANCE_IN_PROGRESS');
    }
    h.advance(3_000);
    // The rebalance timeout ended the join phase; static i2 stays, with its last metadata.
    expect(h.joined(rejoin).members.map((m) => m.memberId)).toEqual([m1, m2]);
    expect(h.advance(10_000)).toEqual([m2]);
    expect(h.group.state).toBe('PreparingRebalance');
  });

  it('takes a returning static member back into a full group', () => {
    const h = new ClassicHarness({ maxSize: 1 });
    const first = h.join({ groupInstanceId: 'i1' });
    h.settle();
    h.sync(h.joined(first).memberId, 1, []);
    expect(h.outcome(h.join())).toBe('GROUP_MAX_SIZE_REACHED');
    expect(h.outcome(h.join({ groupInstanceId: 'i1' }))).toBe('NONE');
  });
});

describe('ClassicGroup: LeaveGroup', () => {
  it('judges each identity on its own and rebalances once', () => {
    const { h, m1, m2 } = staticGroup();
    const pending = h.joined(h.join({ requireKnownMemberId: true })).memberId;
    const { results, effects } = h.group.leave(
      [
        { memberId: pending, groupInstanceId: null },
        { memberId: 'nobody', groupInstanceId: null },
        { memberId: m2, groupInstanceId: 'i1' },
        { memberId: '', groupInstanceId: 'i2' },
        { memberId: '', groupInstanceId: 'unknown' },
      ],
      h.nowMs,
    );
    expect(results.map((r) => r.errorCode)).toEqual([
      null,
      'UNKNOWN_MEMBER_ID',
      'FENCED_INSTANCE_ID',
      null,
      'UNKNOWN_MEMBER_ID',
    ]);
    expect(effects).toEqual([]);
    expect(h.group.state).toBe('PreparingRebalance');
    expect(h.joined(h.join({ memberId: m1, groupInstanceId: 'i1' })).generationId).toBe(2);
  });

  it('completes a rebalance when the member it waits for leaves', () => {
    const { h, m1, m2 } = staticGroup();
    const waiting = h.join({ memberId: m1, groupInstanceId: 'i1' });
    const { effects } = h.group.leave([{ memberId: m2, groupInstanceId: 'i2' }], h.nowMs);
    expect(effects.map((e) => [e.token, e.result.errorCode])).toEqual([[waiting, null]]);
    expect(h.group.describe().members.map((m) => m.memberId)).toEqual([m1]);
  });

  it('empties the group when the last member leaves; the generation still moves on', () => {
    const h = new ClassicHarness();
    const j = h.join();
    h.settle();
    h.group.leave([{ memberId: h.joined(j).memberId, groupInstanceId: null }], h.nowMs);
    expect(h.group.state).toBe('Empty');
    expect(h.group.generationId).toBe(2);
    expect(h.group.isUnused).toBe(true);
  });
});

describe('ClassicGroup: offset commits', () => {
  const commit = (
    h: ClassicHarness,
    generationId: number,
    memberId: string,
    instance: string | null = null,
  ) => {
    try {
      h.group.validateCommit({ generationId, memberId, groupInstanceId: instance }, h.nowMs);
      return 'NONE';
    } catch (error) {
      if (error instanceof TributaryError) return error.code;
      throw error;
    }
  };

  it('fences commits by state, generation and member as Kafka does', () => {
    const h = new ClassicHarness();
    expect(commit(h, -1, '')).toBe('NONE');
    const [ja, jb] = [h.join(), h.join()];
    h.settle();
    const a = h.joined(ja).memberId;
    const b = h.joined(jb).memberId;
    expect(commit(h, -1, '')).toBe('UNKNOWN_MEMBER_ID');
    expect(commit(h, 1, a)).toBe('REBALANCE_IN_PROGRESS');
    h.sync(a, 1, []);
    expect(commit(h, 1, a)).toBe('NONE');
    expect(commit(h, 0, a)).toBe('ILLEGAL_GENERATION');
    expect(commit(h, 1, 'nobody')).toBe('UNKNOWN_MEMBER_ID');
    expect(commit(h, 1, a, 'i')).toBe('UNKNOWN_MEMBER_ID');
    h.join({ memberId: a });
    // While preparing, members still commit with the current generation (before they rejoin).
    expect(commit(h, 1, b)).toBe('NONE');
    h.join({ memberId: b });
    expect(commit(h, 1, b)).toBe('ILLEGAL_GENERATION');
  });

  it('counts a commit as a heartbeat', () => {
    const h = new ClassicHarness();
    const [ja, jb] = [h.join(), h.join()];
    h.settle();
    const a = h.joined(ja).memberId;
    const b = h.joined(jb).memberId;
    h.sync(b, 1);
    h.sync(a, 1, []);
    h.advance(8_000);
    expect(commit(h, 1, a)).toBe('NONE');
    expect(h.advance(8_000)).toEqual([b]);
  });
});
