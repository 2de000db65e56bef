/**
 * Partition reassignment end to end (issue 7): a one-voter controller and real brokers in this process.
 * A partition moves off the broker that holds it while its records stay readable from the new leader;
 * the broker it left deletes its copy; a move that cannot finish can be cancelled; a decommissioned
 * broker is drained.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@tributary/core/testing';
import { type ControllerAdminClient, type PartitionInfo__Output, unary } from '@tributary/protocol';
import { decodeRecordBatch, encodeRecordBatch, splitBatches } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import type { BrokerHandle } from './broker-node.js';

/** Bound on each wait: a loaded CI machine is slow, not stuck. */
const WAIT_MS = 30_000;
const DEADLINE_MS = 5_000;
const TOPIC = 'moving';
const BATCHES = 5;

async function describePartition(
  admin: ControllerAdminClient,
  partition = 0,
): Promise<PartitionInfo__Output> {
  const { topics } = await unary(admin, 'DescribeTopics', { names: [TOPIC] }, { deadlineMs: DEADLINE_MS });
  const info = topics[0]?.partitions.find((p) => p.partition === partition);
  if (info === undefined) throw new Error(`${TOPIC}/${partition} is not described`);
  return info;
}

/** Waits until the partition's replicas are exactly `replicas` with no move running and a leader. */
async function waitForReplicas(
  admin: ControllerAdminClient,
  replicas: number[],
): Promise<PartitionInfo__Output> {
  return waitFor(
    `${TOPIC}/0 to settle on [${replicas.join(', ')}]`,
    async () => {
      const info = await describePartition(admin);
      const settled =
        info.addingReplicas.length === 0 &&
        info.removingReplicas.length === 0 &&
        info.leader >= 0 &&
        info.replicas.length === replicas.length &&
        info.replicas.every((id, i) => id === replicas[i]);
      return settled ? info : undefined;
    },
    WAIT_MS,
  );
}

function values(i: number): string[] {
  return [`v${i}-a`, `v${i}-b`];
}

/** Every record of the partition, read from `leader` (retried while it is only becoming leader). */
async function readAll(cluster: InProcessCluster, leader: BrokerHandle): Promise<string[]> {
  const client = cluster.brokerClient(leader);
  const expected = BATCHES * 2;
  return waitFor(
    `broker ${leader.nodeId} to serve all ${expected} records`,
    async () => {
      const read: string[] = [];
      for (let round = 0; round < expected && read.length < expected; round++) {
        const fetched = await unary(
          client,
          'Fetch',
          {
            maxWaitMs: 100,
            minBytes: 1,
            maxBytes: 1024 * 1024,
            topics: [
              {
                name: TOPIC,
                partitions: [
                  {
                    partition: 0,
                    fetchOffset: read.length,
                    partitionMaxBytes: 1024 * 1024,
                    currentLeaderEpoch: -1,
                  },
                ],
              },
            ],
          },
          { deadlineMs: DEADLINE_MS },
        );
        const result = fetched.results[0];
        if (result === undefined || result.errorCode !== '' || result.records.length === 0) return undefined;
        for (const header of splitBatches(result.records).batches) {
          for (const record of decodeRecordBatch(header.bytes()).records) {
            read.push(Buffer.from(record.value ?? []).toString());
          }
        }
      }
      return read.length >= expected ? read : undefined;
    },
    WAIT_MS,
    100,
  );
}

