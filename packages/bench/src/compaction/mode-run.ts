/**
 * One cleaner mode's measurements on its own fresh cluster. The compacted topic gets its updates while
 * min.compaction.lag.ms (one hour) keeps the cleaner off them; then `trib perf produce` sends a fixed rate
 * to another topic, and part way in the lag drops to 0, so every broker's cleaner compacts its replica while
 * perf measures produce latency. Each broker's /metrics is scraped throughout (the cleaner's totals and each
 * clean's duration); the brokers' and trib's CPU are read from /proc around the latency run; the replicas'
 * segment files are measured before and after.
 */
import { loadavg } from 'node:os';
import { TributaryClient } from '@tributary/client';
import type { Cluster } from '@tributary/testkit';
import { type PerfProduceResult, startTrib } from '../broker/trib.js';
import { sleep } from '../cluster-helpers.js';
import { readProcCpuTicks, ticksToMicros } from '../kafka/proc-cpu.js';
import { type CleanerSample, type CleanerWork, cleanerWork, scrapeCleaner } from './cleaner-metrics.js';
import type { CleanerMode, CompactionBenchOptions } from './options.js';
import { createConfiguredTopic, replicaBytes, writeUpdates } from './setup.js';

const COMPACTED_TOPIC = 'compaction-table';
const LATENCY_TOPIC = 'compaction-latency';
const LATENCY_PARTITIONS = 6;
/** Keeps the cleaner off the updates while they are written (Kafka's min.compaction.lag.ms). */
const WRITE_PHASE_LAG_MS = 3_600_000;
const SCRAPE_INTERVAL_MS = 250;
/** After perf exits: how long a cleaner (throttled, on a loaded machine) may still take to finish. */
const CLEANING_FINISH_TIMEOUT_MS = 240_000;
/** Node's start-up, connections and the final acks on top of the latency run's duration. */
const PERF_SLACK_MS = 60_000;
/** perf counts each record as its value plus this much (packages/cli perf's recordsPerBatch). */
const PERF_RECORD_OVERHEAD_BYTES = 8;

/** A disabled cleaner's work. */
const NO_CLEANING: CleanerWork = {
  bytesRead: 0,
  bytesWritten: 0,
  cleans: 0,
  errors: 0,
  cleanSeconds: 0,
  throttledSeconds: 0,
  exact: true,
  finishedAtMs: undefined,
};

export interface BrokerCleaning extends CleanerWork {
  readonly nodeId: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export interface CompactionModeRun {
  readonly mode: CleanerMode;
  readonly round: number;
  /** Keys and values written to the compacted topic, and how fast (setup, not a figure of this benchmark). */
  readonly writtenBytes: number;
  readonly writeMs: number;
  readonly brokers: BrokerCleaning[];
  /** From the lag change until the last broker's cleaner was done; undefined when nothing was cleaned. */
  readonly cleaningWallMs: number | undefined;
  /** Share of the latency run during which some broker was cleaning (0 when disabled). */
  readonly latencyWindowCleaningShare: number;
  readonly latency: {
    readonly recordsPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly p999Ms: number;
    readonly acked: number;
  };
  /** CPU-seconds per wall second during the latency run (2 would be both cores of this machine). */
  readonly tribCores: number;
  readonly brokerCores: number;
  readonly loadAverage1m: number;
}

export interface CompactionRunContext {
  readonly cluster: Cluster;
  readonly mode: CleanerMode;
  readonly round: number;
  readonly options: CompactionBenchOptions;
  readonly ticksPerSecond: number;
}

function metricsAddresses(cluster: Cluster): string[] {
  return cluster.brokers.map((b) => {
    if (b.metricsAddress === null) throw new Error(`broker ${b.nodeId} serves no /metrics`);
    return b.metricsAddress;
  });
}

/** Scrapes every broker each SCRAPE_INTERVAL_MS until stopped; a failed scrape fails the run. */
class CleanerScraper {
  readonly samples: CleanerSample[][];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly addresses: readonly string[]) {
    this.samples = addresses.map(() => []);
    this.loop = this.run();
  }

