import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import { decodeRecord, decodeSnapshot, type MetadataRecord } from '@tributary/metadata';
import {
  type BrokerLifecycleClient,
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  createMetadataStreamClient,
  type FetchMetadataEvent__Output,
  unary,
} from '@tributary/protocol';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VoterAddress } from './config.js';
import { type ControllerHandle, type ControllerOptions, startController } from './controller-node.js';

const DEADLINE_MS = 5_000;
const logger = pino({ level: process.env.TRIB_TEST_LOG_LEVEL ?? 'silent' });

async function expectError(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected the call to fail');
}

async function fetchAll(address: string, fromOffset: number): Promise<FetchMetadataEvent__Output[]> {
  const client = createMetadataStreamClient(address);
  try {
    return await new Promise((resolve, reject) => {
      const events: FetchMetadataEvent__Output[] = [];
      const call = client.FetchMetadata(
        { fromOffset, follow: false },
        { deadline: Date.now() + DEADLINE_MS },
      );
      call.on('data', (event: FetchMetadataEvent__Output) => events.push(event));
      call.on('error', reject);
      call.on('end', () => resolve(events));
    });
  } finally {
    client.close();
  }
}

function recordsOf(events: readonly FetchMetadataEvent__Output[]): MetadataRecord[] {
  return events.flatMap((event) => (event.entry?.records ?? []).map((bytes) => decodeRecord(bytes)));
}

async function registerUnfencedBroker(client: BrokerLifecycleClient, brokerId: number): Promise<void> {
  const { brokerEpoch } = await unary(
    client,
    'RegisterBroker',
    { brokerId, incarnationId: `inc-${brokerId}`, address: `127.0.0.1:${9000 + brokerId}`, rack: '' },
    { deadlineMs: DEADLINE_MS },
  );
  const response = await unary(
    client,
    'BrokerHeartbeat',
    { brokerId, brokerEpoch, metadataOffset: brokerEpoch, wantFence: false, wantShutdown: false },
    { deadlineMs: DEADLINE_MS },
  );
  expect(response.caughtUp).toBe(true);
}

