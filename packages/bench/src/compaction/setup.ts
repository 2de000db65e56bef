/**
 * What a compaction run sets up before anything is timed: the cluster for its cleaner mode, topics with
 * configs, the keyed updates (written in this process with the real client: `trib perf produce` sends
 * keyless records, which a compacted topic refuses), and the size of each replica on disk.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TributaryClient } from '@tributary/client';
import { type BrokerProcess, type Cluster, startCluster, waitFor } from '@tributary/testkit';
import type { CleanerMode, CompactionBenchOptions } from './options.js';

/** How long a new topic may take until every partition has a full ISR seen by every broker. */
const TOPIC_READY_TIMEOUT_MS = 20_000;
/** Records per send() of the writer, and sends in flight: enough to keep the brokers busy. */
const WRITE_CHUNK_RECORDS = 500;
const WRITES_IN_FLIGHT = 8;
const WRITE_DELIVERY_TIMEOUT_MS = 120_000;

/** Starts 3 controllers + 3 brokers with /metrics and the mode's cleaner settings; the same settings otherwise. */
export function startCleanerCluster(mode: CleanerMode, options: CompactionBenchOptions): Promise<Cluster> {
  const cleaner: Record<CleanerMode, string[]> = {
    disabled: ['--log-cleaner-enable=false'],
    unthrottled: [],
    throttled: ['--log-cleaner-io-max-bytes-per-second', String(options.throttleBytesPerSecond)],
  };
  return startCluster({
    brokers: 3,
    logLevel: 'warn',
    metrics: true,
    brokerArgs: ['--log-cleaner-backoff-ms', String(options.cleanerBackoffMs), ...cleaner[mode]],
  });
}

/** Creates an RF=3 topic with `configs` and waits until every broker sees every partition led with 3 in sync. */
export async function createConfiguredTopic(
  cluster: Cluster,
  name: string,
  partitions: number,
  configs: Readonly<Record<string, string>>,
): Promise<void> {
  await cluster.quorum.admin().admin('CreateTopic', {
    name,
    partitions,
    replicationFactor: 3,
    configs: Object.entries(configs).map(([key, value]) => ({ name: key, value })),
  });
  await waitFor(
    `${name} led with a full ISR on every broker`,
    async () => {
      const views = await Promise.all(cluster.brokers.map((b) => b.metadata()));
      const ready = views.every((metadata) => {
        const topic = metadata.topics.find((t) => t.topic?.name === name)?.topic;
        return (
          topic !== undefined &&
          topic !== null &&
          topic.partitions.length === partitions &&
          topic.partitions.every((p) => p.leader >= 0 && p.isr.length === 3)
        );
      });
      return ready ? true : undefined;
    },
    { timeoutMs: TOPIC_READY_TIMEOUT_MS },
  );
}

/**
 * Writes `updates` records over `keys` keys (update i sets key i mod K), each value distinct, acks=all and
 * idempotent, `WRITES_IN_FLIGHT` sends at a time. Returns the bytes of keys and values sent.
 */
export async function writeUpdates(
  cluster: Cluster,
  topic: string,
  options: Pick<CompactionBenchOptions, 'keys' | 'updates' | 'valueBytes'>,
): Promise<number> {
  const client = new TributaryClient({ bootstrap: cluster.bootstrap });
  try {
    const producer = client.producer({ deliveryTimeoutMs: WRITE_DELIVERY_TIMEOUT_MS });
    const padding = 'x'.repeat(options.valueBytes);
    let next = 0;
    let bytes = 0;
    const lane = async (): Promise<void> => {
      while (next < options.updates) {
        const first = next;
        const count = Math.min(WRITE_CHUNK_RECORDS, options.updates - first);
        next += count;
        const records = Array.from({ length: count }, (_, index) => {
          const update = first + index;
          const key = `key-${String(update % options.keys).padStart(7, '0')}`;
          // Distinct per update (its number first), so a kept value shows which update it was.
          const value = `${update}:${padding}`.slice(0, options.valueBytes);
          bytes += key.length + value.length;
          return { key, value };
        });
        await producer.send(topic, records);
      }
    };
    await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, lane));
    return bytes;
  } finally {
    client.close();
  }
}

/** Bytes of the segment files (`*.log`; the indexes are preallocated) of every partition of `topic` on `broker`. */
export async function replicaBytes(broker: BrokerProcess, topic: string): Promise<number> {
  const logs = join(broker.dataDir, 'logs');
  let total = 0;
  for (const dir of await readdir(logs)) {
    if (!dir.startsWith(`${topic}-`) || !/^\d+$/.test(dir.slice(topic.length + 1))) continue;
    for (const name of await readdir(join(logs, dir))) {
      if (name.endsWith('.log')) total += (await stat(join(logs, dir, name))).size;
    }
  }
  return total;
}
