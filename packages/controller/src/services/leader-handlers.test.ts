/** ElectLeaders through gRPC against a real one-voter controller with two (simulated) brokers. */
import type { TributaryError } from '@tributary/core';
import {
  type BrokerLifecycleClient,
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  type PartitionInfo__Output,
  unary,
} from '@tributary/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEADLINE_MS,
  refused,
  registerUnfencedBroker,
  type SingleController,
  startSingleController,
} from './testing.js';

/** Far above any offset here: the heartbeat counts as caught up, so the broker is unfenced. */
const CAUGHT_UP_OFFSET = 1_000_000;

describe('ElectLeaders', () => {
  let controller: SingleController | undefined;
  let admin: ControllerAdminClient | undefined;
  let lifecycle: BrokerLifecycleClient | undefined;
  const epochs = new Map<number, number>();

  beforeAll(async () => {
    controller = await startSingleController('elect-leaders', {
      sessionTimeoutMs: 60_000,
      // This test elects by hand; the automatic balance would race it.
      autoLeaderRebalance: false,
    });
    lifecycle = createBrokerLifecycleClient(controller.address);
    for (const brokerId of [1, 2]) epochs.set(brokerId, await registerUnfencedBroker(lifecycle, brokerId));
    admin = createControllerAdminClient(controller.address);
  }, 20_000);

  afterAll(async () => {
    admin?.close();
    lifecycle?.close();
    await controller?.close();
  });

  const client = (): ControllerAdminClient => {
    if (admin === undefined) throw new Error('not started');
    return admin;
  };

  async function heartbeat(brokerId: number, wantFence: boolean): Promise<void> {
    if (lifecycle === undefined) throw new Error('not started');
    await unary(
      lifecycle,
      'BrokerHeartbeat',
      {
        brokerId,
        brokerEpoch: epochs.get(brokerId) ?? 0,
        metadataOffset: CAUGHT_UP_OFFSET,
        wantFence,
        wantShutdown: false,
      },
      { deadlineMs: DEADLINE_MS },
    );
  }

  async function partitions(): Promise<PartitionInfo__Output[]> {
    const { topics } = await unary(
      client(),
      'DescribeTopics',
      { names: ['orders'] },
      { deadlineMs: DEADLINE_MS },
    );
    return topics[0]?.partitions ?? [];
  }

  const refusal = (request: object): Promise<TributaryError> =>
    refused(unary(client(), 'ElectLeaders', request, { deadlineMs: DEADLINE_MS }));

  it('moves leadership back once the preferred leader is in the ISR; answers per partition', async () => {
    await unary(
      client(),
      'CreateTopic',
      { name: 'orders', partitions: 2, replicationFactor: 2 },
      { deadlineMs: DEADLINE_MS },
    );
    // Broker 1 is fenced and comes back: it leads nothing and is out of every ISR.
    await heartbeat(1, true);
    await heartbeat(1, false);
    const before = await partitions();
    const preferredBy1 = before.find((p) => p.replicas[0] === 1);
    const preferredBy2 = before.find((p) => p.replicas[0] === 2);
    if (preferredBy1 === undefined || preferredBy2 === undefined)
      throw new Error('round-robin placement expected');
    expect(preferredBy1.leader).toBe(2);
    expect(preferredBy1.isr).toEqual([2]);

    const named = [
      { topic: 'orders', partition: preferredBy1.partition },
      { topic: 'orders', partition: preferredBy2.partition },
      { topic: 'orders', partition: 9 },
      { topic: 'missing', partition: 0 },
    ];
    const first = await unary(client(), 'ElectLeaders', { partitions: named }, { deadlineMs: DEADLINE_MS });
    expect(first.results.map((r) => [r.partition, r.errorCode, r.leader])).toEqual([
      [preferredBy1.partition, 'PREFERRED_LEADER_NOT_AVAILABLE', 2],
      [preferredBy2.partition, 'ELECTION_NOT_NEEDED', 2],
      [9, 'UNKNOWN_TOPIC_OR_PARTITION', -1],
      [0, 'UNKNOWN_TOPIC_OR_PARTITION', -1],
    ]);
    expect(first.results[0]?.errorMessage).toContain('not in the ISR');

    // The leader (broker 2) takes broker 1 back into the ISR, as it does once 1 has caught up.
    if (lifecycle === undefined) throw new Error('not started');
    const altered = await unary(
      lifecycle,
      'AlterPartition',
      {
        brokerId: 2,
        brokerEpoch: epochs.get(2) ?? 0,
        items: [
          {
            topic: 'orders',
            partition: preferredBy1.partition,
            leaderEpoch: preferredBy1.leaderEpoch,
            partitionEpoch: preferredBy1.partitionEpoch,
            newIsr: [2, 1],
          },
        ],
      },
      { deadlineMs: DEADLINE_MS },
    );
    expect(altered.results[0]?.errorCode).toBe('');

    // No partitions named: every partition; only those that needed an election are reported.
    const all = await unary(client(), 'ElectLeaders', {}, { deadlineMs: DEADLINE_MS });
    expect(all.results).toEqual([
      { topic: 'orders', partition: preferredBy1.partition, errorCode: '', errorMessage: '', leader: 1 },
    ]);
    const after = await partitions();
    const elected = after.find((p) => p.partition === preferredBy1.partition);
    expect(elected?.leader).toBe(1);
    expect(elected?.leaderEpoch).toBe(preferredBy1.leaderEpoch + 1);
    expect(elected?.partitionEpoch).toBeGreaterThan(preferredBy1.partitionEpoch);

    const again = await unary(client(), 'ElectLeaders', {}, { deadlineMs: DEADLINE_MS });
    expect(again.results).toEqual([]);
  }, 20_000);

  it('refuses malformed requests with a status naming the problem', async () => {
    expect((await refusal({ partitions: [{ topic: '', partition: 0 }] })).message).toContain(
      'partitions[0].topic',
    );
    const twice = await refusal({
      partitions: [
        { topic: 'orders', partition: 0 },
        { topic: 'orders', partition: 0 },
      ],
    });
    expect(twice.code).toBe('INVALID_REQUEST');
    expect(twice.message).toContain('named twice');
    const many = Array.from({ length: 10_001 }, (_, partition) => ({ topic: 'orders', partition }));
    const tooMany = await refusal({ partitions: many });
    expect(tooMany.code).toBe('INVALID_REQUEST');
    expect(tooMany.message).toContain('limit is 10000');
  }, 20_000);
});
