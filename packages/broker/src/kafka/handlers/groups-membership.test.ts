/**
 * JoinGroup, SyncGroup, Heartbeat and LeaveGroup handlers against a real group coordinator (manual clock,
 * in-memory `__consumer_offsets`), every request and answer passed through the codec at its version: what
 * each version sends and receives (v0's rebalance timeout, v4's MEMBER_ID_REQUIRED, v5's static members,
 * v7's nullable protocol fields, LeaveGroup v3's batches) and the error paths (no coordinator, not the
 * coordinator, loading, the other protocol using the group).
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from '@tributary/kafka-protocol';
import { describe, expect, it, vi } from 'vitest';
import { encodeConsumerAssignment, encodeConsumerSubscription } from '../../group/consumer-protocol.js';
import {
  exchange,
  type GroupsFixture,
  groupOn,
  groupParts,
  groupsFixture,
  groupsImage,
  loaded,
  PARTITION_OF_BROKER_2,
  TOPIC,
} from '../../group/testing/kafka-groups-fixture.js';
import {
  heartbeatHandler,
  joinGroupHandler,
  leaveGroupHandler,
  syncGroupHandler,
} from './groups-membership.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;
const SUBSCRIPTION = encodeConsumerSubscription([TOPIC]);
/** A group this broker coordinates (its `__consumer_offsets` partition is led here). */
const G = groupOn(0);

async function setUp(): Promise<GroupsFixture> {
  const fixture = groupsFixture();
  await loaded(fixture);
  return fixture;
}

function joinBody(overrides: { memberId?: string; groupInstanceId?: string | null; groupId?: string } = {}) {
  return {
    groupId: overrides.groupId ?? G,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId: overrides.memberId ?? '',
    groupInstanceId: overrides.groupInstanceId ?? null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: SUBSCRIPTION }],
  };
}

/** A JoinGroup that waits for the rebalance: the initial delay (100 ms) is run out on the manual clock. */
async function joinAndWait(fixture: GroupsFixture, version: number, body: ReturnType<typeof joinBody>) {
  const answer = exchange(joinGroupHandler(fixture.parts), JoinGroup, version, body);
  for (let i = 0; i < 3; i++) {
    await Promise.resolve();
    fixture.tick(100);
  }
  return answer;
}

function syncBody(
  memberId: string,
  generationId: number,
  assignments: { memberId: string; assignment: Buffer }[],
) {
  return {
    groupId: G,
    generationId,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments,
  };
}

