import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerId, TributaryError } from '@tributary/core';
import {
  type BrokerLifecycleClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  unary,
} from '@tributary/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type ControllerHandle, startController } from '../controller-node.js';
import { ALTER_PARTITION_ITEMS_MAX } from './broker-lifecycle.js';

const DEADLINE_MS = 5_000;
const logger = pino({ level: process.env.TRIB_TEST_LOG_LEVEL ?? 'silent' });

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function expectError(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected the call to fail');
}

async function registerUnfencedBroker(client: BrokerLifecycleClient, id: number): Promise<void> {
  const { brokerEpoch } = await unary(
    client,
    'RegisterBroker',
    { brokerId: id, incarnationId: `inc-${id}`, address: `127.0.0.1:${9000 + id}`, rack: '' },
    { deadlineMs: DEADLINE_MS },
  );
  const response = await unary(
    client,
    'BrokerHeartbeat',
    { brokerId: id, brokerEpoch, metadataOffset: brokerEpoch, wantFence: false, wantShutdown: false },
    { deadlineMs: DEADLINE_MS },
  );
  expect(response.caughtUp).toBe(true);
}

describe('BrokerLifecycle.AlterPartition on a single-voter controller', () => {
  let dataDir = '';
  let handle: ControllerHandle | undefined;

  /** Starts the controller and waits until it is active; returns its address. */
  async function startSingle(): Promise<string> {
    dataDir = await mkdtemp(join(tmpdir(), 'trib-alter-partition-'));
    const address = `127.0.0.1:${await freePort()}`;
    handle = await startController({
      nodeId: 1,
      listen: address,
      dataDir,
      voters: [{ id: 1, address }],
      tickMs: 10,
      // Long: the brokers do not heartbeat during the test and must stay unfenced.
      sessionTimeoutMs: 60_000,
      logger,
      onFatal: (error) => {
        throw error;
      },
    });
    const deadline = Date.now() + 10_000;
    while (handle.isActive() !== true) {
      if (Date.now() > deadline) throw new Error('timed out waiting for activation');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return address;
  }

  afterEach(async () => {
    await handle?.close();
    handle = undefined;
    if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
    dataDir = '';
  });

  it('alters a partition ISR for its leader and refuses stale changes', async () => {
    const address = await startSingle();
    const lifecycle = createBrokerLifecycleClient(address);
    for (const id of [1, 2, 3]) await registerUnfencedBroker(lifecycle, id);
    const admin = createControllerAdminClient(address);
    const created = await unary(
      admin,
      'CreateTopic',
      { name: 'isr', partitions: 1, replicationFactor: 3 },
      { deadlineMs: DEADLINE_MS },
    );
    admin.close();
    const before = created.topic?.partitions[0];
    if (before === undefined) throw new Error('no partition 0');
    expect(before.isr).toHaveLength(3);
    const leader = before.leader;
    const epoch = handle?.committedImage().broker(brokerId(leader))?.brokerEpoch ?? -1;
    const follower = before.isr.find((member) => member !== leader) ?? -1;
    const change = {
      topic: 'isr',
      partition: 0,
      leaderEpoch: before.leaderEpoch,
      partitionEpoch: before.partitionEpoch,
      newIsr: [leader, follower],
    };
    const alter = (items: (typeof change)[], brokerEpoch = epoch) =>
      unary(
        lifecycle,
        'AlterPartition',
        { brokerId: leader, brokerEpoch, items },
        { deadlineMs: DEADLINE_MS },
      );

    const accepted = await alter([change]);
    expect(accepted.results).toHaveLength(1);
    expect(accepted.results[0]).toMatchObject({
      topic: 'isr',
      partition: 0,
      errorCode: '',
      errorMessage: '',
    });
    expect(accepted.results[0]?.partitionInfo).toMatchObject({
      leader,
      leaderEpoch: before.leaderEpoch,
      partitionEpoch: before.partitionEpoch + 1,
      isr: [leader, follower],
    });
    const topicId = handle?.committedImage().topicByName('isr')?.topicId ?? '';
    expect(handle?.committedImage().partition(topicId, 0)?.isr).toEqual([leader, follower]);

    // The same change again is based on a partition epoch that has passed.
    const stale = await alter([change]);
    expect(stale.results[0]?.errorCode).toBe('STALE_PARTITION_EPOCH');
    expect(stale.results[0]?.partitionInfo?.partitionEpoch).toBe(before.partitionEpoch + 1);

    const staleBroker = await expectError(alter([change], epoch + 1));
    expect(staleBroker.code).toBe('STALE_BROKER_EPOCH');
    const tooMany = await expectError(
      alter(Array.from({ length: ALTER_PARTITION_ITEMS_MAX + 1 }, () => change)),
    );
    expect(tooMany.code).toBe('INVALID_REQUEST');
    lifecycle.close();
  }, 20_000);
});
