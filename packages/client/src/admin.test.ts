import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, startController } from '@tributary/controller';
import { TributaryError } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import { createBrokerLifecycleClient, type DescribeQuorumResponse__Output, unary } from '@tributary/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, preferredQuorumAnswer } from './admin.js';
import { TributaryClient } from './client.js';

const DEADLINE_MS = 5_000;

async function expectError(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected the call to fail');
}

/** Registers broker 1 and heartbeats it once, so the controller may place RF=1 replicas on it. */
async function registerUnfencedBroker(address: string, brokerId: number): Promise<void> {
  const lifecycle = createBrokerLifecycleClient(address);
  try {
    const { brokerEpoch } = await unary(
      lifecycle,
      'RegisterBroker',
      { brokerId, incarnationId: `inc-${brokerId}`, address: `127.0.0.1:${9000 + brokerId}`, rack: 'r1' },
      { deadlineMs: DEADLINE_MS },
    );
    const beat = await unary(
      lifecycle,
      'BrokerHeartbeat',
      { brokerId, brokerEpoch, metadataOffset: brokerEpoch, wantFence: false, wantShutdown: false },
      { deadlineMs: DEADLINE_MS },
    );
    expect(beat.fenced).toBe(false);
  } finally {
    lifecycle.close();
  }
}

