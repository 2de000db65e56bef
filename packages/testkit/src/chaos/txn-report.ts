/**
 * The summary of a transactional chaos run. The text always ends with exactly one line
 * `committed=C aborted=A indeterminate=I anomalies=X seed=N`, which scripts grep for.
 */
import { REPORT_LIMITS } from './report.js';
import type { TxnEvent } from './txn-history.js';
import { txnHistoryToJson } from './txn-history.js';
import { type TxnChaosResult, txnTotals } from './txn-runner.js';

export const TXN_REPORT_LIMITS = { notesPerSourceMax: 4 } as const;

export function txnSummaryLine(result: TxnChaosResult): string {
  const t = txnTotals(result);
  return `committed=${t.committed} aborted=${t.aborted} indeterminate=${t.indeterminate} anomalies=${t.anomalies} seed=${result.seed}`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts.size === 0 ? 'none' : [...counts].map(([name, count]) => `${name}=${count}`).join(' ');
}

function describeTransactions(what: string, list: readonly TxnEvent[]): string {
  const records = list.reduce((sum, t) => sum + t.writes.length, 0);
  const outcomes = countBy(list, (t) => `${t.intent}→${t.outcome}`);
  const codes = countBy(
    list.filter((t) => t.code !== undefined),
    (t) => t.code ?? '',
  );
  return `${what}: ${list.length} (${records} records; ${outcomes}; codes: ${codes})`;
}

export function formatTxnReport(result: TxnChaosResult): string {
  const { history } = result;
  const pipeline = history.transactions.filter((t) => t.transactionalId.startsWith('txn-pipeline'));
  const producers = history.transactions.filter((t) => !t.transactionalId.startsWith('txn-pipeline'));
  const count = (contents: ReadonlyMap<string, readonly unknown[]> | undefined): number =>
    [...(contents?.values() ?? [])].reduce((sum, list) => sum + list.length, 0);
  const offsets = [...(history.finalGroupOffsets ?? new Map<number, number>())]
    .map(([partition, offset]) => `p${partition}=${offset}`)
    .join(' ');
  const lines = [
    `chaos run (transactions): seed ${result.seed}, nemesis ${result.nemesisName} (${result.kinds.join(',')})`,
    `faults injected: ${result.faults.length} (${countBy(result.faults, (f) => f.kind)})${result.skippedFaults === undefined ? '' : `, ${result.skippedFaults} planned faults skipped`}`,
    describeTransactions('producer transactions', producers),
    describeTransactions('pipeline transactions', pipeline),
    `polls: ${countBy(history.polls, (p) => p.isolation)} (${history.polls.reduce((sum, p) => sum + p.records.length, 0)} records)`,
    `final read: ${count(history.finalRead?.committed)} records read_committed, ${count(history.finalRead?.uncommitted)} read_uncommitted`,
    `pipeline group offsets: ${offsets === '' ? 'none' : offsets}`,
  ];
  for (const problem of result.problems) lines.push(`warning: ${problem}`);
  // A few notes per source: one busy worker must not hide the others'.
  const shown = new Map<string, number>();
  for (const note of history.notes) {
    const count = shown.get(note.source) ?? 0;
    shown.set(note.source, count + 1);
    if (count < TXN_REPORT_LIMITS.notesPerSourceMax) {
      lines.push(`note: ${note.source} at ${note.atMs.toFixed(0)} ms: ${note.message}`);
    }
  }
  for (const [source, count] of shown) {
    if (count > TXN_REPORT_LIMITS.notesPerSourceMax) {
      lines.push(`... and ${count - TXN_REPORT_LIMITS.notesPerSourceMax} more notes from ${source}`);
    }
  }
  for (const [checker, anomalies] of result.anomalies) {
    lines.push(`check ${checker}: ${anomalies.length === 0 ? 'ok' : `${anomalies.length} anomalies`}`);
    for (const anomaly of anomalies.slice(0, REPORT_LIMITS.anomaliesPerCheckerMax)) {
      lines.push(`  [${anomaly.kind}] ${anomaly.message}`);
      for (const record of anomaly.records.slice(0, REPORT_LIMITS.recordsPerAnomalyMax)) {
        lines.push(`      ${record}`);
      }
    }
    if (anomalies.length > REPORT_LIMITS.anomaliesPerCheckerMax) {
      lines.push(`  ... and ${anomalies.length - REPORT_LIMITS.anomaliesPerCheckerMax} more`);
    }
  }
  lines.push(txnSummaryLine(result));
  return lines.join('\n');
}

export function txnReportJson(result: TxnChaosResult): string {
  return JSON.stringify({
    seed: result.seed,
    kinds: result.kinds,
    nemesis: result.nemesisName,
    totals: txnTotals(result),
    faults: result.faults,
    skippedFaults: result.skippedFaults ?? null,
    anomalies: Object.fromEntries(result.anomalies),
    problems: result.problems,
    history: txnHistoryToJson(result.history),
  });
}
