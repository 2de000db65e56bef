/**
 * One measured produce through one path on a fresh topic: the brokers' and controllers' CPU (from /proc)
 * just before the tool starts and just after it exits, the tool's own CPU (its rusage, added to ours when
 * it is reaped), the wall time, and a check of what the leaders stored.
 */
import { loadavg } from 'node:os';
import type { Cluster } from '@tributary/testkit';
import { type PerfProduceResult, startTrib } from '../broker/trib.js';
import { createTopic, produceArgs, sleep } from '../cluster-helpers.js';
import { startKcatProduce } from './kcat-run.js';
import type { ProducePath } from './options.js';
import { readProcCpuTicks, ticksToMicros } from './proc-cpu.js';
import type { MonotonicWindow } from './profile-analysis.js';
import { checkProduced, type ProduceCheck } from './verify.js';

/** After a topic is created: followers start fetching, the leaders' first segments open. Not timed. */
const TOPIC_SETTLE_MS = 1_000;
/**
 * How long the brokers' CPU is sampled, with nothing produced, right before each tool starts. Idle brokers
 * still heartbeat and long-poll replica fetches (a few % of a core); that background is subtracted for the
 * net figure, so a path that runs longer is not charged for the brokers' idling meanwhile.
 */
const IDLE_SAMPLE_MS = 3_000;

export interface PathRunContext {
  readonly cluster: Cluster;
  readonly partitions: number;
  readonly idempotent: boolean;
  /** kcat's batch.num.messages (0: librdkafka's default). */
  readonly kafkaBatchRecords: number;
  /** kcat's input: one 100-byte value per line, at least as many lines as records. */
  readonly inputFile: string;
  readonly ticksPerSecond: number;
  readonly timeoutMs: number;
}

export interface PathRun {
  readonly path: ProducePath;
  readonly topic: string;
  readonly records: number;
  /** From spawning the tool to its exit. */
  readonly wallMs: number;
  /**
   * The rate the path is reported at: kcat's records over its wall time (librdkafka starts in
   * milliseconds); trib perf's own figure, timed from its first batch, without Node's start-up.
   */
  readonly recordsPerSecond: number;
  readonly wallRecordsPerSecond: number;
  readonly brokerCpuUs: number;
  readonly brokerCpuUsPerRecord: number;
  /** The brokers' CPU per second while idle, sampled just before this run. */
  readonly idleBrokerCpuUsPerSecond: number;
  /** brokerCpuUs less the idle rate over the run's wall time, per record: what producing cost them. */
  readonly netBrokerCpuUsPerRecord: number;
  /** Each broker's share (node id order), to see where the leaders were. */
  readonly brokerCpuUsByBroker: number[];
  readonly controllerCpuUs: number;
  readonly toolCpuUs: number;
  readonly toolCpuUsPerRecord: number;
  /** CPU-seconds per wall second: 2 would be both cores of this machine. */
  readonly brokerCores: number;
  readonly toolCores: number;
  readonly loadAverage1m: number;
  /** From the tool's start to its exit, on the monotonic clock (to cut this run out of a CPU profile). */
  readonly toolWindow: MonotonicWindow;
  readonly check: ProduceCheck;
  /** trib perf produce's JSON (gRPC path only). */
  readonly perf?: PerfProduceResult;
}

interface CpuSnapshot {
  readonly brokerTicks: number[];
  readonly controllerTicks: number;
  /** Our reaped children's CPU: grows by the tool's CPU when the tool exits and is reaped. */
  readonly childrenTicks: number;
}

