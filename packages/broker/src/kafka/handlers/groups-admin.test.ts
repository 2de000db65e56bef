/**
 * FindCoordinator, ListGroups, DescribeGroups and DeleteGroups handlers against a real group coordinator,
 * through the codec at each version: coordinators named by their Kafka address (never a broker missing
 * from Metadata), v4's batched keys, transactional keys refused, v4's state filter, unknown groups Dead,
 * and deletion's per-group answers.
 */
import { ERROR_CODES, type ErrorCode } from '@tributary/core';
import {
  DeleteGroups,
  DescribeGroups,
  FindCoordinator,
  JoinGroup,
  ListGroups,
  OffsetCommit,
} from '@tributary/kafka-protocol';
import { describe, expect, it } from 'vitest';
import { encodeConsumerSubscription } from '../../group/consumer-protocol.js';
import {
  exchange,
  type GroupsFixture,
  groupOn,
  groupParts,
  groupsFixture,
  groupsImage,
  KAFKA_HOST,
  KAFKA_PORT,
  loaded,
  PARTITION_OF_BROKER_2,
  TOPIC,
} from '../../group/testing/kafka-groups-fixture.js';
import { FakeTransactions } from '../testing/fake-transactions.js';
import { deleteGroupsHandler, describeGroupsHandler, listGroupsHandler } from './groups-admin.js';
import { findCoordinatorHandler } from './groups-find-coordinator.js';
import { joinGroupHandler } from './groups-membership.js';
import { offsetCommitHandler } from './groups-offset-commit.js';

const code = (name: ErrorCode): number => ERROR_CODES[name].kafka;
const G = groupOn(0);
const EMPTY_GROUP = groupOn(1);
const NOBODY = groupOn(2, 'nobody');

async function setUp(): Promise<GroupsFixture> {
  const fixture = groupsFixture();
  await loaded(fixture);
  return fixture;
}

function find(fixture: Pick<GroupsFixture, 'parts'>, version: number, key: string, keyType = 0) {
  return exchange(findCoordinatorHandler(fixture.parts), FindCoordinator, version, {
    key,
    keyType,
    coordinatorKeys: [key],
  });
}

/** G gets a classic member waiting in its first rebalance; EMPTY_GROUP gets a committed offset only. */
async function twoGroups(fixture: GroupsFixture): Promise<void> {
  void exchange(joinGroupHandler(fixture.parts), JoinGroup, 5, {
    groupId: G,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    groupInstanceId: 'instance-1',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: encodeConsumerSubscription([TOPIC]) }],
  });
  await exchange(offsetCommitHandler(fixture.parts), OffsetCommit, 2, {
    groupId: EMPTY_GROUP,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [
      {
        name: TOPIC,
        partitions: [
          {
            partitionIndex: 0,
            committedOffset: 1,
            committedLeaderEpoch: -1,
            commitTimestamp: -1,
            committedMetadata: null,
          },
        ],
      },
    ],
  });
}

describe('FindCoordinator', () => {
  it('v0-3 name the coordinator by its Kafka address', async () => {
    const fixture = await setUp();
    for (const version of [0, 1, 2, 3]) {
      const answer = await find(fixture, version, G);
      expect(answer).toMatchObject({ errorCode: 0, nodeId: 1, host: KAFKA_HOST, port: KAFKA_PORT });
      expect(answer.errorMessage).toBeNull();
    }
  });

  it('v4 answers each key on its own (KIP-699)', async () => {
    const fixture = await setUp();
    const answer = await exchange(findCoordinatorHandler(fixture.parts), FindCoordinator, 4, {
      key: '',
      keyType: 0,
      coordinatorKeys: [G, '', groupOn(PARTITION_OF_BROKER_2)],
    });
    expect(answer.coordinators.map((c) => [c.key, c.nodeId, c.host, c.port, c.errorCode])).toEqual([
      [G, 1, KAFKA_HOST, KAFKA_PORT, 0],
      ['', -1, '', -1, code('INVALID_GROUP_ID')],
      // Broker 2 leads that group's partition but has no Kafka listener: it is not in Metadata.
      [groupOn(PARTITION_OF_BROKER_2), -1, '', -1, code('COORDINATOR_NOT_AVAILABLE')],
    ]);
    expect(answer.coordinators[2]?.errorMessage).toContain('has no Kafka listener');
  });

  it('locates transactional ids through the transaction coordinator, and refuses unknown key types', async () => {
    const fixture = await setUp();
    expect(await find(fixture, 3, 'txn-1', 1)).toMatchObject({
      errorCode: code('COORDINATOR_NOT_AVAILABLE'),
      nodeId: -1,
    });
    const transactions = new FakeTransactions();
    const parts = { ...fixture.parts, transactions };
    expect(await find({ parts }, 3, 'txn-1', 1)).toMatchObject({
      errorCode: 0,
      nodeId: 1,
      host: KAFKA_HOST,
      port: KAFKA_PORT,
    });
    transactions.failWith = 'COORDINATOR_LOAD_IN_PROGRESS';
    const v4 = await find({ parts }, 4, 'txn-1', 1);
    expect(v4.coordinators[0]).toMatchObject({ errorCode: code('COORDINATOR_LOAD_IN_PROGRESS'), nodeId: -1 });
    expect(transactions.calls.map((c) => c.request)).toEqual(['txn-1', 'txn-1']);
    expect((await find(fixture, 2, 'x', 7)).errorCode).toBe(code('INVALID_REQUEST'));
  });

  it('without a coordinator, or while the internal topic cannot be made: COORDINATOR_NOT_AVAILABLE', async () => {
    const image = groupsImage();
    const parts = groupParts(null, { currentImage: () => image, onImage: () => () => undefined });
    expect((await find({ parts }, 0, G)).errorCode).toBe(code('COORDINATOR_NOT_AVAILABLE'));
  });
});

