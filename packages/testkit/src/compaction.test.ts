/**
 * Log compaction with real processes (issue 14, "How it is shown"): 3 controllers + 3 brokers, RF=3, the
 * cleaner looking for work every 200 ms. A compacted topic with small segments and a low dirty ratio gets
 * many acknowledged updates over few keys while its leader is SIGKILLed and later restarted; then every
 * replica's segment files shrink (each broker cleans its own replica), a consumer from the beginning reads
 * the last acknowledged value of every key, and it reads the same after the next leader is SIGKILLed too.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryClient } from '@tributary/client';
import { describe, expect, it } from 'vitest';
import type { BrokerProcess } from './broker-process.js';
import type { Cluster } from './cluster.js';
import { clusterPerFile } from './cluster-per-file.js';
import { describePartitions, waitForFullIsr } from './kafka/shared.js';
import { readTopic } from './txn/read-topic.js';
import { createTopic } from './txn/topics.js';
import { waitFor } from './wait.js';

const { withCluster, onCleanup } = clusterPerFile({
  brokers: 3,
  brokerArgs: ['--log-cleaner-backoff-ms', '200'],
});

const TOPIC = 'compacted-table';
const KEYS = 20;
const UPDATES = 3_000;
const UPDATES_PER_SEND = 50;
/** Pads every value, so that the updates fill many 8 KiB segments. */
const VALUE_PADDING = 'x'.repeat(80);
const SEGMENT_BYTES = 8_192;
/** Cleaning keeps about one record per key: every replica's segments must end well under this share. */
const SHRUNK_FRACTION = 1 / 5;
const CLEANING_WAIT_MS = 45_000;
const LEADER_WAIT_MS = 20_000;

/** Bytes of the segment files (`*.log`) of `topic`-0 on `broker` (the indexes are preallocated). */
async function segmentBytes(broker: BrokerProcess, topic: string): Promise<number> {
  const dir = join(broker.dataDir, 'logs', `${topic}-0`);
  let total = 0;
  for (const name of await readdir(dir)) {
    if (name.endsWith('.log')) total += (await stat(join(dir, name))).size;
  }
  return total;
}

async function leaderOf(c: Cluster, topic: string, not?: number): Promise<number> {
  return waitFor(
    `${topic}-0 led${not === undefined ? '' : ` by another broker than ${not}`}`,
    async () => {
      const leader = (await describePartitions(c, topic))[0]?.leader ?? -1;
      return leader >= 0 && leader !== not ? leader : undefined;
    },
    { timeoutMs: LEADER_WAIT_MS },
  );
}

/** The last value of every key, in offset order (a compacted log keeps offsets in order). */
function lastPerKey(records: readonly { key: string | null; value: string | null }[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const record of records) {
    if (record.key !== null && record.value !== null) last.set(record.key, record.value);
  }
  return last;
}

describe('log compaction (real processes, RF=3)', () => {
  it('many updates over few keys, the leader SIGKILLed and restarted mid-way: every replica shrinks, the last acknowledged value of every key is read', async () => {
    await withCluster(async (c) => {
      await createTopic(c, TOPIC, 1, {
        'cleanup.policy': 'compact',
        'segment.bytes': String(SEGMENT_BYTES),
        'min.cleanable.dirty.ratio': '0.01',
      });
      const client = new TributaryClient({ bootstrap: c.bootstrap });
      onCleanup(() => client.close());
      const producer = client.producer({ deliveryTimeoutMs: 60_000 });

      // Sends one after another: the last acknowledged value of a key is its newest.
      const acknowledged = new Map<string, string>();
      let bytesWritten = 0;
      let killed: BrokerProcess | undefined;
      for (let sent = 0; sent < UPDATES; sent += UPDATES_PER_SEND) {
        if (sent === UPDATES / 3) {
          killed = c.broker(await leaderOf(c, TOPIC));
          await killed.kill('SIGKILL');
        }
        if (sent === (2 * UPDATES) / 3) await killed?.restart();
        const records = Array.from({ length: UPDATES_PER_SEND }, (_, index) => {
          const update = sent + index;
          return { key: `key-${update % KEYS}`, value: `v${update}-${VALUE_PADDING}`, partition: 0 };
        });
        await producer.send(TOPIC, records);
        for (const record of records) {
          acknowledged.set(record.key, record.value);
          bytesWritten += record.key.length + record.value.length;
        }
      }
      await c.waitForUnfencedBrokers();
      await waitForFullIsr(c, TOPIC, 3);

      const sizes = await waitFor(
        'every replica cleaned',
        async () => {
          const bytes = await Promise.all(c.brokers.map((broker) => segmentBytes(broker, TOPIC)));
          return bytes.every((size) => size < bytesWritten * SHRUNK_FRACTION) ? bytes : undefined;
        },
        { timeoutMs: CLEANING_WAIT_MS, intervalMs: 250 },
      );
      console.log(
        `compaction: ${bytesWritten} bytes of keys and values written; replicas now ${sizes.join(', ')}`,
      );

      const read = await readTopic(client, TOPIC, { readCommitted: false });
      expect(read.length).toBeLessThan(UPDATES * SHRUNK_FRACTION);
      expect(lastPerKey(read)).toEqual(acknowledged);

      // The next leader serves the same reads from its own cleaned replica.
      const leader = await leaderOf(c, TOPIC);
      await c.broker(leader).kill('SIGKILL');
      await leaderOf(c, TOPIC, leader);
      // A new leader's high watermark catches up with the old one's once the other follower fetches from it:
      // until then a read ends early. A lost update would never show up, and the wait would time out.
      let again = new Map<string, string>();
      await waitFor(
        'the last acknowledged values read from the next leader',
        async () => {
          again = lastPerKey(await readTopic(client, TOPIC, { readCommitted: false }));
          return again.size === acknowledged.size && [...again].every(([k, v]) => acknowledged.get(k) === v)
            ? true
            : undefined;
        },
        { timeoutMs: LEADER_WAIT_MS, intervalMs: 250 },
      ).catch(() => undefined);
      expect(again).toEqual(acknowledged);
      await c.broker(leader).restart();
      await c.waitForUnfencedBrokers();
    });
  }, 180_000);
});
