/**
 * The soak's report: one row per interval (throughput, acknowledgement latency, what the readers read, the
 * faults injected, and the RSS and open file descriptors of every process), and the verdict on growth. Pure.
 *
 * Growth is judged per process over its last incarnation only (a killed and restarted process starts from
 * scratch) and only past warm-up: the median RSS of the segment's last third against its middle third, and
 * the open descriptors' maximum likewise. Caches, JIT code and buffer pools fill during the first third; a
 * leak keeps going.
 */
import { assert } from '@tributary/core';
import type { SoakResult } from './soak-runner.js';

export interface ProcessSample {
  /** e.g. "broker 2", "controller 1", "soak client". */
  readonly name: string;
  /** How many times the process was started so far (a restart begins a new incarnation). */
  readonly starts: number;
  /** Undefined while the process is down (killed) or could not be read. */
  readonly rssMb: number | undefined;
  readonly fds: number | undefined;
}

export interface SoakSample {
  /** Seconds since the workloads started, at the end of the interval. */
  readonly atS: number;
  readonly intervalS: number;
  readonly ackedPerS: number;
  readonly failedSends: number;
  readonly ackP50Ms: number | undefined;
  readonly ackP99Ms: number | undefined;
  /** Records read by the checking reader (every partition from the start) and by the group members. */
  readonly readPerS: number;
  readonly groupReadPerS: number;
  readonly faults: readonly string[];
  readonly processes: readonly ProcessSample[];
}

export interface GrowthFinding {
  readonly process: string;
  readonly detail: string;
}

/** What counts as growth; see the header. Extra megabytes and descriptors absorb noise on small values. */
export const GROWTH_RULES = {
  samplesMin: 6,
  rssRatioMax: 1.25,
  rssSlackMb: 8,
  fdsSlack: 32,
} as const;

function median(values: readonly number[]): number {
  assert(values.length > 0, 'median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Processes whose memory or descriptors kept growing past warm-up in their last incarnation. */
export function findGrowth(samples: readonly SoakSample[]): GrowthFinding[] {
  const names = new Set(samples.flatMap((s) => s.processes.map((p) => p.name)));
  const findings: GrowthFinding[] = [];
  for (const name of names) {
    const series = samples.flatMap((s) => s.processes.filter((p) => p.name === name));
    const lastStarts = series[series.length - 1]?.starts;
    const incarnation = series.filter(
      (p) => p.starts === lastStarts && p.rssMb !== undefined && p.fds !== undefined,
    );
    if (incarnation.length < GROWTH_RULES.samplesMin) continue;
    const third = Math.floor(incarnation.length / 3);
    const middle = incarnation.slice(third, 2 * third);
    const last = incarnation.slice(incarnation.length - third);
    const rss = (list: readonly ProcessSample[]) => list.map((p) => p.rssMb ?? 0);
    const fds = (list: readonly ProcessSample[]) => list.map((p) => p.fds ?? 0);
    const rssMiddle = median(rss(middle));
    const rssLast = median(rss(last));
    if (rssLast > rssMiddle * GROWTH_RULES.rssRatioMax + GROWTH_RULES.rssSlackMb) {
      findings.push({
        process: name,
        detail: `RSS median ${rssMiddle.toFixed(1)} MB in the middle third, ${rssLast.toFixed(1)} MB in the last`,
      });
    }
    const fdsMiddle = Math.max(...fds(middle));
    const fdsLast = Math.max(...fds(last));
    if (fdsLast > fdsMiddle + GROWTH_RULES.fdsSlack) {
      findings.push({
        process: name,
        detail: `open descriptors at most ${fdsMiddle} in the middle third, ${fdsLast} in the last`,
      });
    }
  }
  return findings;
}

function cell(value: number | undefined, digits = 0): string {
  return value === undefined ? '-' : value.toFixed(digits);
}

/** The per-interval table: one line per sample, RSS MB / fds per process. */
export function formatSamples(samples: readonly SoakSample[]): string {
  const names = [...new Set(samples.flatMap((s) => s.processes.map((p) => p.name)))];
  const header = [
    'at s',
    'acked/s',
    'failed',
    'p50 ms',
    'p99 ms',
    'read/s',
    'group/s',
    ...names.map((n) => `${n} MB/fds`),
    'faults',
  ];
  const rows = samples.map((s) => [
    cell(s.atS),
    cell(s.ackedPerS),
    String(s.failedSends),
    cell(s.ackP50Ms, 1),
    cell(s.ackP99Ms, 1),
    cell(s.readPerS),
    cell(s.groupReadPerS),
    ...names.map((n) => {
      const p = s.processes.find((q) => q.name === n);
      return p === undefined ? '-' : `${cell(p.rssMb, 1)}/${cell(p.fds)}`;
    }),
    s.faults.join('; ') || '-',
  ]);
  return [header, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** p50 and p99 of latencies in ms (nearest rank); undefined for none. */
export function percentiles(latenciesMs: readonly number[]): {
  p50: number | undefined;
  p99: number | undefined;
} {
  if (latenciesMs.length === 0) return { p50: undefined, p99: undefined };
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: rank(0.5), p99: rank(0.99) };
}

/** The whole report: the table, the totals and the verdict, ending in one summary line. */
export function formatSoak(result: SoakResult): string {
  const lines = [
    formatSamples(result.samples),
    '',
    `rate ${result.ratePerS} records/s${result.calibratedPerS === undefined ? '' : ` (calibrated maximum ${Math.round(result.calibratedPerS)} records/s)`}; faults injected ${result.faults}`,
    ...result.anomalies.map((a) => `anomaly: ${a}`),
    ...result.growth.map((g) => `growth: ${g.process}: ${g.detail}`),
    `acked=${result.acked} failed=${result.failed} read=${result.read} anomalies=${result.anomalies.length} growth=${result.growth.length} seed=${result.seed}`,
  ];
  return lines.join('\n');
}
