#!/usr/bin/env node
/**
 * Security benchmark (issue 13, DESIGN §10): what TLS + SCRAM + ACLs cost a producer. For each round, and
 * for each mode in an order that rotates per round, starts a fresh cluster of 3 controllers + 3 brokers
 * (real processes) with that mode's settings (plaintext, TLS only, TLS + SCRAM + the standard authorizer),
 * creates the same 6-partition RF=3 topics and runs the real `trib perf produce` as a user would (1 KiB
 * records, acks=all, idempotent): at a target rate far above what the cluster sustains, then at a fixed
 * moderate rate for latency. Reports per mode the medians, and each round's records/s over plaintext's.
 * Usage: node dist/security-bench.js [--rounds N] [--modes plaintext,tls,secure] [--json] (see --help)
 */
import { cpus, loadavg } from 'node:os';
import { makeTestCerts, type TestCerts } from '@tributary/protocol/dev-certs';
import type { Cluster } from '@tributary/testkit';
import { runOrder } from './client/produce-variants.js';
import { errorMessage, runBenchMain } from './cluster-helpers.js';
import { clockTicksPerSecond } from './kafka/proc-cpu.js';
import { type ModeRun, measureMode } from './security/mode-run.js';
import { startModeCluster } from './security/modes.js';
import {
  parseSecurityBenchArgs,
  SECURITY_BENCH_USAGE,
  type SecurityBenchOptions,
  type SecurityMode,
} from './security/options.js';
import { formatSecurityBenchSummary, summarizeSecurityBench } from './security/report.js';
import { round } from './stats.js';

/** Cluster start and stop, topic creation, the user and ACLs, Node's start-ups: per mode and round. */
const MODE_OVERHEAD_TIMEOUT_MS = 90_000;

function progress(line: string): void {
  process.stderr.write(`[security-bench] ${line}\n`);
}

function benchTimeoutMs(options: SecurityBenchOptions): number {
  const perMode =
    MODE_OVERHEAD_TIMEOUT_MS +
    options.warmUpDurationMs +
    options.throughputDurationMs +
    options.latencyDurationMs;
  return perMode * options.modes.length * options.rounds;
}

function formatRun(run: ModeRun): string {
  const t = run.throughput;
  const l = run.latency;
  return (
    `round ${run.round} ${run.mode}: ${round(t.recordsPerSecond, 0)} records/s (${round(t.mbPerSecond, 1)} MB/s), ` +
    `p50 ${t.p50Ms} ms, p99 ${t.p99Ms} ms; trib ${round(t.tribCores, 2)} cores, brokers ${round(t.brokerCores, 2)} ` +
    `cores (${round(t.brokerCpuUsPerRecord, 1)} µs/record), load ${round(t.loadAverage1m, 2)}; ` +
    `latency run ${round(l.recordsPerSecond, 0)} records/s p50 ${l.p50Ms} ms p99 ${l.p99Ms} ms`
  );
}

interface Running {
  cluster: Cluster | undefined;
}

/** One mode of one round on its own cluster, which is always stopped before the next starts. */
async function runMode(
  mode: SecurityMode,
  roundNumber: number,
  certs: TestCerts,
  options: SecurityBenchOptions,
  running: Running,
): Promise<ModeRun> {
  progress(`round ${roundNumber}: starting a ${mode} cluster of 3 controllers + 3 brokers`);
  running.cluster = await startModeCluster(mode, certs.main);
  try {
    return await measureMode({
      cluster: running.cluster,
      mode,
      round: roundNumber,
      certs: certs.main,
      options,
      ticksPerSecond: clockTicksPerSecond(),
    });
  } finally {
    await running.cluster.stop();
    running.cluster = undefined;
  }
}

async function measure(options: SecurityBenchOptions, certs: TestCerts, running: Running): Promise<number> {
  const startMs = performance.now();
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));
  const runs: ModeRun[] = [];
  const errors: string[] = [];
  for (let index = 0; index < options.rounds; index++) {
    for (const mode of runOrder(options.modes, index)) {
      try {
        const run = await runMode(mode, index + 1, certs, options, running);
        runs.push(run);
        progress(formatRun(run));
      } catch (error) {
        errors.push(`round ${index + 1} ${mode}: ${errorMessage(error)}`);
        progress(`round ${index + 1} ${mode} failed: ${errorMessage(error)}`);
      }
    }
  }
  const summary = summarizeSecurityBench(runs, options.modes, errors);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
  };
  const { json: _json, ...config } = options;
  const header =
    `Tributary security tax: 3 controllers + 3 brokers per mode and round, RF=3, ${options.partitions} partitions, ` +
    `${options.recordSizeBytes}-byte values, acks=all, idempotent; throughput: ${options.producers} × trib perf ` +
    `produce at ${options.targetRecordsPerSecond} records/s in total for ${options.throughputDurationMs} ms; latency: ` +
    `${options.latencyRecordsPerSecond} records/s in batches of ${options.latencyBatchRecords} for ${options.latencyDurationMs} ms\n` +
    `  ${machine.cpus} × ${machine.cpuModel}; load average at start ${machine.loadAverageAtStart.join(' ')}, ` +
    `at end ${machine.loadAverageAtEnd.join(' ')}`;
  const report = { config, machine, summary, runs, totalMs: round(performance.now() - startMs, 0) };
  process.stdout.write(
    `${options.json ? JSON.stringify(report) : formatSecurityBenchSummary(summary, header)}\n`,
  );
  return errors.length === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  let options: SecurityBenchOptions | 'help';
  try {
    options = parseSecurityBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${SECURITY_BENCH_USAGE}\n`);
    return 0;
  }
  const certs = await makeTestCerts({ nodes: 6 });
  const running: Running = { cluster: undefined };
  const timeoutMs = benchTimeoutMs(options);
  const watchdog = setTimeout(() => {
    progress(`timed out after ${timeoutMs} ms; stopping the cluster`);
    void (running.cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
  }, timeoutMs);
  try {
    return await measure(options, certs, running);
  } finally {
    clearTimeout(watchdog);
    await running.cluster?.stop();
    await certs.remove();
  }
}

runBenchMain('security-bench', main);
