#!/usr/bin/env node
/**
 * Compaction benchmark (issue 14): what the log cleaner does and what it costs producers. For each round,
 * and for each cleaner mode in an order that rotates per round, starts a fresh cluster of 3 controllers +
 * 3 brokers (real processes, each with /metrics) with that mode's cleaner flags, writes keyed updates to a
 * compacted RF=3 topic, then lets the cleaner loose while `trib perf produce` sends a fixed rate to another
 * topic. Reports the cleaner's MB/s from its own metrics, with and without the throttle, the replicas'
 * bytes before and after, and produce latency over the cleaner-disabled run of the same round.
 * Usage: node dist/compaction-bench.js [--rounds N] [--modes ...] [--json] (see --help)
 */
import { cpus, loadavg } from 'node:os';
import { runOrder } from './client/produce-variants.js';
import {
  errorMessage,
  type RunningCluster,
  runBenchMain,
  runClusterBench,
  startWithRetry,
} from './cluster-helpers.js';
import { type CompactionModeRun, measureCleanerMode } from './compaction/mode-run.js';
import {
  type CleanerMode,
  COMPACTION_BENCH_USAGE,
  type CompactionBenchOptions,
  parseCompactionBenchArgs,
} from './compaction/options.js';
import { formatCompactionBenchSummary, summarizeCompactionBench } from './compaction/report.js';
import { startCleanerCluster } from './compaction/setup.js';
import { clockTicksPerSecond } from './kafka/proc-cpu.js';
import { round } from './stats.js';

/** Cluster start and stop, topic creation and Node's start-ups, per mode and round. */
const MODE_OVERHEAD_TIMEOUT_MS = 90_000;
/** The writes and the cleaning after perf (mode-run's own bound), per mode and round. */
const MODE_WORK_TIMEOUT_MS = 360_000;

function progress(line: string): void {
  process.stderr.write(`[compaction-bench] ${line}\n`);
}

function benchTimeoutMs(options: CompactionBenchOptions): number {
  const perMode = MODE_OVERHEAD_TIMEOUT_MS + MODE_WORK_TIMEOUT_MS + options.latencyDurationMs;
  return perMode * options.modes.length * options.rounds;
}

function formatRun(run: CompactionModeRun): string {
  const brokers = run.brokers
    .map(
      (b) =>
        `b${b.nodeId} read ${round(b.bytesRead / 1_048_576, 1)} MB in ${round(b.cleanSeconds, 2)} s ` +
        `(${b.cleans} cleans, throttled ${round(b.throttledSeconds, 2)} s), ` +
        `${round(b.bytesBefore / 1_048_576, 1)} → ${round(b.bytesAfter / 1_048_576, 1)} MB`,
    )
    .join('; ');
  return (
    `round ${run.round} ${run.mode}: p50 ${run.latency.p50Ms} ms p99 ${run.latency.p99Ms} ms at ` +
    `${round(run.latency.recordsPerSecond, 0)} records/s; trib ${round(run.tribCores, 2)} cores, brokers ` +
    `${round(run.brokerCores, 2)} cores; ${brokers}`
  );
}

async function runMode(
  mode: CleanerMode,
  roundNumber: number,
  options: CompactionBenchOptions,
  running: RunningCluster,
): Promise<CompactionModeRun> {
  progress(`round ${roundNumber}: starting a cluster (cleaner ${mode}) of 3 controllers + 3 brokers`);
  running.cluster = await startWithRetry(() => startCleanerCluster(mode, options), progress);
  try {
    return await measureCleanerMode({
      cluster: running.cluster,
      mode,
      round: roundNumber,
      options,
      ticksPerSecond: clockTicksPerSecond(),
    });
  } finally {
    await running.cluster.stop();
    running.cluster = undefined;
  }
}

async function measure(options: CompactionBenchOptions, running: RunningCluster): Promise<number> {
  const startMs = performance.now();
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));
  const runs: CompactionModeRun[] = [];
  const errors: string[] = [];
  for (let index = 0; index < options.rounds; index++) {
    for (const mode of runOrder(options.modes, index)) {
      try {
        const run = await runMode(mode, index + 1, options, running);
        runs.push(run);
        progress(formatRun(run));
      } catch (error) {
        errors.push(`round ${index + 1} ${mode}: ${errorMessage(error)}`);
        progress(`round ${index + 1} ${mode} failed: ${errorMessage(error)}`);
      }
    }
  }
  const summary = summarizeCompactionBench(runs, options.modes, options.throttleBytesPerSecond, errors);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
  };
  const { json: _json, ...config } = options;
  const header =
    `Tributary log compaction: 3 controllers + 3 brokers per mode and round, RF=3; ${options.updates} updates ` +
    `of ${options.valueBytes}-byte values over ${options.keys} keys, segment.bytes ${options.segmentBytes}; ` +
    `latency: trib perf produce ${options.latencyRecordsPerSecond} records/s of ${options.latencyRecordSizeBytes} ` +
    `bytes, acks=all, for ${options.latencyDurationMs} ms, the cleaner let loose after ${options.triggerAfterMs} ms\n` +
    `  ${machine.cpus} × ${machine.cpuModel}; load average at start ${machine.loadAverageAtStart.join(' ')}, ` +
    `at end ${machine.loadAverageAtEnd.join(' ')}`;
  const report = { config, machine, summary, runs, totalMs: round(performance.now() - startMs, 0) };
  process.stdout.write(
    `${options.json ? JSON.stringify(report) : formatCompactionBenchSummary(summary, header)}\n`,
  );
  return errors.length === 0 ? 0 : 1;
}

runBenchMain('compaction-bench', () =>
  runClusterBench({
    name: 'compaction-bench',
    usage: COMPACTION_BENCH_USAGE,
    parse: parseCompactionBenchArgs,
    timeoutMs: benchTimeoutMs,
    measure,
  }),
);
