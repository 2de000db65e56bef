import { waitFor } from '@tributary/core/testing';
import {
  createBrokerClient,
  createGroupCoordinatorClient,
  type GroupCoordinatorClient,
  type GroupHeartbeatRequest,
  type GroupHeartbeatResponse__Output,
  unary,
} from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerHandle } from '../node/broker-node.js';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import { OFFSETS_TOPIC } from './limits.js';

const CALL = { deadlineMs: 10_000 };

/** The package's in-process cluster with group helpers; brokers host a 3-partition `__consumer_offsets`. */
class Cluster {
  private constructor(readonly base: InProcessCluster) {}

  static async start(brokerCount: number): Promise<Cluster> {
    const base = await InProcessCluster.start({
      name: 'trib-groups',
      brokerDefaults: { offsetsTopicPartitions: 3, offsetsTopicReplicationFactor: 3 },
    });
    for (let id = 1; id <= brokerCount; id++) await base.startBroker(id);
    await base.waitUnfenced();
    return new Cluster(base);
  }

  get brokers(): BrokerHandle[] {
    return this.base.brokers;
  }

  async createTopic(name: string, partitions: number, replicationFactor: number): Promise<void> {
    const admin = this.base.admin();
    await unary(admin, 'CreateTopic', { name, partitions, replicationFactor }, CALL);
    await waitFor(`every broker to see ${name}`, () =>
      this.brokers.every((b) => b.follower.currentImage().topicByName(name) !== undefined),
    );
  }

  groups(address: string): GroupCoordinatorClient {
    return this.base.track(createGroupCoordinatorClient(address));
  }

  /** Asks `via` for the coordinator until one is named and answers (loaded); returns a client for it. */
  async coordinatorOf(
    groupId: string,
    via: BrokerHandle,
  ): Promise<{ client: GroupCoordinatorClient; nodeId: number }> {
    const finder = this.groups(via.advertisedAddress);
    return waitFor(
      `a loaded coordinator for ${groupId}`,
      async () => {
        const found = await unary(finder, 'FindCoordinator', { groupId }, CALL);
        if (found.errorCode !== '') return false;
        const client = this.groups(found.address);
        const probe = await unary(client, 'OffsetFetch', { groupId }, CALL);
        return probe.errorCode === '' ? { client, nodeId: found.nodeId } : false;
      },
      20_000,
      100,
    );
  }

  close(): Promise<void> {
    return this.base.close();
  }
}

function join0(memberId: string, extra: Partial<GroupHeartbeatRequest> = {}): GroupHeartbeatRequest {
  return { groupId: 'g', memberId, memberEpoch: 0, clientId: 'test', subscribedTopics: ['events'], ...extra };
}

function partitionsOf(response: GroupHeartbeatResponse__Output): number[] {
  return response.assignment.flatMap((tp) => tp.partitions).sort((a, b) => a - b);
}

