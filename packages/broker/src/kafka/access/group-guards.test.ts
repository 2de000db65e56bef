/**
 * The group APIs through the real registry, handlers and group coordinator with an authorizer on: alice
 * may Read and Describe groups `g-*` and Read/Describe topic `orders` (not `other`); admin is a super user.
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import {
  DeleteGroups,
  DescribeGroups,
  FindCoordinator,
  Heartbeat,
  ListGroups,
  OffsetCommit,
  OffsetFetch,
} from '@tributary/kafka-protocol';
import type { RequestCaller } from '@tributary/security';
import { describe, expect, it } from 'vitest';
import { groupOn, groupsFixture, loaded, TOPIC } from '../../group/testing/kafka-groups-fixture.js';
import type { KafkaApiRegistry } from '../registry.js';
import { kafkaRegistry } from '../server.js';
import { ADMIN, ALICE, accessControl, askAs } from './testing.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;
const G = groupOn(0);
const NOBODY = groupOn(2, 'nobody');
const OTHER_TOPIC = 'other';

async function setUp(): Promise<KafkaApiRegistry> {
  const fixture = groupsFixture();
  await loaded(fixture);
  return kafkaRegistry({ ...fixture.parts, access: accessControl().access });
}

function commit(registry: KafkaApiRegistry, who: RequestCaller, groupId: string, topics: readonly string[]) {
  return askAs(registry, who, OffsetCommit, 2, {
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: topics.map((name) => ({
      name,
      partitions: [
        {
          partitionIndex: 0,
          committedOffset: 1,
          committedLeaderEpoch: -1,
          commitTimestamp: -1,
          committedMetadata: null,
        },
      ],
    })),
  });
}

const codesOf = (topics: readonly { name: string; partitions: readonly { errorCode: number }[] }[]) =>
  Object.fromEntries(topics.map((t) => [t.name, t.partitions.map((p) => p.errorCode)]));

describe('group membership', () => {
  it('needs Read on the group', async () => {
    const registry = await setUp();
    const body = { groupId: NOBODY, generationId: 1, memberId: 'm-1', groupInstanceId: null };
    expect((await askAs(registry, ALICE, Heartbeat, 4, body)).errorCode).toBe(
      code('GROUP_AUTHORIZATION_FAILED'),
    );
    const allowed = await askAs(registry, ALICE, Heartbeat, 4, { ...body, groupId: G });
    expect(allowed.errorCode).not.toBe(code('GROUP_AUTHORIZATION_FAILED'));
  });

  it('FindCoordinator needs Describe on each group key (v4 per key, v0-3 whole)', async () => {
    const registry = await setUp();
    const v4 = await askAs(registry, ALICE, FindCoordinator, 4, {
      key: '',
      keyType: 0,
      coordinatorKeys: [G, NOBODY],
    });
    expect(v4.coordinators.map((c) => [c.key, c.errorCode])).toEqual([
      [G, 0],
      [NOBODY, code('GROUP_AUTHORIZATION_FAILED')],
    ]);
    const v3 = await askAs(registry, ALICE, FindCoordinator, 3, {
      key: NOBODY,
      keyType: 0,
      coordinatorKeys: [],
    });
    expect([v3.errorCode, v3.nodeId]).toEqual([code('GROUP_AUTHORIZATION_FAILED'), -1]);
  });
});

describe('offsets', () => {
  it('OffsetCommit: a group the caller may not Read refuses every partition', async () => {
    const registry = await setUp();
    const response = await commit(registry, ALICE, NOBODY, [TOPIC, OTHER_TOPIC]);
    expect(codesOf(response.topics)).toEqual({
      [TOPIC]: [code('GROUP_AUTHORIZATION_FAILED')],
      [OTHER_TOPIC]: [code('GROUP_AUTHORIZATION_FAILED')],
    });
  });

  it('OffsetCommit: topics the caller may not Read are refused, the others committed', async () => {
    const registry = await setUp();
    const response = await commit(registry, ALICE, G, [TOPIC, OTHER_TOPIC]);
    expect(codesOf(response.topics)).toEqual({
      [TOPIC]: [0],
      [OTHER_TOPIC]: [code('TOPIC_AUTHORIZATION_FAILED')],
    });
  });

  it('OffsetFetch v8: per group; "every topic" leaves out the topics the caller may not Describe', async () => {
    const registry = await setUp();
    await commit(registry, ADMIN, G, [TOPIC, OTHER_TOPIC]);
    const response = await askAs(registry, ALICE, OffsetFetch, 8, {
      groupId: '',
      topics: null,
      groups: [
        { groupId: G, topics: null },
        { groupId: NOBODY, topics: null },
      ],
      requireStable: false,
    });
    expect(response.groups.map((g) => [g.groupId, g.errorCode, g.topics.map((t) => t.name)])).toEqual([
      [G, 0, [TOPIC]],
      [NOBODY, code('GROUP_AUTHORIZATION_FAILED'), []],
    ]);
    const named = await askAs(registry, ALICE, OffsetFetch, 7, {
      groupId: G,
      topics: [
        { name: TOPIC, partitionIndexes: [0] },
        { name: OTHER_TOPIC, partitionIndexes: [0] },
      ],
      groups: [],
      requireStable: false,
    });
    expect(codesOf(named.topics)).toEqual({
      [TOPIC]: [0],
      [OTHER_TOPIC]: [code('TOPIC_AUTHORIZATION_FAILED')],
    });
  });
});

describe('group admin', () => {
  it('ListGroups: all with Describe on the cluster, else only the groups the caller may Describe', async () => {
    const registry = await setUp();
    await commit(registry, ADMIN, G, [TOPIC]);
    await commit(registry, ADMIN, NOBODY, [TOPIC]);
    const asAdmin = await askAs(registry, ADMIN, ListGroups, 4, { statesFilter: [] });
    expect(asAdmin.groups.map((g) => g.groupId).sort()).toEqual([G, NOBODY].sort());
    const asAlice = await askAs(registry, ALICE, ListGroups, 4, { statesFilter: [] });
    expect(asAlice.groups.map((g) => g.groupId)).toEqual([G]);
  });

  it('DescribeGroups and DeleteGroups: per group', async () => {
    const registry = await setUp();
    const described = await askAs(registry, ALICE, DescribeGroups, 5, {
      groups: [G, NOBODY],
      includeAuthorizedOperations: false,
    });
    expect(described.groups.map((g) => [g.groupId, g.errorCode])).toEqual([
      [G, 0],
      [NOBODY, code('GROUP_AUTHORIZATION_FAILED')],
    ]);
    const deleted = await askAs(registry, ALICE, DeleteGroups, 2, { groupsNames: [NOBODY] });
    expect(deleted.results).toEqual([{ groupId: NOBODY, errorCode: code('GROUP_AUTHORIZATION_FAILED') }]);
  });
});
