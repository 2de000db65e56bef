/**
 * The idempotent producer against real processes (issue 4, "how it is shown"): 3 controllers + 3 brokers,
 * RF=3, acks=all. A response lost after the leader appended (a grpc-js interceptor drops it in the client),
 * and a leader SIGKILLed while sends are in flight: every record appears exactly once, in send order.
 */
import { type ProducerRecord, TributaryClient, type TributaryClientOptions } from '@tributary/client';
import { loseResponses } from '@tributary/client/testing';
import { describe, expect, it } from 'vitest';
import { type AckedRecord, checkAckedHistory, readBack } from './acked-history.js';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';
import { waitFor } from './wait.js';

const { withCluster, onCleanup } = clusterPerTest();

function clientOf(c: Cluster, options: Partial<TributaryClientOptions> = {}) {
  const client = new TributaryClient({ ...options, bootstrap: c.bootstrap });
  onCleanup(() => client.close());
  return client;
}

async function createTopic(c: Cluster, name: string): Promise<number> {
  await c.quorum.admin().admin('CreateTopic', { name, partitions: 1, replicationFactor: 3, configs: [] });
  return waitFor(
    `${name} led`,
    async () => {
      const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [name] });
      const leader = topics[0]?.partitions[0]?.leader ?? -1;
      return leader >= 0 ? leader : undefined;
    },
    { timeoutMs: 15_000 },
  );
}

function records(prefix: string, count: number): ProducerRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    key: null,
    value: `${prefix}-${index}`,
    partition: 0,
  }));
}

/** The send index of each value read ("s12-3" → 12), to check that sends land in call order. */
function sendIndexes(values: readonly string[]): number[] {
  return values.map((value) => Number(value.slice(1, value.indexOf('-'))));
}

describe('idempotent producer (real processes, RF=3, acks=all)', () => {
  it('a lost acknowledgement is retried without a duplicate; without idempotence it duplicates', async () => {
    await withCluster(async (c) => {
      await createTopic(c, 'lost-acks');
      const lost = loseResponses('Produce');
      const client = clientOf(c, { interceptors: [lost.interceptor] });
      const producer = client.producer({ timeoutMs: 5_000, deliveryTimeoutMs: 30_000 });
      const acked: AckedRecord[] = [];
      for (let send = 0; send < 40; send++) {
        // Every fifth send loses its first response after the leader appended (and replicated) it.
        if (send % 5 === 2) lost.lose(1);
        const batch = records(`s${send}`, 5);
        const results = await producer.send('lost-acks', batch);
        for (const [index, result] of results.entries()) {
          acked.push({ partition: 0, offset: result.offset, value: String(batch[index]?.value) });
        }
      }
      expect(lost.lost()).toBe(8);
      const read = await readBack(c.bootstrap, 'lost-acks', 1);
      expect(checkAckedHistory(acked, read)).toEqual([]);
      const values = (read.get(0) ?? []).map((record) => record.value);
      expect(values).toHaveLength(200);
      expect(values).toEqual(acked.map((record) => record.value));

      // The same fault without idempotence writes the batch twice: the check above can fail.
      const plain = client.producer({ idempotent: false, timeoutMs: 5_000, deliveryTimeoutMs: 30_000 });
      lost.lose(1);
      await plain.send('lost-acks', [{ key: null, value: 'plain-0', partition: 0 }]);
      const after = (await readBack(c.bootstrap, 'lost-acks', 1)).get(0) ?? [];
      expect(after.filter((record) => record.value === 'plain-0')).toHaveLength(2);
    });
  }, 120_000);

  it('SIGKILL of the leader while sends are in flight: every record once, in send order', async () => {
    await withCluster(async (c) => {
      const leaderId = await createTopic(c, 'idem-failover');
      const client = clientOf(c);
      const producer = client.producer({ timeoutMs: 3_000, deliveryTimeoutMs: 45_000 });
      const acked: AckedRecord[] = [];
      const failed: string[] = [];
      let next = 0;
      let stop = false;
      // Four lanes keep four sends in flight to the one partition, so retries overlap.
      const lane = async (): Promise<void> => {
        for (let round = 0; round < 500 && !stop; round++) {
          const send = next++;
          const batch = records(`s${send}`, 10);
          try {
            const results = await producer.send('idem-failover', batch);
            for (const [index, result] of results.entries()) {
              acked.push({ partition: 0, offset: result.offset, value: String(batch[index]?.value) });
            }
          } catch (error) {
            failed.push(`s${send}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      };
      const lanes = Promise.all([lane(), lane(), lane(), lane()]);
      await waitFor('300 records acknowledged', async () => (acked.length >= 300 ? true : undefined), {
        timeoutMs: 30_000,
      });
      await c.broker(leaderId).kill('SIGKILL');
      const ackedAtKill = acked.length;
      await waitFor(
        '300 more records acknowledged by the new leader',
        async () => (acked.length >= ackedAtKill + 300 ? true : undefined),
        { timeoutMs: 45_000 },
      );
      stop = true;
      await lanes;

      const read = await readBack(
        c.bootstrap.filter((address) => address !== c.broker(leaderId).address),
        'idem-failover',
        1,
      );
      expect(checkAckedHistory(acked, read)).toEqual([]);
      const values = (read.get(0) ?? []).map((record) => record.value);
      // No record twice, acknowledged or not.
      expect(new Set(values).size).toBe(values.length);
      // Sends land in call order, and each send's records in order.
      const order = sendIndexes(values);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(failed.length).toBeLessThan(next);
    });
  }, 150_000);
});