describe('group coordinator over gRPC', () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('finds the coordinator, balances two members, fences stale commits, serves offsets', {
    timeout: 60_000,
  }, async () => {
    cluster = await Cluster.start(1);
    const [broker] = cluster.brokers;
    if (broker === undefined) throw new Error('no broker');
    await cluster.createTopic('events', 4, 1);

    const finder = cluster.groups(broker.advertisedAddress);
    const invalid = await unary(finder, 'FindCoordinator', { groupId: '' }, CALL);
    expect(invalid.errorCode).toBe('INVALID_GROUP_ID');
    const { client, nodeId } = await cluster.coordinatorOf('g', broker);
    expect(nodeId).toBe(1);
    const offsetsTopic = broker.follower.currentImage().topicByName(OFFSETS_TOPIC);
    expect(offsetsTopic?.partitions.size).toBe(3);
    // RF 3 asked for, one unfenced broker: capped at 1.
    expect([...(offsetsTopic?.partitions.values() ?? [])].map((p) => p.replicas.length)).toEqual([1, 1, 1]);

    // a joins and gets everything; b joins; a revokes what it loses; b then gets the rest.
    const a1 = await unary(client, 'GroupHeartbeat', join0('a'), CALL);
    expect(a1.errorCode).toBe('');
    expect(partitionsOf(a1)).toEqual([0, 1, 2, 3]);
    const b1 = await unary(client, 'GroupHeartbeat', join0('b'), CALL);
    expect(partitionsOf(b1)).toEqual([]);
    const a2 = await unary(
      client,
      'GroupHeartbeat',
      { ...join0('a'), memberEpoch: a1.memberEpoch, ownedPartitions: a1.assignment },
      CALL,
    );
    expect(partitionsOf(a2)).toHaveLength(2);
    const a3 = await unary(
      client,
      'GroupHeartbeat',
      { ...join0('a'), memberEpoch: a2.memberEpoch, ownedPartitions: a2.assignment },
      CALL,
    );
    const b2 = await unary(client, 'GroupHeartbeat', { ...join0('b'), memberEpoch: b1.memberEpoch }, CALL);
    const owned = [...partitionsOf(a3), ...partitionsOf(b2)];
    expect(owned.sort()).toEqual([0, 1, 2, 3]);
    expect(new Set(owned).size).toBe(4);
    expect(a3.memberEpoch).toBe(b2.memberEpoch);

    const commit = (memberId: string, memberEpoch: number, offset: number) =>
      unary(
        client,
        'OffsetCommit',
        {
          groupId: 'g',
          memberId,
          memberEpoch,
          topics: [
            { name: 'events', partitions: [{ partition: 0, offset, leaderEpoch: -1, metadata: 'm' }] },
          ],
        },
        CALL,
      );
    // a has moved on to a3's epoch and is Stable: its previous epoch no longer commits.
    expect(a3.memberEpoch).toBeGreaterThan(a1.memberEpoch);
    expect((await commit('a', a1.memberEpoch, 5)).errorCode).toBe('STALE_MEMBER_EPOCH');
    expect((await commit('nobody', 1, 5)).errorCode).toBe('UNKNOWN_MEMBER_ID');
    expect((await commit('', -1, 5)).errorCode).toBe('GROUP_NOT_EMPTY');
    const ok = await commit('a', a3.memberEpoch, 42);
    expect(ok.errorCode).toBe('');
    expect(ok.results).toEqual([{ topic: 'events', partition: 0, errorCode: '', errorMessage: '' }]);

    const fetched = await unary(
      client,
      'OffsetFetch',
      { groupId: 'g', topics: [{ topic: 'events', partitions: [0, 1] }] },
      CALL,
    );
    expect(fetched.offsets.map((o) => [o.partition, Number(o.offset), o.metadata])).toEqual([
      [0, 42, 'm'],
      [1, -1, ''],
    ]);
    const listed = await unary(client, 'ListGroups', {}, CALL);
    const listing = { groupId: 'g', coordinatorId: 1, protocolType: 'consumer', groupType: 'consumer' };
    expect(listed.groups).toEqual([{ ...listing, state: 'Stable', members: 2 }]);
    const described = await unary(client, 'DescribeGroup', { groupId: 'g' }, CALL);
    expect(described.members.map((m) => m.memberId)).toEqual(['a', 'b']);
    expect(described.assignor).toBe('cooperative-sticky');
    expect([described.protocolType, described.groupType]).toEqual(['consumer', 'consumer']);

    const refused = await unary(client, 'DeleteGroupOffsets', { groupId: 'g' }, CALL);
    expect(refused.errorCode).toBe('GROUP_NOT_EMPTY');
    for (const [id, epoch] of [
      ['a', a3.memberEpoch],
      ['b', b2.memberEpoch],
    ] as const) {
      const left = await unary(client, 'GroupHeartbeat', { ...join0(id), memberEpoch: -1 }, CALL);
      expect([left.errorCode, epoch > 0]).toEqual(['', true]);
    }
    const emptyListing = await unary(client, 'ListGroups', {}, CALL);
    expect(emptyListing.groups).toEqual([{ ...listing, state: 'Empty', members: 0 }]);
    const deleted = await unary(client, 'DeleteGroupOffsets', { groupId: 'g' }, CALL);
    expect([deleted.errorCode, deleted.deleted]).toEqual(['', 1]);
    expect((await unary(client, 'DescribeGroup', { groupId: 'g' }, CALL)).errorCode).toBe(
      'GROUP_ID_NOT_FOUND',
    );

    // Clients may not write the internal topic.
    const brokerClient = createBrokerClient(broker.advertisedAddress);
    cluster.base.track(brokerClient);
    const records = encodeRecordBatch({ records: [{ key: null, value: Buffer.from('x'), timestampMs: 0 }] });
    await expect(
      unary(
        brokerClient,
        'Produce',
        {
          acks: -1,
          timeoutMs: 1_000,
          topics: [{ name: OFFSETS_TOPIC, partitions: [{ partition: 0, records }] }],
        },
        CALL,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_TOPIC' });
  });

  it('refuses bad input with typed errors and answers NOT_COORDINATOR for groups it does not lead', {
    timeout: 60_000,
  }, async () => {
    cluster = await Cluster.start(1);
    const [broker] = cluster.brokers;
    if (broker === undefined) throw new Error('no broker');
    const { client } = await cluster.coordinatorOf('g', broker);
    const long = await unary(client, 'GroupHeartbeat', { ...join0('a'), groupId: 'x'.repeat(250) }, CALL);
    expect(long.errorCode).toBe('INVALID_GROUP_ID');
    const noMember = await unary(client, 'GroupHeartbeat', join0(''), CALL);
    expect(noMember.errorCode).toBe('INVALID_REQUEST');
    const badTimeout = await unary(client, 'GroupHeartbeat', { ...join0('a'), sessionTimeoutMs: 10 }, CALL);
    expect(badTimeout.errorCode).toBe('INVALID_REQUEST');
    const badEpoch = await unary(client, 'GroupHeartbeat', { ...join0('a'), memberEpoch: -5 }, CALL);
    expect(badEpoch.errorCode).toBe('INVALID_REQUEST');
    const unknown = await unary(client, 'GroupHeartbeat', { ...join0('zz'), memberEpoch: 3 }, CALL);
    expect(unknown.errorCode).toBe('UNKNOWN_MEMBER_ID');
    const negative = await unary(
      client,
      'OffsetCommit',
      {
        groupId: 'g',
        memberId: '',
        memberEpoch: -1,
        topics: [{ name: 't', partitions: [{ partition: 0, offset: -3, leaderEpoch: -1 }] }],
      },
      CALL,
    );
    expect(negative.errorCode).toBe('INVALID_REQUEST');
  });

  it('keeps committed offsets across a coordinator failover (3 brokers, RF 3)', {
    timeout: 90_000,
  }, async () => {
    cluster = await Cluster.start(3);
    const [first] = cluster.brokers;
    if (first === undefined) throw new Error('no broker');
    await cluster.createTopic('events', 2, 3);
    const before = await cluster.coordinatorOf('g', first);
    const joined = await unary(before.client, 'GroupHeartbeat', join0('a'), CALL);
    expect(joined.errorCode).toBe('');
    const committed = await unary(
      before.client,
      'OffsetCommit',
      {
        groupId: 'g',
        memberId: 'a',
        memberEpoch: joined.memberEpoch,
        topics: [
          { name: 'events', partitions: [{ partition: 1, offset: 77, leaderEpoch: 0, metadata: 'keep' }] },
        ],
      },
      CALL,
    );
    expect(committed.errorCode).toBe('');

    const old = cluster.brokers.find((b) => b.nodeId === before.nodeId);
    if (old === undefined) throw new Error('coordinator not among the brokers');
    await old.close();
    const survivor = cluster.brokers.find((b) => b.nodeId !== before.nodeId);
    if (survivor === undefined) throw new Error('no survivor');
    const after = await waitFor(
      'a new coordinator',
      async () => {
        const found = await cluster?.coordinatorOf('g', survivor);
        return found !== undefined && found.nodeId !== before.nodeId ? found : false;
      },
      30_000,
      200,
    );
    const fetched = await unary(after.client, 'OffsetFetch', { groupId: 'g' }, CALL);
    expect(fetched.offsets.map((o) => [o.topic, o.partition, Number(o.offset), o.metadata])).toEqual([
      ['events', 1, 77, 'keep'],
    ]);
    // Membership is soft state: the member must rejoin.
    const stale = await unary(
      after.client,
      'GroupHeartbeat',
      { ...join0('a'), memberEpoch: joined.memberEpoch },
      CALL,
    );
    expect(stale.errorCode).toBe('UNKNOWN_MEMBER_ID');
  });
});
