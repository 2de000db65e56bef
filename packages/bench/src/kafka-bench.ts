#!/usr/bin/env node
/**
 * Kafka listener vs gRPC benchmark (issue 12, DESIGN §8/§9): starts 3 real controllers + 3 real brokers, each
 * broker with a Kafka listener, and in each run produces M records of 100 bytes (null keys, acks=all, RF=3,
 * 6 partitions, a fresh topic per path) once through kcat (librdkafka) on the Kafka listener and once
 * through `trib perf produce` on the gRPC API, the order alternating between runs. Reports records/s and the
 * brokers' CPU per record of each path, the tools' and controllers' CPU, and the Kafka/gRPC ratios; every
 * run's stored record counts are checked against what was sent.
 * Usage: node dist/kafka-bench.js [--runs N] [--records M] [--json] (see --help)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Cluster, startCluster } from '@tributary/testkit';
import { runOrder } from './client/produce-variants.js';
import { runTimeoutMs } from './client/timeouts.js';
import { errorMessage, runBenchMain } from './cluster-helpers.js';
import { writeRecordFile } from './kafka/input-file.js';
import { kcatPath, kcatProperties } from './kafka/kcat-run.js';
import { KAFKA_BENCH_USAGE, type KafkaBenchOptions, parseKafkaBenchArgs } from './kafka/options.js';
import { measurePath, type PathRunContext } from './kafka/path-run.js';
import { clockTicksPerSecond } from './kafka/proc-cpu.js';
import { profileRun } from './kafka/profile.js';
import {
  type BenchSummary,
  formatRun,
  formatSummary,
  PRODUCE_PATHS,
  type RunRecord,
  summarize,
} from './kafka/report.js';
import { round } from './stats.js';

const RECORD_SIZE_BYTES = 100;
/** Records each path sends once before the timed runs (JIT in the brokers, connections, producer ids). */
const WARM_UP_RECORDS = 100_000;
/** Cluster start, input file, topic creation, checks and shutdown on top of the runs' own bounds. */
const BENCH_OVERHEAD_TIMEOUT_MS = 180_000;
const KCAT_VERSION_TIMEOUT_MS = 5_000;

interface KafkaBenchReport {
  readonly config: Omit<KafkaBenchOptions, 'json' | 'profileDir' | 'profilePath'> & {
    readonly brokers: 3;
    readonly controllers: 3;
    readonly replicationFactor: 3;
    readonly recordSizeBytes: typeof RECORD_SIZE_BYTES;
    readonly keys: 'null';
    readonly kcat: { readonly version: string; readonly properties: Record<string, string> };
    readonly grpc: string;
  };
  readonly machine: {
    readonly cpus: number;
    readonly loadAverageAtStart: number[];
    readonly loadAverageAtEnd: number[];
  };
  readonly summary: BenchSummary;
  readonly runs: RunRecord[];
  readonly totalMs: number;
}

function progress(line: string): void {
  process.stderr.write(`[kafka-bench] ${line}\n`);
}

function kcatVersion(): string {
  try {
    const out = execFileSync(kcatPath(), ['-V'], { encoding: 'utf8', timeout: KCAT_VERSION_TIMEOUT_MS });
    return /Version\s+\S+\s+\([^)]*librdkafka\s+[\d.]+/.exec(out)?.[0] ?? out.split('\n')[0] ?? 'unknown';
  } catch (error) {
    return `unknown (${errorMessage(error)})`;
  }
}

/** One untimed produce per path, so neither path pays for the brokers' JIT or first connections. */
async function warmUp(context: PathRunContext, records: number): Promise<string[]> {
  const errors: string[] = [];
  for (const path of PRODUCE_PATHS) {
    try {
      const result = await measurePath(context, path, `${path}-warmup`, records);
      progress(`warm-up ${formatRun(result)}`);
      errors.push(...result.check.problems.map((p) => `warm-up ${path}: ${p}`));
    } catch (error) {
      errors.push(`warm-up ${path}: ${errorMessage(error)}`);
      progress(`warm-up ${path} failed: ${errorMessage(error)}`);
    }
  }
  return errors;
}

async function measuredRuns(context: PathRunContext, options: KafkaBenchOptions): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (let run = 0; run < options.runs; run++) {
    const order = runOrder(PRODUCE_PATHS, run);
    const record: RunRecord = { run: run + 1, order, results: {}, errors: [] };
    for (const path of order) {
      try {
        const result = await measurePath(context, path, `${path}-r${run + 1}`, options.records);
        record.results[path] = result;
        progress(`run ${run + 1}/${options.runs} ${formatRun(result)}`);
      } catch (error) {
        record.errors.push(`${path}: ${errorMessage(error)}`);
        progress(`run ${run + 1}/${options.runs} ${path} failed: ${errorMessage(error)}`);
      }
    }
    records.push(record);
  }
  return records;
}

