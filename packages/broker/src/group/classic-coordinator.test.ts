/**
 * The classic protocol through the coordinator shell, with a manual clock and the in-memory data plane:
 * waiting JoinGroup/SyncGroup promises resolved by the sweep and by other members, commits through the
 * shared offsets path (visible to describe and reset whichever API committed), protocol exclusivity with
 * Tributary's own groups, failover, and describe/list/delete across both protocols.
 */
import { waitFor } from '@tributary/core/testing';
import { describe, expect, it } from 'vitest';
import type { ClassicJoinRequest } from './classic-types.js';
import { decodeConsumerAssignment, encodeConsumerAssignment } from './consumer-protocol.js';
import { CLASSIC_GROUP_LIMITS } from './limits.js';
import { setUp } from './testing/coordinator-fixture.js';

async function loaded(partitions = 2) {
  const fixture = setUp(partitions, { initialRebalanceDelayMs: 100 });
  for (let partition = 0; partition < partitions; partition++) fixture.lead(partition);
  const states = () => [...fixture.coordinator.shardStates().values()];
  await waitFor('loaded', () => states().length === partitions && states().every((s) => s === 'active'));
  return fixture;
}

function joinRequest(request: Partial<ClassicJoinRequest> = {}): ClassicJoinRequest {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('subscription') }],
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    clientId: 'kcat',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: true,
    ...request,
  };
}

/** Two members through MEMBER_ID_REQUIRED, the initial delay and SyncGroup: generation 1, Stable. */
async function stableGroup() {
  const fixture = await loaded();
  const { coordinator, clock } = fixture;
  const ids = await Promise.all([
    coordinator.classic.joinGroup(joinRequest()),
    coordinator.classic.joinGroup(joinRequest()),
  ]);
  expect(ids.map((r) => r.errorCode)).toEqual(['MEMBER_ID_REQUIRED', 'MEMBER_ID_REQUIRED']);
  const joins = ids.map((r) => coordinator.classic.joinGroup(joinRequest({ memberId: r.memberId })));
  // The initial delay, extended once because the second member joined during it.
  for (let i = 0; i < 2; i++) {
    clock.advance(100);
    coordinator.sweep();
  }
  const [leader, follower] = await Promise.all(joins);
  if (leader === undefined || follower === undefined) throw new Error('two joins');
  expect(leader).toMatchObject({ errorCode: null, generationId: 1, leaderId: leader.memberId });
  expect(leader.members).toHaveLength(2);
  const assignment = encodeConsumerAssignment(new Map([['t', [0, 1]]]));
  const sync = {
    groupId: 'g',
    generationId: 1,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
  };
  const followerSync = coordinator.classic.syncGroup({
    ...sync,
    memberId: follower.memberId,
    assignments: [],
  });
  const leaderSync = await coordinator.classic.syncGroup({
    ...sync,
    memberId: leader.memberId,
    assignments: [{ memberId: follower.memberId, assignment }],
  });
  expect(leaderSync.assignment).toEqual(Buffer.alloc(0));
  expect((await followerSync).assignment).toEqual(assignment);
  return { ...fixture, leader: leader.memberId, follower: follower.memberId };
}