/** process.hrtime's clock (CLOCK_MONOTONIC), which V8's profile timestamps use too, in µs. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1_000n);
}

function pidOf(pid: number | undefined, what: string): number {
  if (pid === undefined) throw new Error(`${what} is not running`);
  return pid;
}

function snapshot(cluster: Cluster): CpuSnapshot {
  return {
    brokerTicks: cluster.brokers.map(
      (b) => readProcCpuTicks(pidOf(b.process.pid, `broker ${b.nodeId}`)).selfTicks,
    ),
    controllerTicks: cluster.quorum.nodes.reduce(
      (sum, node) => sum + readProcCpuTicks(pidOf(node.pid, `controller ${node.nodeId}`)).selfTicks,
      0,
    ),
    childrenTicks: readProcCpuTicks('self').childrenTicks,
  };
}

/** Runs the path's tool to its end; resolves with its wall time and, for trib, its JSON. */
async function runTool(
  context: PathRunContext,
  path: ProducePath,
  topic: string,
  records: number,
): Promise<{ wallMs: number; perf?: PerfProduceResult }> {
  const { cluster } = context;
  if (path === 'kafka') {
    const result = await startKcatProduce(
      {
        bootstrap: cluster.kafkaBootstrap,
        topic,
        inputFile: context.inputFile,
        records,
        librdkafka: { idempotent: context.idempotent, batchRecords: context.kafkaBatchRecords },
      },
      context.timeoutMs,
    ).result;
    if (result.deliveryFailures > 0) throw new Error(`kcat: ${result.deliveryFailures} failed deliveries`);
    return { wallMs: result.wallMs };
  }
  const startMs = performance.now();
  const extra = ['--messages', records, ...(context.idempotent ? [] : ['--no-idempotence'])];
  const perf = await startTrib<PerfProduceResult>(produceArgs(cluster, topic, extra), {
    timeoutMs: context.timeoutMs,
  }).result;
  const wallMs = performance.now() - startMs;
  if (perf.failed > 0 || perf.acked !== records) {
    throw new Error(
      `trib perf produce: ${perf.acked} acked, ${perf.failed} failed (${perf.lastError ?? ''})`,
    );
  }
  return { wallMs, perf };
}

/** Creates `topic`, produces `records` through `path`, measures, and checks the stored counts. */
export async function measurePath(
  context: PathRunContext,
  path: ProducePath,
  topic: string,
  records: number,
): Promise<PathRun> {
  await createTopic(context.cluster, topic, context.partitions);
  await sleep(TOPIC_SETTLE_MS);
  const idleBrokerCpuUsPerSecond = await idleBrokerCpu(
    context.cluster,
    context.ticksPerSecond,
    IDLE_SAMPLE_MS,
  );
  const loadAverage1m = loadavg()[0] ?? Number.NaN;
  const before = snapshot(context.cluster);
  const startUs = monotonicUs();
  const { wallMs, perf } = await runTool(context, path, topic, records);
  const endUs = monotonicUs();
  const after = snapshot(context.cluster);
  const micros = (ticks: number): number => ticksToMicros(ticks, context.ticksPerSecond);
  const brokerCpuUsByBroker = after.brokerTicks.map((ticks, i) =>
    micros(ticks - (before.brokerTicks[i] ?? 0)),
  );
  const brokerCpuUs = brokerCpuUsByBroker.reduce((sum, us) => sum + us, 0);
  const toolCpuUs = micros(after.childrenTicks - before.childrenTicks);
  const wallRecordsPerSecond = (records * 1_000) / wallMs;
  return {
    path,
    topic,
    records,
    wallMs,
    recordsPerSecond: perf === undefined ? wallRecordsPerSecond : perf.recordsPerSecond,
    wallRecordsPerSecond,
    brokerCpuUs,
    brokerCpuUsPerRecord: brokerCpuUs / records,
    idleBrokerCpuUsPerSecond,
    netBrokerCpuUsPerRecord: (brokerCpuUs - (idleBrokerCpuUsPerSecond * wallMs) / 1_000) / records,
    brokerCpuUsByBroker,
    controllerCpuUs: micros(after.controllerTicks - before.controllerTicks),
    toolCpuUs,
    toolCpuUsPerRecord: toolCpuUs / records,
    brokerCores: brokerCpuUs / 1_000 / wallMs,
    toolCores: toolCpuUs / 1_000 / wallMs,
    loadAverage1m,
    toolWindow: { startUs, endUs },
    check: await checkProduced(context.cluster, topic, records),
    ...(perf === undefined ? {} : { perf }),
  };
}

/** The brokers' CPU while nothing is produced (heartbeats, fetch long-polls): CPU-µs per second. */
async function idleBrokerCpu(cluster: Cluster, ticksPerSecond: number, ms: number): Promise<number> {
  const before = snapshot(cluster);
  const startMs = performance.now();
  await sleep(ms);
  const after = snapshot(cluster);
  const elapsedMs = performance.now() - startMs;
  const ticks = after.brokerTicks.reduce((sum, t, i) => sum + t - (before.brokerTicks[i] ?? 0), 0);
  return (ticksToMicros(ticks, ticksPerSecond) * 1_000) / elapsedMs;
}
