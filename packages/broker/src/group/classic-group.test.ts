/**
 * Table tests of the classic group state machine (JoinGroup/SyncGroup/Heartbeat/LeaveGroup), one
 * Kafka rule per case: the rebalance, leader and protocol selection, errors by state, KIP-394 pending
 * members, KIP-345 static membership, and every timeout. Commits and leaving are in
 * classic-group-membership.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ClassicHarness, protocols } from './testing/classic-harness.js';

/** Two dynamic members joined and synced to generation 1; a is the leader. */
function stableGroup() {
  const h = new ClassicHarness();
  const ja = h.join({ clientId: 'a' });
  const jb = h.join({ clientId: 'b' });
  h.settle();
  const a = h.joined(ja).memberId;
  const b = h.joined(jb).memberId;
  const sb = h.sync(b, 1);
  h.sync(a, 1, [
    { memberId: a, assignment: Buffer.from('A') },
    { memberId: b, assignment: Buffer.from('B') },
  ]);
  expect(h.synced(sb).assignment.toString()).toBe('B');
  expect(h.group.state).toBe('Stable');
  return { h, a, b };
}

describe('ClassicGroup: the rebalance', () => {
  it('completes the first generation after the initial delay; the first member leads and sees everyone', () => {
    const h = new ClassicHarness({ initialRebalanceDelayMs: 3_000 });
    const ja = h.join({ protocols: protocols('range') });
    const jb = h.join({ protocols: protocols('range') });
    expect(h.group.state).toBe('PreparingRebalance');
    h.advance(2_999);
    expect([h.outcome(ja), h.outcome(jb)]).toEqual(['WAITING', 'WAITING']);
    // A member joined during the delay: Kafka's InitialDelayedJoin waits one more delay.
    h.advance(1);
    expect(h.outcome(ja)).toBe('WAITING');
    h.advance(3_000);
    const a = h.joined(ja);
    const b = h.joined(jb);
    expect(a).toMatchObject({ generationId: 1, protocolName: 'range', protocolType: 'consumer' });
    expect(a.leaderId).toBe(a.memberId);
    expect(b.leaderId).toBe(a.memberId);
    expect(a.members.map((m) => m.memberId)).toEqual([a.memberId, b.memberId]);
    expect(a.members[1]?.metadata.toString()).toBe('meta-range');
    expect(b.members).toEqual([]);
    expect(h.group.state).toBe('CompletingRebalance');
  });

  it('bounds the initial delay by the rebalance timeout', () => {
    const h = new ClassicHarness({ initialRebalanceDelayMs: 3_000 });
    const first = h.join({ rebalanceTimeoutMs: 5_000 });
    for (let i = 0; i < 4; i++) {
      h.join({ rebalanceTimeoutMs: 5_000 });
      h.advance(3_000);
    }
    expect(h.joined(first).generationId).toBe(1);
  });

  it('hands out member ids first with JoinGroup v4+ (KIP-394); an unused id lapses with its session', () => {
    const h = new ClassicHarness();
    const first = h.join({ requireKnownMemberId: true, clientId: 'c' });
    const { memberId, errorCode } = h.joined(first);
    expect(errorCode).toBe('MEMBER_ID_REQUIRED');
    expect(memberId).not.toBe('');
    expect(h.group.memberCount).toBe(0);
    const second = h.join({ memberId, requireKnownMemberId: true });
    h.settle();
    expect(h.joined(second)).toMatchObject({ errorCode: null, memberId, generationId: 1 });
    const unused = h.joined(h.join({ requireKnownMemberId: true })).memberId;
    h.advance(10_000);
    expect(h.outcome(h.join({ memberId: unused, requireKnownMemberId: true }))).toBe('UNKNOWN_MEMBER_ID');
  });

  it.each([
    [
      'the most votes win',
      [
        ['range', 'roundrobin'],
        ['roundrobin', 'range'],
        ['roundrobin', 'range'],
      ],
      'roundrobin',
    ],
    [
      'a tie goes to the leader',
      [
        ['sticky', 'range'],
        ['range', 'sticky'],
      ],
      'sticky',
    ],
    [
      'only protocols every member supports count',
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'b'],
      ],
      'b',
    ],
  ])('selects the protocol as Kafka: %s', (_, lists, expected) => {
    const h = new ClassicHarness();
    const tokens = lists.map((names) => h.join({ protocols: protocols(...names) }));
    h.settle();
    for (const token of tokens) expect(h.joined(token).protocolName).toBe(expected);
  });

  it.each([
    ['another protocol type', { protocolType: 'connect' }, 'INCONSISTENT_GROUP_PROTOCOL'],
    ['no protocol in common', { protocols: protocols('roundrobin') }, 'INCONSISTENT_GROUP_PROTOCOL'],
    ['no protocols', { protocols: [] }, 'INCONSISTENT_GROUP_PROTOCOL'],
    ['a session timeout below the minimum', { sessionTimeoutMs: 5_999 }, 'INVALID_SESSION_TIMEOUT'],
    ['a session timeout above the maximum', { sessionTimeoutMs: 1_800_001 }, 'INVALID_SESSION_TIMEOUT'],
    ['an unknown member id', { memberId: 'nobody' }, 'UNKNOWN_MEMBER_ID'],
    ['an unknown static member id', { memberId: 'x', groupInstanceId: 'i' }, 'UNKNOWN_MEMBER_ID'],
  ])('refuses a join with %s', (_, request, code) => {
    const h = new ClassicHarness();
    h.join({ protocols: protocols('range') });
    expect(h.outcome(h.join(request))).toBe(code);
  });

  it('refuses members beyond group.max.size (a member id handed out is not a member yet)', () => {
    const h = new ClassicHarness({ maxSize: 2 });
    h.join();
    h.join({ requireKnownMemberId: true });
    expect(h.outcome(h.join())).toBe('WAITING');
    expect(h.outcome(h.join())).toBe('GROUP_MAX_SIZE_REACHED');
    expect(h.group.memberCount).toBe(2);
  });
});

