/**
 * One mode's measurements on its own fresh cluster: a warm-up, the maximum-throughput run (K `trib perf
 * produce` processes at a target rate far above what the cluster sustains) and the latency run (one process
 * at a fixed moderate rate). Around the throughput run the CPU of the brokers, the controllers and trib
 * (its rusage, added to ours when it is reaped) is read from /proc, so the report can show whether the
 * figure is the cluster's or the tool's.
 */
import { loadavg } from 'node:os';
import type { DevCerts } from '@tributary/protocol/dev-certs';
import type { Cluster } from '@tributary/testkit';
import { type PerfProduceResult, startTrib } from '../broker/trib.js';
import { createTopic, sleep } from '../cluster-helpers.js';
import { readProcCpuTicks, ticksToMicros } from '../kafka/proc-cpu.js';
import { grantProducer, tribEnv } from './modes.js';
import type { SecurityBenchOptions, SecurityMode } from './options.js';

/** After a topic is created: followers start fetching, the leaders' first segments open. Not timed. */
const TOPIC_SETTLE_MS = 1_000;
/** Node's start-up, connections, login and the final acks on top of a run's duration. */
const RUN_SLACK_MS = 60_000;
/** perf counts each record as its value plus this much (packages/cli perf's recordsPerBatch). */
const PERF_RECORD_OVERHEAD_BYTES = 8;

export interface ThroughputRun {
  readonly recordsPerSecond: number;
  readonly mbPerSecond: number;
  /** The slowest producer's percentiles of batch ack latency. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly acked: number;
  readonly failed: number;
  readonly wallMs: number;
  /** CPU-seconds per wall second (2 would be both cores of this machine). */
  readonly tribCores: number;
  readonly brokerCores: number;
  readonly controllerCores: number;
  readonly brokerCpuUsPerRecord: number;
  readonly tribCpuUsPerRecord: number;
  readonly loadAverage1m: number;
}

export interface LatencyRun {
  readonly recordsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly acked: number;
  readonly failed: number;
  readonly loadAverage1m: number;
}

export interface ModeRun {
  readonly mode: SecurityMode;
  readonly round: number;
  readonly throughput: ThroughputRun;
  readonly latency: LatencyRun;
}

export interface ModeRunContext {
  readonly cluster: Cluster;
  readonly mode: SecurityMode;
  readonly round: number;
  readonly certs: DevCerts;
  readonly options: SecurityBenchOptions;
  readonly ticksPerSecond: number;
}

interface CpuSnapshot {
  readonly brokerTicks: number;
  readonly controllerTicks: number;
  /** Our reaped children's CPU: grows by trib's CPU when trib exits and is reaped. */
  readonly childrenTicks: number;
}

function pidOf(pid: number | undefined, what: string): number {
  if (pid === undefined) throw new Error(`${what} is not running`);
  return pid;
}

function snapshot(cluster: Cluster): CpuSnapshot {
  const ticksOf = (pid: number | undefined, what: string): number =>
    readProcCpuTicks(pidOf(pid, what)).selfTicks;
  return {
    brokerTicks: cluster.brokers.reduce((sum, b) => sum + ticksOf(b.process.pid, `broker ${b.nodeId}`), 0),
    controllerTicks: cluster.quorum.nodes.reduce(
      (sum, node) => sum + ticksOf(node.pid, `controller ${node.nodeId}`),
      0,
    ),
    childrenTicks: readProcCpuTicks('self').childrenTicks,
  };
}

interface PerfRun {
  readonly topic: string;
  readonly recordsPerSecond: number;
  readonly durationMs: number;
  readonly batchRecords?: number;
}

