/**
 * Scaling out with real processes (issue 7, "how it is shown"): a 3-broker cluster under steady produce and
 * consume load grows to 5 brokers, and `trib partitions plan --execute --wait` (the operator's command, run as
 * a child process) moves partitions until every broker holds a fair share. Checked afterwards: no
 * acknowledged record is lost or moved (read back from the new leaders), the consumer group saw every offset
 * of every partition with no gap, no send failed for good (produce stayed available), the replica counts are
 * within floor/ceil of the average, and brokers that gave a replica away deleted its directory. The longest
 * produce stall is printed (a figure for the notes, never asserted: speed is for benchmarks).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import { type AckedRecord, checkAckedHistory, readBack } from './acked-history.js';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';
import { sleep, waitFor } from './wait.js';

const TRIB_BIN = fileURLToPath(new URL('../../cli/dist/bin/trib.js', import.meta.url));
const TOPIC = 'scale-out';
const PARTITIONS = 6;
const LANES = 4;
const BATCH = 25;

const { withCluster, onCleanup } = clusterPerTest({ brokers: 3 });

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `trib` as an operator would, bounded by `timeoutMs` (SIGKILL after it). */
function trib(c: Cluster, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TRIB_BIN, ...args], {
      env: {
        ...process.env,
        TRIB_CONTROLLERS: c.quorum.nodes.map((node) => node.address).join(','),
        TRIB_BOOTSTRAP: c.bootstrap.join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Replica and preferred-leader counts per broker over every topic. */
async function replicaCounts(c: Cluster): Promise<{ replicas: Map<number, number>; reassigning: number }> {
  const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [] });
  const replicas = new Map<number, number>();
  let reassigning = 0;
  for (const topic of topics) {
    for (const partition of topic.partitions) {
      if (partition.addingReplicas.length > 0 || partition.removingReplicas.length > 0) reassigning++;
      for (const id of partition.replicas) replicas.set(id, (replicas.get(id) ?? 0) + 1);
    }
  }
  return { replicas, reassigning };
}

