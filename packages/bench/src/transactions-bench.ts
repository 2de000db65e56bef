#!/usr/bin/env node
/**
 * Transactions benchmark (issue 14): what transactions cost a producer and a read_committed consumer. For
 * each round starts a fresh cluster of 3 controllers + 3 brokers (real processes), then in an order that
 * rotates per round writes 100-byte records for a fixed time with the idempotent producer (the baseline)
 * and with transactions of 100, 1,000 and 10,000 records, each to its own 6-partition RF=3 topic; then
 * writes transactions with some aborted and reads them back from the start at both isolation levels.
 * Reports medians with every run, and ratios against the baseline of the same round.
 * Usage: node dist/transactions-bench.js [--rounds N] [--transaction-sizes ...] [--json] (see --help)
 */
import { cpus, loadavg } from 'node:os';
import { startCluster } from '@tributary/testkit';
import { runOrder } from './client/produce-variants.js';
import {
  errorMessage,
  type RunningCluster,
  runBenchMain,
  runClusterBench,
  startWithRetry,
} from './cluster-helpers.js';
import { clockTicksPerSecond } from './kafka/proc-cpu.js';
import { round } from './stats.js';
import {
  parseTransactionsBenchArgs,
  produceVariants,
  TRANSACTIONS_BENCH_USAGE,
  type TransactionsBenchOptions,
  variantName,
} from './transactions/options.js';
import { formatTransactionsBenchSummary, summarizeTransactionsBench } from './transactions/report.js';
import {
  type ConsumeRun,
  consumeRun,
  type ProduceRun,
  produceRun,
  type WorkloadContext,
  writeConsumeData,
} from './transactions/workload.js';

/** Cluster start and stop, topic creation, the consume data's writing, per round. */
const ROUND_OVERHEAD_TIMEOUT_MS = 240_000;
/** Per produce variant on top of its duration: the last transaction's end, a slow machine. */
const VARIANT_SLACK_MS = 60_000;

function progress(line: string): void {
  process.stderr.write(`[transactions-bench] ${line}\n`);
}

function benchTimeoutMs(options: TransactionsBenchOptions): number {
  const variants = options.transactionSizes.length + 1;
  return (
    (ROUND_OVERHEAD_TIMEOUT_MS + variants * (options.produceDurationMs + VARIANT_SLACK_MS)) * options.rounds
  );
}

interface Collected {
  readonly produce: ProduceRun[];
  readonly consume: ConsumeRun[];
  readonly errors: string[];
}

async function attempt<T>(
  what: string,
  collected: Collected,
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    collected.errors.push(`${what}: ${errorMessage(error)}`);
    progress(`${what} failed: ${errorMessage(error)}`);
    return undefined;
  }
}

async function runRound(context: WorkloadContext, collected: Collected): Promise<void> {
  const index = context.round - 1;
  for (const variant of runOrder(produceVariants(context.options), index)) {
    const name = variantName(variant);
    const run = await attempt(`round ${context.round} ${name}`, collected, () =>
      produceRun(context, variant),
    );
    if (run === undefined) continue;
    collected.produce.push(run);
    progress(
      `round ${context.round} ${name}: ${round(run.recordsPerSecond, 0)} records/s (${run.transactions} ` +
        `transactions); client ${round(run.clientCores, 2)} cores, brokers ${round(run.brokerCores, 2)} cores`,
    );
  }
  const data = await attempt(`round ${context.round} consume data`, collected, () =>
    writeConsumeData(context),
  );
  if (data === undefined) return;
  for (const readCommitted of runOrder([false, true], index)) {
    const level = readCommitted ? 'read_committed' : 'read_uncommitted';
    const run = await attempt(`round ${context.round} ${level}`, collected, () =>
      consumeRun(context, data, readCommitted),
    );
    if (run === undefined) continue;
    collected.consume.push(run);
    progress(
      `round ${context.round} ${level}: ${round(run.recordsPerSecond, 0)} records/s delivered, ` +
        `${round(run.coveredPerSecond, 0)} gone through; client ${round(run.clientCores, 2)} cores`,
    );
  }
}

async function measure(options: TransactionsBenchOptions, running: RunningCluster): Promise<number> {
  const startMs = performance.now();
  const loadAverageAtStart = loadavg().map((l) => round(l, 2));
  const collected: Collected = { produce: [], consume: [], errors: [] };
  for (let index = 0; index < options.rounds; index++) {
    progress(`round ${index + 1}: starting a cluster of 3 controllers + 3 brokers`);
    const started = await attempt(`round ${index + 1} cluster`, collected, () =>
      startWithRetry(() => startCluster({ brokers: 3, logLevel: 'warn' }), progress),
    );
    if (started === undefined) continue;
    running.cluster = started;
    try {
      await runRound(
        { cluster: started, round: index + 1, options, ticksPerSecond: clockTicksPerSecond() },
        collected,
      );
    } finally {
      await started.stop();
      running.cluster = undefined;
    }
  }
  const variants = produceVariants(options).map(variantName);
  const summary = summarizeTransactionsBench(
    collected.produce,
    collected.consume,
    variants,
    collected.errors,
  );
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
  };
  const { json: _json, ...config } = options;
  const header =
    `Tributary transactions: 3 controllers + 3 brokers per round, RF=3, ${options.partitions} partitions, ` +
    `${options.recordSizeBytes}-byte records, acks=all; each produce variant ${options.produceDurationMs} ms with ` +
    `sends of ${options.sendRecords} records, ${options.sendsInFlight} in flight; consume: ` +
    `${options.consumeTransactions} transactions of ${options.consumeTransactionRecords} records, every ` +
    `${options.abortEvery}th aborted; the client runs in the bench process\n` +
    `  ${machine.cpus} × ${machine.cpuModel}; load average at start ${machine.loadAverageAtStart.join(' ')}, ` +
    `at end ${machine.loadAverageAtEnd.join(' ')}`;
  const report = {
    config,
    machine,
    summary,
    runs: { produce: collected.produce, consume: collected.consume },
    totalMs: round(performance.now() - startMs, 0),
  };
  process.stdout.write(
    `${options.json ? JSON.stringify(report) : formatTransactionsBenchSummary(summary, header)}\n`,
  );
  return collected.errors.length === 0 ? 0 : 1;
}

runBenchMain('transactions-bench', () =>
  runClusterBench({
    name: 'transactions-bench',
    usage: TRANSACTIONS_BENCH_USAGE,
    parse: parseTransactionsBenchArgs,
    timeoutMs: benchTimeoutMs,
    measure,
  }),
);
