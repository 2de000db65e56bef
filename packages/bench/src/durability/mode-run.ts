/**
 * One durability mode's measurements on the shared cluster: fresh topics with the mode's flush.on.ack, an
 * untimed warm-up, the maximum-throughput run (trib perf produce at a target rate far above what the cluster
 * sustains) and the latency run (one record per call at a fixed moderate rate), each with the load average.
 */
import { loadavg } from 'node:os';
import type { Cluster } from '@tributary/testkit';
import { waitFor } from '@tributary/testkit';
import { type PerfProduceResult, startTrib } from '../broker/trib.js';
import { sleep } from '../cluster-helpers.js';
import { clockTicksPerSecond, readProcCpuTicks, ticksToMicros } from '../kafka/proc-cpu.js';
import type { DurabilityBenchOptions, DurabilityMode } from './options.js';
import type { DurabilityRun } from './report.js';

/** After a topic is created: followers start fetching, the leaders' first segments open. Not timed. */
const TOPIC_SETTLE_MS = 1_000;
/** How long new topics may take until every partition is led on every broker. */
const TOPIC_LED_TIMEOUT_MS = 15_000;
/** Node's start-up, connections and the final acks on top of a run's duration. */
const RUN_SLACK_MS = 60_000;

/** Creates an RF=3 topic with the mode's flush.on.ack and waits until every broker sees it led. */
async function createModeTopic(
  cluster: Cluster,
  name: string,
  mode: DurabilityMode,
  partitions: number,
): Promise<void> {
  const configs = [{ name: 'flush.on.ack', value: mode === 'fsync' ? 'true' : 'false' }];
  await cluster.quorum.admin().admin('CreateTopic', { name, partitions, replicationFactor: 3, configs });
  await waitFor(
    `${name} led on every broker`,
    async () => {
      const views = await Promise.all(cluster.brokers.map((b) => b.metadata()));
      const led = views.every((metadata) => {
        const topic = metadata.topics.find((t) => t.topic?.name === name)?.topic;
        return topic?.partitions.length === partitions && topic.partitions.every((p) => p.leader >= 0);
      });
      return led ? true : undefined;
    },
    { timeoutMs: TOPIC_LED_TIMEOUT_MS },
  );
}

interface PerfRun {
  readonly topic: string;
  readonly recordsPerSecond: number;
  readonly durationMs: number;
  /** Records per Produce call (perf's --batch-bytes is set from it); perf's default when unset. */
  readonly batchRecords?: number;
}

async function perf(
  cluster: Cluster,
  options: DurabilityBenchOptions,
  run: PerfRun,
): Promise<PerfProduceResult> {
  const messages = Math.max(1, Math.ceil((run.recordsPerSecond * run.durationMs) / 1_000));
  const batch =
    run.batchRecords === undefined
      ? []
      : ['--batch-bytes', String(run.batchRecords * (options.recordSizeBytes + 8))];
  const args = [
    'perf',
    'produce',
    run.topic,
    '--bootstrap',
    cluster.bootstrap.join(','),
    '--record-size',
    String(options.recordSizeBytes),
    '--acks',
    'all',
    '--throughput',
    String(run.recordsPerSecond),
    '--duration-ms',
    String(run.durationMs),
    '--messages',
    String(messages),
    ...batch,
  ];
  const result = await startTrib<PerfProduceResult>(args, { timeoutMs: run.durationMs + RUN_SLACK_MS })
    .result;
  if (result.failed > 0 || result.acked === 0) {
    throw new Error(
      `trib perf produce: ${result.acked} acked, ${result.failed} failed (${result.lastError})`,
    );
  }
  return result;
}

/** CPU ticks the three brokers have used so far (/proc): steadier than records/s on a shared machine. */
function brokerTicks(cluster: Cluster): number {
  return cluster.brokers.reduce((sum, broker) => {
    const pid = broker.process.pid;
    if (pid === undefined) throw new Error(`broker ${broker.nodeId} is not running`);
    return sum + readProcCpuTicks(pid).selfTicks;
  }, 0);
}

export async function measureDurabilityMode(context: {
  readonly cluster: Cluster;
  readonly mode: DurabilityMode;
  readonly round: number;
  readonly options: DurabilityBenchOptions;
}): Promise<DurabilityRun> {
  const { cluster, mode, round, options } = context;
  const topics = ['warm-up', 'throughput', 'latency'].map((name) => `durability-${mode}-${round}-${name}`);
  for (const topic of topics) await createModeTopic(cluster, topic, mode, options.partitions);
  await sleep(TOPIC_SETTLE_MS);
  await perf(cluster, options, {
    topic: topics[0] ?? '',
    recordsPerSecond: options.targetRecordsPerSecond,
    durationMs: options.warmUpDurationMs,
  });
  const throughputLoad = loadavg()[0] ?? Number.NaN;
  const ticksBefore = brokerTicks(cluster);
  const throughput = await perf(cluster, options, {
    topic: topics[1] ?? '',
    recordsPerSecond: options.targetRecordsPerSecond,
    durationMs: options.throughputDurationMs,
  });
  const brokerCpuUs = ticksToMicros(brokerTicks(cluster) - ticksBefore, clockTicksPerSecond());
  const latencyLoad = loadavg()[0] ?? Number.NaN;
  const latency = await perf(cluster, options, {
    topic: topics[2] ?? '',
    recordsPerSecond: options.latencyRecordsPerSecond,
    durationMs: options.latencyDurationMs,
    batchRecords: 1,
  });
  return {
    mode,
    round,
    throughput: {
      recordsPerSecond: throughput.recordsPerSecond,
      p50Ms: throughput.p50Ms,
      p99Ms: throughput.p99Ms,
      brokerCpuUsPerRecord: brokerCpuUs / throughput.acked,
      loadAverage1m: throughputLoad,
    },
    latency: {
      recordsPerSecond: latency.recordsPerSecond,
      p50Ms: latency.p50Ms,
      p99Ms: latency.p99Ms,
      loadAverage1m: latencyLoad,
    },
  };
}