describe('scaling out (real processes)', () => {
  it('3 → 5 brokers under load: a plan spreads the replicas, nothing acknowledged is lost, no consumer gap', async () => {
    await withCluster(async (c) => {
      await c.quorum
        .admin()
        .admin('CreateTopic', { name: TOPIC, partitions: PARTITIONS, replicationFactor: 3, configs: [] });
      const client = new TributaryClient({ bootstrap: c.bootstrap });
      onCleanup(() => client.close());

      // Consumer group: records every (partition, offset) it handles.
      const consumed = new Map<number, Set<number>>();
      const member = client.consumer({
        groupId: 'scale-out-readers',
        fromBeginning: true,
        sessionTimeoutMs: 10_000,
      });
      onCleanup(() => member.close());
      member.subscribe({ topics: [TOPIC] });
      let consumerError: unknown;
      const consuming = member
        .run({
          eachMessage: async ({ partition, message }) => {
            let offsets = consumed.get(partition);
            if (offsets === undefined) {
              offsets = new Set();
              consumed.set(partition, offsets);
            }
            offsets.add(message.offset);
          },
        })
        .catch((error: unknown) => {
          consumerError = error;
        });

      // Producers: LANES lanes of acks=all idempotent sends; every acknowledgement and its time is kept.
      const producer = client.producer({ timeoutMs: 5_000, deliveryTimeoutMs: 60_000 });
      const acked: AckedRecord[] = [];
      const failed: string[] = [];
      const ackTimes: number[] = [];
      let stop = false;
      let sends = 0;
      const lane = async (laneId: number): Promise<void> => {
        for (let round = 0; round < 100_000 && !stop; round++) {
          const send = sends++;
          const partition = (laneId + round) % PARTITIONS;
          const messages = Array.from({ length: BATCH }, (_, index) => ({
            key: null,
            value: `s${send}-${index}-${'x'.repeat(80)}`,
            partition,
          }));
          try {
            const results = await producer.send({ topic: TOPIC, messages });
            ackTimes.push(performance.now());
            for (const [index, result] of results.entries()) {
              acked.push({
                partition: result.partition,
                offset: result.offset,
                value: String(messages[index]?.value),
              });
            }
          } catch (error) {
            failed.push(`s${send}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      };
      const loadStartedAt = performance.now();
      const lanes = Promise.all(Array.from({ length: LANES }, (_, id) => lane(id)));

      await waitFor('load running', async () => (acked.length >= 5_000 ? true : undefined), {
        timeoutMs: 30_000,
      });
      await c.addBroker(4);
      await c.addBroker(5);

      const planned = await trib(
        c,
        [
          'partitions',
          'plan',
          '--brokers',
          '1,2,3,4,5',
          '--execute',
          '--wait',
          '--throttle',
          '50MB',
          '--json',
        ],
        180_000,
      );
      expect(planned.stderr, planned.stdout).not.toMatch(/error/i);
      expect(planned.code, `${planned.stdout}\n${planned.stderr}`).toBe(0);

      // Let the load run on the new layout for a moment, then stop it.
      await sleep(2_000);
      stop = true;
      await lanes;
      const loadEndedAt = performance.now();

      // Produce stayed available: no send failed for good, and the longest gap between acknowledgements is
      // reported (a figure for the notes; not asserted).
      expect(failed).toEqual([]);
      ackTimes.sort((a, b) => a - b);
      let longestStallMs = ackTimes.length > 0 ? (ackTimes[0] ?? 0) - loadStartedAt : 0;
      for (let i = 1; i < ackTimes.length; i++) {
        longestStallMs = Math.max(longestStallMs, (ackTimes[i] ?? 0) - (ackTimes[i - 1] ?? 0));
      }
      console.log(
        `scale-out: ${acked.length} records acknowledged in ${((loadEndedAt - loadStartedAt) / 1000).toFixed(1)} s; ` +
          `longest produce stall ${longestStallMs.toFixed(0)} ms`,
      );

      // Every broker holds a fair share and nothing is still moving.
      const { replicas, reassigning } = await replicaCounts(c);
      expect(reassigning).toBe(0);
      const total = [...replicas.values()].reduce((sum, n) => sum + n, 0);
      for (const id of [1, 2, 3, 4, 5]) {
        const count = replicas.get(id) ?? 0;
        expect(count, `broker ${id} holds ${count} of ${total} replicas`).toBeGreaterThanOrEqual(
          Math.floor(total / 5),
        );
        expect(count, `broker ${id} holds ${count} of ${total} replicas`).toBeLessThanOrEqual(
          Math.ceil(total / 5),
        );
      }

      // Brokers that gave a replica of the topic away deleted its directory (checked once the layout settled).
      const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [TOPIC] });
      await waitFor(
        'moved-away replicas deleted',
        async () => {
          for (const partition of topics[0]?.partitions ?? []) {
            for (const broker of c.brokers) {
              const dir = join(broker.dataDir, `${TOPIC}-${partition.partition}`);
              if (!partition.replicas.includes(broker.nodeId) && existsSync(dir)) return undefined;
            }
          }
          return true;
        },
        { timeoutMs: 20_000 },
      );

      // No acknowledged record lost, moved or duplicated.
      const read = await readBack(c.bootstrap, TOPIC, PARTITIONS);
      expect(checkAckedHistory(acked, read)).toEqual([]);

      // The consumer saw every offset of every partition: no gap.
      const ends = new Map<number, number>();
      for (const [partition, records] of read) ends.set(partition, records.length);
      await waitFor(
        'the consumer caught up',
        async () => {
          for (const [partition, end] of ends)
            if ((consumed.get(partition)?.size ?? 0) < end) return undefined;
          return true;
        },
        { timeoutMs: 60_000 },
      );
      expect(consumerError).toBeUndefined();
      for (const [partition, end] of ends) {
        const offsets = consumed.get(partition) ?? new Set<number>();
        const missing: number[] = [];
        for (let offset = 0; offset < end && missing.length < 10; offset++)
          if (!offsets.has(offset)) missing.push(offset);
        expect(missing, `partition ${partition}: offsets the consumer never saw`).toEqual([]);
      }
      await member.close();
      await consuming;
    });
  }, 300_000);
});
