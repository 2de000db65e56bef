/**
 * OffsetCommit, OffsetFetch and OffsetDelete handlers against a real group coordinator (manual clock,
 * in-memory `__consumer_offsets`), through the codec at each version: v0's commit from outside group
 * management, classic fencing, Tributary's own groups through their own path, unknown partitions,
 * v0–1's per-partition errors against v2+'s top-level error, null topic lists, v8's batched groups, and
 * OffsetDelete's answers with and without members.
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import { JoinGroup, OffsetCommit, OffsetDelete, OffsetFetch, SyncGroup } from '@tributary/kafka-protocol';
import { describe, expect, it } from 'vitest';
import { encodeConsumerSubscription } from '../../group/consumer-protocol.js';
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
import { joinGroupHandler, syncGroupHandler } from './groups-membership.js';
import { offsetCommitHandler, offsetDeleteHandler } from './groups-offset-commit.js';
import { offsetFetchHandler } from './groups-offset-fetch.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;
const G = groupOn(0);
const OTHER_GROUP = groupOn(1);

async function setUp(): Promise<GroupsFixture> {
  const fixture = groupsFixture();
  await loaded(fixture);
  return fixture;
}

interface CommitOptions {
  readonly groupId?: string;
  readonly generation?: number;
  readonly memberId?: string;
  readonly topic?: string;
  readonly partitions?: readonly { partition: number; offset: number; metadata?: string | null }[];
}

function commit(fixture: GroupsFixture, version: number, options: CommitOptions = {}) {
  return exchange(offsetCommitHandler(fixture.parts), OffsetCommit, version, {
    groupId: options.groupId ?? G,
    generationIdOrMemberEpoch: options.generation ?? -1,
    memberId: options.memberId ?? '',
    groupInstanceId: null,
    retentionTimeMs: 60_000,
    topics: [
      {
        name: options.topic ?? TOPIC,
        partitions: (options.partitions ?? [{ partition: 0, offset: 10 }]).map((p) => ({
          partitionIndex: p.partition,
          committedOffset: p.offset,
          committedLeaderEpoch: 3,
          commitTimestamp: 12_345,
          committedMetadata: p.metadata === undefined ? 'meta' : p.metadata,
        })),
      },
    ],
  });
}

function codesOf(answer: { topics: readonly { partitions: readonly { errorCode: number }[] }[] }) {
  return answer.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

function fetchOffsets(
  fixture: GroupsFixture,
  version: number,
  topics: { name: string; partitionIndexes: number[] }[] | null,
  groupId = G,
) {
  return exchange(offsetFetchHandler(fixture.parts), OffsetFetch, version, {
    groupId,
    topics,
    groups: [],
    requireStable: true,
  });
}

/** A classic member of G at generation 1 (v3 join: no MEMBER_ID_REQUIRED round), its group Stable. */
async function classicMember(fixture: GroupsFixture, protocolType = 'consumer'): Promise<string> {
  const join = exchange(joinGroupHandler(fixture.parts), JoinGroup, 3, {
    groupId: G,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    groupInstanceId: null,
    protocolType,
    protocols: [{ name: 'range', metadata: encodeConsumerSubscription([TOPIC]) }],
  });
  for (let i = 0; i < 3; i++) {
    await Promise.resolve();
    fixture.tick(100);
  }
  const { memberId } = await join;
  await exchange(syncGroupHandler(fixture.parts), SyncGroup, 3, {
    groupId: G,
    generationId: 1,
    memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  return memberId;
}

describe('OffsetCommit', () => {
  it('v0 commits from outside group management; v1 timestamps and v2-4 retention times are ignored', async () => {
    const fixture = await setUp();
    for (const [version, partition] of [
      [0, 0],
      [1, 1],
      [2, 2],
      [8, 3],
    ] as const) {
      const answer = await commit(fixture, version, {
        partitions: [{ partition, offset: 10 + partition, metadata: null }],
      });
      expect(codesOf(answer)).toEqual([0]);
    }
    const stored = fixture.coordinator.fetchOffsets(G, null);
    expect(stored.map((c) => [c.partition, c.offset, c.metadata])).toEqual([
      [0, 10, ''],
      [1, 11, ''],
      [2, 12, ''],
      [3, 13, ''],
    ]);
    // The commit time is the broker's, whatever v1 sent; retention counts from it.
    expect(new Set(stored.map((c) => c.commitTimestampMs))).toEqual(new Set([fixture.clock.wallMs()]));
    // The leader epoch travels from v6 on.
    expect(stored.map((c) => c.leaderEpoch)).toEqual([-1, -1, -1, 3]);
  });

  it('fences classic members: unknown member, stale generation, a commit from outside while members are in', async () => {
    const fixture = await setUp();
    const member = await classicMember(fixture);
    expect(codesOf(await commit(fixture, 7, { generation: 1, memberId: member }))).toEqual([0]);
    expect(codesOf(await commit(fixture, 7, { generation: 2, memberId: member }))).toEqual([
      code('ILLEGAL_GENERATION'),
    ]);
    expect(codesOf(await commit(fixture, 7, { generation: 1, memberId: 'nobody' }))).toEqual([
      code('UNKNOWN_MEMBER_ID'),
    ]);
    // Kafka's classic groups answer a commit from outside group management so while members are in.
    expect(codesOf(await commit(fixture, 1))).toEqual([code('UNKNOWN_MEMBER_ID')]);
  });

  it('refuses partitions alone: unknown topics and partitions, negative offsets', async () => {
    const fixture = await setUp();
    const answer = await commit(fixture, 5, {
      partitions: [
        { partition: 0, offset: 5 },
        { partition: 99, offset: 5 },
        { partition: 1, offset: -7 },
      ],
    });
    expect(codesOf(answer)).toEqual([0, code('UNKNOWN_TOPIC_OR_PARTITION'), code('INVALID_REQUEST')]);
    expect(codesOf(await commit(fixture, 5, { topic: 'missing' }))).toEqual([
      code('UNKNOWN_TOPIC_OR_PARTITION'),
    ]);
    expect(fixture.coordinator.fetchOffsets(G, null).map((c) => c.partition)).toEqual([0]);
  });

  it("commits into a group of Tributary's own protocol go through its path: member id and member epoch", async () => {
    const fixture = await setUp();
    const joined = fixture.coordinator.heartbeat(G, {
      memberId: 'tributary-member',
      memberEpoch: 0,
      clientId: 'trib',
      subscribedTopics: [TOPIC],
      assignor: '',
      rebalanceTimeoutMs: 0,
      sessionTimeoutMs: 0,
      ownedPartitions: [],
    });
    const asMember = { memberId: 'tributary-member', generation: joined.memberEpoch };
    expect(codesOf(await commit(fixture, 8, asMember))).toEqual([0]);
    expect(codesOf(await commit(fixture, 8, { ...asMember, generation: joined.memberEpoch + 5 }))).toEqual([
      code('STALE_MEMBER_EPOCH'),
    ]);
    expect(codesOf(await commit(fixture, 8, { ...asMember, memberId: 'other' }))).toEqual([
      code('UNKNOWN_MEMBER_ID'),
    ]);
    // As `trib groups reset-offsets` is refused while members are in.
    expect(codesOf(await commit(fixture, 2))).toEqual([code('GROUP_NOT_EMPTY')]);
  });

  it('answers every partition with the group-level error: not coordinator, no coordinator', async () => {
    const fixture = await setUp();
    const elsewhere = groupOn(PARTITION_OF_BROKER_2);
    const two = [
      { partition: 0, offset: 1 },
      { partition: 1, offset: 1 },
    ];
    expect(codesOf(await commit(fixture, 3, { groupId: elsewhere, partitions: two }))).toEqual([
      code('NOT_COORDINATOR'),
      code('NOT_COORDINATOR'),
    ]);
    const image = groupsImage();
    const parts = groupParts(null, { currentImage: () => image, onImage: () => () => undefined });
    const answer = await commit({ ...fixture, parts }, 3, { partitions: two });
    expect(codesOf(answer)).toEqual([code('COORDINATOR_NOT_AVAILABLE'), code('COORDINATOR_NOT_AVAILABLE')]);
  });
});

describe('OffsetFetch', () => {
  it('answers named partitions, -1 for those without a commit; null topics (v2+) = every commit', async () => {
    const fixture = await setUp();
    await commit(fixture, 6, { partitions: [{ partition: 2, offset: 42 }] });
    await commit(fixture, 6, { topic: 'other', partitions: [{ partition: 1, offset: 7 }] });
    for (const version of [0, 1, 5, 7]) {
      const answer = await fetchOffsets(fixture, version, [{ name: TOPIC, partitionIndexes: [2, 3] }]);
      expect(answer.errorCode).toBe(0);
      expect(answer.topics).toEqual([
        {
          name: TOPIC,
          partitions: [
            {
              partitionIndex: 2,
              committedOffset: 42,
              committedLeaderEpoch: version >= 5 ? 3 : -1,
              metadata: 'meta',
              errorCode: 0,
            },
            { partitionIndex: 3, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          ],
        },
      ]);
    }
    const all = await fetchOffsets(fixture, 2, null);
    expect(
      all.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset])]),
    ).toEqual([
      [TOPIC, [[2, 42]]],
      ['other', [[1, 7]]],
    ]);
  });

  it('a group-level error is in each partition for v0-1, at the top with no partitions from v2', async () => {
    const fixture = await setUp();
    const elsewhere = groupOn(PARTITION_OF_BROKER_2);
    const topics = [{ name: TOPIC, partitionIndexes: [0, 1] }];
    const v1 = await fetchOffsets(fixture, 1, topics, elsewhere);
    expect(v1.topics[0]?.partitions.map((p) => [p.committedOffset, p.errorCode])).toEqual([
      [-1, code('NOT_COORDINATOR')],
      [-1, code('NOT_COORDINATOR')],
    ]);
    const v3 = await fetchOffsets(fixture, 3, topics, elsewhere);
    expect(v3).toMatchObject({ errorCode: code('NOT_COORDINATOR'), topics: [] });
    const invalid = await fetchOffsets(fixture, 6, topics, '');
    expect(invalid.errorCode).toBe(code('INVALID_GROUP_ID'));
  });

  it('v8 batches groups, each answered on its own', async () => {
    const fixture = await setUp();
    await commit(fixture, 8, { partitions: [{ partition: 0, offset: 5 }] });
    const answer = await exchange(offsetFetchHandler(fixture.parts), OffsetFetch, 8, {
      groupId: '',
      topics: null,
      groups: [
        { groupId: G, topics: null },
        { groupId: OTHER_GROUP, topics: [{ name: TOPIC, partitionIndexes: [0] }] },
        { groupId: groupOn(PARTITION_OF_BROKER_2), topics: null },
      ],
      requireStable: false,
    });
    expect(
      answer.groups.map((g) => [
        g.groupId,
        g.errorCode,
        g.topics.flatMap((t) => t.partitions.map((p) => p.committedOffset)),
      ]),
    ).toEqual([
      [G, 0, [5]],
      [OTHER_GROUP, 0, [-1]],
      [groupOn(PARTITION_OF_BROKER_2), code('NOT_COORDINATOR'), []],
    ]);
  });
});

