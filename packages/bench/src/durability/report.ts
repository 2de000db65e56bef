/** The durability benchmark's summary (pure): per mode the medians, per round the ratios fsync/replication. */
import { round, type Series, series } from '../stats.js';
import type { DurabilityMode } from './options.js';

export interface DurabilityRun {
  readonly mode: DurabilityMode;
  readonly round: number;
  readonly throughput: {
    readonly recordsPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    /** The three brokers' CPU over the run divided by the records acknowledged. */
    readonly brokerCpuUsPerRecord: number;
    readonly loadAverage1m: number;
  };
  readonly latency: {
    readonly recordsPerSecond: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly loadAverage1m: number;
  };
}

export interface ModeSummary {
  readonly recordsPerSecond: Series;
  readonly throughputP50Ms: Series;
  readonly throughputP99Ms: Series;
  readonly brokerCpuUsPerRecord: Series;
  readonly latencyP50Ms: Series;
  readonly latencyP99Ms: Series;
}

/** fsync over replication of the same round, for each figure; medians over the rounds that have both. */
export interface Ratios {
  readonly recordsPerSecond: Series;
  readonly throughputP99Ms: Series;
  readonly brokerCpuUsPerRecord: Series;
  readonly latencyP50Ms: Series;
  readonly latencyP99Ms: Series;
}

export interface DurabilityBenchSummary {
  readonly modes: Partial<Record<DurabilityMode, ModeSummary>>;
  readonly ratios: Ratios;
  /** 1 - the median throughput ratio: what fsync costs in records/s (DESIGN §8: at most 20%). */
  readonly throughputCost: number;
  readonly loadAverages1m: Series;
  readonly errors: readonly string[];
}

function modeSummary(runs: readonly DurabilityRun[]): ModeSummary {
  return {
    recordsPerSecond: series(
      runs.map((r) => r.throughput.recordsPerSecond),
      0,
    ),
    throughputP50Ms: series(runs.map((r) => r.throughput.p50Ms)),
    throughputP99Ms: series(runs.map((r) => r.throughput.p99Ms)),
    brokerCpuUsPerRecord: series(
      runs.map((r) => r.throughput.brokerCpuUsPerRecord),
      1,
    ),
    latencyP50Ms: series(runs.map((r) => r.latency.p50Ms)),
    latencyP99Ms: series(runs.map((r) => r.latency.p99Ms)),
  };
}

export function summarizeDurabilityBench(
  runs: readonly DurabilityRun[],
  errors: readonly string[],
): DurabilityBenchSummary {
  const byMode = (mode: DurabilityMode) => runs.filter((r) => r.mode === mode);
  const modes: Partial<Record<DurabilityMode, ModeSummary>> = {};
  for (const mode of ['replication', 'fsync'] as const) {
    if (byMode(mode).length > 0) modes[mode] = modeSummary(byMode(mode));
  }
  const pairs: { fsync: DurabilityRun; replication: DurabilityRun }[] = [];
  for (const fsync of byMode('fsync')) {
    const replication = byMode('replication').find((r) => r.round === fsync.round);
    if (replication !== undefined) pairs.push({ fsync, replication });
  }
  const ratio = (pick: (run: DurabilityRun) => number) =>
    series(
      pairs.map((p) => pick(p.fsync) / pick(p.replication)),
      3,
    );
  const ratios: Ratios = {
    recordsPerSecond: ratio((r) => r.throughput.recordsPerSecond),
    throughputP99Ms: ratio((r) => r.throughput.p99Ms),
    brokerCpuUsPerRecord: ratio((r) => r.throughput.brokerCpuUsPerRecord),
    latencyP50Ms: ratio((r) => r.latency.p50Ms),
    latencyP99Ms: ratio((r) => r.latency.p99Ms),
  };
  return {
    modes,
    ratios,
    throughputCost: round(1 - ratios.recordsPerSecond.median, 3),
    loadAverages1m: series(
      runs.flatMap((r) => [r.throughput.loadAverage1m, r.latency.loadAverage1m]),
      2,
    ),
    errors,
  };
}

function line(label: string, s: Series, unit: string): string {
  return `    ${label}: ${s.median}${unit} (runs ${s.runs.join(', ')})`;
}

export function formatDurabilityBenchSummary(summary: DurabilityBenchSummary, header: string): string {
  const out = [header];
  for (const mode of ['replication', 'fsync'] as const) {
    const m = summary.modes[mode];
    if (m === undefined) continue;
    out.push(`  ${mode}:`);
    out.push(line('throughput', m.recordsPerSecond, ' records/s'));
    out.push(line('throughput run p50', m.throughputP50Ms, ' ms'));
    out.push(line('throughput run p99', m.throughputP99Ms, ' ms'));
    out.push(line("brokers' CPU per record", m.brokerCpuUsPerRecord, ' µs'));
    out.push(line('latency run p50', m.latencyP50Ms, ' ms'));
    out.push(line('latency run p99', m.latencyP99Ms, ' ms'));
  }
  const r = summary.ratios;
  out.push('  fsync / replication, per round:');
  out.push(line('records/s', r.recordsPerSecond, ''));
  out.push(line('throughput run p99', r.throughputP99Ms, ''));
  out.push(line("brokers' CPU per record", r.brokerCpuUsPerRecord, ''));
  out.push(line('latency run p50', r.latencyP50Ms, ''));
  out.push(line('latency run p99', r.latencyP99Ms, ''));
  out.push(`  fsync costs ${round(summary.throughputCost * 100, 1)}% of throughput (median of the rounds)`);
  out.push(line('load average (1 min) during the runs', summary.loadAverages1m, ''));
  for (const error of summary.errors) out.push(`  error: ${error}`);
  return out.join('\n');
}
