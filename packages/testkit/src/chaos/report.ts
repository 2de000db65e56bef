/**
 * The human (and --json) summary of a chaos run. The text always ends with exactly one line
 * `acked=A lost=L duplicated=D anomalies=X seed=N`, which scripts and CI grep for.
 */
import { historyToJson } from './history.js';
import { type ChaosResult, totals } from './runner.js';

/** Anomalies printed per checker; the count line says how many more there were. */
export const REPORT_LIMITS = { anomaliesPerCheckerMax: 20, recordsPerAnomalyMax: 6 } as const;

export function summaryLine(result: ChaosResult): string {
  const t = totals(result);
  return `acked=${t.acked} lost=${t.lost} duplicated=${t.duplicated} anomalies=${t.anomalies} seed=${result.seed}`;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts.size === 0 ? 'none' : [...counts].map(([name, count]) => `${name}=${count}`).join(' ');
}

export function formatReport(result: ChaosResult): string {
  const { history } = result;
  const sends = history.sends;
  const failed = sends.filter((s) => s.outcome.type === 'failed');
  const definite = failed.filter((s) => s.outcome.type === 'failed' && s.outcome.definite).length;
  const commits = history.commits;
  const finalRecords = [...(history.finalRead?.values() ?? [])].reduce((sum, list) => sum + list.length, 0);
  const lines = [
    `chaos run: seed ${result.seed}, nemesis ${result.nemesisName} (${result.kinds.join(',')})`,
    `faults injected: ${result.faults.length} (${countBy(result.faults, (f) => f.kind)})${result.skippedFaults === undefined ? '' : `, ${result.skippedFaults} planned faults skipped`}`,
    `sends: ${sends.length} records, acked ${sends.length - failed.length}, failed ${failed.length} (definitely ${definite}; by code: ${countBy(failed, (s) => (s.outcome.type === 'failed' ? s.outcome.code : 'acked'))})`,
    `polls: ${history.polls.length} (${history.polls.reduce((sum, p) => sum + p.records.length, 0)} records)`,
    `commits: ${commits.length}, acked ${commits.filter((c) => c.acked).length}`,
    `metadata observations: ${history.metadata.length}`,
    `final read: ${finalRecords} records in ${history.partitions} partitions`,
  ];
  if (result.settleProblem !== undefined)
    lines.push(`warning: the cluster did not settle: ${result.settleProblem}`);
  for (const note of history.notes.slice(0, REPORT_LIMITS.anomaliesPerCheckerMax)) {
    lines.push(`note: ${note.source} at ${note.atMs.toFixed(0)} ms: ${note.message}`);
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
  lines.push(summaryLine(result));
  return lines.join('\n');
}

/** The whole result as JSON (history included), for --json. */
export function reportJson(result: ChaosResult): string {
  return JSON.stringify({
    seed: result.seed,
    kinds: result.kinds,
    nemesis: result.nemesisName,
    totals: totals(result),
    faults: result.faults,
    skippedFaults: result.skippedFaults ?? null,
    anomalies: Object.fromEntries(result.anomalies),
    settleProblem: result.settleProblem ?? null,
    history: historyToJson(result.history),
  });
}
