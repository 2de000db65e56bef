/**
 * The compaction benchmark's summary (pure): per cleaner mode the medians of its rounds (every run listed),
 * the cleaner's rate from its own metrics (bytes read ÷ summed clean time, per broker, and bytes moved ÷
 * wall time of the cleaning against the throttle), the replicas' bytes before and after, and produce latency
 * over the disabled run of the same round, so the machine's drift between rounds stays out of the ratio.
 */
import { median, round, type Series, series } from '../stats.js';
import type { CompactionModeRun } from './mode-run.js';
import type { CleanerMode } from './options.js';

const MB = 1_048_576;

export interface CompactionModeSummary {
  readonly mode: CleanerMode;
  readonly rounds: number;
  /** Per round, the median over brokers of bytes read ÷ summed clean time (MB/s while cleaning). */
  readonly cleanerReadMbPerSecond: Series;
  /** Per round, the median over brokers of (bytes read + written) ÷ summed clean time: what the throttle limits. */
  readonly cleanerIoMbPerSecond: Series;
  /** Per round, the median over brokers of seconds the throttle made the cleaner wait. */
  readonly throttledSeconds: Series;
  /** From the lag change until the last cleaner finished. */
  readonly cleaningWallSeconds: Series;
  readonly replicaMbBefore: Series;
  readonly replicaMbAfter: Series;
  readonly latencyP50Ms: Series;
  readonly latencyP99Ms: Series;
  /** p50 and p99 over the disabled run's in the same round (1 for the disabled mode itself). */
  readonly p50RatioToDisabled: Series;
  readonly p99RatioToDisabled: Series;
  readonly cleaningShareOfLatencyRun: Series;
  readonly tribCores: Series;
  readonly brokerCores: Series;
  readonly writeMbPerSecond: Series;
  /** Rounds where a scrape step held two cleans (the clean time then misses one). */
  readonly inexactRounds: number;
}

export interface CompactionBenchSummary {
  readonly modes: CompactionModeSummary[];
  /** The throttle held: throttled I/O MB/s median ≤ the limit × THROTTLE_TOLERANCE; undefined without that mode. */
  readonly throttleHeld: boolean | undefined;
  readonly throttleMbPerSecond: number;
  readonly errors: string[];
}

/**
 * A token bucket's rate over a clean includes its initial burst and the clean's last unthrottled bytes,
 * so a held throttle reads a little over its limit on short cleans.
 */
export const THROTTLE_TOLERANCE = 1.1;

function perBroker(
  run: CompactionModeRun,
  value: (b: CompactionModeRun['brokers'][number]) => number,
): number {
  return median(run.brokers.map(value));
}

function rate(bytes: number, seconds: number): number {
  return seconds > 0 ? bytes / MB / seconds : Number.NaN;
}

function ratios(
  runs: readonly CompactionModeRun[],
  mode: CleanerMode,
  figure: (run: CompactionModeRun) => number,
): number[] {
  const result: number[] = [];
  for (const run of runs) {
    if (run.mode !== mode) continue;
    const base = runs.find((r) => r.mode === 'disabled' && r.round === run.round);
    if (base !== undefined) result.push(figure(run) / figure(base));
  }
  return result;
}