describe('ClassicGroup: SyncGroup', () => {
  it('followers wait for the leader; members the leader leaves out get an empty assignment', () => {
    const h = new ClassicHarness();
    const tokens = [h.join(), h.join(), h.join()];
    h.settle();
    const [a, b, c] = tokens.map((t) => h.joined(t).memberId);
    if (a === undefined || b === undefined || c === undefined) throw new Error('three members');
    const sb = h.sync(b, 1);
    const sc = h.sync(c, 1);
    expect([h.outcome(sb), h.outcome(sc)]).toEqual(['WAITING', 'WAITING']);
    const sa = h.sync(a, 1, [
      { memberId: a, assignment: Buffer.from('x') },
      { memberId: b, assignment: Buffer.from('y') },
      { memberId: 'stranger', assignment: Buffer.from('z') },
    ]);
    expect([sa, sb, sc].map((t) => h.synced(t).assignment.toString())).toEqual(['x', 'y', '']);
    expect(h.synced(sb)).toMatchObject({ protocolType: 'consumer', protocolName: 'range' });
    // A sync in Stable (a lost answer) is answered at once.
    expect(h.synced(h.sync(b, 1)).assignment.toString()).toBe('y');
  });

  it.each([
    ['an unknown member', 'nobody', 1, 'UNKNOWN_MEMBER_ID'],
    ['an old generation', 'a', 0, 'ILLEGAL_GENERATION'],
  ])('refuses %s', (_, who, generation, code) => {
    const { h, a } = stableGroup();
    expect(h.outcome(h.sync(who === 'a' ? a : who, generation))).toBe(code);
  });

  it('refuses a protocol name other than the group’s (SyncGroup v5+)', () => {
    const { h, a } = stableGroup();
    const token = 99;
    expect(() =>
      h.group.sync(
        {
          groupId: 'g',
          generationId: 1,
          memberId: a,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocolName: 'roundrobin',
          assignments: [],
        },
        token,
        h.nowMs,
      ),
    ).toThrow(expect.objectContaining({ code: 'INCONSISTENT_GROUP_PROTOCOL' }));
  });

  it('answers waiting followers REBALANCE_IN_PROGRESS when a join interrupts the sync, and refuses syncs while preparing', () => {
    const h = new ClassicHarness();
    const [ja, jb] = [h.join(), h.join()];
    h.settle();
    const b = h.joined(jb).memberId;
    const sb = h.sync(b, 1);
    const jc = h.join();
    expect(h.outcome(sb)).toBe('REBALANCE_IN_PROGRESS');
    expect(h.group.state).toBe('PreparingRebalance');
    expect(h.outcome(h.sync(h.joined(ja).memberId, 1))).toBe('REBALANCE_IN_PROGRESS');
    expect(h.outcome(jc)).toBe('WAITING');
  });
});

describe('ClassicGroup: Heartbeat by state', () => {
  it('answers REBALANCE_IN_PROGRESS while preparing, NONE while completing or stable', () => {
    const h = new ClassicHarness();
    const [ja, jb] = [h.join(), h.join()];
    h.settle();
    const a = h.joined(ja).memberId;
    const b = h.joined(jb).memberId;
    expect(h.heartbeat(b, 1)).toBe('NONE');
    h.sync(a, 1, []);
    expect(h.heartbeat(b, 1)).toBe('NONE');
    h.join({ memberId: a });
    expect(h.heartbeat(b, 1)).toBe('REBALANCE_IN_PROGRESS');
    expect(h.heartbeat(b, 0)).toBe('ILLEGAL_GENERATION');
    expect(h.heartbeat('nobody', 1)).toBe('UNKNOWN_MEMBER_ID');
    expect(h.heartbeat(b, 1, 'instance')).toBe('UNKNOWN_MEMBER_ID');
  });
});