describe('Admin against a single-voter controller', () => {
  let dataDir = '';
  let address = '';
  let handle: ControllerHandle | undefined;
  let client: TributaryClient | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trib-client-admin-'));
    address = `127.0.0.1:${await freePort()}`;
    const started = await startController({
      nodeId: 1,
      listen: address,
      dataDir,
      voters: [{ id: 1, address }],
      tickMs: 10,
      // Long lease: the test heartbeats the broker once only.
      sessionTimeoutMs: 60_000,
      logLevel: 'silent',
      onFatal: (error) => {
        throw error;
      },
    });
    handle = started;
    await waitFor('activation', () => started.isActive());
    await registerUnfencedBroker(address, 1);
    client = new TributaryClient({ bootstrap: ['127.0.0.1:1'], controllers: [address] });
  });

  afterAll(async () => {
    client?.close();
    await handle?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const admin = (): Admin => {
    if (client === undefined) throw new Error('no client');
    return client.admin();
  };

  it('creates, describes, lists, grows and deletes a topic', async () => {
    const validated = await admin().createTopic({
      name: 'dry-run',
      partitions: 1,
      replicationFactor: 1,
      validateOnly: true,
    });
    expect(validated.name).toBe('dry-run');

    const created = await admin().createTopic({
      name: 'orders',
      partitions: 2,
      replicationFactor: 1,
      configs: { 'retention.ms': '60000' },
    });
    expect(created.name).toBe('orders');
    expect(created.id).not.toBe('');
    expect(created.partitions.map((p) => p.leader)).toEqual([1, 1]);

    const [described] = await admin().describeTopics(['orders']);
    expect(described).toEqual({
      name: 'orders',
      id: created.id,
      partitions: [
        { partition: 0, leader: 1, leaderEpoch: expect.any(Number), replicas: [1], isr: [1] },
        { partition: 1, leader: 1, leaderEpoch: expect.any(Number), replicas: [1], isr: [1] },
      ],
      configs: { 'retention.ms': '60000' },
    });

    const listed = await admin().listTopics();
    expect(listed).toEqual([{ name: 'orders', id: created.id, partitionCount: 2, replicationFactor: 1 }]);

    const altered = await admin().alterTopicConfigs('orders', {
      set: { 'segment.bytes': '1048576' },
      remove: ['retention.ms'],
    });
    expect(altered.configs).toEqual({ 'segment.bytes': '1048576' });
    const preview = await admin().alterTopicConfigs('orders', {
      set: { 'retention.ms': '5' },
      validateOnly: true,
    });
    expect(preview.configs).toEqual({ 'retention.ms': '5', 'segment.bytes': '1048576' });
    expect((await admin().describeTopics(['orders']))[0]?.configs).toEqual({ 'segment.bytes': '1048576' });
    await expect(
      admin().alterTopicConfigs('orders', { set: { 'retention.ms': 'soon' } }),
    ).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });

    const grown = await admin().createPartitions('orders', 4);
    expect(grown.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3]);
    expect((await admin().describeTopics())[0]?.partitions).toHaveLength(4);

    expect(await admin().deleteTopic('orders', { deadlineMs: 3_000 })).toBe(created.id);
    expect(await admin().listTopics()).toEqual([]);
  });

  it('returns typed errors', async () => {
    await admin().createTopic({ name: 'dupe', partitions: 1, replicationFactor: 1 });
    const duplicate = await expectError(
      admin().createTopic({ name: 'dupe', partitions: 1, replicationFactor: 1 }),
    );
    expect(duplicate.code).toBe('TOPIC_ALREADY_EXISTS');
    expect((await expectError(admin().deleteTopic('missing'))).code).toBe('UNKNOWN_TOPIC');
    expect((await expectError(admin().createPartitions('missing', 3))).code).toBe('UNKNOWN_TOPIC');
    const zero = await expectError(admin().createTopic({ name: 'z', partitions: 0, replicationFactor: 1 }));
    expect(zero.code).toBe('INVALID_PARTITIONS');
    await admin().deleteTopic('dupe');
  });

  it('describes the cluster and the quorum', async () => {
    const cluster = await admin().describeCluster();
    expect(cluster.clusterId).not.toBe('');
    expect(cluster.controllerId).toBe(1);
    expect(cluster.brokers).toEqual([
      { id: 1, address: '127.0.0.1:9001', fenced: false, epoch: expect.any(Number), rack: 'r1' },
    ]);

    const quorum = await admin().describeQuorum();
    expect(quorum.leaderId).toBe(1);
    expect(quorum.term).toBeGreaterThan(0);
    expect(quorum.commitIndex).toBeGreaterThan(0);
    expect(quorum.voters.map((v) => v.id)).toEqual([1]);
  });

  it('answers describeQuorum when one configured controller is down', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const partial = new Admin({ controllers: [dead, address], deadlineMs: 2_000 });
    try {
      expect((await partial.describeQuorum()).leaderId).toBe(1);
    } finally {
      partial.close();
    }
    const none = new Admin({ controllers: [dead], deadlineMs: 500 });
    try {
      expect(await expectError(none.describeQuorum())).toBeInstanceOf(TributaryError);
    } finally {
      none.close();
    }
  });

  it('fails after close, and the client hands out a fresh admin', async () => {
    const closing = admin();
    closing.close();
    expect((await expectError(closing.listTopics())).code).toBe('SHUTTING_DOWN');
    expect((await expectError(closing.describeQuorum())).code).toBe('SHUTTING_DOWN');
    expect(admin()).not.toBe(closing);
    expect(await admin().listTopics()).toEqual([]);
  });

  it('goes to the controllers when given, else through the bootstrap brokers; refuses neither', () => {
    expect(admin().routedThrough).toBe('controllers');
    const plain = new TributaryClient({ bootstrap: ['127.0.0.1:1'] });
    expect(plain.admin().routedThrough).toBe('brokers');
    plain.close();
    expect(() => new Admin({ controllers: [], bootstrap: [] })).toThrow(TributaryError);
  });
});

describe('preferredQuorumAnswer', () => {
  const answer = (
    nodeId: number,
    role: string,
    term: number,
    leaderId: number,
  ): DescribeQuorumResponse__Output => ({
    nodeId,
    role,
    term,
    leaderId,
    commitIndex: 0,
    lastIndex: 0,
    voters: [],
    observers: [],
    snapshotIndex: 0,
    appliedIndex: 0,
  });

  it("prefers the leader's answer, then the highest term that names a leader", () => {
    const leader = answer(2, 'leader', 3, 2);
    const follower = answer(1, 'follower', 3, 2);
    expect(preferredQuorumAnswer([follower, leader])).toBe(leader);
    const knowing = answer(3, 'follower', 4, 2);
    expect(preferredQuorumAnswer([answer(1, 'candidate', 4, -1), knowing, follower])).toBe(knowing);
    expect(preferredQuorumAnswer([])).toBeUndefined();
  });
});
