/** Command-line options of the compaction benchmark (issue 14): pure parsing, so it is testable. */

/**
 * How the brokers' log cleaner runs. `disabled`: `--log-cleaner-enable=false` (the baseline: the same
 * writes, no cleaning). `unthrottled`: the cleaner at full speed. `throttled`:
 * `--log-cleaner-io-max-bytes-per-second` set.
 */
import { integerFlag } from '../flags.js';
export type CleanerMode = 'disabled' | 'unthrottled' | 'throttled';

export const CLEANER_MODES: readonly CleanerMode[] = ['disabled', 'unthrottled', 'throttled'];

export interface CompactionBenchOptions {
  /** Rounds; each starts a fresh cluster per mode, the modes' order rotating from round to round. */
  readonly rounds: number;
  readonly modes: readonly CleanerMode[];
  /** Distinct keys of the compacted topic: what is left after cleaning. */
  readonly keys: number;
  /** Updates written over those keys before cleaning is allowed. */
  readonly updates: number;
  readonly valueBytes: number;
  /** The compacted topic's segment.bytes: only closed segments are cleaned. */
  readonly segmentBytes: number;
  /** The throttled mode's --log-cleaner-io-max-bytes-per-second. */
  readonly throttleBytesPerSecond: number;
  /** trib perf produce's fixed rate during the cleaning, to another (delete-policy) topic. */
  readonly latencyRecordsPerSecond: number;
  /** Records per Produce call in the latency run (perf's --batch-bytes is set from it). */
  readonly latencyBatchRecords: number;
  readonly latencyRecordSizeBytes: number;
  readonly latencyDurationMs: number;
  /** Into the latency run, when min.compaction.lag.ms drops to 0 and the cleaner may start. */
  readonly triggerAfterMs: number;
  /** --log-cleaner-backoff-ms: how soon an idle cleaner notices the log became cleanable. */
  readonly cleanerBackoffMs: number;
  readonly json: boolean;
}

export const DEFAULT_COMPACTION_BENCH_OPTIONS: CompactionBenchOptions = {
  rounds: 3,
  modes: CLEANER_MODES,
  keys: 1_000,
  updates: 100_000,
  valueBytes: 1_000,
  segmentBytes: 4 * 1_048_576,
  throttleBytesPerSecond: 20 * 1_048_576,
  latencyRecordsPerSecond: 1_000,
  latencyBatchRecords: 10,
  latencyRecordSizeBytes: 100,
  latencyDurationMs: 15_000,
  triggerAfterMs: 2_000,
  cleanerBackoffMs: 250,
  json: false,
};

/** Limits keep a mistyped flag from filling the disk or running for an hour. */
const LIMITS = {
  roundsMax: 20,
  keysMax: 1_000_000,
  updatesMax: 10_000_000,
  valueBytesMax: 1_048_576,
  segmentBytesMin: 65_536,
  segmentBytesMax: 1_073_741_824,
  /** The broker's own floor (CLEANER_LIMITS.ioMaxBytesPerSecondMin) is 1 KiB/s; below 64 KiB/s a run takes hours. */
  throttleBytesPerSecondMin: 65_536,
  recordsPerSecondMax: 1_000_000,
  batchRecordsMax: 10_000,
  durationMsMin: 1_000,
  durationMsMax: 300_000,
  backoffMsMax: 60_000,
  /** Bytes written per mode and round (updates × value size), per replica. */
  writtenBytesMax: 2 * 1_073_741_824,
};

export const COMPACTION_BENCH_USAGE = `usage: compaction-bench [--rounds N] [--modes disabled,unthrottled,throttled] [--keys K]
                        [--updates U] [--value-bytes B] [--segment-bytes S] [--throttle-bytes R]
                        [--latency-rate R] [--latency-batch-records B] [--latency-record-size B]
                        [--latency-duration-ms D] [--trigger-after-ms T] [--cleaner-backoff-ms T] [--json]
For each of N rounds, and for each mode in an order that rotates per round, starts a fresh cluster of 3
controllers + 3 brokers (real processes, each with /metrics), creates a 1-partition RF=3 compacted topic
(segment.bytes S, min.compaction.lag.ms one hour so nothing is cleaned yet) and writes U updates with B-byte
values over K keys. Then trib perf produce sends R records/s to a 6-partition RF=3 delete-policy topic for D
ms; T ms into it min.compaction.lag.ms drops to 0 and every broker's cleaner compacts its replica. Modes:
disabled (--log-cleaner-enable=false: the baseline), unthrottled, throttled (--log-cleaner-io-max-bytes-
per-second R). Reports per mode the cleaner's MB/s (bytes read / clean time, from each broker's metrics),
the bytes it moved per second against the throttle, the replicas' bytes before and after, produce
latency p50/p99 and its ratio to the disabled run of the same round, and trib's and the brokers' CPU.`;

