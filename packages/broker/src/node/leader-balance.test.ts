/**
 * Automatic leader balance end to end (issue 7): a one-voter controller with a short balance interval
 * and three real brokers in this process. A broker stops, its leaderships move away; it comes back,
 * rejoins the ISRs, and the active controller moves leadership back to the preferred leaders on its own.
 * Every record acknowledged with acks=all before, during and after reads back.
 */
import { waitFor } from '@tributary/core/testing';
import type { MetadataImage, PartitionState } from '@tributary/metadata';
import { unary } from '@tributary/protocol';
import { decodeRecordBatch, encodeRecordBatch, splitBatches } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessCluster } from '../testing/in-process-cluster.js';
import type { BrokerHandle } from './broker-node.js';

/** Bound on each wait: a loaded CI machine is slow, not stuck. */
const WAIT_MS = 30_000;
const DEADLINE_MS = 5_000;
const TOPIC = 'balanced';
const PARTITIONS = 6;

function partitionsOf(image: MetadataImage): PartitionState[] {
  const topic = image.topicByName(TOPIC);
  if (topic === undefined) throw new Error(`${TOPIC} does not exist`);
  return [...topic.partitions.values()].sort((a, b) => a.partition - b.partition);
}

function balanced(image: MetadataImage): boolean {
  return partitionsOf(image).every((state) => state.leader === state.replicas[0]);
}

/** Produces one record with acks=all to the partition's current leader; retried until acknowledged. */
async function produce(
  cluster: InProcessCluster,
  brokers: ReadonlyMap<number, BrokerHandle>,
  partition: number,
  value: string,
): Promise<void> {
  const records = encodeRecordBatch({ records: [{ key: null, value: Buffer.from(value), timestampMs: 1 }] });
  await waitFor(
    `${TOPIC}/${partition} to acknowledge ${value}`,
    async () => {
      const leader = partitionsOf(cluster.controller.committedImage())[partition]?.leader ?? -1;
      const broker = brokers.get(leader);
      if (broker === undefined) return undefined;
      const produced = await unary(
        cluster.brokerClient(broker),
        'Produce',
        { acks: -1, timeoutMs: 3_000, topics: [{ name: TOPIC, partitions: [{ partition, records }] }] },
        { deadlineMs: DEADLINE_MS },
      ).catch(() => undefined);
      return produced?.results[0]?.errorCode === '';
    },
    WAIT_MS,
    50,
  );
}

/** Every record of the partition up to the high watermark, read from its current leader. */
async function readAll(
  cluster: InProcessCluster,
  brokers: ReadonlyMap<number, BrokerHandle>,
  partition: number,
): Promise<string[]> {
  return waitFor(
    `${TOPIC}/${partition} to read back`,
    async () => {
      const leader = partitionsOf(cluster.controller.committedImage())[partition]?.leader ?? -1;
      const broker = brokers.get(leader);
      if (broker === undefined) return undefined;
      const read: string[] = [];
      for (let round = 0; round < 100; round++) {
        const fetched = await unary(
          cluster.brokerClient(broker),
          'Fetch',
          {
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 1024 * 1024,
            topics: [
              {
                name: TOPIC,
                partitions: [
                  {
                    partition,
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
        if (result === undefined || result.errorCode !== '') return undefined;
        if (read.length >= Number(result.highWatermark)) return read;
        if (result.records.length === 0) return undefined;
        for (const header of splitBatches(result.records).batches) {
          for (const record of decodeRecordBatch(header.bytes()).records) {
            read.push(Buffer.from(record.value ?? []).toString());
          }
        }
      }
      return undefined;
    },
    WAIT_MS,
    100,
  );
}

describe('automatic leader balance (three brokers, real replica managers)', () => {
  let cluster: InProcessCluster | undefined;
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });

  it('moves leadership back to the preferred leaders after a broker restarts; no acknowledged record is lost', async () => {
    cluster = await InProcessCluster.start({
      name: 'trib-leader-balance',
      controllerOptions: { leaderImbalanceCheckIntervalMs: 100 },
    });
    const running = cluster;
    const brokers = new Map<number, BrokerHandle>();
    for (const id of [1, 2, 3]) brokers.set(id, await running.startBroker(id));
    await running.waitUnfenced();
    await unary(
      running.admin(),
      'CreateTopic',
      { name: TOPIC, partitions: PARTITIONS, replicationFactor: 3 },
      { deadlineMs: DEADLINE_MS },
    );
    const created = partitionsOf(running.controller.committedImage());
    const preferredBy1 = created.filter((state) => state.replicas[0] === 1).map((state) => state.partition);
    // Round-robin placement: every broker is the preferred leader of PARTITIONS / 3 partitions.
    expect(preferredBy1).toHaveLength(PARTITIONS / 3);
    const acknowledged: string[][] = created.map(() => []);
    const produceAll = async (phase: string): Promise<void> => {
      for (let p = 0; p < PARTITIONS; p++) {
        const value = `${phase}-${p}`;
        await produce(running, brokers, p, value);
        acknowledged[p]?.push(value);
      }
    };
    await produceAll('before');

    // Broker 1 stops: controlled shutdown moves its leaderships to the other ISR members.
    await brokers.get(1)?.close();
    brokers.delete(1);
    const moved = await waitFor(
      'broker 1 to lead nothing',
      () => {
        const states = partitionsOf(running.controller.committedImage());
        return states.every((state) => state.leader !== 1) ? states : undefined;
      },
      WAIT_MS,
    );
    expect(balanced(running.controller.committedImage())).toBe(false);
    await produceAll('during');

    // Broker 1 comes back; once it is in the ISRs again the balance timer elects it where preferred.
    brokers.set(1, await running.startBroker(1));
    await waitFor(
      'the automatic leader balance',
      () => balanced(running.controller.committedImage()),
      WAIT_MS,
    );
    const after = partitionsOf(running.controller.committedImage());
    for (const p of preferredBy1) {
      expect(after[p]?.leader).toBe(1);
      expect(after[p]?.leaderEpoch).toBeGreaterThan(moved[p]?.leaderEpoch ?? Number.POSITIVE_INFINITY);
    }
    await produceAll('after');

    for (let p = 0; p < PARTITIONS; p++) {
      const read = await readAll(running, brokers, p);
      // A retried produce may have been written twice; every acknowledged value is there, in order.
      const expected = acknowledged[p] ?? [];
      const positions = expected.map((value) => read.indexOf(value));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  }, 120_000);
});
