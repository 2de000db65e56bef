/**
 * The short chaos mix for CI (issue 6): real processes (3 controllers, 3 brokers), the producer, consumer
 * group and metadata workloads, faults from the nemesis (kill and pause), then every checker. One fixed
 * seed plus one random seed, printed so that a failure can be replayed with `npm run chaos -- --seed N`
 * (a second fixed seed was dropped to keep the whole suite within its time budget; `npm run chaos` runs long
 * campaigns). Then a slice of the transactional workload (issue 14: `npm run chaos -- --workload txn`), one
 * fixed seed with kills and pauses, and its own check that the transaction checkers bite on a real run.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NemesisKind } from './nemesis-types.js';
import { formatReport } from './report.js';
import { runChaos, totals } from './runner.js';
import { formatTxnReport } from './txn-report.js';
import { runTxnChaos, txnTotals } from './txn-runner.js';

const KINDS: readonly NemesisKind[] = ['kill', 'pause'];
/** Far below what a healthy 15 s run acknowledges (thousands), far above what a stuck one does. */
const ACKED_MIN = 200;
const RANDOM_SEED = randomInt(2 ** 31);
/** Far below what a healthy 15 s transactional run commits (dozens), above what a stuck one does. */
const TXN_COMMITTED_MIN = 5;

async function runAndCheck(seed: number, durationS: number): Promise<void> {
  const result = await runChaos({ durationS, seed, kinds: KINDS });
  const report = formatReport(result);
  console.log(report);
  const counts = totals(result);
  // The report names every anomaly with its records; it is the failure message.
  expect(counts.anomalies, report).toBe(0);
  expect(counts.acked, report).toBeGreaterThan(ACKED_MIN);
  expect(result.history.finalRead?.size).toBe(result.history.partitions);
}

describe('chaos (short CI mix: kill, pause)', () => {
  it('seed 1, 15 s', async () => {
    await runAndCheck(1, 15);
  }, 120_000);

  it(`random seed ${RANDOM_SEED}, 15 s`, async () => {
    console.log(`chaos: random seed ${RANDOM_SEED}`);
    await runAndCheck(RANDOM_SEED, 15);
  }, 120_000);

  it('finds the duplicates of a producer without idempotence whose responses are lost (the checks can fail)', async () => {
    const result = await runChaos({ durationS: 6, seed: 5, kinds: [], brokenProducer: true });
    const duplicates = result.anomalies.get('duplicates') ?? [];
    console.log(formatReport(result).split('\n').slice(-3).join('\n'));
    expect(duplicates.length).toBeGreaterThan(0);
    expect(totals(result).duplicated).toBeGreaterThan(0);
  }, 120_000);
});

describe('chaos (transactions: kill, pause)', () => {
  it('seed 3, 15 s', async () => {
    const result = await runTxnChaos({ durationS: 15, seed: 3, kinds: KINDS });
    const report = formatTxnReport(result);
    console.log(report);
    const counts = txnTotals(result);
    expect(counts.anomalies, report).toBe(0);
    expect(counts.committed, report).toBeGreaterThan(TXN_COMMITTED_MIN);
  }, 150_000);

  it('reports aborted reads when the read_committed consumer fetches read_uncommitted (the checks can fail)', async () => {
    const result = await runTxnChaos({ durationS: 6, seed: 4, kinds: [], brokenReadCommitted: true });
    console.log(formatTxnReport(result).split('\n').slice(-3).join('\n'));
    expect(result.anomalies.get('aborted reads (G1a)')?.length ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
