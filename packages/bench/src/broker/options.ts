/** Command-line options of the broker benchmark (pure parsing). */
import { integerFlag } from '../flags.js';

export interface BrokerBenchOptions {
  readonly runs: number;
  readonly partitions: number;
  /** Records per throughput run (capped by throughputDurationMs). */
  readonly messages: number;
  readonly throughputDurationMs: number;
  readonly recordSize: number;
  readonly json: boolean;
  readonly skipThroughput: boolean;
  readonly skipLatency: boolean;
  readonly skipFailover: boolean;
  /** With --profile DIR: one profiled throughput run (brokers and client under --cpu-prof), nothing else. */
  readonly profileDir: string | undefined;
}

export const BROKER_BENCH_DEFAULTS: BrokerBenchOptions = {
  runs: 3,
  partitions: 6,
  messages: 2_000_000,
  throughputDurationMs: 10_000,
  recordSize: 100,
  json: false,
  skipThroughput: false,
  skipLatency: false,
  skipFailover: false,
  profileDir: undefined,
};

export const BROKER_BENCH_USAGE = `usage: broker-bench [--runs N] [--partitions P] [--messages M] [--duration-ms D]
                    [--skip-throughput] [--skip-latency] [--skip-failover] [--profile DIR] [--json]
Starts 3 controllers + 3 brokers and drives the real \`trib perf\` CLI; reports the median of N runs of:
acks=all produce throughput (M records or D ms, P partitions, RF=3) and consume catch-up; single-record
latency at 200 records/s; partition-leader failover stall under SIGKILL, SIGTERM and SIGSTOP (the leader
paused past its session timeout; also reported: the stall past the controller's leadership move).
--profile DIR runs one throughput produce with brokers and client under node --cpu-prof instead.`;

export function parseBrokerBenchArgs(argv: readonly string[]): BrokerBenchOptions | 'help' {
  let options: BrokerBenchOptions = { ...BROKER_BENCH_DEFAULTS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--runs':
        options = { ...options, runs: integerFlag(flag, next(), 1, 20) };
        break;
      case '--partitions':
        options = { ...options, partitions: integerFlag(flag, next(), 1, 1_000) };
        break;
      case '--messages':
        options = { ...options, messages: integerFlag(flag, next(), 1, 100_000_000) };
        break;
      case '--duration-ms':
        options = { ...options, throughputDurationMs: integerFlag(flag, next(), 100, 60_000) };
        break;
      case '--json':
        options = { ...options, json: true };
        break;
      case '--skip-throughput':
        options = { ...options, skipThroughput: true };
        break;
      case '--skip-latency':
        options = { ...options, skipLatency: true };
        break;
      case '--skip-failover':
        options = { ...options, skipFailover: true };
        break;
      case '--profile': {
        const dir = next();
        if (dir === undefined || dir.length === 0) throw new Error('--profile needs a directory');
        options = { ...options, profileDir: dir };
        break;
      }
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown flag ${flag}\n${BROKER_BENCH_USAGE}`);
    }
  }
  return options;
}