describe('ListGroups', () => {
  it('lists the groups this broker coordinates; v4 filters by state, case-insensitively', async () => {
    const fixture = await setUp();
    await twoGroups(fixture);
    const all = await exchange(listGroupsHandler(fixture.parts), ListGroups, 0, { statesFilter: [] });
    expect(all.errorCode).toBe(0);
    expect(all.groups.map((g) => [g.groupId, g.protocolType]).sort()).toEqual(
      [
        [EMPTY_GROUP, ''],
        [G, 'consumer'],
      ].sort(),
    );
    const empty = await exchange(listGroupsHandler(fixture.parts), ListGroups, 4, {
      statesFilter: ['empty'],
    });
    expect(empty.groups).toEqual([{ groupId: EMPTY_GROUP, protocolType: '', groupState: 'Empty' }]);
    // Before v4 there is no filter: whatever a client encodes, every group is listed.
    const v3 = await exchange(listGroupsHandler(fixture.parts), ListGroups, 3, { statesFilter: ['Stable'] });
    expect(v3.groups).toHaveLength(2);
  });
});

describe('DescribeGroups', () => {
  it('describes each group; an unknown one is Dead with no error (Kafka before v6)', async () => {
    const fixture = await setUp();
    await twoGroups(fixture);
    for (const version of [0, 4, 5]) {
      const answer = await exchange(describeGroupsHandler(fixture.parts), DescribeGroups, version, {
        groups: [G, EMPTY_GROUP, NOBODY, groupOn(PARTITION_OF_BROKER_2)],
        includeAuthorizedOperations: true,
      });
      expect(answer.groups.map((g) => [g.groupId, g.errorCode, g.groupState, g.protocolType])).toEqual([
        [G, 0, 'PreparingRebalance', 'consumer'],
        [EMPTY_GROUP, 0, 'Empty', ''],
        [NOBODY, 0, 'Dead', ''],
        [groupOn(PARTITION_OF_BROKER_2), code('NOT_COORDINATOR'), 'Dead', ''],
      ]);
      const member = answer.groups[0]?.members[0];
      // v4 adds static instance ids; metadata and assignments only while Stable (Kafka's rule).
      expect(member).toMatchObject({ clientId: 'test-client', clientHost: '/127.0.0.1' });
      expect(member?.groupInstanceId).toBe(version >= 4 ? 'instance-1' : null);
      expect(member?.memberMetadata).toHaveLength(0);
    }
  });

  it('without a coordinator, each group answers COORDINATOR_NOT_AVAILABLE', async () => {
    const image = groupsImage();
    const parts = groupParts(null, { currentImage: () => image, onImage: () => () => undefined });
    const answer = await exchange(describeGroupsHandler(parts), DescribeGroups, 5, {
      groups: [G],
      includeAuthorizedOperations: false,
    });
    expect(answer.groups.map((g) => g.errorCode)).toEqual([code('COORDINATOR_NOT_AVAILABLE')]);
  });
});

describe('DeleteGroups', () => {
  it('answers each group: deleted, has members, does not exist, invalid id, not coordinated here', async () => {
    const fixture = await setUp();
    await twoGroups(fixture);
    for (const version of [0, 2]) {
      const answer = await exchange(deleteGroupsHandler(fixture.parts), DeleteGroups, version, {
        groupsNames: [EMPTY_GROUP, G, NOBODY, '', groupOn(PARTITION_OF_BROKER_2)],
      });
      expect(answer.results.map((r) => [r.groupId, r.errorCode])).toEqual([
        [EMPTY_GROUP, version === 0 ? 0 : code('GROUP_ID_NOT_FOUND')],
        [G, code('GROUP_NOT_EMPTY')],
        [NOBODY, code('GROUP_ID_NOT_FOUND')],
        ['', code('INVALID_GROUP_ID')],
        [groupOn(PARTITION_OF_BROKER_2), code('NOT_COORDINATOR')],
      ]);
    }
    expect(fixture.coordinator.fetchOffsets(EMPTY_GROUP, null)).toEqual([]);
  });
});