describe('ClassicGroupCoordinator (shell, fakes)', () => {
  it('runs a group to Stable: joins wait for the rebalance, the follower’s sync for the leader’s', async () => {
    const { coordinator, follower } = await stableGroup();
    expect(
      coordinator.classic.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: follower,
        groupInstanceId: null,
      }),
    ).toEqual({ errorCode: null, errorMessage: '' });
    const described = coordinator.classic.describeGroup('g');
    expect(described).toMatchObject({
      state: 'Stable',
      protocolType: 'consumer',
      protocolName: 'range',
      groupType: 'classic',
    });
    expect(described.members.map((m) => m.clientHost)).toEqual(['/127.0.0.1', '/127.0.0.1']);
    expect(coordinator.classic.waitingCount()).toBe(0);
  });

  it('commits through the shared offsets: describe and fetch see them; admin resets wait for an empty group', async () => {
    const { coordinator, leader, follower } = await stableGroup();
    const partitions = [{ topic: 't', partition: 0, offset: 42, leaderEpoch: -1, metadata: 'm' }];
    const commit = { groupId: 'g', generationId: 1, memberId: leader, groupInstanceId: null, partitions };
    expect(await coordinator.classic.commitOffsets(commit)).toMatchObject({
      errorCode: null,
      partitions: [{ topic: 't', partition: 0, errorCode: null }],
    });
    expect(coordinator.fetchOffsets('g', null).map((o) => o.offset)).toEqual([42]);
    const details = coordinator.describeGroup('g');
    expect(details.classic?.members).toHaveLength(2);
    expect(details.offsets.map((o) => o.offset)).toEqual([42]);
    expect((await coordinator.classic.commitOffsets({ ...commit, generationId: 0 })).errorCode).toBe(
      'ILLEGAL_GENERATION',
    );
    expect(
      (await coordinator.classic.commitOffsets({ ...commit, generationId: -1, memberId: '' })).errorCode,
    ).toBe('UNKNOWN_MEMBER_ID');
    const reset = [{ topic: 't', partition: 0, offset: 7, leaderEpoch: -1, metadata: '' }];
    await expect(
      coordinator.commitOffsets('g', { memberId: '', memberEpoch: -1 }, reset),
    ).rejects.toMatchObject({ code: 'GROUP_NOT_EMPTY' });
    const left = coordinator.classic.leaveGroup({
      groupId: 'g',
      members: [leader, follower].map((memberId) => ({ memberId, groupInstanceId: null })),
    });
    expect(left.members.map((m) => m.errorCode)).toEqual([null, null]);
    await coordinator.commitOffsets('g', { memberId: '', memberEpoch: -1 }, reset);
    expect(coordinator.fetchOffsets('g', null).map((o) => o.offset)).toEqual([7]);
    expect(coordinator.listGroups()).toEqual([
      { groupId: 'g', state: 'Empty', members: 0, protocolType: 'consumer', groupType: 'classic' },
    ]);
  });

  it('judges committed partitions one by one; with no group, generation -1 commits and others are stale', async () => {
    const { coordinator } = await loaded();
    const partitions = [
      { topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: '' },
      { topic: 't', partition: 1, offset: -3, leaderEpoch: -1, metadata: '' },
    ];
    const simple = { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, partitions };
    const result = await coordinator.classic.commitOffsets(simple);
    expect(result.partitions.map((p) => p.errorCode)).toEqual([null, 'INVALID_REQUEST']);
    expect(coordinator.fetchOffsets('g', null).map((o) => o.offset)).toEqual([5]);
    expect(
      (await coordinator.classic.commitOffsets({ ...simple, generationId: 3, memberId: 'm' })).errorCode,
    ).toBe('ILLEGAL_GENERATION');
  });

  it('serves a group id with one protocol at a time', async () => {
    const { coordinator } = await loaded();
    coordinator.heartbeat('g', {
      memberId: 'grpc-member',
      memberEpoch: 0,
      clientId: '',
      subscribedTopics: ['t'],
      assignor: '',
      rebalanceTimeoutMs: 0,
      sessionTimeoutMs: 0,
      ownedPartitions: [],
    });
    const refused = await coordinator.classic.joinGroup(joinRequest({ requireKnownMemberId: false }));
    expect(refused.errorCode).toBe('INCONSISTENT_GROUP_PROTOCOL');
    const described = coordinator.classic.describeGroup('g');
    expect(described).toMatchObject({
      groupType: 'consumer',
      protocolType: 'consumer',
      protocolName: 'cooperative-sticky',
    });
    expect(described.members.map((m) => m.memberId)).toEqual(['grpc-member']);
    const other = await loaded();
    const join = other.coordinator.classic.joinGroup(joinRequest({ requireKnownMemberId: false }));
    expect(() =>
      other.coordinator.heartbeat('g', {
        memberId: 'grpc-member',
        memberEpoch: 0,
        clientId: '',
        subscribedTopics: ['t'],
        assignor: '',
        rebalanceTimeoutMs: 0,
        sessionTimeoutMs: 0,
        ownedPartitions: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'INCONSISTENT_GROUP_PROTOCOL' }));
    other.clock.advance(100);
    other.coordinator.sweep();
    expect((await join).generationId).toBe(1);
  });

  it('answers waiting requests NOT_COORDINATOR when leadership moves; offsets survive, members rejoin', async () => {
    const { coordinator, lead, partition, leader, clock } = await stableGroup();
    await coordinator.classic.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: leader,
      groupInstanceId: null,
      partitions: [{ topic: 't', partition: 0, offset: 9, leaderEpoch: -1, metadata: '' }],
    });
    const rejoin = coordinator.classic.joinGroup(joinRequest({ memberId: leader }));
    lead(partition, false, 1);
    expect((await rejoin).errorCode).toBe('NOT_COORDINATOR');
    expect(
      coordinator.classic.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: leader,
        groupInstanceId: null,
      }).errorCode,
    ).toBe('NOT_COORDINATOR');
    lead(partition, true, 2);
    await waitFor('reloaded', () => coordinator.shardStates().get(partition) === 'active');
    expect(
      coordinator.classic.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: leader,
        groupInstanceId: null,
      }).errorCode,
    ).toBe('UNKNOWN_MEMBER_ID');
    expect((await coordinator.classic.joinGroup(joinRequest({ memberId: leader }))).errorCode).toBe(
      'UNKNOWN_MEMBER_ID',
    );
    expect(coordinator.fetchOffsets('g', null).map((o) => o.offset)).toEqual([9]);
    clock.advance(1);
    expect(coordinator.classic.waitingCount()).toBe(0);
  });

  it('removes members whose session lapses on the coordinator’s sweep', async () => {
    const { coordinator, clock, leader, follower } = await stableGroup();
    clock.advance(6_000);
    coordinator.classic.heartbeat({ groupId: 'g', generationId: 1, memberId: leader, groupInstanceId: null });
    clock.advance(5_000);
    coordinator.sweep();
    expect(
      coordinator.classic.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: follower,
        groupInstanceId: null,
      }).errorCode,
    ).toBe('UNKNOWN_MEMBER_ID');
    expect(
      coordinator.classic.heartbeat({
        groupId: 'g',
        generationId: 1,
        memberId: leader,
        groupInstanceId: null,
      }).errorCode,
    ).toBe('REBALANCE_IN_PROGRESS');
  });

  it('lists with state and type filters, deletes only empty groups, and validates first', async () => {
    const { coordinator, leader, follower } = await stableGroup();
    expect(coordinator.listGroups({ states: ['stable'] }).map((g) => g.groupId)).toEqual(['g']);
    expect(coordinator.listGroups({ states: ['Empty'] })).toEqual([]);
    expect(coordinator.listGroups({ types: ['consumer'] })).toEqual([]);
    await expect(coordinator.deleteGroup('g')).rejects.toMatchObject({ code: 'GROUP_NOT_EMPTY' });
    await coordinator.classic.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: follower,
      groupInstanceId: null,
      partitions: [{ topic: 't', partition: 1, offset: 3, leaderEpoch: -1, metadata: '' }],
    });
    coordinator.classic.leaveGroup({
      groupId: 'g',
      members: [
        { memberId: leader, groupInstanceId: null },
        { memberId: follower, groupInstanceId: null },
      ],
    });
    await coordinator.deleteGroup('g');
    expect(coordinator.fetchOffsets('g', null)).toEqual([]);
    expect(coordinator.listGroups()).toEqual([]);
    await expect(coordinator.deleteGroup('g')).rejects.toMatchObject({ code: 'GROUP_ID_NOT_FOUND' });
    expect(coordinator.classic.describeGroup('g')).toMatchObject({
      errorCode: 'GROUP_ID_NOT_FOUND',
      state: 'Dead',
    });
    expect((await coordinator.classic.joinGroup(joinRequest({ groupId: '' }))).errorCode).toBe(
      'INVALID_GROUP_ID',
    );
    expect((await coordinator.classic.joinGroup(joinRequest({ groupInstanceId: 'a b' }))).errorCode).toBe(
      'INVALID_REQUEST',
    );
  });

  it('answers batched DescribeGroups and DeleteGroups per group, and bounds what a member may send', async () => {
    const { coordinator, leader } = await stableGroup();
    await coordinator.classic.commitOffsets({
      groupId: 'idle',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      partitions: [{ topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: '' }],
    });
    const described = coordinator.classic.describeGroups(['g', 'idle', 'nobody']);
    expect(described.map((d) => [d.groupId, d.errorCode, d.state])).toEqual([
      ['g', null, 'Stable'],
      ['idle', null, 'Empty'],
      ['nobody', 'GROUP_ID_NOT_FOUND', 'Dead'],
    ]);
    const deleted = await coordinator.deleteGroups(['g', 'idle', 'nobody']);
    expect(deleted.map((d) => [d.groupId, d.errorCode])).toEqual([
      ['g', 'GROUP_NOT_EMPTY'],
      ['idle', null],
      ['nobody', 'GROUP_ID_NOT_FOUND'],
    ]);
    const tooMuch = [
      { name: 'range', metadata: Buffer.alloc(CLASSIC_GROUP_LIMITS.memberMetadataBytesMax + 1) },
    ];
    expect((await coordinator.classic.joinGroup(joinRequest({ protocols: tooMuch }))).errorCode).toBe(
      'INVALID_REQUEST',
    );
    const big = Buffer.alloc(CLASSIC_GROUP_LIMITS.assignmentBytesMax + 1);
    const sync = await coordinator.classic.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: leader,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: leader, assignment: big }],
    });
    expect(sync.errorCode).toBe('INVALID_REQUEST');
  });

  it('answers NOT_COORDINATOR for groups of partitions this broker does not lead', async () => {
    const { coordinator } = setUp();
    expect((await coordinator.classic.joinGroup(joinRequest())).errorCode).toBe('NOT_COORDINATOR');
    expect(
      (
        await coordinator.classic.syncGroup({
          groupId: 'g',
          generationId: 1,
          memberId: 'm',
          groupInstanceId: null,
          protocolType: null,
          protocolName: null,
          assignments: [],
        })
      ).errorCode,
    ).toBe('NOT_COORDINATOR');
    expect(coordinator.classic.leaveGroup({ groupId: 'g', members: [] }).errorCode).toBe('NOT_COORDINATOR');
    expect(decodeConsumerAssignment(encodeConsumerAssignment(new Map()))).toEqual(new Map());
  });
});
