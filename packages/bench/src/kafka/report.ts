/**
 * The Kafka-listener benchmark's report (pure): per path the median of each figure over the runs, the
 * Kafka/gRPC ratio of each run (both paths measured minutes apart on one cluster, so the shared machine's
 * noise hits them alike) and its median, and the DESIGN §8 target: the Kafka listener costs the brokers no
 * more CPU per record than the gRPC API. A run whose stored counts do not match what was sent is left out
 * of every figure and reported as an error.
 */
import { round, type Series, series } from '../stats.js';
import type { ProducePath } from './options.js';
import type { PathRun } from './path-run.js';

export const PRODUCE_PATHS: readonly ProducePath[] = ['kafka', 'grpc'];

export interface RunRecord {
  /** 1-based. */
  readonly run: number;
  readonly order: readonly ProducePath[];
  readonly results: Partial<Record<ProducePath, PathRun>>;
  readonly errors: string[];
}

export interface PathSummary {
  readonly runs: number;
  readonly recordsPerSecond: Series;
  readonly wallRecordsPerSecond: Series;
  readonly brokerCpuUsPerRecord: Series;
  /** Less the brokers' idle CPU over the same time (see PathRun). */
  readonly netBrokerCpuUsPerRecord: Series;
  /** The idle brokers' CPU just before each run, in cores. */
  readonly idleBrokerCores: Series;
  readonly toolCpuUsPerRecord: Series;
  readonly controllerCpuUsPerRecord: Series;
  readonly brokerCores: Series;
  readonly toolCores: Series;
  readonly recordsPerBatch: Series;
  readonly loadAverage1m: Series;
}

export interface KafkaVsGrpc {
  /** Kafka / gRPC, per run where both paths passed their checks. */
  readonly recordsPerSecond: Series;
  readonly brokerCpuUsPerRecord: Series;
  readonly netBrokerCpuUsPerRecord: Series;
}

export interface BenchSummary {
  readonly paths: Record<ProducePath, PathSummary>;
  readonly ratios: KafkaVsGrpc;
  readonly target: {
    readonly brokerCpuPerRecordRatioMax: 1;
    readonly measured: number;
    readonly met: boolean;
  };
  readonly errors: string[];
}

/** A run's result for one path, if it ran and its counts matched. */
function passed(record: RunRecord, path: ProducePath): PathRun | undefined {
  const result = record.results[path];
  return result !== undefined && result.check.problems.length === 0 ? result : undefined;
}

function summarizePath(records: readonly RunRecord[], path: ProducePath): PathSummary {
  const runs = records.flatMap((record) => {
    const result = passed(record, path);
    return result === undefined ? [] : [result];
  });
  const of = (pick: (run: PathRun) => number, digits: number): Series => series(runs.map(pick), digits);
  return {
    runs: runs.length,
    recordsPerSecond: of((r) => r.recordsPerSecond, 0),
    wallRecordsPerSecond: of((r) => r.wallRecordsPerSecond, 0),
    brokerCpuUsPerRecord: of((r) => r.brokerCpuUsPerRecord, 3),
    netBrokerCpuUsPerRecord: of((r) => r.netBrokerCpuUsPerRecord, 3),
    idleBrokerCores: of((r) => r.idleBrokerCpuUsPerSecond / 1e6, 3),
    toolCpuUsPerRecord: of((r) => r.toolCpuUsPerRecord, 3),
    controllerCpuUsPerRecord: of((r) => r.controllerCpuUs / r.records, 3),
    brokerCores: of((r) => r.brokerCores, 2),
    toolCores: of((r) => r.toolCores, 2),
    recordsPerBatch: of(
      (r) => (r.check.log.batches === 0 ? Number.NaN : r.check.log.records / r.check.log.batches),
      0,
    ),
    loadAverage1m: of((r) => r.loadAverage1m, 2),
  };
}

function ratios(records: readonly RunRecord[]): KafkaVsGrpc {
  const pairs = records.flatMap((record) => {
    const kafka = passed(record, 'kafka');
    const grpc = passed(record, 'grpc');
    return kafka === undefined || grpc === undefined ? [] : [{ kafka, grpc }];
  });
  return {
    recordsPerSecond: series(
      pairs.map((p) => p.kafka.recordsPerSecond / p.grpc.recordsPerSecond),
      3,
    ),
    brokerCpuUsPerRecord: series(
      pairs.map((p) => p.kafka.brokerCpuUsPerRecord / p.grpc.brokerCpuUsPerRecord),
      3,
    ),
    netBrokerCpuUsPerRecord: series(
      pairs.map((p) => p.kafka.netBrokerCpuUsPerRecord / p.grpc.netBrokerCpuUsPerRecord),
      3,
    ),
  };
}

