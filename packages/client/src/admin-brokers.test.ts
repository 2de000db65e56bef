/**
 * The Admin with bootstrap brokers only (no controllers): a real broker forwards its calls to a real
 * one-voter controller in this process, and a dead bootstrap address listed first is skipped.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrokerHandle, startBroker } from '@tributary/broker';
import { type ControllerHandle, startController } from '@tributary/controller';
import { TributaryError } from '@tributary/core';
import { freePort, waitFor } from '@tributary/core/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouteOf } from './admin-route.js';
import { TributaryClient } from './client.js';

/** Bound on each wait (a loaded CI machine is slow, not stuck). */
const WAIT_MS = 15_000;
/** Nothing listens here: a dead bootstrap broker. */
const DEAD = '127.0.0.1:1';

let dir = '';
let controller: ControllerHandle | undefined;
let broker: BrokerHandle | undefined;
let client: TributaryClient | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trib-client-admin-brokers-'));
  const controllerAddress = `127.0.0.1:${await freePort()}`;
  const started = await startController({
    nodeId: 1,
    listen: controllerAddress,
    dataDir: join(dir, 'controller'),
    voters: [{ id: 1, address: controllerAddress }],
    logLevel: 'silent',
    onFatal: (error) => {
      throw error;
    },
  });
  controller = started;
  await waitFor('activation', () => started.isActive(), WAIT_MS);
  const running = await startBroker({
    nodeId: 1,
    listen: '127.0.0.1:0',
    dataDir: join(dir, 'broker-1'),
    controllers: [controllerAddress],
    logger: pino({ level: 'silent' }),
    heartbeatIntervalMs: 100,
    controlledShutdownTimeoutMs: 2_000,
  });
  broker = running;
  await waitFor('the broker to catch up', () => running.lifecycle.snapshot().caughtUp, WAIT_MS);
  client = new TributaryClient({ bootstrap: [DEAD, `127.0.0.1:${running.port}`] });
});

afterAll(async () => {
  client?.close();
  await broker?.close();
  await controller?.close();
  await rm(dir, { recursive: true, force: true });
});

function admin() {
  if (client === undefined) throw new Error('no client');
  return client.admin();
}

async function refusal(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected a refusal');
}

describe('adminRouteOf', () => {
  it('prefers controllers, falls back to brokers, and refuses neither', () => {
    expect(adminRouteOf({ controllers: ['c:1', 'c:1'], bootstrap: ['b:1'] })).toEqual({
      route: 'controllers',
      addresses: ['c:1'],
    });
    expect(adminRouteOf({ controllers: [], bootstrap: ['b:1', 'b:2'] })).toEqual({
      route: 'brokers',
      addresses: ['b:1', 'b:2'],
    });
    expect(() => adminRouteOf({})).toThrow(TributaryError);
  });
});

describe('Admin through bootstrap brokers (no controllers given)', () => {
  it('manages topics past a dead bootstrap broker', async () => {
    expect(admin().routedThrough).toBe('brokers');
    const created = await admin().createTopic({ name: 'orders', partitions: 2, replicationFactor: 1 });
    expect(created.partitions).toHaveLength(2);
    await waitFor(
      'a leader for every partition',
      async () => (await admin().describeTopics(['orders']))[0]?.partitions.every((p) => p.leader === 1),
      WAIT_MS,
    );
    expect((await admin().listTopics()).map((t) => t.name)).toEqual(['orders']);
    const exists = await refusal(
      admin().createTopic({ name: 'orders', partitions: 1, replicationFactor: 1 }),
    );
    expect(exists.code).toBe('TOPIC_ALREADY_EXISTS');
    expect(await admin().deleteTopic('orders')).toBe(created.id);
  });

  it("describes the cluster and the quorum from the active controller's view", async () => {
    const cluster = await admin().describeCluster();
    expect(cluster.controllerId).toBe(1);
    expect(cluster.brokers.map((b) => b.id)).toEqual([1]);
    const quorum = await admin().describeQuorum();
    expect(quorum.leaderId).toBe(1);
    expect(quorum.voters.map((v) => v.id)).toEqual([1]);
  });

  it('is refused membership changes, which need the controllers', async () => {
    const error = await refusal(admin().removeVoter(1, { deadlineMs: 5_000 }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toContain('--controllers');
  });
});
