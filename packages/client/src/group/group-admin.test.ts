/** Group admin (and Admin's group methods) against fake brokers and a fake coordinator. */
import { waitFor } from '@tributary/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../admin.js';
import { TributaryClient } from '../client.js';
import { BrokerConnections } from '../connections.js';
import { MetadataCache } from '../metadata-cache.js';
import { type FakeCluster, startFakeCluster } from '../testing/fake-broker.js';
import { type FakeCoordinator, startFakeCoordinator } from '../testing/fake-coordinator.js';
import { CoordinatorConnections } from './coordinator.js';
import { GroupAdmin } from './group-admin.js';
import { GroupConsumer } from './group-consumer.js';

const TOPICS = { events: 3 } as const;

let cluster: FakeCluster;
let coordinator: FakeCoordinator;
let producer: TributaryClient;
let connections: BrokerConnections;
let coordinators: CoordinatorConnections;
let groups: GroupAdmin;

beforeAll(async () => {
  cluster = await startFakeCluster({ brokers: 2, topics: TOPICS });
  coordinator = await startFakeCoordinator({ topics: TOPICS, servers: 2, heartbeatIntervalMs: 30 });
  producer = new TributaryClient({ bootstrap: cluster.bootstrap, timeoutMs: 5_000 });
  connections = new BrokerConnections();
  coordinators = new CoordinatorConnections();
  groups = new GroupAdmin({
    metadata: new MetadataCache(cluster.bootstrap, connections),
    connections,
    coordinators,
    lookupAddresses: () => coordinator.addresses,
    listAddresses: async () => coordinator.addresses,
  });
  const records = [0, 1, 2].flatMap((partition) =>
    Array.from({ length: 4 + partition }, (_, i) => ({ key: null, value: `v${i}`, partition })),
  );
  await producer.producer().send('events', records);
});

afterAll(async () => {
  producer.close();
  connections.close();
  coordinators.close();
  await coordinator.stop();
  await cluster.stop();
});

function startMember(groupId: string): GroupConsumer {
  return new GroupConsumer(
    {
      metadata: new MetadataCache(cluster.bootstrap, connections),
      connections,
      coordinators,
      lookupAddresses: () => coordinator.addresses,
      brokerAddresses: () => cluster.bootstrap,
      clientId: 'admin-test',
      memberId: `${groupId}-member`,
    },
    { groupId, fromBeginning: true, maxWaitMs: 50 },
  );
}

describe('GroupAdmin', () => {
  it('describes members, committed offsets and lag; refuses a reset while members are active', {
    timeout: 30_000,
  }, async () => {
    const member = startMember('busy');
    member.subscribe({ topics: ['events'] });
    let seen = 0;
    const running = member.run({
      eachMessage: async () => {
        seen++;
      },
    });
    await waitFor('consumed', () => seen >= 4 + 5 + 6);
    await member.commitOffsets([{ topic: 'events', partition: 1, offset: 2 }]);
    const described = await groups.describeGroup('busy');
    expect(described.state).not.toBe('Empty');
    expect(described.members).toHaveLength(1);
    expect(described.members[0]?.memberId).toBe('busy-member');
    expect(described.members[0]?.assignment).toEqual([{ topic: 'events', partitions: [0, 1, 2] }]);
    const p1 = described.partitions.find((p) => p.partition === 1);
    expect(p1).toMatchObject({ committedOffset: 2, logEndOffset: 5, lag: 3, memberId: 'busy-member' });
    await expect(groups.resetGroupOffsets('busy', 'events', { to: 'earliest' })).rejects.toMatchObject({
      code: 'GROUP_NOT_EMPTY',
      message: expect.stringContaining('stop its consumers'),
    });
    await member.close();
    await running;
    // close() committed everything handled: no lag left.
    const after = await groups.describeGroup('busy');
    expect(after.state).toBe('Empty');
    expect(after.partitions.map((p) => p.lag)).toEqual([0, 0, 0]);
  });

  it('resets to earliest, latest or an offset, for all or some partitions, then deletes', async () => {
    // A group with only committed offsets (no members) can be reset.
    await expect(groups.resetGroupOffsets('idle', 'events', { to: 'latest' })).resolves.toEqual([
      { topic: 'events', partition: 0, offset: 4 },
      { topic: 'events', partition: 1, offset: 5 },
      { topic: 'events', partition: 2, offset: 6 },
    ]);
    await groups.resetGroupOffsets('idle', 'events', { to: 'earliest' }, [1]);
    await groups.resetGroupOffsets('idle', 'events', { to: 3 }, [2]);
    expect([0, 1, 2].map((p) => coordinator.committed('idle', 'events', p))).toEqual([4, 0, 3]);
    const described = await groups.describeGroup('idle');
    expect(described.partitions.map((p) => p.lag)).toEqual([0, 5, 3]);
    await expect(groups.resetGroupOffsets('idle', 'events', { to: -2 })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(groups.resetGroupOffsets('idle', 'events', { to: 0 }, [3])).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
    await expect(groups.deleteGroupOffsets('idle', [{ topic: 'events', partitions: [0] }])).resolves.toBe(1);
    await expect(groups.deleteGroupOffsets('idle')).resolves.toBe(2);
    await expect(groups.describeGroup('idle')).rejects.toMatchObject({ code: 'GROUP_ID_NOT_FOUND' });
  });

  it('lists the groups of every broker, merged, and follows a moved coordinator', async () => {
    await groups.resetGroupOffsets('listed', 'events', { to: 'earliest' });
    coordinator.coordinator = 1;
    try {
      const listed = await groups.listGroups();
      expect(listed.map((g) => g.groupId)).toContain('listed');
      expect(listed.find((g) => g.groupId === 'listed')).toMatchObject({
        state: 'Empty',
        members: 0,
        coordinatorId: 2,
      });
      // The cached coordinator (server 0) now answers NOT_COORDINATOR: describe finds server 1.
      await expect(groups.describeGroup('listed')).resolves.toMatchObject({
        groupId: 'listed',
        coordinatorId: 2,
      });
    } finally {
      coordinator.coordinator = 0;
    }
  });

  it('is reachable through Admin, which needs the broker side for group methods', async () => {
    const admin = new Admin({ controllers: ['127.0.0.1:1'], groups });
    try {
      await expect(admin.describeGroup('nope')).rejects.toMatchObject({ code: 'GROUP_ID_NOT_FOUND' });
      await expect(admin.describeGroup('')).rejects.toMatchObject({ code: 'INVALID_GROUP_ID' });
    } finally {
      admin.close();
    }
    const bare = new Admin({ controllers: ['127.0.0.1:1'] });
    await expect(bare.listGroups()).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    bare.close();
  });
});
