/** Command-line options of the durability benchmark (issue 16 item 2): pure parsing, so it is testable. */
import { type ModeComparisonOptions, parseModeComparisonArgs } from '../mode-comparison-options.js';

/**
 * The two durability modes measured side by side on one cluster, as topics with `flush.on.ack=false` and
 * `flush.on.ack=true` (what a broker's `--durability replication|fsync` sets for every topic by default).
 */
export type DurabilityMode = 'replication' | 'fsync';
export const DURABILITY_BENCH_MODES: readonly DurabilityMode[] = ['replication', 'fsync'];

export type DurabilityBenchOptions = ModeComparisonOptions;

export const DEFAULT_DURABILITY_BENCH_OPTIONS: DurabilityBenchOptions = {
  rounds: 3,
  partitions: 6,
  recordSizeBytes: 100,
  targetRecordsPerSecond: 500_000,
  throughputDurationMs: 8_000,
  latencyRecordsPerSecond: 200,
  latencyDurationMs: 8_000,
  warmUpDurationMs: 3_000,
  json: false,
};

/** Limits keep a mistyped flag from running for an hour. */

export const DURABILITY_BENCH_USAGE = `usage: durability-bench [--rounds N] [--partitions P] [--record-size BYTES]
                        [--target-rate R] [--duration-ms D] [--latency-rate R] [--latency-duration-ms D]
                        [--warm-up-ms D] [--json]
Starts one cluster of 3 controllers + 3 brokers (real processes) and, for each of N rounds, measures both
durability modes in an order that alternates per round, each on fresh P-partition RF=3 topics: replication
(flush.on.ack=false, Kafka's acks=all) and fsync (flush.on.ack=true, what --durability fsync makes the
default: the leader and every in-sync follower fsync, group-committed, before a write counts). Each
measurement runs the real trib perf produce (acks=all, idempotent): at R records/s for D ms (the maximum
throughput), then at the latency rate one record per call. Reports per mode the medians and, per round, the
ratio fsync/replication of records/s, p50 and p99, with the load average.`;

export function parseDurabilityBenchArgs(argv: readonly string[]): DurabilityBenchOptions | 'help' {
  return parseModeComparisonArgs(argv, DEFAULT_DURABILITY_BENCH_OPTIONS, DURABILITY_BENCH_USAGE);
}

/** The modes in round `index`'s order: replication first in even rounds, fsync first in odd ones. */
export function modeOrder(index: number): readonly DurabilityMode[] {
  return index % 2 === 0 ? DURABILITY_BENCH_MODES : [...DURABILITY_BENCH_MODES].reverse();
}
