import { describe, expect, it } from 'vitest';
import { formatTransactionsBenchSummary, summarizeTransactionsBench } from './report.js';
import type { ConsumeRun, ProduceRun } from './workload.js';

const CPU = { clientCores: 0.5, brokerCores: 1, clientCpuUsPerRecord: 2, brokerCpuUsPerRecord: 4 };

function produce(variant: string, round: number, recordsPerSecond: number): ProduceRun {
  return {
    variant,
    round,
    records: recordsPerSecond * 8,
    transactions: variant === 'idempotent' ? 0 : 80,
    wallMs: 8_000,
    recordsPerSecond,
    mbPerSecond: recordsPerSecond / 10_000,
    ...CPU,
  };
}

function consume(isolation: ConsumeRun['isolation'], round: number, coveredPerSecond: number): ConsumeRun {
  return {
    isolation,
    round,
    records: isolation === 'read_committed' ? 900 : 1_000,
    recordsCovered: 1_000,
    wallMs: 1_000,
    recordsPerSecond: isolation === 'read_committed' ? coveredPerSecond * 0.9 : coveredPerSecond,
    coveredPerSecond,
    ...CPU,
  };
}

describe('summarizeTransactionsBench', () => {
  const produceRuns = [
    produce('idempotent', 1, 100_000),
    produce('txn-100', 1, 20_000),
    produce('idempotent', 2, 50_000),
    produce('txn-100', 2, 15_000),
    // A round whose baseline failed has no ratio.
    produce('txn-100', 3, 99_000),
  ];
  const consumeRuns = [consume('read_uncommitted', 1, 200_000), consume('read_committed', 1, 100_000)];

  it('takes ratios against the baseline of the same round only', () => {
    const summary = summarizeTransactionsBench(produceRuns, consumeRuns, ['idempotent', 'txn-100'], []);
    const txn = summary.produce.find((p) => p.variant === 'txn-100');
    expect(txn?.ratioToIdempotent).toEqual({ median: 0.25, runs: [0.2, 0.3] });
    expect(txn?.recordsPerSecond).toEqual({ median: 20_000, runs: [20_000, 15_000, 99_000] });
    expect(txn?.transactionsPerSecond.median).toBe(10);
    const committed = summary.consume.find((c) => c.isolation === 'read_committed');
    expect(committed?.coveredRatioToUncommitted).toEqual({ median: 0.5, runs: [0.5] });
    expect(committed?.recordsPerSecond.median).toBe(90_000);
  });

  it('prints every variant and level, and the errors', () => {
    const summary = summarizeTransactionsBench(produceRuns, consumeRuns, ['idempotent', 'txn-100'], ['boom']);
    const text = formatTransactionsBenchSummary(summary, 'header');
    expect(text).toContain('txn-100 (3 rounds): 20000 (20000 / 15000 / 99000) records/s');
    expect(text).toContain('÷ idempotent per round 0.25 (0.2 / 0.3)');
    expect(text).toContain('÷ read_uncommitted per round 0.5 (0.5)');
    expect(text).toContain('error: boom');
  });
});
