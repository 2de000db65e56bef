/**
 * A real broker in front of a real controller (in this process): ControllerAdmin calls sent to the broker
 * are answered by the active controller, its refusals arrive unchanged, and membership changes are refused.
 */
import { TributaryError } from '@tributary/core';
import { type ControllerAdminClient, createControllerAdminClient, unary } from '@tributary/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessCluster } from '../testing/in-process-cluster.js';

const DEADLINE_MS = 5_000;

let cluster: InProcessCluster;
let viaBroker: ControllerAdminClient;

beforeAll(async () => {
  cluster = await InProcessCluster.start({ name: 'trib-admin-forwarding' });
  const broker = await cluster.startBroker(1);
  await cluster.waitUnfenced();
  viaBroker = cluster.track(createControllerAdminClient(`127.0.0.1:${broker.port}`));
});

afterAll(async () => {
  await cluster.close();
});

async function refusal(promise: Promise<unknown>): Promise<TributaryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TributaryError);
    return error as TributaryError;
  }
  throw new Error('expected a refusal');
}

describe('ControllerAdmin through a broker', () => {
  it('creates, describes, lists, grows and deletes a topic', async () => {
    const created = await unary(
      viaBroker,
      'CreateTopic',
      {
        name: 'orders',
        partitions: 2,
        replicationFactor: 1,
        configs: [{ name: 'retention.ms', value: '60000' }],
      },
      { deadlineMs: DEADLINE_MS },
    );
    expect(created.topic?.partitions).toHaveLength(2);
    const [described] = (
      await unary(viaBroker, 'DescribeTopics', { names: ['orders'] }, { deadlineMs: DEADLINE_MS })
    ).topics;
    expect(described?.topicId).toBe(created.topic?.topicId);
    expect(described?.configs).toEqual([{ name: 'retention.ms', value: '60000' }]);
    const grown = await unary(
      viaBroker,
      'CreatePartitions',
      { name: 'orders', totalCount: 3 },
      { deadlineMs: DEADLINE_MS },
    );
    expect(grown.topic?.partitions).toHaveLength(3);
    const listed = await unary(viaBroker, 'ListTopics', {}, { deadlineMs: DEADLINE_MS });
    expect(listed.topics.map((t) => t.name)).toContain('orders');
    const deleted = await unary(viaBroker, 'DeleteTopic', { name: 'orders' }, { deadlineMs: DEADLINE_MS });
    expect(deleted.topicId).toBe(created.topic?.topicId);
  });

  it("answers DescribeCluster and DescribeQuorum with the active controller's view", async () => {
    const described = await unary(viaBroker, 'DescribeCluster', {}, { deadlineMs: DEADLINE_MS });
    expect(described.controllerId).toBe(1);
    expect(described.brokers.map((b) => b.brokerId)).toEqual([1]);
    const quorum = await unary(viaBroker, 'DescribeQuorum', {}, { deadlineMs: DEADLINE_MS });
    expect([quorum.role, quorum.leaderId]).toEqual(['leader', 1]);
  });

  it("passes the controller's refusals through with the controller's code and message", async () => {
    const direct = cluster.admin();
    const cases = [
      { name: 'no/slash', partitions: 1, replicationFactor: 1 },
      { name: 'wide', partitions: 1, replicationFactor: 2 },
      { name: 'none', partitions: 0, replicationFactor: 1 },
      { name: 'x'.repeat(100_000), partitions: 1, replicationFactor: 1 },
    ];
    for (const request of cases) {
      const fromBroker = await refusal(unary(viaBroker, 'CreateTopic', request, { deadlineMs: DEADLINE_MS }));
      const fromController = await refusal(
        unary(direct, 'CreateTopic', request, { deadlineMs: DEADLINE_MS }),
      );
      expect([fromBroker.code, fromBroker.message]).toEqual([fromController.code, fromController.message]);
    }
    const missing = await refusal(
      unary(viaBroker, 'DeleteTopic', { name: 'missing' }, { deadlineMs: DEADLINE_MS }),
    );
    expect(missing.code).toBe('UNKNOWN_TOPIC');
  });

  it('refuses quorum membership changes and keeps serving', async () => {
    const error = await refusal(
      unary(viaBroker, 'AddVoter', { voterId: 9, address: '127.0.0.1:1' }, { deadlineMs: DEADLINE_MS }),
    );
    expect(error.code).toBe('INVALID_REQUEST');
    const listed = await unary(viaBroker, 'ListTopics', {}, { deadlineMs: DEADLINE_MS });
    expect(Array.isArray(listed.topics)).toBe(true);
  });
});
