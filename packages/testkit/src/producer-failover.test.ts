/**
 * Producers ride through a paused partition leader (issue 16 item 4; DESIGN §8: "a paused or killed
 * partition leader: producers with default settings fail no record"). The leader is SIGSTOPped past the
 * controllers' broker session timeout, so it keeps its connections and answers nothing while the controller
 * moves its leadership; the producer — our client's and `trib produce`'s, each with default settings — must
 * fail no record, and every record must be read back exactly once, in order. How long the stall lasts is
 * measured by `npm run bench:broker` (its SIGSTOP failover), never asserted here.
 */
import { spawn } from 'node:child_process';
import { TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import { type AckedRecord, checkAckedHistory, readBack } from './acked-history.js';
import type { Cluster } from './cluster.js';
import { clusterPerTest } from './cluster-per-test.js';
import { TRIB_BIN } from './kafka/tools.js';
import type { PartitionInfo } from './rpc.js';
import { createTopic } from './txn/topics.js';
import { sleep, waitFor } from './wait.js';

const { withCluster, onCleanup } = clusterPerTest();

/** Bounds of one test: sends, and how long the leadership may take to move or writes to resume. */
const SENDS_MAX = 2_000;
const MOVE_TIMEOUT_MS = 30_000;
const SEND_INTERVAL_MS = 20;

/** Partition 0 of `topic` as the controller knows it. */
async function partitionZero(c: Cluster, topic: string): Promise<PartitionInfo | undefined> {
  const { topics } = await c.quorum.admin().admin('DescribeTopics', { names: [topic] });
  return topics[0]?.partitions[0];
}

/**
 * Pauses the leader of `topic`-0 and waits until the controller names another one with a higher epoch;
 * returns the paused broker's id.
 */
async function pauseLeaderUntilMoved(c: Cluster, topic: string): Promise<number> {
  const before = await partitionZero(c, topic);
  const victim = before?.leader ?? -1;
  expect(victim).toBeGreaterThanOrEqual(0);
  const epochBefore = before?.leaderEpoch ?? 0;
  c.broker(victim).pause();
  await waitFor(
    `${topic}-0 led elsewhere after pausing broker ${victim}`,
    async () => {
      const now = await partitionZero(c, topic);
      return now !== undefined && now.leader >= 0 && now.leader !== victim && now.leaderEpoch > epochBefore
        ? true
        : undefined;
    },
    { timeoutMs: MOVE_TIMEOUT_MS },
  );
  return victim;
}

describe('producers with default settings and a paused partition leader (real processes)', () => {
  it('neither our client nor `trib produce` fails a record; nothing is lost, duplicated or reordered', async () => {
    await withCluster(async (c) => {
      const topic = 'paused-leader';
      await createTopic(c, topic, 1);

      // Our client, one record per send.
      const client = new TributaryClient({ bootstrap: c.bootstrap });
      onCleanup(() => client.close());
      const producer = client.producer();
      const acked: AckedRecord[] = [];
      const failed: string[] = [];
      let stopping = false;
      const sending = (async () => {
        for (let i = 0; i < SENDS_MAX && !stopping; i++) {
          const value = `client-${i}`;
          try {
            const [result] = await producer.send(topic, [{ key: null, value, partition: 0 }]);
            if (result !== undefined) acked.push({ partition: 0, offset: result.offset, value });
          } catch (error) {
            failed.push(`${value}: ${String(error)}`);
          }
          await sleep(SEND_INTERVAL_MS);
        }
      })();

      // `trib produce`, one line at a time on its stdin, to the same partition.
      const cli = spawn(
        process.execPath,
        [TRIB_BIN, '--bootstrap', c.bootstrap.join(','), 'produce', topic, '--partition', '0'],
        { stdio: ['pipe', 'ignore', 'pipe'] },
      );
      let cliStderr = '';
      cli.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        cliStderr += chunk;
      });
      const cliExited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
      cli.stdin.on('error', () => undefined);
      const lines: string[] = [];
      const writing = (async () => {
        for (let i = 0; i < SENDS_MAX && !stopping; i++) {
          const line = `line-${i}`;
          lines.push(line);
          cli.stdin.write(`${line}\n`);
          await sleep(SEND_INTERVAL_MS);
        }
      })();
      onCleanup(async () => {
        stopping = true;
        cli.kill('SIGKILL');
        await Promise.all([sending, writing]);
      });

      const stored = async (prefix: string) =>
        ((await readBack(c.bootstrap, topic, 1)).get(0) ?? []).filter((r) => r.value.startsWith(prefix))
          .length;
      await waitFor(
        'records from both producers stored',
        async () => (acked.length >= 20 && (await stored('line-')) >= 20 ? true : undefined),
        { timeoutMs: 20_000 },
      );
      const victim = await pauseLeaderUntilMoved(c, topic);
      const ackedAtMove = acked.length;
      const linesAtMove = await stored('line-');
      await waitFor(
        'records from both producers stored by the new leader',
        async () =>
          acked.length >= ackedAtMove + 20 && (await stored('line-')) >= linesAtMove + 20 ? true : undefined,
        { timeoutMs: MOVE_TIMEOUT_MS },
      );
      c.broker(victim).resume();
      stopping = true;
      await Promise.all([sending, writing]);
      cli.stdin.end();
      const cliCode = await Promise.race([cliExited, sleep(MOVE_TIMEOUT_MS).then(() => 'still running')]);

      expect(failed).toEqual([]);
      expect(cliStderr).toBe('');
      expect(cliCode).toBe(0);
      const read = await readBack(c.bootstrap, topic, 1);
      expect(checkAckedHistory(acked, read)).toEqual([]);
      const values = (read.get(0) ?? []).map((record) => record.value);
      expect(values.filter((value) => value.startsWith('line-'))).toEqual(lines);
      expect(values).toHaveLength(acked.length + lines.length);
    });
  });
});