describe('partition reassignment (three brokers, real replica managers)', () => {
  let cluster: InProcessCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('moves a partition off its broker, keeps every record, cancels a stuck move, drains a broker', async () => {
    cluster = await InProcessCluster.start({ name: 'trib-reassignment' });
    const running = cluster;
    // Only broker 1 exists when the topic is created, so its one replica is there.
    const one = await running.startBroker(1);
    await running.waitUnfenced();
    const admin = running.admin();
    await unary(
      admin,
      'CreateTopic',
      { name: TOPIC, partitions: 1, replicationFactor: 1 },
      { deadlineMs: DEADLINE_MS },
    );
    await waitForReplicas(admin, [1]);
    const brokers = new Map<number, BrokerHandle>([[1, one]]);
    for (const id of [2, 3]) brokers.set(id, await running.startBroker(id));
    await running.waitUnfenced();

    const producer = running.brokerClient(one);
    for (let i = 0; i < BATCHES; i++) {
      const records = encodeRecordBatch({
        records: values(i).map((value, j) => ({
          key: null,
          value: Buffer.from(value),
          timestampMs: i * 10 + j,
        })),
      });
      const request = {
        acks: -1,
        timeoutMs: 5_000,
        topics: [{ name: TOPIC, partitions: [{ partition: 0, records }] }],
      };
      const produced = await waitFor(
        'broker 1 to take a produce',
        async () => {
          const answer = await unary(producer, 'Produce', request, { deadlineMs: DEADLINE_MS });
          return answer.results[0]?.errorCode === '' ? answer : undefined;
        },
        WAIT_MS,
        100,
      );
      expect(produced.results[0]?.baseOffset).toBe(i * 2);
    }
    const written = Array.from({ length: BATCHES }, (_, i) => values(i)).flat();

    const oldDirectory = join(running.dir, 'broker-1', 'logs', `${TOPIC}-0`);
    expect(existsSync(oldDirectory)).toBe(true);

    // 1 → [2, 3]: both catch up as followers of 1, then the move completes and 2 leads.
    const started = await unary(
      admin,
      'AlterPartitionReassignments',
      { targets: [{ topic: TOPIC, partition: 0, replicas: [2, 3] }] },
      { deadlineMs: DEADLINE_MS },
    );
    expect(started.results[0]?.errorCode).toBe('');
    const moved = await waitForReplicas(admin, [2, 3]);
    expect(moved.leader).toBe(2);
    expect(await readAll(running, brokers.get(2) ?? fail())).toEqual(written);
    await waitFor('broker 1 to delete its copy', () => !existsSync(oldDirectory), WAIT_MS);

    // A move to a stopped broker cannot complete: it stays listed until it is cancelled.
    const four = await running.startBroker(4);
    await running.waitUnfenced();
    await four.close();
    const stuck = await unary(
      admin,
      'AlterPartitionReassignments',
      { targets: [{ topic: TOPIC, partition: 0, replicas: [2, 4] }] },
      { deadlineMs: DEADLINE_MS },
    );
    expect(stuck.results[0]).toMatchObject({ errorCode: '' });
    const listed = await unary(admin, 'ListPartitionReassignments', {}, { deadlineMs: DEADLINE_MS });
    expect(listed.reassignments.map((r) => r.partition?.addingReplicas)).toEqual([[4]]);
    const cancelled = await unary(
      admin,
      'AlterPartitionReassignments',
      { targets: [{ topic: TOPIC, partition: 0, cancel: true }] },
      { deadlineMs: DEADLINE_MS },
    );
    expect(cancelled.results[0]?.errorCode).toBe('');
    await waitForReplicas(admin, [2, 3]);

    expect(existsSync(join(running.dir, 'broker-2', 'logs', `${TOPIC}-0`))).toBe(true);
    // Draining broker 2 moves its replica to the placeable broker holding fewest (1; 4 is fenced).
    const drained = await unary(admin, 'DecommissionBroker', { brokerId: 2 }, { deadlineMs: DEADLINE_MS });
    expect(drained.reassignments.map((r) => r.partition?.addingReplicas)).toEqual([[1]]);
    const after = await waitForReplicas(admin, [1, 3]);
    const leader = brokers.get(after.leader) ?? fail();
    expect(await readAll(running, leader)).toEqual(written);
    await waitFor(
      'broker 2 to delete its copy',
      () => !existsSync(join(running.dir, 'broker-2', 'logs', `${TOPIC}-0`)),
      WAIT_MS,
    );
  }, 120_000);
});

function fail(): never {
  throw new Error('unexpected: missing value');
}
