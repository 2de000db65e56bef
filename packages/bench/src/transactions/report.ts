/**
 * The transactions benchmark's summary (pure): per produce variant the medians of its rounds (every run
 * listed) and its records/s over the idempotent run of the same round; per isolation level the read rates
 * and read_committed's rate over read_uncommitted's in the same round. Ratios are taken per round, so the
 * machine's drift between rounds stays out of them.
 */
import { type Series, series } from '../stats.js';
import type { ConsumeRun, ProduceRun } from './workload.js';

export interface ProduceSummary {
  readonly variant: string;
  readonly rounds: number;
  readonly recordsPerSecond: Series;
  readonly mbPerSecond: Series;
  readonly transactionsPerSecond: Series;
  /** records/s over the idempotent run's in the same round (1 for the baseline itself). */
  readonly ratioToIdempotent: Series;
  readonly clientCores: Series;
  readonly brokerCores: Series;
  readonly clientCpuUsPerRecord: Series;
  readonly brokerCpuUsPerRecord: Series;
}

export interface ConsumeSummary {
  readonly isolation: ConsumeRun['isolation'];
  readonly rounds: number;
  readonly recordsPerSecond: Series;
  readonly coveredPerSecond: Series;
  /** Log records gone through per second over read_uncommitted's in the same round. */
  readonly coveredRatioToUncommitted: Series;
  readonly clientCores: Series;
  readonly brokerCores: Series;
}

export interface TransactionsBenchSummary {
  readonly produce: ProduceSummary[];
  readonly consume: ConsumeSummary[];
  readonly errors: string[];
}

function sameRoundRatios<R extends { readonly round: number }>(
  runs: readonly R[],
  mine: (run: R) => boolean,
  base: (run: R) => boolean,
  figure: (run: R) => number,
): number[] {
  const ratios: number[] = [];
  for (const run of runs) {
    if (!mine(run)) continue;
    const baseline = runs.find((r) => base(r) && r.round === run.round);
    if (baseline !== undefined) ratios.push(figure(run) / figure(baseline));
  }
  return ratios;
}

export function summarizeTransactionsBench(
  produceRuns: readonly ProduceRun[],
  consumeRuns: readonly ConsumeRun[],
  variants: readonly string[],
  errors: readonly string[],
): TransactionsBenchSummary {
  const produce = variants.map((variant): ProduceSummary => {
    const mine = produceRuns.filter((r) => r.variant === variant);
    return {
      variant,
      rounds: mine.length,
      recordsPerSecond: series(
        mine.map((r) => r.recordsPerSecond),
        0,
      ),
      mbPerSecond: series(mine.map((r) => r.mbPerSecond)),
      transactionsPerSecond: series(
        mine.map((r) => (r.transactions / r.wallMs) * 1_000),
        1,
      ),
      ratioToIdempotent: series(
        sameRoundRatios(
          produceRuns,
          (r) => r.variant === variant,
          (r) => r.variant === 'idempotent',
          (r) => r.recordsPerSecond,
        ),
        3,
      ),
      clientCores: series(mine.map((r) => r.clientCores)),
      brokerCores: series(mine.map((r) => r.brokerCores)),
      clientCpuUsPerRecord: series(mine.map((r) => r.clientCpuUsPerRecord)),
      brokerCpuUsPerRecord: series(mine.map((r) => r.brokerCpuUsPerRecord)),
    };
  });
  const consume = (['read_uncommitted', 'read_committed'] as const).map((isolation): ConsumeSummary => {
    const mine = consumeRuns.filter((r) => r.isolation === isolation);
    return {
      isolation,
      rounds: mine.length,
      recordsPerSecond: series(
        mine.map((r) => r.recordsPerSecond),
        0,
      ),
      coveredPerSecond: series(
        mine.map((r) => r.coveredPerSecond),
        0,
      ),
      coveredRatioToUncommitted: series(
        sameRoundRatios(
          consumeRuns,
          (r) => r.isolation === isolation,
          (r) => r.isolation === 'read_uncommitted',
          (r) => r.coveredPerSecond,
        ),
        3,
      ),
      clientCores: series(mine.map((r) => r.clientCores)),
      brokerCores: series(mine.map((r) => r.brokerCores)),
    };
  });
  return { produce, consume, errors: [...errors] };
}

function runs(s: Series): string {
  return `${s.median} (${s.runs.join(' / ')})`;
}

export function formatTransactionsBenchSummary(summary: TransactionsBenchSummary, header: string): string {
  const lines = [header, 'produce'];
  for (const p of summary.produce) {
    lines.push(
      `  ${p.variant} (${p.rounds} rounds): ${runs(p.recordsPerSecond)} records/s, ${runs(p.mbPerSecond)} MB/s` +
        (p.variant === 'idempotent'
          ? ''
          : `, ${runs(p.transactionsPerSecond)} transactions/s; ÷ idempotent per round ${runs(p.ratioToIdempotent)}`),
      `    client ${runs(p.clientCores)} cores (${runs(p.clientCpuUsPerRecord)} µs/record), brokers ` +
        `${runs(p.brokerCores)} cores (${runs(p.brokerCpuUsPerRecord)} µs/record)`,
    );
  }
  lines.push('consume from the start');
  for (const c of summary.consume) {
    lines.push(
      `  ${c.isolation} (${c.rounds} rounds): ${runs(c.recordsPerSecond)} records/s delivered, ` +
        `${runs(c.coveredPerSecond)} log records/s gone through` +
        (c.isolation === 'read_uncommitted'
          ? ''
          : `; ÷ read_uncommitted per round ${runs(c.coveredRatioToUncommitted)}`),
      `    client ${runs(c.clientCores)} cores, brokers ${runs(c.brokerCores)} cores`,
    );
  }
  for (const error of summary.errors) lines.push(`error: ${error}`);
  return lines.join('\n');
}