function parseModes(text: string | undefined): CleanerMode[] {
  const modes = (text ?? '').split(',').filter((m) => m.length > 0);
  const known = new Set<string>(CLEANER_MODES);
  const unknown = modes.filter((m) => !known.has(m));
  if (modes.length === 0 || unknown.length > 0) {
    throw new Error(`--modes takes a list of ${CLEANER_MODES.join(', ')}, got ${text ?? 'nothing'}`);
  }
  // The baseline is always measured: every latency ratio is against the disabled run of the same round.
  return CLEANER_MODES.filter((m) => m === 'disabled' || modes.includes(m));
}

function checked(o: CompactionBenchOptions): CompactionBenchOptions {
  if (o.keys > o.updates) throw new Error(`--keys (${o.keys}) must not exceed --updates (${o.updates})`);
  if (o.updates * o.valueBytes > LIMITS.writtenBytesMax) {
    throw new Error(`--updates × --value-bytes must stay within ${LIMITS.writtenBytesMax} bytes`);
  }
  if (o.triggerAfterMs >= o.latencyDurationMs) {
    throw new Error('--trigger-after-ms must be shorter than --latency-duration-ms');
  }
  return o;
}

export function parseCompactionBenchArgs(argv: readonly string[]): CompactionBenchOptions | 'help' {
  let o: CompactionBenchOptions = { ...DEFAULT_COMPACTION_BENCH_OPTIONS };
  const duration = (flag: string, text: string | undefined): number =>
    integerFlag(flag, text, LIMITS.durationMsMin, LIMITS.durationMsMax);
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--rounds':
        o = { ...o, rounds: integerFlag(flag, next(), 1, LIMITS.roundsMax) };
        break;
      case '--modes':
        o = { ...o, modes: parseModes(next()) };
        break;
      case '--keys':
        o = { ...o, keys: integerFlag(flag, next(), 1, LIMITS.keysMax) };
        break;
      case '--updates':
        o = { ...o, updates: integerFlag(flag, next(), 1, LIMITS.updatesMax) };
        break;
      case '--value-bytes':
        o = { ...o, valueBytes: integerFlag(flag, next(), 1, LIMITS.valueBytesMax) };
        break;
      case '--segment-bytes':
        o = { ...o, segmentBytes: integerFlag(flag, next(), LIMITS.segmentBytesMin, LIMITS.segmentBytesMax) };
        break;
      case '--throttle-bytes':
        o = {
          ...o,
          throttleBytesPerSecond: integerFlag(
            flag,
            next(),
            LIMITS.throttleBytesPerSecondMin,
            Number.MAX_SAFE_INTEGER,
          ),
        };
        break;
      case '--latency-rate':
        o = { ...o, latencyRecordsPerSecond: integerFlag(flag, next(), 1, LIMITS.recordsPerSecondMax) };
        break;
      case '--latency-batch-records':
        o = { ...o, latencyBatchRecords: integerFlag(flag, next(), 1, LIMITS.batchRecordsMax) };
        break;
      case '--latency-record-size':
        o = { ...o, latencyRecordSizeBytes: integerFlag(flag, next(), 1, LIMITS.valueBytesMax) };
        break;
      case '--latency-duration-ms':
        o = { ...o, latencyDurationMs: duration(flag, next()) };
        break;
      case '--trigger-after-ms':
        o = { ...o, triggerAfterMs: integerFlag(flag, next(), 0, LIMITS.durationMsMax) };
        break;
      case '--cleaner-backoff-ms':
        o = { ...o, cleanerBackoffMs: integerFlag(flag, next(), 1, LIMITS.backoffMsMax) };
        break;
      case '--json':
        o = { ...o, json: true };
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown flag ${flag}\n${COMPACTION_BENCH_USAGE}`);
    }
  }
  return checked(o);
}
