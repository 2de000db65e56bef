import { describe, expect, it } from 'vitest';
import { modeOrder, parseDurabilityBenchArgs } from './options.js';
import { type DurabilityRun, formatDurabilityBenchSummary, summarizeDurabilityBench } from './report.js';

function run(
  mode: DurabilityRun['mode'],
  round: number,
  rate: number,
  p50: number,
  p99: number,
): DurabilityRun {
  return {
    mode,
    round,
    throughput: {
      recordsPerSecond: rate,
      p50Ms: p50 * 10,
      p99Ms: p99 * 10,
      brokerCpuUsPerRecord: 1_000_000 / rate,
      loadAverage1m: 1,
    },
    latency: { recordsPerSecond: 200, p50Ms: p50, p99Ms: p99, loadAverage1m: 2 },
  };
}

describe('durability bench summary', () => {
  it('takes medians per mode and ratios fsync/replication within each round', () => {
    const summary = summarizeDurabilityBench(
      [
        run('replication', 1, 100_000, 1, 4),
        run('fsync', 1, 90_000, 2, 6),
        run('fsync', 2, 80_000, 2, 8),
        run('replication', 2, 100_000, 1, 4),
        run('replication', 3, 50_000, 1, 4),
        run('fsync', 3, 45_000, 3, 4),
      ],
      [],
    );
    expect(summary.modes.replication?.recordsPerSecond.median).toBe(100_000);
    expect(summary.modes.fsync?.recordsPerSecond.median).toBe(80_000);
    // Ratios are per round (0.9, 0.8, 0.9), not of the medians (0.8).
    expect(summary.ratios.recordsPerSecond.runs).toEqual([0.9, 0.8, 0.9]);
    expect(summary.ratios.recordsPerSecond.median).toBe(0.9);
    expect(summary.throughputCost).toBe(0.1);
    expect(summary.ratios.latencyP50Ms.median).toBe(2);
    expect(summary.ratios.latencyP99Ms.runs).toEqual([1.5, 2, 1]);
    expect(summary.ratios.brokerCpuUsPerRecord.runs).toEqual([1.111, 1.25, 1.111]);
    const text = formatDurabilityBenchSummary(summary, 'header');
    expect(text).toContain('fsync costs 10% of throughput');
  });

  it('leaves a round without both modes out of the ratios', () => {
    const summary = summarizeDurabilityBench(
      [run('replication', 1, 100_000, 1, 4), run('fsync', 2, 50_000, 1, 4)],
      ['round 1 fsync: failed'],
    );
    expect(summary.ratios.recordsPerSecond.runs).toEqual([]);
    expect(formatDurabilityBenchSummary(summary, 'h')).toContain('error: round 1 fsync: failed');
  });
});

describe('durability bench options', () => {
  it('alternates the order of the modes per round', () => {
    expect(modeOrder(0)).toEqual(['replication', 'fsync']);
    expect(modeOrder(1)).toEqual(['fsync', 'replication']);
  });

  it('parses flags and refuses bad ones', () => {
    const options = parseDurabilityBenchArgs(['--rounds', '5', '--record-size', '1024', '--json']);
    expect(options).toMatchObject({ rounds: 5, recordSizeBytes: 1024, json: true });
    expect(parseDurabilityBenchArgs(['--help'])).toBe('help');
    expect(() => parseDurabilityBenchArgs(['--rounds', '0'])).toThrow(/--rounds needs an integer/);
    expect(() => parseDurabilityBenchArgs(['--fsync'])).toThrow(/unknown flag --fsync/);
  });
});
