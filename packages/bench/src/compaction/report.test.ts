import { describe, expect, it } from 'vitest';
import type { BrokerCleaning, CompactionModeRun } from './mode-run.js';
import { formatCompactionBenchSummary, summarizeCompactionBench } from './report.js';

const MB = 1_048_576;

function broker(nodeId: number, readMb: number, cleanSeconds: number): BrokerCleaning {
  return {
    nodeId,
    bytesRead: readMb * MB,
    bytesWritten: 0,
    cleans: 1,
    errors: 0,
    cleanSeconds,
    throttledSeconds: 0,
    exact: true,
    finishedAtMs: 1,
    bytesBefore: readMb * MB,
    bytesAfter: MB,
  };
}

function run(
  mode: CompactionModeRun['mode'],
  round: number,
  p99Ms: number,
  seconds: number,
): CompactionModeRun {
  return {
    mode,
    round,
    writtenBytes: 100 * MB,
    writeMs: 10_000,
    brokers: [broker(1, 100, seconds), broker(2, 100, seconds), broker(3, 100, seconds * 3)],
    cleaningWallMs: mode === 'disabled' ? undefined : seconds * 3_000,
    latencyWindowCleaningShare: mode === 'disabled' ? 0 : 0.5,
    latency: { recordsPerSecond: 1_000, p50Ms: 1, p99Ms, p999Ms: p99Ms, acked: 15_000 },
    tribCores: 0.1,
    brokerCores: 0.5,
    loadAverage1m: 1,
  };
}

describe('summarizeCompactionBench', () => {
  const runs = [
    run('disabled', 1, 4, 0),
    run('throttled', 1, 6, 10),
    run('disabled', 2, 8, 0),
    run('throttled', 2, 8, 5),
  ];

  it('takes the median broker rate per round and latency ratios against the same round', () => {
    const summary = summarizeCompactionBench(runs, ['disabled', 'throttled'], 15 * MB, []);
    const throttled = summary.modes.find((m) => m.mode === 'throttled');
    expect(throttled?.cleanerReadMbPerSecond).toEqual({ median: 15, runs: [10, 20] });
    expect(throttled?.p99RatioToDisabled).toEqual({ median: 1.25, runs: [1.5, 1] });
    expect(throttled?.replicaMbAfter.median).toBe(1);
    // Round 2 moved 20 MB/s against a 15 MB/s limit: the median (15) holds.
    expect(summary.throttleHeld).toBe(true);
    expect(summarizeCompactionBench(runs, ['disabled', 'throttled'], 10 * MB, []).throttleHeld).toBe(false);
  });

  it('has no cleaner rate for the disabled baseline and no throttle verdict without the throttled mode', () => {
    const summary = summarizeCompactionBench(runs.slice(0, 1), ['disabled'], MB, ['round 2 disabled: boom']);
    expect(summary.modes[0]?.cleanerReadMbPerSecond.runs).toEqual([]);
    expect(summary.throttleHeld).toBeUndefined();
    const text = formatCompactionBenchSummary(summary, 'header');
    expect(text).toContain('error: round 2 disabled: boom');
    expect(text).not.toContain('cleaner:');
  });
});
