/**
 * Admin.describeProducers against fake brokers: one call per leader, the wire's -1 read as null,
 * per-partition errors as entries, a stale leader asked again after a metadata refresh (and given up on
 * after DESCRIBE_PRODUCERS_LIMITS.attemptsMax rounds), bad input refused before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TributaryClient } from './client.js';
import { requireLeaderPartitions } from './leader-rounds.js';
import { DESCRIBE_PRODUCERS_LIMITS } from './limits.js';
import { type FakeCluster, startFakeCluster } from './testing/fake-broker.js';

let cluster: FakeCluster;
let client: TributaryClient;

const OPEN = {
  producerId: 4_000,
  producerEpoch: 3,
  lastSequence: 9,
  lastTimestampMs: 1_700_000_000_000,
  coordinatorEpoch: 2,
  currentTxnStartOffset: 120,
};
const IDLE = {
  producerId: 4_001,
  producerEpoch: 0,
  lastSequence: -1,
  lastTimestampMs: -1,
  coordinatorEpoch: -1,
  currentTxnStartOffset: -1,
};

beforeAll(async () => {
  cluster = await startFakeCluster({ brokers: 2, topics: { orders: 3 } });
  cluster.state.activeProducers.set('orders-0', [OPEN, IDLE]);
  client = new TributaryClient({ bootstrap: cluster.bootstrap });
});

afterAll(async () => {
  client.close();
  await cluster.stop();
});

const asked = (from: number) =>
  cluster.state.requests.slice(from).filter((r) => r.method === 'DescribeProducers');

describe('Admin.describeProducers', () => {
  it("asks each partition's leader once; -1 on the wire is null", async () => {
    const before = cluster.state.requests.length;
    const described = await client.admin().describeProducers([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
      { topic: 'orders', partition: 7 },
    ]);
    expect(described).toEqual([
      {
        topic: 'orders',
        partition: 0,
        leaderId: 1,
        error: null,
        activeProducers: [
          {
            producerId: 4_000,
            producerEpoch: 3,
            lastSequence: 9,
            lastTimestampMs: 1_700_000_000_000,
            coordinatorEpoch: 2,
            currentTransactionStartOffset: 120,
          },
          {
            producerId: 4_001,
            producerEpoch: 0,
            lastSequence: null,
            lastTimestampMs: null,
            coordinatorEpoch: null,
            currentTransactionStartOffset: null,
          },
        ],
      },
      { topic: 'orders', partition: 1, leaderId: 2, error: null, activeProducers: [] },
      {
        topic: 'orders',
        partition: 7,
        leaderId: null,
        activeProducers: [],
        error: { code: 'UNKNOWN_TOPIC_OR_PARTITION', message: 'no partition orders-7' },
      },
    ]);
    // Leaders are round-robin: partition 0 on broker 1, partition 1 on broker 2.
    expect(
      asked(before)
        .map((r) => r.brokerId)
        .sort(),
    ).toEqual([1, 2]);
  });

  it("never asks a broker to create the topic it describes (Kafka's Admin does not)", async () => {
    const before = cluster.state.requests.length;
    const [unknown] = await client.admin().describeProducers([{ topic: 'no-such', partition: 0 }]);
    expect(unknown?.error?.code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    const metadata = cluster.state.requests.slice(before).filter((r) => r.method === 'Metadata');
    expect(metadata.length).toBeGreaterThan(0);
    expect(
      metadata.map((r) => (r.request as { allowAutoTopicCreation: boolean }).allowAutoTopicCreation),
    ).toEqual(metadata.map(() => false));
  });

  it('asks again, after a refresh, a partition whose leader answered NOT_LEADER', async () => {
    const before = cluster.state.requests.length;
    cluster.state.injected.push({
      method: 'DescribeProducers',
      topic: 'orders',
      partition: 0,
      errorCode: 'NOT_LEADER',
    });
    const [result] = await client.admin().describeProducers([{ topic: 'orders', partition: 0 }]);
    expect(result?.error).toBeNull();
    expect(result?.activeProducers.map((p) => p.producerId)).toEqual([4_000, 4_001]);
    expect(cluster.state.injected).toEqual([]);
    expect(asked(before)).toHaveLength(2);
  });

  it('gives up after attemptsMax rounds of NOT_LEADER, answering the error', async () => {
    const before = cluster.state.requests.length;
    for (let i = 0; i < DESCRIBE_PRODUCERS_LIMITS.attemptsMax; i++) {
      cluster.state.injected.push({
        method: 'DescribeProducers',
        topic: 'orders',
        partition: 2,
        errorCode: 'NOT_LEADER',
      });
    }
    const [result] = await client.admin().describeProducers([{ topic: 'orders', partition: 2 }]);
    expect(result?.error?.code).toBe('NOT_LEADER');
    expect(asked(before)).toHaveLength(DESCRIBE_PRODUCERS_LIMITS.attemptsMax);
    expect(cluster.state.injected).toEqual([]);
  });

  it('passes a per-partition refusal through as an entry', async () => {
    cluster.state.injected.push({
      method: 'DescribeProducers',
      topic: 'orders',
      partition: 1,
      errorCode: 'TOPIC_AUTHORIZATION_FAILED',
    });
    const [result] = await client.admin().describeProducers([{ topic: 'orders', partition: 1 }]);
    expect(result?.error).toEqual({ code: 'TOPIC_AUTHORIZATION_FAILED', message: 'injected' });
  });

  it('refuses duplicates, empty topics and bad partitions before sending anything', async () => {
    const before = cluster.state.requests.length;
    expect(() => requireLeaderPartitions([{ topic: '', partition: 0 }])).toThrow(/no topic/);
    expect(() => requireLeaderPartitions([{ topic: 'orders', partition: -1 }])).toThrow(/bad partition/);
    await expect(
      client.admin().describeProducers([
        { topic: 'orders', partition: 0 },
        { topic: 'orders', partition: 0 },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(cluster.state.requests.length).toBe(before);
  });
});
