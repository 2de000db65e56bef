/** Command-line options of the controller benchmark (pure parsing, so it is testable). */
import { integerFlag } from './flags.js';

export interface BenchOptions {
  /** Runs of each measurement; the report gives the median. */
  readonly runs: number;
  /** Concurrent CreateTopic clients in the throughput phase. */
  readonly clients: number;
  /** Length of one throughput run. */
  readonly durationMs: number;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly brokers: number;
  readonly json: boolean;
  readonly skipFailover: boolean;
  readonly skipThroughput: boolean;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  runs: 5,
  clients: 8,
  durationMs: 5_000,
  partitions: 1,
  replicationFactor: 3,
  brokers: 3,
  json: false,
  skipFailover: false,
  skipThroughput: false,
};

/** Limits keep a mistyped flag from running for an hour. */
const LIMITS = { runsMax: 50, clientsMax: 256, durationMsMax: 60_000, partitionsMax: 1_000, brokersMax: 16 };

export const USAGE = `usage: controller-bench [--runs N] [--clients K] [--duration-ms D] [--partitions P]
                        [--replication-factor R] [--brokers B] [--skip-failover] [--skip-throughput] [--json]
Starts a real 3-controller quorum and reports the median of N runs of: committed metadata records/s
(K concurrent CreateTopic clients for D ms), controller failover time (SIGKILL the leader until a
CreateTopic commits on the new one), and spurious elections seen while nobody was killed.`;

export function parseArgs(argv: readonly string[]): BenchOptions | 'help' {
  let options: BenchOptions = { ...DEFAULT_OPTIONS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--runs':
        options = { ...options, runs: integerFlag(flag, next(), 1, LIMITS.runsMax) };
        break;
      case '--clients':
        options = { ...options, clients: integerFlag(flag, next(), 1, LIMITS.clientsMax) };
        break;
      case '--duration-ms':
        options = { ...options, durationMs: integerFlag(flag, next(), 100, LIMITS.durationMsMax) };
        break;
      case '--partitions':
        options = { ...options, partitions: integerFlag(flag, next(), 1, LIMITS.partitionsMax) };
        break;
      case '--replication-factor':
        options = { ...options, replicationFactor: integerFlag(flag, next(), 1, LIMITS.brokersMax) };
        break;
      case '--brokers':
        options = { ...options, brokers: integerFlag(flag, next(), 1, LIMITS.brokersMax) };
        break;
      case '--json':
        options = { ...options, json: true };
        break;
      case '--skip-failover':
        options = { ...options, skipFailover: true };
        break;
      case '--skip-throughput':
        options = { ...options, skipThroughput: true };
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (options.replicationFactor > options.brokers) {
    throw new Error(`--replication-factor ${options.replicationFactor} needs at least that many --brokers`);
  }
  return options;
}
