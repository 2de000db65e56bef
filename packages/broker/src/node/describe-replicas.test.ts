/**
 * Broker.DescribeReplicas over real gRPC: the leader answers offsets, size and each replica's progress; a
 * follower answers NOT_LEADER; bad requests get INVALID_REQUEST naming the field.
 */
import { type BrokerClient, unary } from '@tributary/protocol';
import { encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import type { BrokerHandle } from './broker-node.js';

const WAIT_MS = 15_000;
const TOPIC = 'described';

let cluster: InProcessCluster | null = null;

afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function describeReplicas(client: BrokerClient, partitions: { topic: string; partition: number }[]) {
  return unary(client, 'DescribeReplicas', { partitions }, { deadlineMs: 5_000 });
}

describe('Broker.DescribeReplicas', () => {
  it('is answered by the leader with offsets, size and replica progress; followers say NOT_LEADER', async () => {
    const c = await InProcessCluster.start({ name: 'trib-describe-replicas' });
    cluster = c;
    const brokers = [await c.startBroker(1), await c.startBroker(2), await c.startBroker(3)];
    await c.waitUnfenced();
    await unary(
      c.admin(),
      'CreateTopic',
      { name: TOPIC, partitions: 1, replicationFactor: 3 },
      { deadlineMs: 5_000 },
    );
    let leader: BrokerHandle | undefined;
    await waitUntil('a leader', () => {
      leader = brokers.find((b) => b.replicaManager.leaderPartitions().length > 0);
      return leader !== undefined;
    });
    if (leader === undefined) throw new Error('no leader');
    const leaderClient = c.brokerClient(leader);
    const records = encodeRecordBatch({
      records: [{ key: null, value: Buffer.alloc(200, 0x62), timestampMs: Date.now() }],
    });
    const request = {
      acks: -1,
      timeoutMs: 5_000,
      topics: [{ name: TOPIC, partitions: [{ partition: 0, records }] }],
    };
    let produced = 0;
    for (let attempt = 0; attempt < 200 && produced < 5; attempt++) {
      const response = await unary(leaderClient, 'Produce', request, { deadlineMs: 10_000 });
      if (response.results[0]?.errorCode === '') produced++;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(produced).toBe(5);

    // Followers report the offset they fetch from on their next fetch: wait until the leader saw all at 5.
    let answer = await describeReplicas(leaderClient, [{ topic: TOPIC, partition: 0 }]);
    await waitUntil('the leader to see every replica at offset 5', async () => {
      answer = await describeReplicas(leaderClient, [{ topic: TOPIC, partition: 0 }]);
      return answer.partitions[0]?.replicas.every((r) => r.logEndOffset === 5) === true;
    });
    const [described] = answer.partitions;
    expect(described).toMatchObject({
      topic: TOPIC,
      partition: 0,
      errorCode: '',
      logStartOffset: 0,
      logEndOffset: 5,
      highWatermark: 5,
    });
    expect(described?.sizeBytes).toBe(5 * records.length);
    expect(described?.replicas.map((r) => r.brokerId).sort()).toEqual([1, 2, 3]);
    for (const replica of described?.replicas ?? []) {
      expect(replica.inIsr).toBe(true);
      expect(replica.caughtUpMsAgo).toBeGreaterThanOrEqual(0);
    }

    // Empty request: every partition the broker leads.
    const all = await describeReplicas(leaderClient, []);
    expect(all.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual([`${TOPIC}-0`]);

    const follower = brokers.find((b) => b !== leader);
    if (follower === undefined) throw new Error('no follower');
    const followerClient = c.brokerClient(follower);
    const fromFollower = await describeReplicas(followerClient, [
      { topic: TOPIC, partition: 0 },
      { topic: 'nope', partition: 0 },
    ]);
    expect(fromFollower.partitions.map((p) => p.errorCode)).toEqual([
      'NOT_LEADER',
      'UNKNOWN_TOPIC_OR_PARTITION',
    ]);
    expect((await describeReplicas(followerClient, [])).partitions).toEqual([]);

    await expect(
      describeReplicas(leaderClient, [{ topic: 'bad topic', partition: 0 }]),
    ).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/partitions\[0\]\.topic/),
    });
  });
});