export function summarize(records: readonly RunRecord[]): BenchSummary {
  const errors = records.flatMap((record) => [
    ...record.errors.map((e) => `run ${record.run}: ${e}`),
    ...PRODUCE_PATHS.flatMap((path) =>
      (record.results[path]?.check.problems ?? []).map((p) => `run ${record.run} ${path}: ${p}`),
    ),
  ]);
  const kafkaVsGrpc = ratios(records);
  // Judged net of idle: the brokers' background CPU over a longer run is not a cost of its path.
  const measured = kafkaVsGrpc.netBrokerCpuUsPerRecord.median;
  return {
    paths: { kafka: summarizePath(records, 'kafka'), grpc: summarizePath(records, 'grpc') },
    ratios: kafkaVsGrpc,
    target: { brokerCpuPerRecordRatioMax: 1, measured, met: Number.isFinite(measured) && measured <= 1 },
    errors,
  };
}

function runs(s: Series, unit = ''): string {
  return `${s.median}${unit} (runs: ${s.runs.join(', ')})`;
}

const PATH_TITLES: Record<ProducePath, string> = {
  kafka: 'Kafka listener, kcat -P (librdkafka)',
  grpc: 'gRPC API, trib perf produce',
};

/** The human-readable report. */
export function formatSummary(summary: BenchSummary, header: string): string {
  const lines = [header];
  for (const path of PRODUCE_PATHS) {
    const p = summary.paths[path];
    lines.push(
      `  ${PATH_TITLES[path]} (${p.runs} runs):`,
      `    records/s ${runs(p.recordsPerSecond)}; spawn-to-exit ${runs(p.wallRecordsPerSecond)}`,
      `    brokers' CPU per record ${runs(p.brokerCpuUsPerRecord, ' µs')}; net of idle ${runs(p.netBrokerCpuUsPerRecord, ' µs')}`,
      `    brokers busy ${runs(p.brokerCores, ' cores')}; idle before the run ${runs(p.idleBrokerCores, ' cores')}`,
      `    tool's CPU per record ${runs(p.toolCpuUsPerRecord, ' µs')}; tool busy ${runs(p.toolCores, ' cores')}`,
      `    controllers' CPU per record ${runs(p.controllerCpuUsPerRecord, ' µs')}; records per stored batch ${runs(p.recordsPerBatch)}`,
      `    load average (1 min) at start ${runs(p.loadAverage1m)}`,
    );
  }
  lines.push(
    `  Kafka / gRPC: records/s x${runs(summary.ratios.recordsPerSecond)}; ` +
      `brokers' CPU per record x${runs(summary.ratios.brokerCpuUsPerRecord)}; ` +
      `net of idle x${runs(summary.ratios.netBrokerCpuUsPerRecord)}`,
    `  target (DESIGN §8) brokers' CPU per record (net of idle) Kafka/gRPC <= 1: ${summary.target.measured} -> ` +
      `${summary.target.met ? 'met' : 'NOT met'}`,
  );
  for (const error of summary.errors) lines.push(`  error: ${error}`);
  return lines.join('\n');
}

export function formatRun(result: PathRun): string {
  const batches = result.check.log.batches;
  return (
    `${result.path}: ${round(result.recordsPerSecond, 0)} records/s (${round(result.wallMs, 0)} ms spawn to exit), ` +
    `brokers ${round(result.brokerCpuUsPerRecord, 2)} µs/record (${round(result.netBrokerCpuUsPerRecord, 2)} net of idle) ` +
    `[${result.brokerCpuUsByBroker.map((us) => round(us / 1e6, 2)).join(' / ')} s], ` +
    `tool ${round(result.toolCpuUsPerRecord, 2)} µs/record, controllers ${round(result.controllerCpuUs / 1e6, 2)} s, ` +
    `${result.check.log.records} records in ${batches} batches (${result.check.log.idempotentBatches} idempotent), ` +
    `load ${round(result.loadAverage1m, 2)}` +
    (result.check.problems.length === 0
      ? ', counts match'
      : `, COUNTS WRONG: ${result.check.problems.join('; ')}`)
  );
}
