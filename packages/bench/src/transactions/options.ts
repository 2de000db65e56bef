/** Command-line options of the transactions benchmark (issue 14): pure parsing, so it is testable. */

/** What a produce run writes with: the idempotent baseline, or transactions of N records. */
import { integerFlag } from '../flags.js';
export type ProduceVariant =
  | { readonly kind: 'idempotent' }
  | { readonly kind: 'transactional'; readonly records: number };

export function variantName(variant: ProduceVariant): string {
  return variant.kind === 'idempotent' ? 'idempotent' : `txn-${variant.records}`;
}

export interface TransactionsBenchOptions {
  /** Rounds; each starts a fresh cluster, the variants' order rotating from round to round. */
  readonly rounds: number;
  /** Records per transaction of each transactional variant (the idempotent baseline always runs). */
  readonly transactionSizes: readonly number[];
  readonly partitions: number;
  readonly recordSizeBytes: number;
  /** How long each produce variant writes. */
  readonly produceDurationMs: number;
  /** Records per send() and sends in flight, the same for every variant. */
  readonly sendRecords: number;
  readonly sendsInFlight: number;
  /** The consume phase's data: transactions of this many records, every `abortEvery`-th aborted. */
  readonly consumeTransactions: number;
  readonly consumeTransactionRecords: number;
  readonly abortEvery: number;
  readonly json: boolean;
}

export const DEFAULT_TRANSACTIONS_BENCH_OPTIONS: TransactionsBenchOptions = {
  rounds: 3,
  transactionSizes: [100, 1_000, 10_000],
  partitions: 6,
  recordSizeBytes: 100,
  produceDurationMs: 8_000,
  sendRecords: 1_000,
  sendsInFlight: 4,
  consumeTransactions: 200,
  consumeTransactionRecords: 1_000,
  abortEvery: 10,
  json: false,
};

/** Limits keep a mistyped flag from filling the disk or running for an hour. */
const LIMITS = {
  roundsMax: 20,
  transactionRecordsMax: 1_000_000,
  partitionsMax: 1_000,
  recordSizeBytesMax: 1_048_576,
  durationMsMin: 1_000,
  durationMsMax: 300_000,
  sendRecordsMax: 100_000,
  sendsInFlightMax: 64,
  consumeRecordsMax: 20_000_000,
};

export const TRANSACTIONS_BENCH_USAGE = `usage: transactions-bench [--rounds N] [--transaction-sizes 100,1000,10000] [--partitions P]
                          [--record-size B] [--produce-duration-ms D] [--send-records R] [--sends-in-flight F]
                          [--consume-transactions T] [--consume-transaction-records R] [--abort-every K] [--json]
For each of N rounds starts a fresh cluster of 3 controllers + 3 brokers (real processes) and, in an order that
rotates per round, writes B-byte records for D ms to a new P-partition RF=3 topic per variant: idempotent
(acks=all, the baseline) and transactional with transactions of each given size (begin, sends, commit), every
variant with the same R-record sends, F in flight. Then writes T transactions of R records, aborting every K-th,
and reads them back from the start with read_uncommitted and read_committed (rotating which goes first).
Reports per variant records/s and its ratio to the idempotent run of the same round, records/s and offsets/s
of each isolation level and their ratio, and the client's and the brokers' CPU.`;

function parseSizes(text: string | undefined): number[] {
  const parts = (text ?? '').split(',').filter((p) => p.length > 0);
  if (parts.length === 0) throw new Error('--transaction-sizes needs a list of record counts');
  const sizes = parts.map((p) => integerFlag('--transaction-sizes', p, 1, LIMITS.transactionRecordsMax));
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function checked(o: TransactionsBenchOptions): TransactionsBenchOptions {
  if (o.consumeTransactions * o.consumeTransactionRecords > LIMITS.consumeRecordsMax) {
    throw new Error(
      `--consume-transactions × --consume-transaction-records must stay within ${LIMITS.consumeRecordsMax}`,
    );
  }
  if (o.abortEvery < 2) throw new Error('--abort-every must be at least 2 (something must commit)');
  return o;
}

export function parseTransactionsBenchArgs(argv: readonly string[]): TransactionsBenchOptions | 'help' {
  let o: TransactionsBenchOptions = { ...DEFAULT_TRANSACTIONS_BENCH_OPTIONS };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    const next = (): string | undefined => argv[++index];
    switch (flag) {
      case '--rounds':
        o = { ...o, rounds: integerFlag(flag, next(), 1, LIMITS.roundsMax) };
        break;
      case '--transaction-sizes':
        o = { ...o, transactionSizes: parseSizes(next()) };
        break;
      case '--partitions':
        o = { ...o, partitions: integerFlag(flag, next(), 1, LIMITS.partitionsMax) };
        break;
      case '--record-size':
        o = { ...o, recordSizeBytes: integerFlag(flag, next(), 1, LIMITS.recordSizeBytesMax) };
        break;
      case '--produce-duration-ms':
        o = {
          ...o,
          produceDurationMs: integerFlag(flag, next(), LIMITS.durationMsMin, LIMITS.durationMsMax),
        };
        break;
      case '--send-records':
        o = { ...o, sendRecords: integerFlag(flag, next(), 1, LIMITS.sendRecordsMax) };
        break;
      case '--sends-in-flight':
        o = { ...o, sendsInFlight: integerFlag(flag, next(), 1, LIMITS.sendsInFlightMax) };
        break;
      case '--consume-transactions':
        o = { ...o, consumeTransactions: integerFlag(flag, next(), 1, LIMITS.consumeRecordsMax) };
        break;
      case '--consume-transaction-records':
        o = { ...o, consumeTransactionRecords: integerFlag(flag, next(), 1, LIMITS.transactionRecordsMax) };
        break;
      case '--abort-every':
        o = { ...o, abortEvery: integerFlag(flag, next(), 0, LIMITS.consumeRecordsMax) };
        break;
      case '--json':
        o = { ...o, json: true };
        break;
      case '--help':
      case '-h':
        return 'help';
      default:
        throw new Error(`unknown flag ${flag}\n${TRANSACTIONS_BENCH_USAGE}`);
    }
  }
  return checked(o);
}

/** The variants of a run: the baseline first, then each transaction size. */
export function produceVariants(
  options: Pick<TransactionsBenchOptions, 'transactionSizes'>,
): ProduceVariant[] {
  return [
    { kind: 'idempotent' },
    ...options.transactionSizes.map((records): ProduceVariant => ({ kind: 'transactional', records })),
  ];
}
