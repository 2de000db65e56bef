/**
 * The group APIs end to end: raw Kafka clients against an in-process broker's listener (real
 * `__consumer_offsets`, real timers, `--group-initial-rebalance-delay-ms 0`). The advertised ranges
 * (librdkafka needs FindCoordinator and JoinGroup from v0), FindCoordinator naming the broker's Kafka
 * address, two members of different versions through a rebalance, a commit read back, describe, list,
 * leave and delete.
 */
import { waitFor } from '@tributary/core/testing';
import {
  ApiVersions,
  DeleteGroups,
  DescribeGroups,
  FindCoordinator,
  Heartbeat,
  JoinGroup,
  LeaveGroup,
  ListGroups,
  Metadata,
  OffsetCommit,
  OffsetFetch,
  SyncGroup,
} from '@tributary/kafka-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConsumerAssignment, encodeConsumerSubscription } from '../../group/consumer-protocol.js';
import type { BrokerHandle } from '../../node/broker-node.js';
import { InProcessCluster } from '../../testing/in-process-cluster.js';
import { RawKafkaClient } from '../testing/raw-client.js';

const TOPIC = 'kafka-groups';
const GROUP = 'kafka-groups-g';
const NIL = '00000000-0000-0000-0000-000000000000';

let cluster: InProcessCluster;
let broker: BrokerHandle;

async function connect(): Promise<RawKafkaClient> {
  return cluster.track(await RawKafkaClient.connect(broker.kafkaPort ?? 0));
}

beforeAll(async () => {
  cluster = await InProcessCluster.start({ name: 'kafka-groups' });
  broker = await cluster.startBroker(1, {
    kafkaListen: '127.0.0.1:0',
    autoCreateTopics: true,
    defaultPartitions: 4,
    offsetsTopicPartitions: 2,
    groupInitialRebalanceDelayMs: 0,
  });
  await cluster.waitUnfenced();
});

afterAll(async () => {
  await cluster?.close();
});

function joinBody(memberId: string, groupInstanceId: string | null = null) {
  return {
    groupId: GROUP,
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    memberId,
    groupInstanceId,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: encodeConsumerSubscription([TOPIC]) }],
  };
}

