/** Command-line options of the security benchmark (issue 13): pure parsing, so it is testable. */

/**
 * What a cluster runs with. `plaintext`: nothing (the baseline). `tls`: TLS on every listener and link, no
 * authentication or authorizer. `secure`: TLS + SCRAM sessions required + `--authorizer standard` with ACLs,
 * as docs/security.md sets a cluster up.
 */
import { integerFlag } from '../flags.js';
export type SecurityMode = 'plaintext' | 'tls' | 'secure';

export const SECURITY_MODES: readonly SecurityMode[] = ['plaintext', 'tls', 'secure'];

export interface SecurityBenchOptions {
  /** Rounds; each starts a fresh cluster per mode, the modes' order rotating from round to round. */
  readonly rounds: number;
  readonly modes: readonly SecurityMode[];
  readonly partitions: number;
  readonly recordSizeBytes: number;
  /** The throughput run's target rate (perf's --throughput): far above what the cluster sustains. */
  readonly targetRecordsPerSecond: number;
  readonly throughputDurationMs: number;
  /** trib perf processes in the throughput run, the target split between them (2 if one would saturate). */
  readonly producers: number;
  /** The latency run's fixed, moderate rate. */
  readonly latencyRecordsPerSecond: number;
  /** Records per Produce call in the latency run (perf's --batch-bytes is set from it). */
  readonly latencyBatchRecords: number;
  readonly latencyDurationMs: number;
  readonly warmUpDurationMs: number;
  readonly json: boolean;
}

export const DEFAULT_SECURITY_BENCH_OPTIONS: SecurityBenchOptions = {
  rounds: 3,
  modes: SECURITY_MODES,
  partitions: 6,
  recordSizeBytes: 1_024,
  targetRecordsPerSecond: 500_000,
  throughputDurationMs: 10_000,
  producers: 1,
  latencyRecordsPerSecond: 200,
  latencyBatchRecords: 1,
  latencyDurationMs: 10_000,
  warmUpDurationMs: 3_000,
  json: false,
};

/** Limits keep a mistyped flag from running for an hour. */
const LIMITS = {
  roundsMax: 20,
  partitionsMax: 1_000,
  recordSizeBytesMax: 1_048_576,
  recordsPerSecondMax: 10_000_000,
  durationMsMax: 120_000,
  producersMax: 4,
  batchRecordsMax: 10_000,
};

export const SECURITY_BENCH_USAGE = `usage: security-bench [--rounds N] [--modes plaintext,tls,secure] [--partitions P]
                      [--record-size BYTES] [--target-rate R] [--duration-ms D] [--producers K]
                      [--latency-rate R] [--latency-batch-records B] [--latency-duration-ms D]
                      [--warm-up-ms D] [--json]
For each of N rounds, and for each mode in an order that rotates per round, starts a fresh cluster of 3
controllers + 3 brokers (real processes), creates a P-partition RF=3 topic and runs the real trib perf
produce (acks=all, idempotent): K processes at R records/s in total for D ms (the maximum throughput), then
one at the latency rate. Modes: plaintext (the baseline); tls (TLS on every listener and link); secure (TLS +
SCRAM required + the standard authorizer; perf logs in with SCRAM as a user whose only right is an ACL
allowing Write on the topic). Reports per mode the medians of records/s, MB/s and latency, each round's
ratio to plaintext, trib's and the brokers' CPU and the load average.`;

function parseModes(text: string | undefined): SecurityMode[] {
  const modes = (text ?? '').split(',').filter((m) => m.length > 0);
  const known = new Set<string>(SECURITY_MODES);
  const unknown = modes.filter((m) => !known.has(m));
  if (modes.length === 0 || unknown.length > 0) {
    throw new Error(`--modes takes a list of ${SECURITY_MODES.join(', ')}, got ${text ?? 'nothing'}`);
  }
  // The baseline is always measured: every ratio is against plaintext of the same round.
  return SECURITY_MODES.filter((m) => m === 'plaintext' || modes.includes(m));
}

export function parseSecurityBenchArgs(argv: readonly string[]): SecurityBenchOptions | 'help' {
  let o: SecurityBenchOptions = { ...DEFAULT_SECURITY_BENCH_OPTIONS };
  const rate = (flag: string, text: string | undefined): number =>
    integerFlag(flag, text, 1, LIMITS.recordsPerSecondMax);
  const duration = (flag: string, text: string | undefined): number =>
    integerFlag(flag, text, 1_000, LIMITS.durationMsMax);
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
      case '--partitions':
        o = { ...o, partitions: integerFlag(flag, next(), 1, LIMITS.partitionsMax) };
        break;
      case '--record-size':
        o = { ...o, recordSizeBytes: integerFlag(flag, next(), 1, LIMITS.recordSizeBytesMax) };
        break;
      case '--target-rate':
        o = { ...o, targetRecordsPerSecond: rate(flag, next()) };
        break;
      case '--duration-ms':
        o = { ...o, throughputDurationMs: duration(flag, next()) };
        break;
      case '--producers':
        o = { ...o, producers: integerFlag(flag, next(), 1, LIMITS.producersMax) };
        break;
      case '--latency-rate':
        o = { ...o, latencyRecordsPerSecond: rate(flag, next()) };
        break;
      case '--latency-batch-records':
        o = { ...o, latencyBatchRecords: integerFlag(flag, next(), 1, LIMITS.batchRecordsMax) };
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
      default:
        throw new Error(`unknown flag ${flag}\n${SECURITY_BENCH_USAGE}`);
    }
  }
  return o;
}