describe('ClassicGroup: rejoining', () => {
  it('gives a follower rejoining with the same protocols its generation again; a leader rejoin rebalances', () => {
    const { h, a, b } = stableGroup();
    const again = h.join({ memberId: b });
    expect(h.joined(again)).toMatchObject({ generationId: 1, leaderId: a, members: [] });
    expect(h.group.state).toBe('Stable');
    const leader = h.join({ memberId: a });
    expect(h.group.state).toBe('PreparingRebalance');
    const follower = h.join({ memberId: b });
    expect(h.joined(leader).generationId).toBe(2);
    expect(h.joined(follower).generationId).toBe(2);
  });

  it('rebalances when a follower rejoins with new metadata', () => {
    const { h, b } = stableGroup();
    h.join({ memberId: b, protocols: [{ name: 'range', metadata: Buffer.from('other topics') }] });
    expect(h.group.state).toBe('PreparingRebalance');
  });

  it('answers a superseded JoinGroup REBALANCE_IN_PROGRESS', () => {
    const { h, a, b } = stableGroup();
    const first = h.join({ memberId: a });
    const second = h.join({ memberId: a });
    expect(h.outcome(first)).toBe('REBALANCE_IN_PROGRESS');
    h.join({ memberId: b });
    expect(h.joined(second).generationId).toBe(2);
  });
});

describe('ClassicGroup: timeouts', () => {
  it('removes a member whose session lapses and rebalances the rest', () => {
    const { h, a, b } = stableGroup();
    h.advance(5_000);
    expect(h.heartbeat(a, 1)).toBe('NONE');
    expect(h.advance(5_000)).toEqual([b]);
    expect(h.group.state).toBe('PreparingRebalance');
    expect(h.heartbeat(a, 1)).toBe('REBALANCE_IN_PROGRESS');
    const rejoin = h.join({ memberId: a });
    expect(h.joined(rejoin)).toMatchObject({ generationId: 2, leaderId: a });
  });

  it('never expires a member while its JoinGroup or SyncGroup waits, except a new member after 5 minutes', () => {
    const h = new ClassicHarness();
    const ja = h.join();
    const jb = h.join();
    h.settle();
    const a = h.joined(ja).memberId;
    const b = h.joined(jb).memberId;
    const sb = h.sync(b, 1);
    h.heartbeat(a, 1);
    expect(h.advance(9_000)).toEqual([]);
    h.sync(a, 1, []);
    expect(h.outcome(sb)).toBe('NONE');
    // a's JoinGroup waits for b, which never rejoins: b lapses, not a.
    h.join({ memberId: a });
    expect(h.advance(30_000)).toEqual([b]);
  });

  it('ends the join phase at the rebalance timeout without the members that did not rejoin', () => {
    const { h, a, b } = stableGroup();
    // The join phase waits for the longest rebalance timeout of the members (b's 30 s).
    const rejoin = h.join({ memberId: a, rebalanceTimeoutMs: 20_000 });
    for (let i = 0; i < 5; i++) {
      h.advance(5_000);
      h.heartbeat(b, 1);
    }
    expect(h.outcome(rejoin)).toBe('WAITING');
    h.advance(5_000);
    expect(h.joined(rejoin)).toMatchObject({ generationId: 2, members: [{ memberId: a }] });
    expect(h.heartbeat(b, 1)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('removes members that joined a generation but never sent SyncGroup (KAFKA-12890)', () => {
    const h = new ClassicHarness();
    const [ja, jb] = [h.join(), h.join()];
    h.settle();
    const a = h.joined(ja).memberId;
    const b = h.joined(jb).memberId;
    h.sync(a, 1, []);
    for (let i = 0; i < 6; i++) {
      h.advance(5_000);
      h.heartbeat(a, 1);
      h.heartbeat(b, 1);
    }
    expect(h.group.memberCount).toBe(1);
    expect(h.heartbeat(b, 1)).toBe('UNKNOWN_MEMBER_ID');
    expect(h.group.state).toBe('PreparingRebalance');
  });
});

describe('ClassicGroup: coordinator failover', () => {
  it('answers waiting joins and syncs NOT_COORDINATOR when unloaded', () => {
    const h = new ClassicHarness();
    const [ja, jb] = [h.join(), h.join()];
    h.settle();
    const sb = h.sync(h.joined(jb).memberId, 1);
    expect(h.group.unload().map((e) => [e.kind, e.token, e.result.errorCode])).toEqual([
      ['sync', sb, 'NOT_COORDINATOR'],
    ]);
    expect(h.group.state).toBe('Dead');
    const joining = new ClassicHarness();
    const first = joining.join();
    expect(joining.group.unload().map((e) => [e.kind, e.token, e.result.errorCode])).toEqual([
      ['join', first, 'NOT_COORDINATOR'],
    ]);
    expect(h.outcome(ja)).toBe('NONE');
  });
});