describe('a three-controller quorum in one process', () => {
  const dirs: string[] = [];
  const handles = new Map<number, ControllerHandle>();
  const admins = new Map<number, ControllerAdminClient>();
  let voters: VoterAddress[] = [];

  beforeAll(async () => {
    voters = [];
    for (const id of [1, 2, 3]) voters.push({ id, address: `127.0.0.1:${await freePort()}` });
    await Promise.all(
      voters.map(async (voter) => {
        const dataDir = await mkdtemp(join(tmpdir(), `trib-controller-${voter.id}-`));
        dirs.push(dataDir);
        const options: ControllerOptions = {
          nodeId: voter.id,
          listen: voter.address,
          dataDir,
          voters,
          tickMs: 10,
          // Twice the default election timeout: these tests share two cores with the rest of the suite.
          electionTicks: 50,
          sessionTimeoutMs: 20_000,
          heartbeatIntervalMs: 500,
          logger,
          onFatal: (error) => {
            throw error;
          },
        };
        handles.set(voter.id, await startController(options));
        admins.set(voter.id, createControllerAdminClient(voter.address));
      }),
    );
  });

  afterAll(async () => {
    for (const client of admins.values()) client.close();
    await Promise.all([...handles.values()].map((handle) => handle.close()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const activeController = (exclude: number | null = null) =>
    waitFor('an active controller', () =>
      [...handles.values()].find((handle) => handle.nodeId !== exclude && handle.isActive()),
    );
  const admin = (id: number): ControllerAdminClient => {
    const client = admins.get(id);
    if (client === undefined) throw new Error(`no client for ${id}`);
    return client;
  };
  const addressOf = (id: number): string => voters.find((v) => v.id === id)?.address ?? '';

  it('elects a leader, redirects standbys, commits and replicates a topic, fails over', async () => {
    const leader = await activeController();
    const standby = voters.find((v) => v.id !== leader.nodeId)?.id ?? -1;

    const refused = await expectError(
      unary(
        admin(standby),
        'CreateTopic',
        { name: 'orders', partitions: 3, replicationFactor: 1 },
        { deadlineMs: DEADLINE_MS },
      ),
    );
    expect(refused.code).toBe('NOT_CONTROLLER');
    expect(refused.leaderHint).toEqual({ id: leader.nodeId, address: addressOf(leader.nodeId) });

    const lifecycle = createBrokerLifecycleClient(addressOf(leader.nodeId));
    await registerUnfencedBroker(lifecycle, 1);
    const broker1Epoch = leader.committedImage().broker(1 as never)?.brokerEpoch ?? -1;
    const firstBlock = await unary(
      lifecycle,
      'AllocateProducerIds',
      { brokerId: 1, brokerEpoch: broker1Epoch },
      { deadlineMs: DEADLINE_MS },
    );
    expect(firstBlock).toEqual({ firstProducerId: 0, count: 1000 });
    lifecycle.close();

    const created = await unary(
      admin(leader.nodeId),
      'CreateTopic',
      { name: 'orders', partitions: 3, replicationFactor: 1 },
      { deadlineMs: DEADLINE_MS },
    );
    expect(created.topic?.name).toBe('orders');
    expect(created.topic?.partitions.map((p) => p.leader)).toEqual([1, 1, 1]);

    for (const voter of voters) {
      const described = await waitFor(`orders on node ${voter.id}`, async () => {
        const response = await unary(
          admin(voter.id),
          'DescribeTopics',
          { names: [] },
          { deadlineMs: DEADLINE_MS },
        );
        return response.topics.length > 0 ? response : undefined;
      });
      expect(described.topics[0]?.topicId).toBe(created.topic?.topicId);
      expect(described.topics[0]?.partitions).toHaveLength(3);
    }

    const duplicate = await expectError(
      unary(
        admin(leader.nodeId),
        'CreateTopic',
        { name: 'orders', partitions: 1, replicationFactor: 1 },
        { deadlineMs: DEADLINE_MS },
      ),
    );
    expect(duplicate.code).toBe('TOPIC_ALREADY_EXISTS');

    const quorum = await unary(admin(leader.nodeId), 'DescribeQuorum', {}, { deadlineMs: DEADLINE_MS });
    expect(quorum.role).toBe('leader');
    expect(quorum.leaderId).toBe(leader.nodeId);
    expect(quorum.voters.map((v) => v.id)).toEqual([1, 2, 3]);
    expect(quorum.voters.find((v) => v.id === leader.nodeId)?.matchIndex).toBe(quorum.lastIndex);

    const events = await fetchAll(addressOf(standby), 0);
    expect(recordsOf(events).some((r) => r.type === 'Topic' && r.name === 'orders')).toBe(true);
    expect(events[0]?.entry?.offset).toBe(1);

    await leader.close();
    handles.delete(leader.nodeId);
    const next = await activeController(leader.nodeId);
    expect(next.nodeId).not.toBe(leader.nodeId);
    const again = await unary(
      admin(next.nodeId),
      'CreateTopic',
      { name: 'payments', partitions: 2, replicationFactor: 1 },
      { deadlineMs: DEADLINE_MS },
    );
    expect(again.topic?.partitions).toHaveLength(2);
    const listed = await unary(admin(next.nodeId), 'ListTopics', {}, { deadlineMs: DEADLINE_MS });
    expect(listed.topics.map((t) => t.name)).toEqual(['orders', 'payments']);
    // The new active controller continues after the block the old one handed out.
    const nextLifecycle = createBrokerLifecycleClient(addressOf(next.nodeId));
    const secondBlock = await unary(
      nextLifecycle,
      'AllocateProducerIds',
      { brokerId: 1, brokerEpoch: broker1Epoch },
      { deadlineMs: DEADLINE_MS },
    );
    nextLifecycle.close();
    expect(secondBlock).toEqual({ firstProducerId: 1000, count: 1000 });
  }, 30_000);

  it('refuses malformed requests with specific codes', async () => {
    const leader = await activeController();
    const call = (request: { name: string; partitions?: number; replicationFactor?: number }) =>
      expectError(unary(admin(leader.nodeId), 'CreateTopic', request, { deadlineMs: DEADLINE_MS }));
    expect((await call({ name: '' })).code).toBe('INVALID_TOPIC');
    expect((await call({ name: 'bad/name' })).code).toBe('INVALID_TOPIC');
    const tooMany = await call({ name: 'x', partitions: 10_000_000 });
    expect(tooMany.code).toBe('INVALID_PARTITIONS');
    expect(tooMany.message).toMatch(/partitions/);
    expect((await call({ name: 'x', partitions: 1, replicationFactor: 99 })).code).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
    expect((await call({ name: 'x', partitions: 1, replicationFactor: 5 })).code).toBe(
      'INVALID_REPLICATION_FACTOR',
    );
    const unknown = await expectError(
      unary(admin(leader.nodeId), 'DescribeTopics', { names: ['nope'] }, { deadlineMs: DEADLINE_MS }),
    );
    expect(unknown.code).toBe('UNKNOWN_TOPIC');
    const lifecycle = createBrokerLifecycleClient(addressOf(leader.nodeId));
    const stale = await expectError(
      unary(lifecycle, 'BrokerHeartbeat', { brokerId: 77, brokerEpoch: 1 }, { deadlineMs: DEADLINE_MS }),
    );
    lifecycle.close();
    expect(stale.code).toBe('UNKNOWN_BROKER');
  }, 20_000);
});

describe('a single-voter controller', () => {
  let dataDir = '';
  let handle: ControllerHandle | undefined;

  async function startSingle(
    extra: Partial<ControllerOptions> = {},
  ): Promise<{ address: string; options: ControllerOptions }> {
    dataDir = await mkdtemp(join(tmpdir(), 'trib-controller-single-'));
    const address = `127.0.0.1:${await freePort()}`;
    const options: ControllerOptions = {
      nodeId: 1,
      listen: address,
      dataDir,
      voters: [{ id: 1, address }],
      tickMs: 10,
      logger,
      onFatal: (error) => {
        throw error;
      },
      ...extra,
    };
    handle = await startController(options);
    await waitFor('activation', () => (handle?.isActive() === true ? true : undefined));
    return { address, options };
  }

  it('fences a broker whose lease lapsed, and not one that heartbeats', async () => {
    const { address } = await startSingle({ sessionTimeoutMs: 300, heartbeatIntervalMs: 50 });
    const lifecycle = createBrokerLifecycleClient(address);
    await registerUnfencedBroker(lifecycle, 1);
    await registerUnfencedBroker(lifecycle, 2);
    const epoch2 = handle?.committedImage().broker(2 as never)?.brokerEpoch ?? -1;
    const fenced = waitFor(
      'broker 1 fenced',
      () => (handle?.committedImage().broker(1 as never)?.fenced ? true : undefined),
      5_000,
    );
    let beating = true;
    const beat = (async () => {
      while (beating) {
        await unary(
          lifecycle,
          'BrokerHeartbeat',
          { brokerId: 2, brokerEpoch: epoch2, metadataOffset: epoch2 },
          { deadlineMs: DEADLINE_MS },
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await fenced;
    beating = false;
    await beat;
    lifecycle.close();
    expect(handle?.committedImage().broker(2 as never)?.fenced).toBe(false);
  }, 20_000);

  it('decides concurrent commands against the speculative image', async () => {
    const { address } = await startSingle();
    const lifecycle = createBrokerLifecycleClient(address);
    await registerUnfencedBroker(lifecycle, 1);
    lifecycle.close();
    const admin = createControllerAdminClient(address);
    const create = (name: string) =>
      unary(
        admin,
        'CreateTopic',
        { name, partitions: 2, replicationFactor: 1 },
        { deadlineMs: DEADLINE_MS },
      ).then(
        () => 'ok',
        (error: unknown) => (error instanceof TributaryError ? error.code : 'other'),
      );
    const results = await Promise.all([create('same'), create('same'), create('other'), create('same')]);
    admin.close();
    expect(results.filter((r) => r === 'ok')).toHaveLength(2);
    expect(results.filter((r) => r === 'TOPIC_ALREADY_EXISTS')).toHaveLength(2);
    expect(handle?.committedImage().topicsByName.size).toBe(2);
  }, 20_000);

  it('pushes new commits to a following metadata stream', async () => {
    const { address } = await startSingle();
    const stream = createMetadataStreamClient(address);
    const events: FetchMetadataEvent__Output[] = [];
    const call = stream.FetchMetadata({ fromOffset: 0, follow: true });
    call.on('data', (event: FetchMetadataEvent__Output) => events.push(event));
    call.on('error', () => undefined);
    const lifecycle = createBrokerLifecycleClient(address);
    await registerUnfencedBroker(lifecycle, 1);
    lifecycle.close();
    const admin = createControllerAdminClient(address);
    await unary(
      admin,
      'CreateTopic',
      { name: 'followed', partitions: 1, replicationFactor: 1 },
      { deadlineMs: DEADLINE_MS },
    );
    admin.close();
    await waitFor('the topic record on the stream', () =>
      recordsOf(events).some((r) => r.type === 'Topic' && r.name === 'followed') ? true : undefined,
    );
    const offsets = events.flatMap((e) => (e.entry ? [e.entry.offset] : []));
    expect(offsets).toEqual(offsets.map((_, i) => i + 1));
    call.cancel();
    stream.close();
  }, 20_000);

  afterEach(async () => {
    await handle?.close();
    handle = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('snapshots, compacts, restarts from its snapshot and streams it', async () => {
    const { address, options } = await startSingle({ snapshotIntervalEntries: 4 });
    const lifecycle = createBrokerLifecycleClient(address);
    await registerUnfencedBroker(lifecycle, 1);
    lifecycle.close();
    const client = createControllerAdminClient(address);
    for (let i = 0; i < 8; i++) {
      await unary(
        client,
        'CreateTopic',
        { name: `t${i}`, partitions: 1, replicationFactor: 1 },
        { deadlineMs: DEADLINE_MS },
      );
    }
    const quorum = await unary(client, 'DescribeQuorum', {}, { deadlineMs: DEADLINE_MS });
    expect(quorum.snapshotIndex).toBeGreaterThan(0);
    client.close();
    await handle?.close();

    handle = await startController(options);
    expect(handle.committedImage().topicsByName.size).toBeGreaterThanOrEqual(1);
    await waitFor('replay', () => (handle?.committedImage().topicsByName.size === 8 ? true : undefined));
    const events = await fetchAll(address, 0);
    const chunks = events.filter((e) => e.snapshot !== null && e.snapshot !== undefined);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.at(-1)?.snapshot?.last).toBe(true);
    const snapshotImage = decodeSnapshot(
      Buffer.concat(chunks.map((e) => e.snapshot?.data ?? Buffer.alloc(0))),
    );
    expect(snapshotImage.offset).toBe(chunks[0]?.snapshot?.snapshotOffset);
    const later = recordsOf(events).filter((r) => r.type === 'Topic');
    expect(snapshotImage.topicsByName.size + later.length).toBe(8);
    const lastOffset = events.at(-1)?.entry?.offset ?? chunks[0]?.snapshot?.snapshotOffset;
    expect(lastOffset).toBe(handle.committedImage().offset);
  }, 20_000);
});

describe('a follower that fell behind the leader snapshot', () => {
  const dirs: string[] = [];
  const handles = new Map<number, ControllerHandle>();

  afterAll(async () => {
    await Promise.all([...handles.values()].map((handle) => handle.close()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('catches up through InstallSnapshot', async () => {
    const voters: VoterAddress[] = [];
    for (const id of [1, 2, 3]) voters.push({ id, address: `127.0.0.1:${await freePort()}` });
    const optionsOf = new Map<number, ControllerOptions>();
    for (const voter of voters) {
      const dataDir = await mkdtemp(join(tmpdir(), `trib-controller-lag-${voter.id}-`));
      dirs.push(dataDir);
      optionsOf.set(voter.id, {
        nodeId: voter.id,
        listen: voter.address,
        dataDir,
        voters,
        tickMs: 10,
        sessionTimeoutMs: 20_000,
        snapshotIntervalEntries: 4,
        logger,
        onFatal: (error) => {
          throw error;
        },
      });
    }
    await Promise.all(
      voters.map(async (voter) => {
        const options = optionsOf.get(voter.id);
        if (options !== undefined) handles.set(voter.id, await startController(options));
      }),
    );
    const leader = await waitFor('an active controller', () =>
      [...handles.values()].find((h) => h.isActive()),
    );
    const laggard = voters.find((v) => v.id !== leader.nodeId)?.id ?? -1;
    await handles.get(laggard)?.close();
    handles.delete(laggard);

    const leaderAddress = voters.find((v) => v.id === leader.nodeId)?.address ?? '';
    const lifecycle = createBrokerLifecycleClient(leaderAddress);
    await registerUnfencedBroker(lifecycle, 1);
    lifecycle.close();
    const admin = createControllerAdminClient(leaderAddress);
    for (let i = 0; i < 12; i++) {
      await unary(
        admin,
        'CreateTopic',
        { name: `lag${i}`, partitions: 1, replicationFactor: 1 },
        { deadlineMs: DEADLINE_MS },
      );
    }
    admin.close();
    expect(leader.status().snapshotIndex).toBeGreaterThan(4);

    const options = optionsOf.get(laggard);
    if (options === undefined) throw new Error('no options');
    const restarted = await startController(options);
    handles.set(laggard, restarted);
    await waitFor('the laggard to catch up', () =>
      restarted.committedImage().topicsByName.size === 12 ? true : undefined,
    );
  }, 30_000);
});
