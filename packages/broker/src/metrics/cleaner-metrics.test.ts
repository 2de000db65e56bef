import type { LogCleanerStats } from '@tributary/log';
import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerLogCleanerMetrics } from './cleaner-metrics.js';

const STATS: LogCleanerStats = {
  bytesReadTotal: 4096,
  bytesWrittenTotal: 512,
  recordsRemovedTotal: 90,
  cleansTotal: 3,
  errorsTotal: 1,
  lastCleanDurationMs: 250,
  lastCleanWallMs: 1_000,
  maxDirtyRatio: 0.75,
  dirtyRatios: new Map([
    ['orders-by-id-0', 0.75],
    ['t-1', 0.25],
    ['t-2', 0.5],
  ]),
  cleansInProgress: 0,
  throttledMsTotal: 1_500,
};

function setUp(stats: LogCleanerStats | undefined, seriesMax = 10): Registry {
  const registry = new Registry();
  const dropped = new Gauge({
    name: 'dropped',
    help: 'x',
    labelNames: ['metric'] as const,
    registers: [registry],
  });
  registerLogCleanerMetrics(registry, () => stats, { dirtyRatioSeriesMax: seriesMax, dropped });
  return registry;
}

describe('log cleaner metrics', () => {
  it("copies the cleaner's totals and gauges at scrape time", async () => {
    const text = await setUp(STATS).metrics();
    expect(text).toContain('tributary_log_cleaner_bytes_read_total 4096');
    expect(text).toContain('tributary_log_cleaner_bytes_written_total 512');
    expect(text).toContain('tributary_log_cleaner_records_removed_total 90');
    expect(text).toContain('tributary_log_cleaner_cleans_total 3');
    expect(text).toContain('tributary_log_cleaner_errors_total 1');
    expect(text).toContain('tributary_log_cleaner_throttled_seconds_total 1.5');
    expect(text).toContain('tributary_log_cleaner_last_clean_seconds 0.25');
    expect(text).toContain('tributary_log_cleaner_max_dirty_ratio 0.75');
    // Topic names may contain dashes: the partition is after the last one.
    expect(text).toContain('tributary_log_cleaner_dirty_ratio{topic="orders-by-id",partition="0"} 0.75');
    expect(text).toContain('tributary_log_cleaner_dirty_ratio{topic="t",partition="2"} 0.5');
  });

  it('caps the per-log series and counts what it left out', async () => {
    const registry = setUp(STATS, 1);
    // The dropped gauge is written out before the capped one collects (as for the other capped series):
    // a scrape shows what the previous one left out.
    await registry.metrics();
    const text = await registry.metrics();
    expect(text.match(/tributary_log_cleaner_dirty_ratio\{/g)).toHaveLength(1);
    expect(text).toContain('dropped{metric="tributary_log_cleaner_dirty_ratio"} 2');
  });

  it('reads as zero without a cleaner (log.cleaner.enable off)', async () => {
    const text = await setUp(undefined).metrics();
    expect(text).toContain('tributary_log_cleaner_cleans_total 0');
    expect(text).toContain('tributary_log_cleaner_max_dirty_ratio 0');
  });
});
