/**
 * What the real-client tests share (DESIGN §9). Topics are created with `trib` (not with the client under
 * test, so that a client's admin bug cannot hide a data-plane result), and a test starts only once every
 * partition has a leader, a full ISR and a leader that serves it, as a produce with acks=all would
 * otherwise race the replicas. What a client wrote is read back by another client (kcat, `trib`), and
 * group commits are read with `trib groups describe`.
 */
import type { PartitionInfo__Output } from '@tributary/protocol';
import { murmur2, toPositive } from '@tributary/records';
import { readBack } from '../acked-history.js';
import type { Cluster } from '../cluster.js';
import { waitFor } from '../wait.js';
import { kcat, trib } from './tools.js';

const TOPIC_READY_TIMEOUT_MS = 20_000;
const COMMITS_TIMEOUT_MS = 20_000;
const COMMITS_POLL_MS = 250;

/**
 * A new group waits this long for more members before its first rebalance (Kafka's 3 s default would
 * slow every join); long enough that members started together still land in one generation.
 */
export const GROUP_BROKER_ARGS = ['--group-initial-rebalance-delay-ms', '1000'];

/** The partitions of `topic` as the active controller describes them (leader, epoch, replicas, ISR). */
export async function describePartitions(
  cluster: Cluster,
  topic: string,
): Promise<readonly PartitionInfo__Output[]> {
  const { topics } = await cluster.quorum.admin().admin('DescribeTopics', { names: [topic] });
  return topics[0]?.partitions ?? [];
}

/** Waits until every partition of `topic` has a leader and `isrSize` in-sync replicas. */
export async function waitForFullIsr(cluster: Cluster, topic: string, isrSize: number): Promise<void> {
  await waitFor(
    `${topic} has leaders and ${isrSize} in-sync replicas everywhere`,
    async () => {
      const partitions = await describePartitions(cluster, topic);
      const ready =
        partitions.length > 0 && partitions.every((p) => p.leader >= 0 && p.isr.length === isrSize);
      return ready ? true : undefined;
    },
    { timeoutMs: TOPIC_READY_TIMEOUT_MS },
  );
}

/**
 * Waits until each partition's leader serves it. The controller's view runs ahead of the brokers': a
 * broker that has not yet applied the record making it leader answers UNKNOWN_TOPIC_OR_PARTITION, and
 * a client that resends a whole request after one partition's error (as @platformatic/kafka 1.x does)
 * then duplicates the partitions that had succeeded.
 */
export async function waitForLeadersServing(cluster: Cluster, topic: string): Promise<void> {
  const partitions = (await describePartitions(cluster, topic)).length;
  await waitFor(
    `every leader of ${topic} serves its partition`,
    async () => {
      await readBack(cluster.bootstrap, topic, partitions);
      return true;
    },
    { timeoutMs: TOPIC_READY_TIMEOUT_MS },
  );
}

/** Creates `topic` with RF=3 through `trib` and waits until it is fully replicated and served. */
export async function createTopic(cluster: Cluster, topic: string, partitions: number): Promise<void> {
  await trib([
    'topics',
    'create',
    topic,
    '--partitions',
    String(partitions),
    '--replication-factor',
    '3',
    '--bootstrap',
    cluster.bootstrap.join(','),
  ]);
  await waitForFullIsr(cluster, topic, 3);
  await waitForLeadersServing(cluster, topic);
}

/** Where Java's (and Tributary's) default partitioner puts a keyed record. */
export function murmur2Partition(key: string, partitions: number): number {
  return toPositive(murmur2(Buffer.from(key, 'utf8'))) % partitions;
}

export interface TribRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
  readonly headers?: readonly { readonly key: string; readonly value: string }[];
}

/** `trib consume --json` from the beginning of `topic`, `count` records. */
export async function tribConsume(cluster: Cluster, topic: string, count: number): Promise<TribRecord[]> {
  const out = await trib([
    'consume',
    topic,
    '--from-beginning',
    '--max-messages',
    String(count),
    '--json',
    '--bootstrap',
    cluster.bootstrap.join(','),
  ]);
  return out
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TribRecord);
}

export interface KcatRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly payload: string | null;
}

/** Reads `topic` from the beginning to its end with kcat (librdkafka): a second client's view. */
export async function kcatReadAll(cluster: Cluster, topic: string): Promise<KcatRecord[]> {
  const out = await kcat(
    ['-b', cluster.kafkaBootstrap.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q'],
    { timeoutMs: 60_000 },
  );
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KcatRecord);
}

/**
 * Waits until `trib groups describe G --json` shows commits over `topic` that add up to `total` records,
 * each at its partition's log end (lag 0); returns them, partition to committed offset.
 */
export async function waitForCommits(
  cluster: Cluster,
  options: { readonly groupId: string; readonly topic: string; readonly total: number },
): Promise<Map<number, number>> {
  const { groupId, topic, total } = options;
  return waitFor(
    `group ${groupId} committed ${total} records of ${topic}, all at the log end`,
    async () => {
      const described = JSON.parse(
        await trib(['groups', 'describe', groupId, '--json', '--bootstrap', cluster.bootstrap.join(',')]),
      ) as {
        partitions: {
          topic: string;
          partition: number;
          committedOffset: number | null;
          lag: number | null;
        }[];
      };
      const committed = new Map<number, number>();
      for (const p of described.partitions) {
        if (p.topic !== topic || p.committedOffset === null) continue;
        if (p.lag !== 0) return undefined;
        committed.set(p.partition, p.committedOffset);
      }
      const sum = [...committed.values()].reduce((a, b) => a + b, 0);
      return sum === total ? committed : undefined;
    },
    { timeoutMs: COMMITS_TIMEOUT_MS, intervalMs: COMMITS_POLL_MS },
  );
}

/** `promise`, or a rejection naming `what` after `timeoutMs`: closing a client must not hang a test. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
