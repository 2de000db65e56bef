/** Helpers shared by the benchmarks that run a real cluster (broker-bench, client-bench). */
import { type Cluster, type TopicInfo, waitFor } from '@tributary/testkit';

/** How long a new topic may take until every partition has a leader on every running broker. */
const TOPIC_LED_TIMEOUT_MS = 15_000;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Creates an RF=3 topic and waits until every running broker sees a leader for each partition. */
export async function createTopic(cluster: Cluster, name: string, partitions: number): Promise<void> {
  await cluster.quorum.admin().admin('CreateTopic', { name, partitions, replicationFactor: 3, configs: [] });
  await waitFor(
    `${name} led on every broker`,
    async () => {
      const views = await Promise.all(cluster.brokers.filter((b) => b.isRunning).map((b) => b.metadata()));
      const led = views.every((metadata) => {
        const topic = metadata.topics.find((t) => t.topic?.name === name)?.topic;
        return (
          topic !== undefined &&
          topic !== null &&
          topic.partitions.length === partitions &&
          topic.partitions.every((p) => p.leader >= 0)
        );
      });
      return led ? true : undefined;
    },
    { timeoutMs: TOPIC_LED_TIMEOUT_MS },
  );
}

export async function describeTopic(cluster: Cluster, name: string): Promise<TopicInfo> {
  const { topics } = await cluster.quorum.admin().admin('DescribeTopics', { names: [name] });
  const topic = topics[0];
  if (topic === undefined) throw new Error(`no topic ${name}`);
  return topic;
}

/** `trib perf produce TOPIC` arguments: 100-byte records, acks=all, plus `extra`. */
export function produceArgs(cluster: Cluster, topic: string, extra: readonly (string | number)[]): string[] {
  return [
    'perf',
    'produce',
    topic,
    '--bootstrap',
    cluster.bootstrap.join(','),
    '--record-size',
    '100',
    '--acks',
    'all',
    ...extra.map(String),
  ];
}

/** `trib perf consume TOPIC --messages M` arguments. */
export function consumeArgs(cluster: Cluster, topic: string, messages: number): string[] {
  return [
    'perf',
    'consume',
    topic,
    '--bootstrap',
    cluster.bootstrap.join(','),
    '--messages',
    String(messages),
  ];
}

/** The cluster a benchmark is running now, if any: runClusterBench stops it on a timeout and at the end. */
export interface RunningCluster {
  cluster: Cluster | undefined;
}

/**
 * A cluster benchmark's main: its arguments parsed (a one-line error and exit code 2 on bad ones, the usage
 * on --help), then `measure` under a watchdog that stops the running cluster and exits 1 after the
 * benchmark's timeout; the cluster is stopped whichever way `measure` ends.
 */
export async function runClusterBench<O>(spec: {
  readonly name: string;
  readonly usage: string;
  readonly parse: (argv: readonly string[]) => O | 'help';
  readonly timeoutMs: (options: O) => number;
  readonly measure: (options: O, running: RunningCluster) => Promise<number>;
}): Promise<number> {
  let options: O | 'help';
  try {
    options = spec.parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${spec.usage}\n`);
    return 0;
  }
  const running: RunningCluster = { cluster: undefined };
  const timeoutMs = spec.timeoutMs(options);
  const watchdog = setTimeout(() => {
    process.stderr.write(`[${spec.name}] timed out after ${timeoutMs} ms; stopping the cluster\n`);
    void (running.cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
  }, timeoutMs);
  try {
    return await spec.measure(options, running);
  } finally {
    clearTimeout(watchdog);
    await running.cluster?.stop();
  }
}

/** Runs a benchmark's main and exits with its code; a crash prints one line with the stack and exits 1. */
export function runBenchMain(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

/** Cluster starts tried before a round gives up: a loaded machine sometimes misses the harness's readiness wait. */
const CLUSTER_START_ATTEMPTS = 2;

/** Runs `start` up to CLUSTER_START_ATTEMPTS times, reporting each failure; rethrows the last. */
export async function startWithRetry<T>(start: () => Promise<T>, report: (line: string) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= CLUSTER_START_ATTEMPTS) throw error;
      report(`cluster start ${attempt} of ${CLUSTER_START_ATTEMPTS} failed (${errorMessage(error)}); again`);
    }
  }
}