describe('JoinGroup', () => {
  it('v4+: a new member gets MEMBER_ID_REQUIRED with its id, then joins with it as leader of generation 1', async () => {
    const fixture = await setUp();
    for (const version of [4, 5, 6, 7]) {
      const groupId = groupOn(0, `g-v${version}`);
      const first = await exchange(
        joinGroupHandler(fixture.parts),
        JoinGroup,
        version,
        joinBody({ groupId }),
      );
      expect(first).toMatchObject({ errorCode: code('MEMBER_ID_REQUIRED'), generationId: -1, leader: '' });
      expect(first.memberId).toMatch(/^test-client-/);
      const joined = await joinAndWait(fixture, version, joinBody({ groupId, memberId: first.memberId }));
      expect(joined).toMatchObject({
        errorCode: 0,
        generationId: 1,
        protocolName: 'range',
        leader: first.memberId,
        memberId: first.memberId,
      });
      expect(joined.members.map((m) => [m.memberId, Buffer.from(m.metadata).equals(SUBSCRIPTION)])).toEqual([
        [first.memberId, true],
      ]);
      // v7 names the protocol type (KIP-559); older versions have no such field.
      expect(joined.protocolType).toBe(version >= 7 ? 'consumer' : null);
    }
  });

  it('v0-3: a new member joins at once; v0 has no rebalance timeout, so the session timeout serves', async () => {
    const fixture = await setUp();
    const joinGroup = vi.spyOn(fixture.coordinator.classic, 'joinGroup');
    for (const version of [0, 1, 3]) {
      const joined = await joinAndWait(fixture, version, joinBody({ groupId: groupOn(0, `g-v${version}`) }));
      expect(joined).toMatchObject({ errorCode: 0, generationId: 1, protocolName: 'range' });
      expect(joined.leader).toBe(joined.memberId);
    }
    expect(
      joinGroup.mock.calls.map(([request]) => [request.rebalanceTimeoutMs, request.requireKnownMemberId]),
    ).toEqual([
      [10_000, false],
      [30_000, false],
      [30_000, false],
    ]);
    // Kafka's client host form, as its tools print it.
    expect(joinGroup.mock.calls[0]?.[0]).toMatchObject({ clientId: 'test-client', clientHost: '/127.0.0.1' });
  });

  it('v5+: a static member joins with its instance id, which the leader sees for every member', async () => {
    const fixture = await setUp();
    const joined = await joinAndWait(fixture, 5, joinBody({ groupInstanceId: 'instance-a' }));
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(joined.memberId).toMatch(/^instance-a-/);
    expect(joined.members.map((m) => m.groupInstanceId)).toEqual(['instance-a']);
  });

  it('answers errors with no protocol name: "" before v7, null from v7 (nullable there only)', async () => {
    const fixture = await setUp();
    const bad = { ...joinBody(), sessionTimeoutMs: 1 };
    const v6 = await exchange(joinGroupHandler(fixture.parts), JoinGroup, 6, bad);
    const v7 = await exchange(joinGroupHandler(fixture.parts), JoinGroup, 7, bad);
    expect(v6).toMatchObject({
      errorCode: code('INVALID_SESSION_TIMEOUT'),
      protocolName: '',
      generationId: -1,
    });
    expect(v7).toMatchObject({
      errorCode: code('INVALID_SESSION_TIMEOUT'),
      protocolName: null,
      protocolType: null,
    });
  });

  it("refuses a group that members of Tributary's own protocol use (INCONSISTENT_GROUP_PROTOCOL)", async () => {
    const fixture = await setUp();
    fixture.coordinator.heartbeat(G, {
      memberId: 'tributary-member',
      memberEpoch: 0,
      clientId: 'trib',
      subscribedTopics: [TOPIC],
      assignor: '',
      rebalanceTimeoutMs: 0,
      sessionTimeoutMs: 0,
      ownedPartitions: [],
    });
    const joined = await exchange(joinGroupHandler(fixture.parts), JoinGroup, 5, joinBody());
    expect(joined.errorCode).toBe(code('INCONSISTENT_GROUP_PROTOCOL'));
  });
});

describe('SyncGroup and Heartbeat', () => {
  async function stableLeader(fixture: GroupsFixture) {
    const joined = await joinAndWait(fixture, 3, joinBody());
    return joined.memberId;
  }

  it("the leader's SyncGroup hands out its assignment (v0-5); heartbeats then succeed (v0-4)", async () => {
    for (const version of [0, 3, 4, 5]) {
      const fixture = await setUp();
      const leader = await stableLeader(fixture);
      const assignment = encodeConsumerAssignment(new Map([[TOPIC, [0, 1, 2]]]));
      const synced = await exchange(
        syncGroupHandler(fixture.parts),
        SyncGroup,
        version,
        syncBody(leader, 1, [{ memberId: leader, assignment }]),
      );
      expect(synced.errorCode).toBe(0);
      expect(Buffer.from(synced.assignment).equals(assignment)).toBe(true);
      // v5 echoes the protocol (KIP-559); earlier versions have no such fields.
      expect([synced.protocolType, synced.protocolName]).toEqual(
        version >= 5 ? ['consumer', 'range'] : [null, null],
      );
      for (const heartbeatVersion of [0, 4]) {
        const beat = await exchange(heartbeatHandler(fixture.parts), Heartbeat, heartbeatVersion, {
          groupId: G,
          generationId: 1,
          memberId: leader,
          groupInstanceId: null,
        });
        expect(beat.errorCode).toBe(0);
      }
    }
  });

  it('v5 checks the protocol the member names; older versions cannot name one', async () => {
    const fixture = await setUp();
    const leader = await stableLeader(fixture);
    const wrong = { ...syncBody(leader, 1, []), protocolName: 'roundrobin' };
    const v5 = await exchange(syncGroupHandler(fixture.parts), SyncGroup, 5, wrong);
    expect(v5.errorCode).toBe(code('INCONSISTENT_GROUP_PROTOCOL'));
    const v4 = await exchange(syncGroupHandler(fixture.parts), SyncGroup, 4, wrong);
    expect(v4.errorCode).toBe(0);
  });

  it('heartbeats of unknown members, stale generations and rebalances answer as Kafka', async () => {
    const fixture = await setUp();
    const leader = await stableLeader(fixture);
    await exchange(syncGroupHandler(fixture.parts), SyncGroup, 3, syncBody(leader, 1, []));
    const beat = (memberId: string, generationId: number) =>
      exchange(heartbeatHandler(fixture.parts), Heartbeat, 3, {
        groupId: G,
        generationId,
        memberId,
        groupInstanceId: null,
      });
    expect((await beat('nobody', 1)).errorCode).toBe(code('UNKNOWN_MEMBER_ID'));
    expect((await beat(leader, 7)).errorCode).toBe(code('ILLEGAL_GENERATION'));
    // A second member's join starts a rebalance: the leader's heartbeat tells it to rejoin.
    const second = exchange(joinGroupHandler(fixture.parts), JoinGroup, 3, joinBody());
    await Promise.resolve();
    expect((await beat(leader, 1)).errorCode).toBe(code('REBALANCE_IN_PROGRESS'));
    const rejoined = await joinAndWait(fixture, 3, joinBody({ memberId: leader }));
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: 2 });
    expect((await second).generationId).toBe(2);
  });
});

