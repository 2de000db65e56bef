/** Command-line options of the Kafka-listener benchmark (issue 12; pure parsing, so it is testable). */
import { integerFlag } from '../flags.js';

export interface KafkaBenchOptions {
  /** Runs; each measures both paths on fresh topics, and the report gives medians. */
  readonly runs: number;
  /** Records per path per run (100-byte values). */
  readonly records: number;
  readonly partitions: number;
  /**
   * Idempotent producers on both paths (the default: `trib perf produce` is idempotent with acks=all, so
   * kcat gets `enable.idempotence=true` to make the brokers do the same work). false: neither is.
   */
  readonly idempotent: boolean;
  /**
   * librdkafka's batch.num.messages for kcat; 0 keeps librdkafka's defaults (10,000 records or 1 MB per batch).
   * The default matches the batches `trib perf produce` sends, so the brokers' per-batch work is amortized
   * alike on both paths and the comparison is of the protocols, not of the tools' batch sizes.
   */
  readonly kafkaBatchRecords: number;
  /** Seed of the record values kcat reads (the file is written once, before any timed part). */
  readonly seed: number;
  readonly json: boolean;
  /**
   * With a directory: instead of measuring, one run of the chosen path with every broker under
   * `node --cpu-prof`, and the top self-time functions of each broker's profile.
   */
  readonly profileDir: string | undefined;
  readonly profilePath: ProducePath;
}

/** The two ways into the same brokers: Kafka's wire protocol (kcat) and the gRPC API (`trib perf`). */
export type ProducePath = 'kafka' | 'grpc';

/**
 * Records in one of trib perf produce's batches of 100-byte records: its 512 KiB batch budget over 108 bytes
 * per record (packages/cli perf.ts, PERF_DEFAULTS.batchBytes and recordsPerBatch).
 */
export const PERF_BATCH_RECORDS = Math.floor((512 * 1024) / (100 + 8));

export const KAFKA_BENCH_DEFAULTS: KafkaBenchOptions = {
  runs: 3,
  records: 1_000_000,
  partitions: 6,
  idempotent: true,
  kafkaBatchRecords: PERF_BATCH_RECORDS,
  seed: 12,
  json: false,
  profileDir: undefined,
  profilePath: 'kafka',
};

/** Bounds of the numeric flags: a mistyped flag should not run for an hour or fill the disk. */
export const KAFKA_BENCH_LIMITS = {
  runsMax: 20,
  /** 10 M records of 101 bytes: a 1 GB input file. */
  recordsMax: 10_000_000,
  partitionsMax: 1_000,
  seedMax: 0xffff_ffff,
  /** librdkafka's own maximum of batch.num.messages. */
  kafkaBatchRecordsMax: 1_000_000,
} as const;

export const KAFKA_BENCH_USAGE = `usage: kafka-bench [--runs N] [--records M] [--partitions P] [--no-idempotence] [--seed S]
                   [--kafka-batch-records B] [--profile DIR [--profile-path kafka|grpc]] [--json]
Starts 3 controllers + 3 brokers with Kafka listeners and, in each of N runs (the order of the two paths
alternating), produces M records of 100 bytes (null keys, acks=all, RF=3, P partitions, each path on a
fresh topic) through
- the Kafka listener: kcat -P (librdkafka) reading a pre-written file, -X acks=all, idempotent;
- the gRPC API: trib perf produce --messages M --record-size 100 --acks all (idempotent by default);
and reports per path the median records/s, the brokers' CPU per record (user+system of the three broker
processes), the producing tool's CPU and the controllers' CPU, the ratio Kafka/gRPC per run and its
median. Every run is checked: each partition's record count (ListOffsets and the leader's log) must add
up to M. --no-idempotence turns idempotence off on both paths.
--kafka-batch-records B sets kcat's batch.num.messages (default ${PERF_BATCH_RECORDS}, the records in one of
trib perf's batches, so both paths send batches of the same size); 0 keeps librdkafka's defaults.
--profile DIR runs the chosen path once with every broker under node --cpu-prof instead.
--json prints one JSON report on stdout; progress goes to stderr.`;

function producePath(flag: string, text: string | undefined): ProducePath {
  if (text === 'kafka' || text === 'grpc') return text;
  throw new Error(`${flag} needs kafka or grpc, got ${text ?? 'nothing'}`);
}

export function parseKafkaBenchArgs(argv: readonly string[]): KafkaBenchOptions | 'help' {
  let options: KafkaBenchOptions = { ...KAFKA_BENCH_DEFAULTS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--runs':
        options = { ...options, runs: integerFlag(flag, next(), 1, KAFKA_BENCH_LIMITS.runsMax) };
        break;
      case '--records':
        options = { ...options, records: integerFlag(flag, next(), 1, KAFKA_BENCH_LIMITS.recordsMax) };
        break;
      case '--partitions':
        options = { ...options, partitions: integerFlag(flag, next(), 1, KAFKA_BENCH_LIMITS.partitionsMax) };
        break;
      case '--seed':
        options = { ...options, seed: integerFlag(flag, next(), 0, KAFKA_BENCH_LIMITS.seedMax) };
        break;
      case '--kafka-batch-records':
        options = {
          ...options,
          kafkaBatchRecords: integerFlag(flag, next(), 0, KAFKA_BENCH_LIMITS.kafkaBatchRecordsMax),
        };
        break;
      case '--no-idempotence':
        options = { ...options, idempotent: false };
        break;
      case '--json':
        options = { ...options, json: true };
        break;
      case '--profile': {
        const dir = next();
        if (dir === undefined || dir.trim() === '') throw new Error('--profile needs a directory');
        options = { ...options, profileDir: dir };
        break;
      }
      case '--profile-path':
        options = { ...options, profilePath: producePath(flag, next()) };
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown flag ${flag}\n${KAFKA_BENCH_USAGE}`);
    }
  }
  return options;
}
