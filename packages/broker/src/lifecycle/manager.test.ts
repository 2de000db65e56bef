/** BrokerLifecycleManager against a real in-process single-voter controller. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ControllerHandle, startController } from '@tributary/controller';
import { brokerId } from '@tributary/core';
import { freePort, sleep, waitFor } from '@tributary/core/testing';
import { type BrokerInfo__Output, ControllerConnection } from '@tributary/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerLifecycleManager } from './manager.js';
import type { LifecycleSnapshot, LifecycleStatus } from './state.js';

const DEADLINE_MS = 5_000;
const CONTROLLER_SESSION_TIMEOUT_MS = 600;
const logger = pino({ level: process.env.TRIB_TEST_LOG_LEVEL ?? 'silent' });

describe('BrokerLifecycleManager with a real controller', () => {
  let dataDir = '';
  let address = '';
  let controller: ControllerHandle | undefined;
  let connection: ControllerConnection | undefined;
  let manager: BrokerLifecycleManager | undefined;
  /** What the broker reports as applied; tests move it to the controller's offset to catch up. */
  let appliedOffset = 0;
  let statuses: LifecycleStatus[] = [];

  const startTheController = async (): Promise<void> => {
    controller = await startController({
      nodeId: 1,
      listen: address,
      dataDir,
      voters: [{ id: 1, address }],
      tickMs: 10,
      sessionTimeoutMs: CONTROLLER_SESSION_TIMEOUT_MS,
      logger,
      onFatal: (error) => {
        throw error;
      },
    });
    const handle = controller;
    await waitFor('an active controller', () => (handle.isActive() ? true : undefined));
  };

  const conn = (): ControllerConnection => {
    if (connection === undefined) throw new Error('no connection');
    return connection;
  };

  const describeBroker = async (): Promise<{ offset: number; broker: BrokerInfo__Output | undefined }> => {
    const cluster = await conn().admin('DescribeCluster', {}, { deadlineMs: DEADLINE_MS });
    return { offset: cluster.metadataOffset, broker: cluster.brokers.find((b) => b.brokerId === 5) };
  };

  const startManager = (): BrokerLifecycleManager => {
    manager = new BrokerLifecycleManager({
      brokerId: brokerId(5),
      address: '127.0.0.1:9095',
      connection: conn(),
      metadataOffset: () => appliedOffset,
      onStateChange: (snapshot: LifecycleSnapshot) => statuses.push(snapshot.status),
      heartbeatIntervalMs: 100,
      sessionTimeoutMs: CONTROLLER_SESSION_TIMEOUT_MS,
      requestTimeoutMs: 300,
      logger,
    });
    manager.start();
    return manager;
  };

  const waitForStatus = (broker: BrokerLifecycleManager, status: LifecycleStatus) =>
    waitFor(`status ${status}`, () => {
      const snapshot = broker.snapshot();
      return snapshot.status === status ? snapshot : undefined;
    });

  /** Registers, then reports the controller's offset as applied and waits to be unfenced. */
  const registerAndCatchUp = async (broker: BrokerLifecycleManager): Promise<LifecycleSnapshot> => {
    const fenced = await waitForStatus(broker, 'fenced');
    expect(fenced.caughtUp).toBe(false);
    appliedOffset = (await describeBroker()).offset;
    const unfenced = await waitForStatus(broker, 'unfenced');
    expect(unfenced.caughtUp).toBe(true);
    return unfenced;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trib-lifecycle-'));
    address = `127.0.0.1:${await freePort()}`;
    appliedOffset = 0;
    statuses = [];
    await startTheController();
    connection = new ControllerConnection({ addresses: [address], attemptTimeoutMs: 300 });
  });

  afterEach(async () => {
    await manager?.close();
    manager = undefined;
    connection?.close();
    connection = undefined;
    await controller?.close();
    controller = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('registers, is unfenced once caught up, stays unfenced, and is fenced when heartbeats stop', async () => {
    const broker = startManager();
    const unfenced = await registerAndCatchUp(broker);
    expect((await describeBroker()).broker).toMatchObject({
      fenced: false,
      brokerEpoch: unfenced.brokerEpoch,
    });

    // Three controller session timeouts of heartbeating: the lease holds.
    await sleep(3 * CONTROLLER_SESSION_TIMEOUT_MS);
    expect(broker.snapshot()).toMatchObject({ status: 'unfenced', brokerEpoch: unfenced.brokerEpoch });
    expect((await describeBroker()).broker?.fenced).toBe(false);
    expect(statuses).toEqual(['fenced', 'unfenced']);

    await broker.close();
    expect(broker.snapshot().status).toBe('stopped');
    await waitFor('the controller to fence the silent broker', async () =>
      (await describeBroker()).broker?.fenced === true ? true : undefined,
    );
  });

  it('loses its lease while the controller is down, then re-registers with a higher epoch', async () => {
    const broker = startManager();
    const before = await registerAndCatchUp(broker);
    await controller?.close();
    controller = undefined;
    await waitForStatus(broker, 'lease-lost');

    await startTheController();
    const after = await waitForStatus(broker, 'fenced');
    expect(after.brokerEpoch ?? 0).toBeGreaterThan(before.brokerEpoch ?? Number.POSITIVE_INFINITY);
    appliedOffset = (await describeBroker()).offset;
    await waitForStatus(broker, 'unfenced');
    expect(statuses).toEqual(['fenced', 'unfenced', 'lease-lost', 'fenced', 'unfenced']);
  });

  it('controlled shutdown ends with shouldShutDown and a fenced broker', async () => {
    const broker = startManager();
    await registerAndCatchUp(broker);
    const final = await broker.controlledShutdown({ timeoutMs: DEADLINE_MS });
    expect(final).toMatchObject({ status: 'stopped', shutdownCompleted: true });
    expect((await describeBroker()).broker?.fenced).toBe(true);
  });
});
