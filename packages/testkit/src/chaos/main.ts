#!/usr/bin/env node
/**
 * `npm run chaos -- --duration S --seed N [--nemesis kill,pause,partition,slow,corrupt] [--brokers 3] [--json]
 *   [--workload idempotent|txn]`
 * Runs one chaos run and prints its summary, ending in `acked=A lost=L duplicated=D anomalies=X seed=N`
 * (with `--workload txn`, the transactional workload: `committed=C aborted=A indeterminate=I anomalies=X seed=N`).
 * Exit code: 0 clean, 1 anomalies found, 2 the run itself failed (bad arguments, cluster never settled...).
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseNemesisKinds } from './nemesis-types.js';
import { formatReport, reportJson } from './report.js';
import { runChaos, totals } from './runner.js';
import { formatTxnReport, txnReportJson } from './txn-report.js';
import { runTxnChaos, txnTotals } from './txn-runner.js';

const USAGE =
  'usage: npm run chaos -- --duration S [--seed N] [--nemesis kill,pause,partition,slow,corrupt] [--brokers 3] [--json] [--workload idempotent|txn]';
const WORKLOADS = ['idempotent', 'txn'] as const;
const SEED_MAX = 2 ** 31;

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`--${name} must be a whole number >= 0, got ${raw}`);
  return value;
}

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string' },
      seed: { type: 'string' },
      nemesis: { type: 'string' },
      brokers: { type: 'string' },
      json: { type: 'boolean', default: false },
      workload: { type: 'string', default: 'idempotent' },
    },
    strict: true,
  });
  const durationS = wholeNumber('duration', values.duration, 60);
  if (durationS === 0) throw new RangeError('--duration must be > 0');
  const seed = wholeNumber('seed', values.seed, randomInt(SEED_MAX));
  const kinds = parseNemesisKinds(values.nemesis ?? 'kill');
  const brokers = wholeNumber('brokers', values.brokers, 3);
  if (brokers < 3) throw new RangeError('--brokers must be >= 3 (the topic has replication factor 3)');
  const workload = WORKLOADS.find((w) => w === values.workload);
  if (workload === undefined) {
    throw new RangeError(`unknown workload ${values.workload}; choose from ${WORKLOADS.join(',')}`);
  }
  return { durationS, seed, kinds, brokers, json: values.json, workload };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  console.error(`chaos: seed ${options.seed}`);
  const started = performance.now();
  const log = (line: string): void =>
    console.error(`chaos [${((performance.now() - started) / 1_000).toFixed(1)} s] ${line}`);
  if (options.workload === 'txn') {
    const result = await runTxnChaos({ ...options, log });
    if (options.json) console.log(txnReportJson(result));
    console.log(formatTxnReport(result));
    return txnTotals(result).anomalies === 0 ? 0 : 1;
  }
  const result = await runChaos({ ...options, log });
  if (options.json) console.log(reportJson(result));
  console.log(formatReport(result));
  return totals(result).anomalies === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 2;
  },
);
