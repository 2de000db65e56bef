/** Command-line options of the client benchmark (issue 4; pure parsing). */
import { integerFlag } from '../flags.js';

export interface ClientBenchOptions {
  readonly runs: number;
  readonly partitions: number;
  /** Records per produce-variant run, and records a group catches up on. */
  readonly messages: number;
  /** Group sizes measured, each as separate runs (default 1 and 3 members). */
  readonly members: readonly number[];
  /** Passed to `trib perf produce --value-pool`; undefined keeps perf's default (64, very compressible). */
  readonly valuePool: number | undefined;
  readonly json: boolean;
  readonly skipProduce: boolean;
  readonly skipGroups: boolean;
}

export const CLIENT_BENCH_DEFAULTS: ClientBenchOptions = {
  runs: 3,
  partitions: 6,
  messages: 300_000,
  members: [1, 3],
  valuePool: undefined,
  json: false,
  skipProduce: false,
  skipGroups: false,
};

/** Bounds of the numeric flags (a bench run should end in minutes, not hours). */
export const CLIENT_BENCH_LIMITS = {
  runsMax: 20,
  partitionsMax: 1_000,
  messagesMax: 50_000_000,
  membersMax: 32,
  valuePoolMax: 1_000_000,
} as const;

export const CLIENT_BENCH_USAGE = `usage: client-bench [--runs N] [--partitions P] [--messages M] [--members K[,K...]]
                    [--value-pool V] [--skip-produce] [--skip-groups] [--json]
Starts 3 controllers + 3 brokers (RF=3, acks=all, 100-byte records) and reports the median of N runs of:
- producer throughput of \`trib perf produce\` (M records, P partitions) per variant: no compression +
  idempotent (the baseline), no compression without idempotence, gzip, lz4 (variants interleaved per run);
- consumer-group catch-up: K in-process group members read M records from the beginning and commit them
  (default K = 1 and K = 3), against the non-group \`trib perf consume\` on the same topic.
--value-pool V: distinct record values perf cycles through (default 64, which repeats within a batch and so
compresses very well; a pool larger than a batch, e.g. 100000, gives incompressible-ish random text).
--json prints one JSON report on stdout; progress goes to stderr.`;

/** "1,3" → [1, 3]: distinct sizes in the order given. */
function memberCounts(flag: string, text: string | undefined): number[] {
  if (text === undefined) throw new Error(`${flag} needs a comma-separated list of group sizes`);
  const counts = text.split(',').map((part) => integerFlag(flag, part, 1, CLIENT_BENCH_LIMITS.membersMax));
  return [...new Set(counts)];
}

export function parseClientBenchArgs(argv: readonly string[]): ClientBenchOptions | 'help' {
  let options: ClientBenchOptions = { ...CLIENT_BENCH_DEFAULTS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--runs':
        options = { ...options, runs: integerFlag(flag, next(), 1, CLIENT_BENCH_LIMITS.runsMax) };
        break;
      case '--partitions':
        options = { ...options, partitions: integerFlag(flag, next(), 1, CLIENT_BENCH_LIMITS.partitionsMax) };
        break;
      case '--messages':
        options = { ...options, messages: integerFlag(flag, next(), 1, CLIENT_BENCH_LIMITS.messagesMax) };
        break;
      case '--members':
        options = { ...options, members: memberCounts(flag, next()) };
        break;
      case '--value-pool':
        options = { ...options, valuePool: integerFlag(flag, next(), 1, CLIENT_BENCH_LIMITS.valuePoolMax) };
        break;
      case '--json':
        options = { ...options, json: true };
        break;
      case '--skip-produce':
        options = { ...options, skipProduce: true };
        break;
      case '--skip-groups':
        options = { ...options, skipGroups: true };
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown flag ${flag}\n${CLIENT_BENCH_USAGE}`);
    }
  }
  if (options.skipProduce && options.skipGroups) {
    throw new Error('--skip-produce and --skip-groups together leave nothing to measure');
  }
  return options;
}
