/**
 * A disk failing under a running broker (issue 16 item 1; Kafka's log-dir failure), with real processes: broker
 * 3 has two data directories, and its second one starts failing every write with ENOSPC after a few KiB
 * (the broker's test-only TRIBUTARY_TEST_FAIL_LOG_DIR fault, refused outside TRIBUTARY_TEST_MODE=1) while
 * idempotent producers write to every partition with acks=all. The partitions in that directory must move
 * to other in-sync replicas, the producers fail no record, nothing acknowledged is lost, duplicated or
 * reordered, broker 3 keeps serving its first directory, and after a restart without the fault the
 * directory is back and broker 3 is in every ISR again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import { type AckedRecord, checkAckedHistory, readBack } from './acked-history.js';
import { clusterPerTest } from './cluster-per-test.js';
import { describePartitions } from './kafka/shared.js';
import { createTopic } from './txn/topics.js';
import { sleep, waitFor } from './wait.js';

const { withCluster, onCleanup } = clusterPerTest({ brokers: 2 });

const TOPIC = 'disk-fault';
const PARTITIONS = 6;
const VICTIM = 3;
/** Bytes broker 3's second directory takes before every write there fails. */
const FAIL_AFTER_BYTES = 16 * 1024;
const MOVE_TIMEOUT_MS = 60_000;
const SEND_INTERVAL_MS = 10;
const SENDS_MAX = 20_000;

describe('a log directory whose disk fails under a running broker (real processes)', () => {
  it('moves its partitions, fails no acks=all record, keeps the other directory serving, recovers on restart', async () => {
    await withCluster(async (c) => {
      const secondDir = join(c.broker(1).dataDir, '..', `broker-${VICTIM}-disk2`);
      process.env.TRIBUTARY_TEST_MODE = '1';
      process.env.TRIBUTARY_TEST_FAIL_LOG_DIR = `${secondDir}:${FAIL_AFTER_BYTES}:ENOSPC`;
      onCleanup(() => {
        delete process.env.TRIBUTARY_TEST_FAIL_LOG_DIR;
        delete process.env.TRIBUTARY_TEST_MODE;
      });
      const victim = await c.addBroker(VICTIM, { extraArgs: ['--data-dir', secondDir] });
      await createTopic(c, TOPIC, PARTITIONS);
      // Broker 3 spreads its six replicas over its two directories (the least loaded takes the next).
      const inSecond = [...Array(PARTITIONS).keys()].filter((p) =>
        existsSync(join(secondDir, 'logs', `${TOPIC}-${p}`)),
      );
      const inFirst = [...Array(PARTITIONS).keys()].filter((p) =>
        existsSync(join(victim.dataDir, 'logs', `${TOPIC}-${p}`)),
      );
      expect(inSecond.length).toBeGreaterThan(0);
      expect(inFirst.length).toBeGreaterThan(0);

      const client = new TributaryClient({ bootstrap: c.bootstrap });
      onCleanup(() => client.close());
      const producer = client.producer({ acks: 'all' });
      const acked: AckedRecord[] = [];
      const failed: string[] = [];
      let stopping = false;
      const sending = (async () => {
        for (let i = 0; i < SENDS_MAX && !stopping; i++) {
          const partition = i % PARTITIONS;
          const value = `v-${i}`;
          try {
            const [result] = await producer.send(TOPIC, [{ key: null, value, partition }]);
            if (result !== undefined) acked.push({ partition, offset: result.offset, value });
          } catch (error) {
            failed.push(`${value}: ${String(error)}`);
          }
          await sleep(SEND_INTERVAL_MS);
        }
      })();
      onCleanup(async () => {
        stopping = true;
        await sending;
      });

      // The fault fires once the second directory has taken its bytes: then no partition there has broker 3
      // in its ISR (nor as leader), while those in its first directory keep it.
      await waitFor(
        `partitions ${inSecond.join(',')} moved off broker ${VICTIM}`,
        async () => {
          const partitions = await describePartitions(c, TOPIC);
          const moved = inSecond.every((p) => {
            const info = partitions.find((candidate) => candidate.partition === p);
            return (
              info !== undefined && info.leader >= 0 && info.leader !== VICTIM && !info.isr.includes(VICTIM)
            );
          });
          return moved ? true : undefined;
        },
        { timeoutMs: MOVE_TIMEOUT_MS },
      );
      const ackedAtMove = acked.length;
      await waitFor(
        'producers carry on after the move',
        async () => (acked.length >= ackedAtMove + 200 ? true : undefined),
        {
          timeoutMs: MOVE_TIMEOUT_MS,
        },
      );
      expect(victim.isRunning).toBe(true);
      const during = await describePartitions(c, TOPIC);
      for (const p of inFirst) expect(during.find((info) => info.partition === p)?.isr).toContain(VICTIM);

      stopping = true;
      await sending;
      expect(failed).toEqual([]);
      const read = await readBack(c.bootstrap, TOPIC, PARTITIONS);
      expect(checkAckedHistory(acked, read)).toEqual([]);
      const stored = [...read.values()].reduce((sum, records) => sum + records.length, 0);
      expect(stored).toBe(acked.length);

      // The operator frees the space and restarts broker 3: the directory recovers, its replicas catch up.
      delete process.env.TRIBUTARY_TEST_FAIL_LOG_DIR;
      await victim.restart();
      await waitFor(
        `broker ${VICTIM} back in every ISR of ${TOPIC}`,
        async () => {
          const partitions = await describePartitions(c, TOPIC);
          return partitions.every((info) => info.isr.includes(VICTIM)) ? true : undefined;
        },
        { timeoutMs: MOVE_TIMEOUT_MS },
      );
      expect(checkAckedHistory(acked, await readBack(c.bootstrap, TOPIC, PARTITIONS))).toEqual([]);
    });
  }, 240_000);
});