describe('Kafka group APIs through the listener', () => {
  it('advertises every group API from the versions librdkafka, KafkaJS and @platformatic/kafka send', async () => {
    const client = await connect();
    const versions = await client.request(ApiVersions, 3, {
      clientSoftwareName: 't',
      clientSoftwareVersion: '1',
    });
    const range = (key: number) => {
      const found = versions.apiKeys.find((k) => k.apiKey === key);
      return found === undefined ? null : [found.minVersion, found.maxVersion];
    };
    expect([10, 11, 14, 12, 13, 8, 9, 47, 16, 15, 42].map(range)).toEqual([
      [0, 4],
      [0, 7],
      [0, 5],
      [0, 4],
      [0, 4],
      [0, 8],
      [0, 8],
      [0, 0],
      [0, 4],
      [0, 5],
      [0, 2],
    ]);
  });

  it('two members through a rebalance, a commit read back, describe, list, leave and delete', async () => {
    const admin = await connect();
    await admin.request(Metadata, 4, {
      topics: [{ topicId: NIL, name: TOPIC }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    // The first FindCoordinator creates __consumer_offsets; it answers once the partition is led and loaded.
    const found = await waitFor(
      'the coordinator',
      async () => {
        const answer = await admin.request(FindCoordinator, 0, {
          key: GROUP,
          keyType: 0,
          coordinatorKeys: [],
        });
        return answer.errorCode === 0 ? answer : undefined;
      },
      15_000,
      100,
    );
    expect([found.nodeId, `${found.host}:${found.port}`]).toEqual([1, broker.kafkaAddress]);
    const a = await connect();
    const b = await connect();
    await waitFor(
      'the group shard loaded',
      async () =>
        (
          await a.request(Heartbeat, 0, {
            groupId: GROUP,
            generationId: 0,
            memberId: 'x',
            groupInstanceId: null,
          })
        ).errorCode === 25,
      15_000,
      100,
    );

    // Member A (v5): MEMBER_ID_REQUIRED, then alone in generation 1 (no initial delay).
    const required = await a.request(JoinGroup, 5, joinBody(''));
    expect(required.errorCode).toBe(79);
    const first = await a.request(JoinGroup, 5, joinBody(required.memberId));
    expect(first).toMatchObject({ errorCode: 0, generationId: 1, leader: required.memberId });
    const idA = required.memberId;
    await a.request(SyncGroup, 3, {
      groupId: GROUP,
      generationId: 1,
      memberId: idA,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    });

    // Member B (v0) joins: the rebalance waits for A, whose heartbeat says so; A rejoins.
    const joinB = b.request(JoinGroup, 0, joinBody(''));
    await waitFor(
      'A told to rejoin',
      async () =>
        (
          await a.request(Heartbeat, 1, {
            groupId: GROUP,
            generationId: 1,
            memberId: idA,
            groupInstanceId: null,
          })
        ).errorCode === 27,
      10_000,
      50,
    );
    const [rejoinedA, joinedB] = await Promise.all([a.request(JoinGroup, 5, joinBody(idA)), joinB]);
    expect([rejoinedA.generationId, joinedB.generationId]).toEqual([2, 2]);
    const leader = rejoinedA.leader === idA ? rejoinedA : joinedB;
    expect(leader.members.map((m) => m.memberId).sort()).toEqual([idA, joinedB.memberId].sort());
    const assignments = [
      { memberId: idA, assignment: encodeConsumerAssignment(new Map([[TOPIC, [0, 1]]])) },
      { memberId: joinedB.memberId, assignment: encodeConsumerAssignment(new Map([[TOPIC, [2, 3]]])) },
    ];
    const sync = (client: RawKafkaClient, memberId: string) =>
      client.request(SyncGroup, 5, {
        groupId: GROUP,
        generationId: 2,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: memberId === leader.memberId ? assignments : [],
      });
    const [syncA, syncB] = await Promise.all([sync(a, idA), sync(b, joinedB.memberId)]);
    expect(Buffer.from(syncA.assignment).equals(assignments[0]?.assignment ?? Buffer.alloc(0))).toBe(true);
    expect(Buffer.from(syncB.assignment).equals(assignments[1]?.assignment ?? Buffer.alloc(0))).toBe(true);

    const committed = await a.request(OffsetCommit, 7, {
      groupId: GROUP,
      generationIdOrMemberEpoch: 2,
      memberId: idA,
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        {
          name: TOPIC,
          partitions: [
            {
              partitionIndex: 1,
              committedOffset: 17,
              committedLeaderEpoch: -1,
              commitTimestamp: -1,
              committedMetadata: 'kcat',
            },
          ],
        },
      ],
    });
    expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(0);
    const fetched = await admin.request(OffsetFetch, 8, {
      groupId: '',
      topics: null,
      groups: [{ groupId: GROUP, topics: [{ name: TOPIC, partitionIndexes: [0, 1] }] }],
      requireStable: true,
    });
    expect(
      fetched.groups[0]?.topics[0]?.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata]),
    ).toEqual([
      [0, -1, ''],
      [1, 17, 'kcat'],
    ]);

    const described = await admin.request(DescribeGroups, 5, {
      groups: [GROUP],
      includeAuthorizedOperations: false,
    });
    expect(described.groups[0]).toMatchObject({
      errorCode: 0,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    });
    expect(described.groups[0]?.members).toHaveLength(2);
    const listed = await admin.request(ListGroups, 4, { statesFilter: ['Stable'] });
    expect(listed.groups).toEqual([{ groupId: GROUP, protocolType: 'consumer', groupState: 'Stable' }]);

    const left = await admin.request(LeaveGroup, 4, {
      groupId: GROUP,
      memberId: '',
      members: [
        { memberId: idA, groupInstanceId: null },
        { memberId: joinedB.memberId, groupInstanceId: null },
      ],
    });
    expect(left.members.map((m) => m.errorCode)).toEqual([0, 0]);
    const deleted = await admin.request(DeleteGroups, 2, { groupsNames: [GROUP] });
    expect(deleted.results).toEqual([{ groupId: GROUP, errorCode: 0 }]);
  });
});