function header(report: Omit<KafkaBenchReport, 'summary' | 'runs' | 'totalMs'>): string {
  const c = report.config;
  return (
    `Tributary Kafka listener vs gRPC: 3 controllers + 3 brokers, RF=3, acks=all, ${c.recordSizeBytes}-byte values, ` +
    `null keys, ${c.partitions} partitions, ${c.records} records per path per run, idempotent ${c.idempotent}\n` +
    `  kcat: ${c.kcat.version}, -X ${Object.entries(c.kcat.properties)
      .map(([k, v]) => `${k}=${v}`)
      .join(' -X ')}, the rest librdkafka's defaults; gRPC: ${c.grpc}\n` +
    `  ${report.machine.cpus} CPUs; load average at start ${report.machine.loadAverageAtStart.join(' ')}, ` +
    `at end ${report.machine.loadAverageAtEnd.join(' ')}`
  );
}

function benchTimeoutMs(options: KafkaBenchOptions): number {
  return (
    BENCH_OVERHEAD_TIMEOUT_MS + runTimeoutMs(options.records) * PRODUCE_PATHS.length * (options.runs + 1)
  );
}

async function measure(cluster: Cluster, options: KafkaBenchOptions, inputFile: string): Promise<number> {
  const startMs = performance.now();
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));
  const context: PathRunContext = {
    cluster,
    partitions: options.partitions,
    idempotent: options.idempotent,
    kafkaBatchRecords: options.kafkaBatchRecords,
    inputFile,
    ticksPerSecond: clockTicksPerSecond(),
    timeoutMs: runTimeoutMs(options.records),
  };
  const warmUpErrors = await warmUp(context, Math.min(WARM_UP_RECORDS, options.records));
  const runs = await measuredRuns(context, options);
  const { json: _json, profileDir: _profileDir, profilePath: _profilePath, ...config } = options;
  const partial = {
    config: {
      ...config,
      brokers: 3,
      controllers: 3,
      replicationFactor: 3,
      recordSizeBytes: RECORD_SIZE_BYTES,
      keys: 'null',
      kcat: {
        version: kcatVersion(),
        properties: kcatProperties({
          idempotent: options.idempotent,
          batchRecords: options.kafkaBatchRecords,
        }),
      },
      grpc: `trib perf produce TOPIC --messages ${options.records} --record-size ${RECORD_SIZE_BYTES} --acks all${options.idempotent ? '' : ' --no-idempotence'}`,
    },
    machine: { cpus: cpus().length, loadAverageAtStart, loadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
  } as const;
  const summary = summarize(runs);
  const withWarmUp: BenchSummary = { ...summary, errors: [...warmUpErrors, ...summary.errors] };
  const report: KafkaBenchReport = {
    ...partial,
    summary: withWarmUp,
    runs,
    totalMs: round(performance.now() - startMs, 0),
  };
  process.stdout.write(
    `${options.json ? JSON.stringify(report) : formatSummary(withWarmUp, header(partial))}\n`,
  );
  return withWarmUp.errors.length === 0 ? 0 : 1;
}

/** Puts every broker under node --cpu-prof (Node refuses it in NODE_OPTIONS) through the profiling wrapper bin. */
function useProfiledBrokers(profileDir: string): () => void {
  // BrokerProcess reads TRIBUTARY_BROKER_BIN when startCluster constructs it.
  process.env.TRIBUTARY_BROKER_BIN = fileURLToPath(new URL('./broker/profiled-broker.js', import.meta.url));
  process.env.TRIBUTARY_PROFILE_DIR = profileDir;
  return () => {
    delete process.env.TRIBUTARY_BROKER_BIN;
    delete process.env.TRIBUTARY_PROFILE_DIR;
  };
}

async function main(): Promise<number> {
  let options: KafkaBenchOptions | 'help';
  try {
    options = parseKafkaBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${KAFKA_BENCH_USAGE}\n`);
    return 0;
  }
  kcatPath();
  const dir = await mkdtemp(join(tmpdir(), 'tributary-kafka-bench-'));
  let cluster: Cluster | undefined;
  const timeoutMs = benchTimeoutMs(options);
  const watchdog = setTimeout(() => {
    progress(`timed out after ${timeoutMs} ms; stopping the cluster`);
    void (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
  }, timeoutMs);
  try {
    const inputFile = join(dir, 'values.txt');
    const fileStartMs = performance.now();
    await writeRecordFile(inputFile, {
      seed: options.seed,
      count: options.records,
      valueBytes: RECORD_SIZE_BYTES,
    });
    progress(
      `wrote ${options.records} values to ${inputFile} in ${round(performance.now() - fileStartMs, 0)} ms`,
    );
    const profileDir = options.profileDir === undefined ? undefined : resolve(options.profileDir);
    const restoreEnv = profileDir === undefined ? undefined : useProfiledBrokers(profileDir);
    progress('starting 3 controllers + 3 brokers with Kafka listeners');
    try {
      cluster = await startCluster({ brokers: 3, kafka: true, logLevel: 'warn' });
    } finally {
      restoreEnv?.();
    }
    if (profileDir !== undefined) {
      await profileRun({ cluster, options, inputFile, profileDir, progress });
      return 0;
    }
    return await measure(cluster, options, inputFile);
  } finally {
    clearTimeout(watchdog);
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchMain('kafka-bench', main);
