#!/usr/bin/env node
/**
 * Durability benchmark (issue 16 item 2, DESIGN §8: `--durability fsync` should cost at most 20% of
 * throughput): on ONE cluster of 3 controllers + 3 brokers (real processes), each round measures both modes
 * in an order that alternates per round, on fresh topics with flush.on.ack=false (replication-only, Kafka's
 * acks=all) and flush.on.ack=true (what --durability fsync makes every topic's default). One cluster for
 * both keeps the comparison in the same run on the same processes, which matters on a shared, noisy
 * machine. Each measurement runs the real `trib perf produce`: at a target rate far above what the cluster
 * sustains (throughput), then one record per call at a fixed moderate rate (latency).
 * Usage: node dist/durability-bench.js [--rounds N] [--record-size B] [--json] (see --help)
 */
import { cpus, loadavg } from 'node:os';
import { startCluster } from '@tributary/testkit';
import type { RunningCluster } from './cluster-helpers.js';
import { errorMessage, runBenchMain, runClusterBench, startWithRetry } from './cluster-helpers.js';
import { measureDurabilityMode } from './durability/mode-run.js';
import {
  DURABILITY_BENCH_USAGE,
  type DurabilityBenchOptions,
  modeOrder,
  parseDurabilityBenchArgs,
} from './durability/options.js';
import {
  type DurabilityRun,
  formatDurabilityBenchSummary,
  summarizeDurabilityBench,
} from './durability/report.js';
import { round } from './stats.js';

/** Cluster start and stop, and per mode and round the topics and Node's start-ups. */
const OVERHEAD_TIMEOUT_MS = 120_000;
const PER_MODE_OVERHEAD_MS = 60_000;

function progress(line: string): void {
  process.stderr.write(`[durability-bench] ${line}\n`);
}

function timeoutMs(options: DurabilityBenchOptions): number {
  const perMode =
    PER_MODE_OVERHEAD_MS +
    options.warmUpDurationMs +
    options.throughputDurationMs +
    options.latencyDurationMs;
  return OVERHEAD_TIMEOUT_MS + perMode * 2 * options.rounds;
}

function formatRun(run: DurabilityRun): string {
  const t = run.throughput;
  const l = run.latency;
  return (
    `round ${run.round} ${run.mode}: ${round(t.recordsPerSecond, 0)} records/s p50 ${t.p50Ms} ms p99 ${t.p99Ms} ms ` +
    `(load ${round(t.loadAverage1m, 2)}); latency run ${round(l.recordsPerSecond, 0)} records/s ` +
    `p50 ${l.p50Ms} ms p99 ${l.p99Ms} ms (load ${round(l.loadAverage1m, 2)})`
  );
}

async function measure(options: DurabilityBenchOptions, running: RunningCluster): Promise<number> {
  const startMs = performance.now();
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));
  progress('starting 3 controllers + 3 brokers');
  const cluster = await startWithRetry(() => startCluster({ brokers: 3, logLevel: 'warn' }), progress);
  running.cluster = cluster;
  const runs: DurabilityRun[] = [];
  const errors: string[] = [];
  for (let index = 0; index < options.rounds; index++) {
    for (const mode of modeOrder(index)) {
      try {
        const run = await measureDurabilityMode({ cluster, mode, round: index + 1, options });
        runs.push(run);
        progress(formatRun(run));
      } catch (error) {
        errors.push(`round ${index + 1} ${mode}: ${errorMessage(error)}`);
        progress(`round ${index + 1} ${mode} failed: ${errorMessage(error)}`);
      }
    }
  }
  const summary = summarizeDurabilityBench(runs, errors);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
  };
  const { json: _json, ...config } = options;
  const header =
    `Tributary durability modes: one cluster of 3 controllers + 3 brokers, RF=3, ${options.partitions} partitions ` +
    `per topic, ${options.recordSizeBytes}-byte values, acks=all, idempotent, ${options.rounds} rounds alternating ` +
    `the order; throughput: trib perf produce at ${options.targetRecordsPerSecond} records/s for ` +
    `${options.throughputDurationMs} ms; latency: ${options.latencyRecordsPerSecond} records/s, one per call, for ` +
    `${options.latencyDurationMs} ms\n` +
    `  ${machine.cpus} × ${machine.cpuModel}; load average at start ${machine.loadAverageAtStart.join(' ')}, ` +
    `at end ${machine.loadAverageAtEnd.join(' ')}`;
  const report = { config, machine, summary, runs, totalMs: round(performance.now() - startMs, 0) };
  process.stdout.write(
    `${options.json ? JSON.stringify(report) : formatDurabilityBenchSummary(summary, header)}\n`,
  );
  return errors.length === 0 ? 0 : 1;
}

runBenchMain('durability-bench', () =>
  runClusterBench({
    name: 'durability-bench',
    usage: DURABILITY_BENCH_USAGE,
    parse: parseDurabilityBenchArgs,
    timeoutMs,
    measure,
  }),
);