describe('LeaveGroup', () => {
  it('v0-2 name one member and answer with its outcome', async () => {
    const fixture = await setUp();
    const leader = (await joinAndWait(fixture, 3, joinBody())).memberId;
    const leave = (version: number, memberId: string) =>
      exchange(leaveGroupHandler(fixture.parts), LeaveGroup, version, { groupId: G, memberId, members: [] });
    expect((await leave(0, 'nobody')).errorCode).toBe(code('UNKNOWN_MEMBER_ID'));
    const left = await leave(2, leader);
    expect(left).toMatchObject({ errorCode: 0, members: [] });
    // Its last member gone and no offsets committed, the group is forgotten.
    expect(fixture.coordinator.classic.describeGroup(G)).toMatchObject({ state: 'Dead', members: [] });
  });

  it('v3+ batch members (KIP-345) and answer each; the group-level code stays 0', async () => {
    const fixture = await setUp();
    const member = (await joinAndWait(fixture, 5, joinBody({ groupInstanceId: 'static-1' }))).memberId;
    for (const version of [3, 4]) {
      const left = await exchange(leaveGroupHandler(fixture.parts), LeaveGroup, version, {
        groupId: G,
        memberId: '',
        members: [
          { memberId: 'nobody', groupInstanceId: null },
          { memberId: version === 3 ? member : '', groupInstanceId: 'static-1' },
        ],
      });
      expect(left.errorCode).toBe(0);
      expect(left.members.map((m) => [m.memberId, m.groupInstanceId, m.errorCode])).toEqual([
        ['nobody', null, code('UNKNOWN_MEMBER_ID')],
        [version === 3 ? member : '', 'static-1', version === 3 ? 0 : code('UNKNOWN_MEMBER_ID')],
      ]);
    }
  });
});

describe('coordinator errors', () => {
  const requests = (groupId: string) =>
    [
      [joinGroupHandler, JoinGroup, 7, joinBody({ groupId })],
      [syncGroupHandler, SyncGroup, 5, { ...syncBody('m', 1, []), groupId }],
      [heartbeatHandler, Heartbeat, 4, { groupId, generationId: 1, memberId: 'm', groupInstanceId: null }],
      [
        leaveGroupHandler,
        LeaveGroup,
        4,
        { groupId, memberId: '', members: [{ memberId: 'm', groupInstanceId: null }] },
      ],
    ] as const;

  async function codes(fixture: GroupsFixture | { parts: GroupsFixture['parts'] }, groupId: string) {
    return Promise.all(
      requests(groupId).map(async ([handler, api, version, body]) => {
        const answer = await exchange(handler(fixture.parts), api, version, body as never);
        return (answer as { errorCode: number }).errorCode;
      }),
    );
  }

  it('a broker without a group coordinator answers COORDINATOR_NOT_AVAILABLE', async () => {
    const image = groupsImage();
    const parts = groupParts(null, { currentImage: () => image, onImage: () => () => undefined });
    expect(await codes({ parts }, 'g')).toEqual(Array(4).fill(code('COORDINATOR_NOT_AVAILABLE')));
  });

  it('NOT_COORDINATOR for a group another broker coordinates; COORDINATOR_LOAD_IN_PROGRESS while loading', async () => {
    const fixture = await setUp();
    expect(await codes(fixture, groupOn(PARTITION_OF_BROKER_2))).toEqual(
      Array(4).fill(code('NOT_COORDINATOR')),
    );
    const slow = groupsFixture();
    slow.dataPlane.gate = new Promise(() => undefined);
    slow.lead(0);
    expect(await codes(slow, groupOn(0))).toEqual(Array(4).fill(code('COORDINATOR_LOAD_IN_PROGRESS')));
  });
});
