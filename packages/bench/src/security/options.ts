/** Command-line options of the security benchmark (issue 13): pure parsing, so it is testable. */

/**
 * What a cluster runs with. `plaintext`: nothing (the baseline). `tls`: TLS on every listener and link, no
 * authentication or authorizer. `secure`: TLS + SCRAM sessions required + `--authorizer standard` with ACLs,
 * as docs/security.md sets a cluster up.
 */
import { integerFlag } from '../flags.js';
import { type ModeComparisonOptions, parseModeComparisonArgs } from '../mode-comparison-options.js';
export type SecurityMode = 'plaintext' | 'tls' | 'secure';

export const SECURITY_MODES: readonly SecurityMode[] = ['plaintext', 'tls', 'secure'];

export interface SecurityBenchOptions extends ModeComparisonOptions {
  readonly modes: readonly SecurityMode[];
  /** trib perf processes in the throughput run, the target split between them (2 if one would saturate). */
  readonly producers: number;
  /** Records per Produce call in the latency run (perf's --batch-bytes is set from it). */
  readonly latencyBatchRecords: number;
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
  return parseModeComparisonArgs(
    argv,
    DEFAULT_SECURITY_BENCH_OPTIONS,
    SECURITY_BENCH_USAGE,
    (o, flag, next) => {
      switch (flag) {
        case '--modes':
          return { ...o, modes: parseModes(next()) };
        case '--producers':
          return { ...o, producers: integerFlag(flag, next(), 1, LIMITS.producersMax) };
        case '--latency-batch-records':
          return { ...o, latencyBatchRecords: integerFlag(flag, next(), 1, LIMITS.batchRecordsMax) };
        default:
          return undefined;
      }
    },
  );
}