/** `trib perf produce` as a user runs it: the mode's TLS CA and SCRAM login come from TRIB_* variables. */
function perfArgs(context: ModeRunContext, run: PerfRun): string[] {
  const { options } = context;
  const messages = Math.max(1, Math.ceil((run.recordsPerSecond * run.durationMs) / 1_000));
  const batch =
    run.batchRecords === undefined
      ? []
      : ['--batch-bytes', String(run.batchRecords * (options.recordSizeBytes + PERF_RECORD_OVERHEAD_BYTES))];
  return [
    'perf',
    'produce',
    run.topic,
    '--bootstrap',
    context.cluster.bootstrap.join(','),
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
}

async function perf(context: ModeRunContext, run: PerfRun): Promise<PerfProduceResult> {
  const result = await startTrib<PerfProduceResult>(perfArgs(context, run), {
    timeoutMs: run.durationMs + RUN_SLACK_MS,
    env: tribEnv(context.mode, context.certs),
  }).result;
  if (result.failed > 0 || result.acked === 0) {
    throw new Error(
      `trib perf produce: ${result.acked} acked, ${result.failed} failed (${result.lastError})`,
    );
  }
  return result;
}

async function throughputRun(context: ModeRunContext, topic: string): Promise<ThroughputRun> {
  const { cluster, options } = context;
  const loadAverage1m = loadavg()[0] ?? Number.NaN;
  const before = snapshot(cluster);
  const startMs = performance.now();
  const results = await Promise.all(
    Array.from({ length: options.producers }, () =>
      perf(context, {
        topic,
        recordsPerSecond: Math.ceil(options.targetRecordsPerSecond / options.producers),
        durationMs: options.throughputDurationMs,
      }),
    ),
  );
  const wallMs = performance.now() - startMs;
  const after = snapshot(cluster);
  const micros = (ticks: number): number => ticksToMicros(ticks, context.ticksPerSecond);
  const cores = (ticks: number): number => micros(ticks) / 1_000 / wallMs;
  const acked = results.reduce((sum, r) => sum + r.acked, 0);
  return {
    // Each process's own rate is timed from its first batch (Node's start-up is the tool's, not the cluster's).
    recordsPerSecond: results.reduce((sum, r) => sum + r.recordsPerSecond, 0),
    mbPerSecond: results.reduce((sum, r) => sum + r.mbPerSecond, 0),
    p50Ms: Math.max(...results.map((r) => r.p50Ms)),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    acked,
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    wallMs,
    tribCores: cores(after.childrenTicks - before.childrenTicks),
    brokerCores: cores(after.brokerTicks - before.brokerTicks),
    controllerCores: cores(after.controllerTicks - before.controllerTicks),
    brokerCpuUsPerRecord: micros(after.brokerTicks - before.brokerTicks) / acked,
    tribCpuUsPerRecord: micros(after.childrenTicks - before.childrenTicks) / acked,
    loadAverage1m,
  };
}

async function latencyRun(context: ModeRunContext, topic: string): Promise<LatencyRun> {
  const { options } = context;
  const loadAverage1m = loadavg()[0] ?? Number.NaN;
  const result = await perf(context, {
    topic,
    recordsPerSecond: options.latencyRecordsPerSecond,
    durationMs: options.latencyDurationMs,
    batchRecords: options.latencyBatchRecords,
  });
  return {
    recordsPerSecond: result.recordsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    p999Ms: result.p999Ms,
    acked: result.acked,
    failed: result.failed,
    loadAverage1m,
  };
}

/** Creates the topics (and in secure mode the producer's user and ACLs), warms up, and measures. */
export async function measureMode(context: ModeRunContext): Promise<ModeRun> {
  const { cluster, options } = context;
  const topics = ['warm-up', 'throughput', 'latency'].map((name) => `security-${name}`);
  for (const topic of topics) await createTopic(cluster, topic, options.partitions);
  await grantProducer(context.mode, cluster, context.certs, topics);
  await sleep(TOPIC_SETTLE_MS);
  // Untimed: JIT in the brokers, segment files, the replica fetchers' first long polls.
  await perf(context, {
    topic: topics[0] ?? '',
    recordsPerSecond: options.targetRecordsPerSecond,
    durationMs: options.warmUpDurationMs,
  });
  const throughput = await throughputRun(context, topics[1] ?? '');
  const latency = await latencyRun(context, topics[2] ?? '');
  return { mode: context.mode, round: context.round, throughput, latency };
}