export function summarizeCompactionBench(
  runs: readonly CompactionModeRun[],
  modes: readonly CleanerMode[],
  throttleBytesPerSecond: number,
  errors: readonly string[],
): CompactionBenchSummary {
  const summaries = modes.map((mode): CompactionModeSummary => {
    const mine = runs.filter((r) => r.mode === mode);
    const cleaning = mode !== 'disabled';
    const cleanerSeries = (figure: (run: CompactionModeRun) => number): Series =>
      series(cleaning ? mine.map(figure) : []);
    return {
      mode,
      rounds: mine.length,
      cleanerReadMbPerSecond: cleanerSeries((r) => perBroker(r, (b) => rate(b.bytesRead, b.cleanSeconds))),
      cleanerIoMbPerSecond: cleanerSeries((r) =>
        perBroker(r, (b) => rate(b.bytesRead + b.bytesWritten, b.cleanSeconds)),
      ),
      throttledSeconds: cleanerSeries((r) => perBroker(r, (b) => b.throttledSeconds)),
      cleaningWallSeconds: cleanerSeries((r) => (r.cleaningWallMs ?? Number.NaN) / 1_000),
      replicaMbBefore: series(mine.map((r) => perBroker(r, (b) => b.bytesBefore / MB))),
      replicaMbAfter: series(mine.map((r) => perBroker(r, (b) => b.bytesAfter / MB))),
      latencyP50Ms: series(mine.map((r) => r.latency.p50Ms)),
      latencyP99Ms: series(mine.map((r) => r.latency.p99Ms)),
      p50RatioToDisabled: series(
        ratios(runs, mode, (r) => r.latency.p50Ms),
        3,
      ),
      p99RatioToDisabled: series(
        ratios(runs, mode, (r) => r.latency.p99Ms),
        3,
      ),
      cleaningShareOfLatencyRun: series(mine.map((r) => r.latencyWindowCleaningShare)),
      tribCores: series(mine.map((r) => r.tribCores)),
      brokerCores: series(mine.map((r) => r.brokerCores)),
      writeMbPerSecond: series(mine.map((r) => rate(r.writtenBytes, r.writeMs / 1_000))),
      inexactRounds: mine.filter((r) => r.brokers.some((b) => !b.exact)).length,
    };
  });
  const throttled = summaries.find((s) => s.mode === 'throttled');
  const limitMb = throttleBytesPerSecond / MB;
  const throttleHeld =
    throttled === undefined || Number.isNaN(throttled.cleanerIoMbPerSecond.median)
      ? undefined
      : throttled.cleanerIoMbPerSecond.median <= limitMb * THROTTLE_TOLERANCE;
  return {
    modes: summaries,
    throttleHeld,
    throttleMbPerSecond: round(limitMb, 2),
    errors: [...errors],
  };
}

function runs(s: Series): string {
  return `${s.median} (${s.runs.join(' / ')})`;
}

export function formatCompactionBenchSummary(summary: CompactionBenchSummary, header: string): string {
  const lines = [header];
  for (const m of summary.modes) {
    lines.push(`${m.mode} (${m.rounds} rounds)`);
    if (m.mode !== 'disabled') {
      lines.push(
        `  cleaner: read ${runs(m.cleanerReadMbPerSecond)} MB/s, read+write ${runs(m.cleanerIoMbPerSecond)} MB/s ` +
          `while cleaning; throttled ${runs(m.throttledSeconds)} s; all replicas done ${runs(m.cleaningWallSeconds)} s ` +
          `after the lag dropped${m.inexactRounds > 0 ? ` (${m.inexactRounds} rounds inexact)` : ''}`,
        `  cleaning during ${runs(m.cleaningShareOfLatencyRun)} of the latency run`,
      );
    }
    lines.push(
      `  replica ${runs(m.replicaMbBefore)} MB before → ${runs(m.replicaMbAfter)} MB after`,
      `  produce latency p50 ${runs(m.latencyP50Ms)} ms, p99 ${runs(m.latencyP99Ms)} ms` +
        (m.mode === 'disabled'
          ? ''
          : `; ÷ disabled per round: p50 ${runs(m.p50RatioToDisabled)}, p99 ${runs(m.p99RatioToDisabled)}`),
      `  trib ${runs(m.tribCores)} cores, brokers ${runs(m.brokerCores)} cores during the latency run; ` +
        `setup writes ${runs(m.writeMbPerSecond)} MB/s`,
    );
  }
  if (summary.throttleHeld !== undefined) {
    lines.push(
      `throttle ${summary.throttleMbPerSecond} MB/s (read+write, all threads): ` +
        `${summary.throttleHeld ? 'held' : 'NOT held'} (within ×${THROTTLE_TOLERANCE})`,
    );
  }
  for (const error of summary.errors) lines.push(`error: ${error}`);
  return lines.join('\n');
}
