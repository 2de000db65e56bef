/**
 * The security benchmark's summary (pure): per mode the medians of its rounds, and per round each mode's
 * throughput over the plaintext baseline measured in the same round, so the machine's drift between rounds
 * does not enter the ratio.
 */
import { median, round, type Series, series } from '../stats.js';
import type { ModeRun } from './mode-run.js';
import type { SecurityMode } from './options.js';

/** Issue 13: the security tax on throughput is at most 15 %. */
export const SECURITY_TAX_MAX = 0.15;

export interface ModeSummary {
  readonly mode: SecurityMode;
  readonly rounds: number;
  readonly recordsPerSecond: Series;
  readonly mbPerSecond: Series;
  readonly throughputP50Ms: Series;
  readonly throughputP99Ms: Series;
  readonly latencyP50Ms: Series;
  readonly latencyP99Ms: Series;
  readonly tribCores: Series;
  readonly brokerCores: Series;
  readonly brokerCpuUsPerRecord: Series;
  readonly tribCpuUsPerRecord: Series;
  readonly loadAverage1m: Series;
  /** records/s over plaintext's in the same round, per round that measured both; and their median. */
  readonly ratioToPlaintext: Series;
  /** 1 − the median ratio: the share of throughput the mode costs. */
  readonly tax: number;
}

export interface SecurityBenchSummary {
  readonly modes: ModeSummary[];
  /** The secure mode's tax is within SECURITY_TAX_MAX (undefined without a secure mode). */
  readonly targetMet: boolean | undefined;
  readonly errors: string[];
}

function ratiosToPlaintext(runs: readonly ModeRun[], mode: SecurityMode): number[] {
  const ratios: number[] = [];
  for (const run of runs) {
    if (run.mode !== mode) continue;
    const base = runs.find((r) => r.mode === 'plaintext' && r.round === run.round);
    if (base === undefined) continue;
    ratios.push(run.throughput.recordsPerSecond / base.throughput.recordsPerSecond);
  }
  return ratios;
}

export function summarizeSecurityBench(
  runs: readonly ModeRun[],
  modes: readonly SecurityMode[],
  errors: readonly string[],
): SecurityBenchSummary {
  const summaries = modes.map((mode): ModeSummary => {
    const mine = runs.filter((r) => r.mode === mode);
    const t = mine.map((r) => r.throughput);
    const l = mine.map((r) => r.latency);
    const ratios = ratiosToPlaintext(runs, mode);
    return {
      mode,
      rounds: mine.length,
      recordsPerSecond: series(
        t.map((r) => r.recordsPerSecond),
        0,
      ),
      mbPerSecond: series(t.map((r) => r.mbPerSecond)),
      throughputP50Ms: series(t.map((r) => r.p50Ms)),
      throughputP99Ms: series(t.map((r) => r.p99Ms)),
      latencyP50Ms: series(l.map((r) => r.p50Ms)),
      latencyP99Ms: series(l.map((r) => r.p99Ms)),
      tribCores: series(t.map((r) => r.tribCores)),
      brokerCores: series(t.map((r) => r.brokerCores)),
      brokerCpuUsPerRecord: series(t.map((r) => r.brokerCpuUsPerRecord)),
      tribCpuUsPerRecord: series(t.map((r) => r.tribCpuUsPerRecord)),
      loadAverage1m: series(t.map((r) => r.loadAverage1m)),
      ratioToPlaintext: series(ratios, 3),
      tax: round(1 - median(ratios), 3),
    };
  });
  const secure = summaries.find((s) => s.mode === 'secure');
  const targetMet =
    secure === undefined || Number.isNaN(secure.tax) ? undefined : secure.tax <= SECURITY_TAX_MAX;
  return { modes: summaries, targetMet, errors: [...errors] };
}

function runs(s: Series): string {
  return `${s.median} (${s.runs.join(' / ')})`;
}

export function formatSecurityBenchSummary(summary: SecurityBenchSummary, header: string): string {
  const lines = [header];
  for (const m of summary.modes) {
    lines.push(
      `${m.mode} (${m.rounds} rounds)`,
      `  max throughput: ${runs(m.recordsPerSecond)} records/s, ${runs(m.mbPerSecond)} MB/s`,
      `    batch ack latency p50 ${runs(m.throughputP50Ms)} ms, p99 ${runs(m.throughputP99Ms)} ms`,
      `    trib ${runs(m.tribCores)} cores (${runs(m.tribCpuUsPerRecord)} µs/record); ` +
        `brokers ${runs(m.brokerCores)} cores (${runs(m.brokerCpuUsPerRecord)} µs/record)`,
      `    load average (1 min) at start ${runs(m.loadAverage1m)}`,
      `  latency run: p50 ${runs(m.latencyP50Ms)} ms, p99 ${runs(m.latencyP99Ms)} ms`,
    );
    if (m.mode !== 'plaintext') {
      lines.push(
        `  records/s ÷ plaintext per round: ${runs(m.ratioToPlaintext)} → tax ${round(m.tax * 100, 1)} %`,
      );
    }
  }
  if (summary.targetMet !== undefined) {
    lines.push(
      `issue 13 target (secure tax ≤ ${SECURITY_TAX_MAX * 100} %): ${summary.targetMet ? 'met' : 'NOT met'}`,
    );
  }
  for (const error of summary.errors) lines.push(`error: ${error}`);
  return lines.join('\n');
}
