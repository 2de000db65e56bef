#!/usr/bin/env node
/**
 * Client benchmark (issue 4): starts 3 real controllers + 3 real brokers on 127.0.0.1 (RF=3, acks=all,
 * 100-byte records) and reports the median of N runs of (1) `trib perf produce` throughput per producer
 * variant — no compression + idempotent (the baseline), without idempotence, gzip, lz4 — and (2) consumer-
 * group catch-up: K in-process group members reading M records from the beginning and committing them,
 * against the non-group `trib perf consume` on the same topic.
 * Usage: node dist/client-bench.js [--runs N] [--messages M] [--members 1,3] [--json] (see --help)
 */
import { startCluster } from '@tributary/testkit';
import { type GroupPhaseReport, groupPhase } from './client/group-phase.js';
import { CLIENT_BENCH_USAGE, type ClientBenchOptions, parseClientBenchArgs } from './client/options.js';
import { PRODUCE_VARIANTS, produceVariantsPhase, type VariantReport } from './client/produce-variants.js';
import { runTimeoutMs } from './client/timeouts.js';
import { errorMessage, runBenchMain } from './cluster-helpers.js';
import { round, type Series } from './stats.js';

/** Cluster start, topic creation and shutdown on top of the runs' own bounds. */
const BENCH_OVERHEAD_TIMEOUT_MS = 120_000;

interface ClientBenchReport {
  readonly config: Omit<ClientBenchOptions, 'json' | 'valuePool'> & {
    /** null: perf's default pool (64 values). */
    readonly valuePool: number | null;
    readonly brokers: 3;
    readonly replicationFactor: 3;
    readonly recordSizeBytes: 100;
    readonly acks: 'all';
  };
  readonly produce?: VariantReport[];
  readonly groups?: GroupPhaseReport;
  readonly totalMs: number;
}

function progress(line: string): void {
  process.stderr.write(`[client-bench] ${line}\n`);
}

/** Every run's own bound, summed: the whole benchmark cannot outlive it. */
function benchTimeoutMs(options: ClientBenchOptions): number {
  const perRun = runTimeoutMs(options.messages);
  const produceRuns = options.skipProduce ? 0 : (options.runs + 1) * PRODUCE_VARIANTS.length;
  const groupRuns = options.skipGroups ? 0 : options.runs * (2 + options.members.length);
  return BENCH_OVERHEAD_TIMEOUT_MS + perRun * (produceRuns + groupRuns);
}

function runs(s: Series, unit = ''): string {
  return `${s.median}${unit} (runs: ${s.runs.join(', ')})`;
}

function summary(report: ClientBenchReport): string {
  const c = report.config;
  const lines = [
    `Tributary client benchmark: 3 controllers + 3 brokers, RF=3, acks=all, 100-byte records, ` +
      `${c.partitions} partitions, ${c.messages} records per run, value pool ${c.valuePool ?? 'perf default (64)'}`,
  ];
  for (const v of report.produce ?? []) {
    lines.push(
      `  produce [${v.variant}]: ${runs(v.recordsPerSecond, ' records/s')}; x${v.ratioToBaseline} of baseline`,
      `    MB/s ${runs(v.mbPerSecond)}; batch p50 ${runs(v.p50Ms, ' ms')}; p99 ${runs(v.p99Ms, ' ms')}; failed ${runs(v.failed)}`,
    );
    for (const error of v.runErrors) lines.push(`    error: ${error}`);
  }
  const g = report.groups;
  if (g !== undefined) {
    lines.push(
      `  catch-up of ${g.records} records, perf consume (no group): ${runs(g.baseline.recordsPerSecond, ' records/s')}`,
    );
    for (const error of [...g.runErrors, ...g.baseline.runErrors]) lines.push(`    error: ${error}`);
    for (const k of g.groups) {
      lines.push(
        `  catch-up, group of ${k.members}: ${runs(k.recordsPerSecond, ' records/s')}; x${k.ratioToBaseline} of perf consume`,
        `    first batch after ${runs(k.firstBatchMs, ' ms')}; handled in ${runs(k.handledMs, ' ms')}; committed+left in ${runs(k.committedMs, ' ms')}; ` +
          `redelivered ${k.redelivered.join(', ')}; all committed ${k.allCommitted.join(', ')}`,
      );
      for (const error of k.runErrors) lines.push(`    error: ${error}`);
    }
  }
  lines.push(`  total ${round(report.totalMs / 1_000, 1)} s`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  let options: ClientBenchOptions | 'help';
  try {
    options = parseClientBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${CLIENT_BENCH_USAGE}\n`);
    return 0;
  }
  const startMs = performance.now();
  progress('starting 3 controllers + 3 brokers');
  const cluster = await startCluster({ brokers: 3, logLevel: 'warn' });
  const timeoutMs = benchTimeoutMs(options);
  const watchdog = setTimeout(() => {
    progress(`timed out after ${timeoutMs} ms; stopping the cluster`);
    void cluster.stop().finally(() => process.exit(1));
  }, timeoutMs);
  try {
    const { json: _json, ...config } = options;
    const produce = options.skipProduce ? undefined : await produceVariantsPhase(cluster, options, progress);
    const groups = options.skipGroups ? undefined : await groupPhase(cluster, options, progress);
    const report: ClientBenchReport = {
      config: {
        ...config,
        valuePool: options.valuePool ?? null,
        brokers: 3,
        replicationFactor: 3,
        recordSizeBytes: 100,
        acks: 'all',
      },
      ...(produce === undefined ? {} : { produce }),
      ...(groups === undefined ? {} : { groups }),
      totalMs: round(performance.now() - startMs, 0),
    };
    process.stdout.write(`${options.json ? JSON.stringify(report) : summary(report)}\n`);
    return 0;
  } finally {
    clearTimeout(watchdog);
    await cluster.stop();
  }
}

runBenchMain('client-bench', main);
