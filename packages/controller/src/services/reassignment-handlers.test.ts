/**
 * AlterPartitionReassignments, ListPartitionReassignments and DecommissionBroker through gRPC against a
 * real one-voter controller. The brokers are registrations only (nobody replicates), so every move
 * started here stays running until it is cancelled.
 */
import { waitFor } from '@tributary/core/testing';
import {
  type ControllerAdminClient,
  createBrokerLifecycleClient,
  createControllerAdminClient,
  unary,
} from '@tributary/protocol';
import { assertProperty, expectCleanOutcome, FUZZ_CALL_DEADLINE_MS } from '@tributary/protocol/testing/fuzz';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEADLINE_MS,
  refused,
  registerUnfencedBroker,
  type SingleController,
  startSingleController,
} from './testing.js';

const BROKERS = [1, 2, 3];

describe('reassignment handlers', () => {
  let controller: SingleController | undefined;
  let admin: ControllerAdminClient | undefined;

  beforeAll(async () => {
    controller = await startSingleController('reassignment-handlers', { sessionTimeoutMs: 60_000 });
    const lifecycle = createBrokerLifecycleClient(controller.address);
    for (const id of BROKERS) await registerUnfencedBroker(lifecycle, id);
    lifecycle.close();
    admin = createControllerAdminClient(controller.address);
    const client = admin;
    await waitFor('three unfenced brokers', async () => {
      const { brokers } = await unary(client, 'DescribeCluster', {}, { deadlineMs: DEADLINE_MS });
      return brokers.filter((broker) => !broker.fenced).length === BROKERS.length ? true : undefined;
    });
    await unary(
      client,
      'CreateTopic',
      { name: 'moves', partitions: 3, replicationFactor: 1 },
      { deadlineMs: DEADLINE_MS },
    );
  }, 30_000);

  afterAll(async () => {
    admin?.close();
    await controller?.close();
  });

  const client = (): ControllerAdminClient => {
    if (admin === undefined) throw new Error('not started');
    return admin;
  };
  const replicasOf = async (partition: number): Promise<number[]> => {
    const { topics } = await unary(
      client(),
      'DescribeTopics',
      { names: ['moves'] },
      { deadlineMs: DEADLINE_MS },
    );
    return topics[0]?.partitions.find((p) => p.partition === partition)?.replicas ?? [];
  };
  const refusal = async (
    method: 'AlterPartitionReassignments' | 'DecommissionBroker' | 'ListPartitionReassignments',
    request: object,
  ) => {
    const error = await refused(unary(client(), method, request as never, { deadlineMs: DEADLINE_MS }));
    return `${error.code}: ${error.message}`;
  };

  it('starts a move with a throttle, lists it, and a cancel of the last move lifts the throttle', async () => {
    const [current] = await replicasOf(0);
    const other = BROKERS.find((id) => id !== current) ?? 0;
    const altered = await unary(
      client(),
      'AlterPartitionReassignments',
      {
        targets: [
          { topic: 'moves', partition: 0, replicas: [other] },
          { topic: 'moves', partition: 7, replicas: [other] },
        ],
        throttleBytesPerSec: 1_000,
      },
      { deadlineMs: DEADLINE_MS },
    );
    expect(altered.results.map((r) => r.errorCode)).toEqual(['', 'UNKNOWN_TOPIC_OR_PARTITION']);
    expect(altered.results[0]?.partitionInfo).toMatchObject({
      replicas: [other, current],
      addingReplicas: [other],
      removingReplicas: [current],
    });
    const listed = await unary(client(), 'ListPartitionReassignments', {}, { deadlineMs: DEADLINE_MS });
    expect(listed.throttleBytesPerSec).toBe(1_000);
    expect(listed.reassignments.map((r) => [r.topic, r.partition?.partition])).toEqual([['moves', 0]]);
    const filtered = await unary(
      client(),
      'ListPartitionReassignments',
      { topics: ['moves'] },
      { deadlineMs: DEADLINE_MS },
    );
    expect(filtered.reassignments).toHaveLength(1);

    const cancelled = await unary(
      client(),
      'AlterPartitionReassignments',
      { targets: [{ topic: 'moves', partition: 0, cancel: true }] },
      { deadlineMs: DEADLINE_MS },
    );
    expect(cancelled.results[0]?.errorCode).toBe('');
    expect(await replicasOf(0)).toEqual([current]);
    const after = await unary(client(), 'ListPartitionReassignments', {}, { deadlineMs: DEADLINE_MS });
    expect(after).toMatchObject({ reassignments: [], throttleBytesPerSec: 0 });
  }, 20_000);

  it('validate_only answers the move without starting it', async () => {
    const [current] = await replicasOf(1);
    const other = BROKERS.find((id) => id !== current) ?? 0;
    const preview = await unary(
      client(),
      'AlterPartitionReassignments',
      { targets: [{ topic: 'moves', partition: 1, replicas: [other] }], validateOnly: true },
      { deadlineMs: DEADLINE_MS },
    );
    expect(preview.results[0]?.partitionInfo?.addingReplicas).toEqual([other]);
    expect(await replicasOf(1)).toEqual([current]);
  }, 20_000);

  it('refuses malformed requests naming the field', async () => {
    expect(
      await refusal('AlterPartitionReassignments', { throttleBytesPerSec: 5, removeThrottle: true }),
    ).toMatch(/^INVALID_REQUEST: .*throttle_bytes_per_sec and remove_throttle/);
    expect(
      await refusal('AlterPartitionReassignments', {
        targets: [{ topic: 'moves', partition: 0, replicas: Array.from({ length: 100 }, () => 1) }],
      }),
    ).toMatch(/^INVALID_REQUEST: targets\[0\]\.replicas/);
    expect(
      await refusal('AlterPartitionReassignments', { targets: [{ topic: '', partition: 0, replicas: [1] }] }),
    ).toMatch(/targets\[0\]\.topic/);
    expect(await refusal('ListPartitionReassignments', { topics: ['nope'] })).toMatch(/^UNKNOWN_TOPIC/);
    expect(await refusal('DecommissionBroker', { brokerId: 42 })).toMatch(/^UNKNOWN_BROKER: .*broker 42/);
  }, 20_000);

  it('decommissions a broker: every replica it holds starts moving elsewhere; cancel takes it back', async () => {
    const holding: number[] = [];
    for (const partition of [0, 1, 2]) if ((await replicasOf(partition))[0] === 1) holding.push(partition);
    expect(holding.length).toBeGreaterThan(0);
    const { reassignments } = await unary(
      client(),
      'DecommissionBroker',
      { brokerId: 1 },
      { deadlineMs: DEADLINE_MS },
    );
    expect(reassignments.map((r) => r.partition?.partition).sort()).toEqual(holding);
    for (const r of reassignments) {
      expect(r.partition?.removingReplicas).toEqual([1]);
      expect(r.partition?.addingReplicas).not.toContain(1);
    }
    const listed = await unary(client(), 'ListPartitionReassignments', {}, { deadlineMs: DEADLINE_MS });
    expect(listed.reassignments).toHaveLength(holding.length);
    // The broker takes no new move while it is being drained.
    const refused = await unary(
      client(),
      'AlterPartitionReassignments',
      { targets: [{ topic: 'moves', partition: 2, replicas: [1, 2, 3] }] },
      { deadlineMs: DEADLINE_MS },
    );
    const alreadyThere = holding.includes(2);
    expect(refused.results[0]?.errorCode).toBe(alreadyThere ? '' : 'INVALID_REPLICA_ASSIGNMENT');
    const back = await unary(
      client(),
      'DecommissionBroker',
      { brokerId: 1, cancel: true },
      { deadlineMs: DEADLINE_MS },
    );
    expect(back.reassignments).toEqual([]);
  }, 20_000);
  // Last: it leaves moves and drains behind. Any request ends with an answer or a typed error.
  it('ends cleanly for any request (fuzzed)', async () => {
    const uint32 = fc.oneof(fc.nat(5), fc.constantFrom(0xffff_ffff, 100_000, 0x7fff_ffff));
    const uint64 = fc.oneof(
      fc.constant(0),
      fc.nat(1_000_000),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 60),
    );
    const topic = fc.oneof(fc.constantFrom('moves', 'nope', '', 'bad name!', 'x'.repeat(300)), fc.string());
    const target = fc.record({
      topic,
      partition: uint32,
      replicas: fc.oneof(
        fc.array(uint32, { maxLength: 20 }),
        fc.constant(Array.from({ length: 100 }, () => 1)),
      ),
      cancel: fc.boolean(),
    });
    const requests = {
      AlterPartitionReassignments: fc.record({
        targets: fc.oneof(
          { weight: 9, arbitrary: fc.array(target, { maxLength: 5 }) },
          { weight: 1, arbitrary: fc.constant(Array.from({ length: 10_001 }, () => ({ topic: 'moves' }))) },
        ),
        throttleBytesPerSec: uint64,
        removeThrottle: fc.boolean(),
        validateOnly: fc.boolean(),
      }),
      ListPartitionReassignments: fc.record({ topics: fc.array(topic, { maxLength: 3 }) }),
      DecommissionBroker: fc.record({ brokerId: uint32, throttleBytesPerSec: uint64, cancel: fc.boolean() }),
    } as const;
    let answered = 0;
    for (const [method, arbitrary] of Object.entries(requests)) {
      await assertProperty(
        fc.asyncProperty(arbitrary as fc.Arbitrary<object>, async (request) => {
          const call = unary(client(), method as 'ListPartitionReassignments', request, {
            deadlineMs: FUZZ_CALL_DEADLINE_MS,
          });
          if ((await expectCleanOutcome(method, call)).ok) answered++;
        }),
        150,
      );
    }
    expect(answered).toBeGreaterThan(0);
  }, 90_000);
});
