/**
 * The flags the mode-comparison benches share (bench:security, bench:durability): rounds, each measuring every
 * mode with a throughput run (far above what the cluster sustains) and a latency run (a fixed, moderate rate)
 * of the real `trib perf produce`, on fresh topics. Each bench adds its own flags through `extra`.
 */
import { integerFlag } from './flags.js';

export interface ModeComparisonOptions {
  /** Rounds; each measures every mode, the order alternating from round to round. */
  readonly rounds: number;
  readonly partitions: number;
  readonly recordSizeBytes: number;
  /** The throughput run's target rate (perf's --throughput): far above what the cluster sustains. */
  readonly targetRecordsPerSecond: number;
  readonly throughputDurationMs: number;
  /** The latency run's fixed, moderate rate. */
  readonly latencyRecordsPerSecond: number;
  readonly latencyDurationMs: number;
  readonly warmUpDurationMs: number;
  readonly json: boolean;
}

/** Limits keep a mistyped flag from running for an hour. */
export const MODE_COMPARISON_LIMITS = {
  roundsMax: 20,
  partitionsMax: 1_000,
  recordSizeBytesMax: 1_048_576,
  recordsPerSecondMax: 10_000_000,
  durationMsMax: 120_000,
} as const;

/** A bench's own flag: the options with it applied, or undefined when `flag` is not one of its own. */
export type ExtraFlag<O> = (options: O, flag: string, next: () => string | undefined) => O | undefined;

/** Parses argv over `defaults`; 'help' for --help/-h; an unknown flag throws with `usage`. */
export function parseModeComparisonArgs<O extends ModeComparisonOptions>(
  argv: readonly string[],
  defaults: O,
  usage: string,
  extra: ExtraFlag<O> = () => undefined,
): O | 'help' {
  const limits = MODE_COMPARISON_LIMITS;
  let o: O = { ...defaults };
  const rate = (flag: string, text: string | undefined): number =>
    integerFlag(flag, text, 1, limits.recordsPerSecondMax);
  const duration = (flag: string, text: string | undefined): number =>
    integerFlag(flag, text, 1_000, limits.durationMsMax);
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--rounds':
        o = { ...o, rounds: integerFlag(flag, next(), 1, limits.roundsMax) };
        break;
      case '--partitions':
        o = { ...o, partitions: integerFlag(flag, next(), 1, limits.partitionsMax) };
        break;
      case '--record-size':
        o = { ...o, recordSizeBytes: integerFlag(flag, next(), 1, limits.recordSizeBytesMax) };
        break;
      case '--target-rate':
        o = { ...o, targetRecordsPerSecond: rate(flag, next()) };
        break;
      case '--duration-ms':
        o = { ...o, throughputDurationMs: duration(flag, next()) };
        break;
      case '--latency-rate':
        o = { ...o, latencyRecordsPerSecond: rate(flag, next()) };
        break;
      case '--latency-duration-ms':
        o = { ...o, latencyDurationMs: duration(flag, next()) };
        break;
      case '--warm-up-ms':
        o = { ...o, warmUpDurationMs: duration(flag, next()) };
        break;
      case '--json':
        o = { ...o, json: true };
        break;
      case '--help':
      case '-h':
        return 'help';
      default: {
        const applied = extra(o, flag, next);
        if (applied === undefined) throw new Error(`unknown flag ${flag}\n${usage}`);
        o = applied;
      }
    }
  }
  return o;
}
