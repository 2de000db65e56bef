/**
 * A reassignment that meets failures (real processes): partitions are moving onto a new broker, slowly
 * (throttled), when that broker is SIGKILLed and restarted, and then the leader of a moving partition is
 * SIGKILLed and restarted. The moves still complete, and every record acknowledged before, during and after
 * reads back at its offset exactly once.
 */
import { TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import { AckedProducer, type AckedRecord, checkAckedHistory, readBack } from './acked-history.js';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';
import { sleep, waitFor } from './wait.js';

const TOPIC = 'moving-under-faults';
const PARTITIONS = 3;

const { withCluster, onCleanup } = clusterPerTest({ brokers: 3 });

async function describePartitions(c: Cluster) {
  const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [TOPIC] });
  return topics[0]?.partitions ?? [];
}

describe('reassignment under failures (real processes)', () => {
  it('completes after the receiving broker and a moving leader are SIGKILLed, losing nothing acknowledged', async () => {
    await withCluster(async (c) => {
      await c.quorum
        .admin()
        .admin('CreateTopic', { name: TOPIC, partitions: PARTITIONS, replicationFactor: 2, configs: [] });

      // About 6 MB to move, so a 300 kB/s throttle keeps the moves running for several seconds.
      const client = new TributaryClient({ bootstrap: c.bootstrap });
      onCleanup(() => client.close());
      const producer = client.producer({ timeoutMs: 5_000, deliveryTimeoutMs: 30_000 });
      const filled: AckedRecord[] = [];
      for (let round = 0; round < 60; round++) {
        const messages = Array.from({ length: 500 }, (_, index) => ({
          key: null,
          value: `fill-${round}-${index}-${'y'.repeat(180)}`,
          partition: (round + index) % PARTITIONS,
        }));
        const results = await producer.send({ topic: TOPIC, messages });
        for (const [index, result] of results.entries()) {
          filled.push({
            partition: result.partition,
            offset: result.offset,
            value: String(messages[index]?.value),
          });
        }
      }
      await c.addBroker(4);

      // Steady acks=all traffic through the whole episode (one-record batches, every outcome kept).
      const live = new AckedProducer({ bootstrap: c.bootstrap, topic: TOPIC, partitions: PARTITIONS });
      live.start();
      onCleanup(() => live.stop());
      await live.waitForAcks(50, 30_000);

      // Every partition moves its last replica to broker 4.
      const before = await describePartitions(c);
      const { results } = await c.quorum.admin().admin('AlterPartitionReassignments', {
        targets: before.map((p) => ({
          topic: TOPIC,
          partition: p.partition,
          replicas: [...p.replicas.slice(0, -1), 4],
          cancel: false,
        })),
        throttleBytesPerSec: 300_000,
        removeThrottle: false,
        validateOnly: false,
      });
      expect(results.map((r) => r.errorCode)).toEqual(['', '', '']);
      const moving = async () =>
        (await c.quorum.admin().admin('ListPartitionReassignments', { topics: [TOPIC] })).reassignments
          .length;
      expect(await moving()).toBeGreaterThan(0);

      // The receiving broker dies mid-copy and comes back (its partial copies survive on disk).
      await sleep(1_500);
      await c.broker(4).kill('SIGKILL');
      await sleep(1_000);
      await c.broker(4).restart();
      await c.waitForUnfencedBrokers();
      // Then the leader of a partition that is still moving dies and comes back.
      const stillMoving = (await describePartitions(c)).find((p) => p.addingReplicas.length > 0);
      // The throttle keeps the moves running well past this point; if not, the scenario did not happen.
      expect(stillMoving, 'a partition still moving after the restart of broker 4').toBeDefined();
      const leader = stillMoving?.leader ?? -1;
      expect(leader).toBeGreaterThan(0);
      expect(leader).not.toBe(4);
      await c.broker(leader).kill('SIGKILL');
      await sleep(1_000);
      await c.broker(leader).restart();
      await c.waitForUnfencedBrokers();

      await waitFor('every move to complete', async () => ((await moving()) === 0 ? true : undefined), {
        timeoutMs: 120_000,
        intervalMs: 250,
      });
      await live.waitForAcks(50, 30_000);
      await live.stop();

      const after = await describePartitions(c);
      for (const p of after) expect(p.replicas).toContain(4);
      // The throttle went with the last move.
      const listing = await c.quorum.admin().admin('ListPartitionReassignments', { topics: [] });
      expect(Number(listing.throttleBytesPerSec)).toBe(0);

      const read = await readBack(c.bootstrap, TOPIC, PARTITIONS);
      expect(checkAckedHistory([...filled, ...live.acked], read)).toEqual([]);
    });
  }, 240_000);
});