describe('OffsetDelete', () => {
  function deleteOffsets(
    fixture: GroupsFixture,
    topics: { name: string; partitions: number[] }[],
    groupId = G,
  ) {
    return exchange(offsetDeleteHandler(fixture.parts), OffsetDelete, 0, {
      groupId,
      topics: topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((partitionIndex) => ({ partitionIndex })),
      })),
    });
  }

  it('deletes the offsets of a group without members; unknown partitions are refused alone', async () => {
    const fixture = await setUp();
    await commit(fixture, 8, {
      partitions: [
        { partition: 0, offset: 5 },
        { partition: 1, offset: 6 },
      ],
    });
    const answer = await deleteOffsets(fixture, [{ name: TOPIC, partitions: [0, 42] }]);
    expect(answer.errorCode).toBe(0);
    expect(codesOf(answer)).toEqual([0, code('UNKNOWN_TOPIC_OR_PARTITION')]);
    expect(fixture.coordinator.fetchOffsets(G, null).map((c) => c.partition)).toEqual([1]);
  });

  it('a group that does not exist: GROUP_ID_NOT_FOUND at the top', async () => {
    const fixture = await setUp();
    const answer = await deleteOffsets(fixture, [{ name: TOPIC, partitions: [0] }], OTHER_GROUP);
    expect(answer).toMatchObject({ errorCode: code('GROUP_ID_NOT_FOUND'), topics: [] });
  });

  it('with consumer members: GROUP_SUBSCRIBED_TO_TOPIC for their topics, GROUP_NOT_EMPTY for the others', async () => {
    const fixture = await setUp();
    await commit(fixture, 8, { topic: 'other', partitions: [{ partition: 0, offset: 1 }] });
    await classicMember(fixture);
    const answer = await deleteOffsets(fixture, [
      { name: TOPIC, partitions: [0] },
      { name: 'other', partitions: [0] },
    ]);
    expect(answer.errorCode).toBe(0);
    expect(codesOf(answer)).toEqual([code('GROUP_SUBSCRIBED_TO_TOPIC'), code('GROUP_NOT_EMPTY')]);
    expect(fixture.coordinator.fetchOffsets(G, null)).toHaveLength(1);
  });

  it('with members of another protocol type: GROUP_NOT_EMPTY at the top, as Kafka', async () => {
    const fixture = await setUp();
    await classicMember(fixture, 'connect');
    const answer = await deleteOffsets(fixture, [{ name: TOPIC, partitions: [0] }]);
    expect(answer).toMatchObject({ errorCode: code('GROUP_NOT_EMPTY'), topics: [] });
  });
});
