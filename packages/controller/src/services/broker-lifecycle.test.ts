import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerId, TributaryError } from '@tributary/core';
import { freePort } from '@tributary/core/testing';
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
/** The suspicion time of the unreachable-broker test (its controller's suspectAfterMs). */
const SUSPECT_AFTER_MS = 1_000;
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

async function registerUnfencedBroker(client: BrokerLifecycleClient, id: number): Promise<number> {
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
  return brokerEpoch;
}

describe('BrokerLifecycle.AlterPartition on a single-voter controller', () => {
  let dataDir = '';
  let handle: ControllerHandle | undefined;

  /** Starts the controller and waits until it is active; returns its address. */
  async function startSingle(suspectAfterMs?: number): Promise<string> {
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
      ...(suspectAfterMs === undefined ? {} : { suspectAfterMs }),
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

  it('allocates disjoint producer id blocks to concurrent requests and refuses stale brokers', async () => {
    const address = await startSingle();
    const lifecycle = createBrokerLifecycleClient(address);
    const epochs = new Map<number, number>();
    for (const id of [1, 2]) epochs.set(id, await registerUnfencedBroker(lifecycle, id));
    const allocate = (id: number, brokerEpoch = epochs.get(id) ?? -1) =>
      unary(lifecycle, 'AllocateProducerIds', { brokerId: id, brokerEpoch }, { deadlineMs: DEADLINE_MS });
    // Decided against the speculative image without waiting for each other to commit.
    const blocks = await Promise.all([allocate(1), allocate(2), allocate(1), allocate(2)]);
    const firsts = blocks.map((block) => block.firstProducerId).sort((a, b) => a - b);
    expect(firsts).toEqual([0, 1000, 2000, 3000]);
    expect(blocks.every((block) => block.count === 1000)).toBe(true);
    expect(handle?.committedImage().nextProducerId).toBe(4000);

    const stale = await expectError(allocate(1, (epochs.get(1) ?? 0) + 1));
    expect(stale.code).toBe('STALE_BROKER_EPOCH');
    const unknown = await expectError(allocate(7, 1));
    expect(unknown.code).toBe('UNKNOWN_BROKER');
    expect(handle?.committedImage().nextProducerId).toBe(4000);
    lifecycle.close();
  }, 20_000);

  it('fences a silent broker another broker reports unreachable, never a heartbeating one', async () => {
    // 1 s of silence makes a broker suspect: broker 3's heartbeats every ~50 ms keep it well clear of that
    // even on a loaded machine (with 300 ms, a stalled loop let broker 3 look silent too).
    const address = await startSingle(SUSPECT_AFTER_MS);
    const lifecycle = createBrokerLifecycleClient(address);
    const epochs = new Map<number, number>();
    epochs.set(1, await registerUnfencedBroker(lifecycle, 1));
    // Broker 1 is silent from here (the controller heard it last before this answer came back).
    const silentSinceMs = Date.now();
    for (const id of [2, 3]) epochs.set(id, await registerUnfencedBroker(lifecycle, id));
    const heartbeat = (id: number, unreachableBrokerIds: number[]) =>
      unary(
        lifecycle,
        'BrokerHeartbeat',
        {
          brokerId: id,
          brokerEpoch: epochs.get(id) ?? -1,
          metadataOffset: epochs.get(id) ?? -1,
          wantFence: false,
          wantShutdown: false,
          unreachableBrokerIds,
        },
        { deadlineMs: DEADLINE_MS },
      );
    const fenced = (id: number) => handle?.committedImage().broker(brokerId(id))?.fenced;
    // Broker 1 goes silent; broker 2 reports 1 and 3 unreachable; broker 3 keeps heartbeating.
    while (fenced(1) !== true) {
      if (Date.now() - silentSinceMs > 10_000) throw new Error('broker 1 was not fenced early');
      await heartbeat(2, [1, 3]);
      await heartbeat(3, []);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Well before the 60 s session timeout, and not before its silence reached the suspicion time (a lower
    // bound only: load can make it later, never earlier; 50 ms for the registration answer's way back).
    expect(Date.now() - silentSinceMs).toBeGreaterThanOrEqual(SUSPECT_AFTER_MS - 50);
    expect(fenced(3)).toBe(false);
    expect(fenced(2)).toBe(false);
    const tooMany = await expectError(
      heartbeat(
        2,
        Array.from({ length: 1_025 }, (_, i) => i),
      ),
    );
    expect(tooMany.code).toBe('INVALID_REQUEST');
    lifecycle.close();
  }, 20_000);
});
