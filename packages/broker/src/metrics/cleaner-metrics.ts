/**
 * The log cleaner's metrics (Kafka's kafka.log:type=LogCleaner / LogCleanerManager beans), read at scrape
 * time from LogCleaner.stats(): nothing on the cleaning path updates a metric. Per-log dirty ratios are
 * capped like the other partition series (BROKER_METRICS_LIMITS.partitionSeriesMax).
 */
import type { LogCleanerStats } from '@tributary/log';
import { Counter, Gauge, type Registry } from 'prom-client';

/** The totals copied into counters: each scrape resets and re-adds them (the counter type is kept). */
const CLEANER_COUNTERS: readonly {
  readonly name: string;
  readonly help: string;
  readonly read: (stats: LogCleanerStats) => number;
}[] = [
  {
    name: 'tributary_log_cleaner_bytes_read_total',
    help: 'Bytes the log cleaner read from segments it compacted',
    read: (stats) => stats.bytesReadTotal,
  },
  {
    name: 'tributary_log_cleaner_bytes_written_total',
    help: 'Bytes the log cleaner wrote into compacted segments',
    read: (stats) => stats.bytesWrittenTotal,
  },
  {
    name: 'tributary_log_cleaner_records_removed_total',
    help: 'Records compaction removed (superseded values, expired tombstones, aborted transactional data)',
    read: (stats) => stats.recordsRemovedTotal,
  },
  {
    name: 'tributary_log_cleaner_cleans_total',
    help: 'Finished cleans of one log',
    read: (stats) => stats.cleansTotal,
  },
  {
    name: 'tributary_log_cleaner_errors_total',
    help: 'Cleans that failed (the log is skipped for one backoff; the cleaner carries on)',
    read: (stats) => stats.errorsTotal,
  },
  {
    name: 'tributary_log_cleaner_throttled_seconds_total',
    help: 'Time the cleaner waited on its IO throttle (--log-cleaner-io-max-bytes-per-second)',
    read: (stats) => stats.throttledMsTotal / 1000,
  },
];

/** `read` is undefined while there is no cleaner (not started yet, log.cleaner.enable off, test doubles). */
export function registerLogCleanerMetrics(
  registry: Registry,
  read: () => LogCleanerStats | undefined,
  options: { readonly dirtyRatioSeriesMax: number; readonly dropped: Gauge<'metric'> },
): void {
  const registers = [registry];
  for (const counter of CLEANER_COUNTERS) {
    new Counter({
      name: counter.name,
      help: counter.help,
      registers,
      collect() {
        this.reset();
        const stats = read();
        if (stats !== undefined) this.inc(counter.read(stats));
      },
    });
  }
  new Gauge({
    name: 'tributary_log_cleaner_last_clean_seconds',
    help: 'How long the last finished clean of one log took',
    registers,
    collect() {
      this.set((read()?.lastCleanDurationMs ?? 0) / 1000);
    },
  });
  new Gauge({
    name: 'tributary_log_cleaner_max_dirty_ratio',
    help: "Highest dirty ratio (uncompacted bytes / cleanable bytes) among the compacted logs here (Kafka's max-dirty-percent / 100)",
    registers,
    collect() {
      this.set(read()?.maxDirtyRatio ?? 0);
    },
  });
  new Gauge({
    name: 'tributary_log_cleaner_dirty_ratio',
    help: 'Dirty ratio of each compacted partition log here (capped)',
    labelNames: ['topic', 'partition'] as const,
    registers,
    collect() {
      this.reset();
      const ratios = [...(read()?.dirtyRatios ?? new Map<string, number>())];
      const shown = ratios.slice(0, options.dirtyRatioSeriesMax);
      for (const [key, ratio] of shown) this.set(topicPartitionLabels(key), ratio);
      options.dropped.set({ metric: 'tributary_log_cleaner_dirty_ratio' }, ratios.length - shown.length);
    },
  });
}

/** The replica manager registers logs as `<topic>-<partition>`; topic names may contain '-' themselves. */
function topicPartitionLabels(key: string): { topic: string; partition: string } {
  const dash = key.lastIndexOf('-');
  return dash < 0
    ? { topic: key, partition: '' }
    : { topic: key.slice(0, dash), partition: key.slice(dash + 1) };
}
