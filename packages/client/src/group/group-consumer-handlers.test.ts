/**
 * The group consumer's handler contract against the fakes: eachBatch, handler errors (at-least-once:
 * the failed record is neither committed nor skipped), rebalance listeners in order, fatal errors.
 */
import { waitFor } from '@tributary/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TributaryClient } from '../client.js';
import { BrokerConnections } from '../connections.js';
import { MetadataCache } from '../metadata-cache.js';
import { type FakeCluster, startFakeCluster } from '../testing/fake-broker.js';
import { type FakeCoordinator, startFakeCoordinator } from '../testing/fake-coordinator.js';
import { CoordinatorConnections } from './coordinator.js';
import { GroupConsumer } from './group-consumer.js';
import type { GroupConsumerOptions } from './types.js';

const TOPICS = { jobs: 2 } as const;
const TEST_TIMEOUT = { timeout: 30_000 };

let cluster: FakeCluster;
let coordinator: FakeCoordinator;
let connections: BrokerConnections;
let coordinators: CoordinatorConnections;

beforeAll(async () => {
  cluster = await startFakeCluster({ brokers: 2, topics: TOPICS });
  coordinator = await startFakeCoordinator({ topics: TOPICS, heartbeatIntervalMs: 30 });
  connections = new BrokerConnections();
  coordinators = new CoordinatorConnections();
  const producer = new TributaryClient({ bootstrap: cluster.bootstrap, timeoutMs: 5_000 });
  try {
    const records = [0, 1].flatMap((partition) =>
      [0, 1, 2, 3].map((i) => ({ key: null, value: `j${partition}-${i}`, partition })),
    );
    await producer.producer().send('jobs', records);
  } finally {
    producer.close();
  }
});

afterAll(async () => {
  connections.close();
  coordinators.close();
  await coordinator.stop();
  await cluster.stop();
});

function makeConsumer(options: GroupConsumerOptions): GroupConsumer {
  const consumer = new GroupConsumer(
    {
      metadata: new MetadataCache(cluster.bootstrap, connections),
      connections,
      coordinators,
      lookupAddresses: () => coordinator.addresses,
      brokerAddresses: () => cluster.bootstrap,
      clientId: 'handlers-test',
      memberId: `${options.groupId}-member`,
    },
    { fromBeginning: true, maxWaitMs: 50, ...options },
  );
  consumer.subscribe({ topics: ['jobs'] });
  return consumer;
}

describe('GroupConsumer handlers', () => {
  it('eachBatch gets whole per-partition batches; close commits them', TEST_TIMEOUT, async () => {
    const consumer = makeConsumer({ groupId: 'batches' });
    const seen = new Map<number, number[]>();
    const running = consumer.run({
      eachBatch: async ({ batch, isRunning, isStale }) => {
        expect(isRunning()).toBe(true);
        expect(isStale()).toBe(false);
        seen.set(batch.partition, [
          ...(seen.get(batch.partition) ?? []),
          ...batch.messages.map((m) => m.offset),
        ]);
      },
    });
    await waitFor('both partitions', () => seen.get(0)?.length === 4 && seen.get(1)?.length === 4);
    await consumer.close();
    await running;
    expect(seen.get(0)).toEqual([0, 1, 2, 3]);
    expect([
      coordinator.committed('batches', 'jobs', 0),
      coordinator.committed('batches', 'jobs', 1),
    ]).toEqual([4, 4]);
  });

  it(
    'a failing handler rejects run(); the failed record is not committed and comes again',
    TEST_TIMEOUT,
    async () => {
      const consumer = makeConsumer({ groupId: 'failing', autoCommitIntervalMs: 20 });
      const handled: string[] = [];
      const failing = consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (partition === 0 && message.offset === 2) throw new Error('poison');
          handled.push(`${partition}:${message.offset}`);
        },
      });
      await expect(failing).rejects.toThrow('poison');
      expect(handled).not.toContain('0:2');
      expect(handled).not.toContain('0:3');
      // Auto-commit writes only what finished: partition 0 stops before the failed record.
      await waitFor('committed up to the failure', () => coordinator.committed('failing', 'jobs', 0) === 2);
      const again: string[] = [];
      const retried = consumer.run({
        eachMessage: async ({ partition, message }) => {
          again.push(`${partition}:${message.offset}`);
        },
      });
      await waitFor('redelivered', () => again.includes('0:3'));
      expect(again.filter((r) => r.startsWith('0:'))).toEqual(['0:2', '0:3']);
      await consumer.close();
      await retried;
      expect(coordinator.committed('failing', 'jobs', 0)).toBe(4);
    },
  );

  it('calls onAssigned before the first record and onRevoked on close, in order', TEST_TIMEOUT, async () => {
    const events: string[] = [];
    const consumer = makeConsumer({
      groupId: 'listeners',
      onAssigned: async (partitions) => {
        // A slow listener still runs before any record of its partitions is delivered.
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`assigned ${partitions.map((p) => p.partition).join(',')}`);
      },
      onRevoked: (partitions) => {
        events.push(`revoked ${partitions.map((p) => p.partition).join(',')}`);
      },
    });
    const running = consumer.run({
      eachMessage: async () => {
        if (events.at(-1) !== 'record') events.push('record');
      },
    });
    await waitFor('records', () => events.includes('record'));
    await consumer.close();
    await running;
    expect(events).toEqual(['assigned 0,1', 'record', 'revoked 0,1']);
  });

  it('stops with the error when the coordinator refuses the member for good', TEST_TIMEOUT, async () => {
    coordinator.inject('GroupHeartbeat', 'INCONSISTENT_GROUP_PROTOCOL');
    const consumer = makeConsumer({ groupId: 'refused', assignor: 'range' });
    await expect(consumer.run({ eachMessage: async () => undefined })).rejects.toMatchObject({
      code: 'INCONSISTENT_GROUP_PROTOCOL',
    });
    await consumer.close();
  });
  it(
    'groupMetadata() names the member while the batch is its own, and refuses once the member was fenced',
    TEST_TIMEOUT,
    async () => {
      const consumer = makeConsumer({ groupId: 'zombie-handler', autoCommitIntervalMs: 60_000 });
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const before: unknown[] = [];
      const after: unknown[] = [];
      let handling = 0;
      const running = consumer.run({
        eachBatch: async ({ groupMetadata }) => {
          handling++;
          if (handling > 1) return;
          before.push(groupMetadata());
          // The member is fenced and rejoins (same id, new epoch) while this handler still works.
          await released;
          try {
            after.push(groupMetadata());
          } catch (error) {
            after.push(error);
          }
        },
      });
      await waitFor('one batch in its handler', () => before.length === 1);
      expect(before[0]).toEqual({ memberId: 'zombie-handler-member', memberEpoch: consumer.memberEpoch });
      const epochBefore = consumer.memberEpoch;
      coordinator.fence('zombie-handler', 'zombie-handler-member');
      await waitFor('rejoined at a new epoch', () => consumer.memberEpoch > epochBefore);
      release();
      await waitFor('the handler finished', () => after.length === 1);
      expect(after[0]).toMatchObject({ code: 'ILLEGAL_GENERATION' });
      await consumer.close();
      await running;
    },
  );
});