  private async scrapeAll(): Promise<void> {
    const samples = await Promise.all(this.addresses.map((address) => scrapeCleaner(address)));
    samples.forEach((sample, index) => {
      this.samples[index]?.push(sample);
    });
  }

  private async run(): Promise<void> {
    await this.scrapeAll();
    while (!this.stopped) {
      await sleep(SCRAPE_INTERVAL_MS);
      await this.scrapeAll();
    }
  }

  /** Every broker finished at least one clean since the first scrape, and its totals stopped moving. */
  settled(): boolean {
    return this.samples.every((mine) => {
      const work = cleanerWork(mine);
      const last = mine[mine.length - 1];
      return work.finishedAtMs !== undefined && last !== undefined && last.atMs - work.finishedAtMs >= 1_000;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** Surfaces a failed scrape at once (the loop's rejection), without stopping it. */
  failed(): Promise<never> {
    return this.loop.then(() => new Promise<never>(() => undefined));
  }
}

function brokerTicks(cluster: Cluster): number {
  return cluster.brokers.reduce((sum, b) => {
    if (b.process.pid === undefined) throw new Error(`broker ${b.nodeId} is not running`);
    return sum + readProcCpuTicks(b.process.pid).selfTicks;
  }, 0);
}

function perfArgs(context: CompactionRunContext): string[] {
  const { options } = context;
  const messages = Math.ceil((options.latencyRecordsPerSecond * options.latencyDurationMs) / 1_000);
  const batchBytes =
    options.latencyBatchRecords * (options.latencyRecordSizeBytes + PERF_RECORD_OVERHEAD_BYTES);
  return [
    'perf',
    'produce',
    LATENCY_TOPIC,
    '--bootstrap',
    context.cluster.bootstrap.join(','),
    '--record-size',
    String(options.latencyRecordSizeBytes),
    '--acks',
    'all',
    '--throughput',
    String(options.latencyRecordsPerSecond),
    '--duration-ms',
    String(options.latencyDurationMs),
    '--messages',
    String(messages),
    '--batch-bytes',
    String(batchBytes),
  ];
}

/** Drops min.compaction.lag.ms to 0: from the cleaner's next look, every closed segment is cleanable. */
async function allowCleaning(cluster: Cluster): Promise<void> {
  const client = new TributaryClient({ bootstrap: cluster.bootstrap });
  try {
    await client.admin().alterTopicConfigs(COMPACTED_TOPIC, { set: { 'min.compaction.lag.ms': '0' } });
  } finally {
    client.close();
  }
}

function overlapMs(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
}

interface LatencyPhase {
  readonly perf: PerfProduceResult;
  readonly perfStartMs: number;
  readonly perfEndMs: number;
  readonly triggerMs: number;
  readonly brokerTicks: number;
  readonly tribTicks: number;
}

async function latencyPhase(context: CompactionRunContext): Promise<LatencyPhase> {
  const { cluster, options } = context;
  const ticksBefore = brokerTicks(cluster);
  const childrenBefore = readProcCpuTicks('self').childrenTicks;
  const perfStartMs = performance.now();
  const run = startTrib<PerfProduceResult>(perfArgs(context), {
    timeoutMs: options.latencyDurationMs + PERF_SLACK_MS,
  });
  // Awaited below; a failure before that (the lag change) must not leave perf's outcome unhandled.
  run.result.catch(() => undefined);
  await sleep(options.triggerAfterMs);
  const triggerMs = performance.now();
  await allowCleaning(cluster);
  const perf = await run.result;
  const perfEndMs = performance.now();
  if (perf.failed > 0 || perf.acked === 0) {
    throw new Error(`trib perf produce: ${perf.acked} acked, ${perf.failed} failed (${perf.lastError})`);
  }
  return {
    perf,
    perfStartMs,
    perfEndMs,
    triggerMs,
    brokerTicks: brokerTicks(cluster) - ticksBefore,
    tribTicks: readProcCpuTicks('self').childrenTicks - childrenBefore,
  };
}

async function waitForCleaning(scraper: CleanerScraper): Promise<void> {
  const deadline = performance.now() + CLEANING_FINISH_TIMEOUT_MS;
  const watching = (async (): Promise<void> => {
    while (!scraper.settled()) {
      if (performance.now() > deadline) throw new Error('the cleaners did not finish in time');
      await sleep(SCRAPE_INTERVAL_MS);
    }
  })();
  await Promise.race([watching, scraper.failed()]);
}

/** Creates the topics, writes the updates, then measures cleaning and produce latency together. */
export async function measureCleanerMode(context: CompactionRunContext): Promise<CompactionModeRun> {
  const { cluster, options } = context;
  await createConfiguredTopic(cluster, COMPACTED_TOPIC, 1, {
    'cleanup.policy': 'compact',
    'segment.bytes': String(options.segmentBytes),
    'min.compaction.lag.ms': String(WRITE_PHASE_LAG_MS),
  });
  await createConfiguredTopic(cluster, LATENCY_TOPIC, LATENCY_PARTITIONS, {});
  const writeStartMs = performance.now();
  const writtenBytes = await writeUpdates(cluster, COMPACTED_TOPIC, options);
  const writeMs = performance.now() - writeStartMs;
  const bytesBefore = await Promise.all(cluster.brokers.map((b) => replicaBytes(b, COMPACTED_TOPIC)));
  const loadAverage1m = loadavg()[0] ?? Number.NaN;
  // A disabled cleaner exports no tributary_log_cleaner_* series: nothing to scrape.
  const scraper = context.mode === 'disabled' ? undefined : new CleanerScraper(metricsAddresses(cluster));
  let phase: LatencyPhase;
  try {
    const measuring = latencyPhase(context);
    // When a scrape fails first, perf's own outcome is no longer awaited: keep it from going unhandled.
    measuring.catch(() => undefined);
    phase = await (scraper === undefined ? measuring : Promise.race([measuring, scraper.failed()]));
    if (scraper !== undefined) await waitForCleaning(scraper);
  } finally {
    await scraper?.stop();
  }
  const bytesAfter = await Promise.all(cluster.brokers.map((b) => replicaBytes(b, COMPACTED_TOPIC)));
  const brokers = cluster.brokers.map(
    (b, index): BrokerCleaning => ({
      nodeId: b.nodeId,
      ...(scraper === undefined ? NO_CLEANING : cleanerWork(scraper.samples[index] ?? [])),
      bytesBefore: bytesBefore[index] ?? 0,
      bytesAfter: bytesAfter[index] ?? 0,
    }),
  );
  const finishes = brokers.map((b) => b.finishedAtMs).filter((at): at is number => at !== undefined);
  const cleaningEndMs = finishes.length === 0 ? undefined : Math.max(...finishes);
  const perfWindow = [phase.perfStartMs, phase.perfEndMs] as const;
  const cleaningShare =
    cleaningEndMs === undefined
      ? 0
      : overlapMs(perfWindow, [phase.triggerMs, cleaningEndMs]) / (phase.perfEndMs - phase.perfStartMs);
  const wallMs = phase.perfEndMs - phase.perfStartMs;
  const cores = (ticks: number): number => ticksToMicros(ticks, context.ticksPerSecond) / 1_000 / wallMs;
  return {
    mode: context.mode,
    round: context.round,
    writtenBytes,
    writeMs,
    brokers,
    cleaningWallMs: cleaningEndMs === undefined ? undefined : cleaningEndMs - phase.triggerMs,
    latencyWindowCleaningShare: cleaningShare,
    latency: {
      recordsPerSecond: phase.perf.recordsPerSecond,
      p50Ms: phase.perf.p50Ms,
      p99Ms: phase.perf.p99Ms,
      p999Ms: phase.perf.p999Ms,
      acked: phase.perf.acked,
    },
    tribCores: cores(phase.tribTicks),
    brokerCores: cores(phase.brokerTicks),
    loadAverage1m,
  };
}
