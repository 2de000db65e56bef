/**
 * Consumer-group catch-up per group size (issue 4), against the non-group `trib perf consume` on the same
 * topic. Each run produces M records to a fresh topic, then measures the baseline and every group size
 * (a new group each, so each reads from the beginning) in an order that rotates from run to run.
 */
import type { Cluster } from '@tributary/testkit';
import { type PerfConsumeResult, type PerfProduceResult, runTrib } from '../broker/trib.js';
import { consumeArgs, createTopic, errorMessage, produceArgs } from '../cluster-helpers.js';
import { round, type Series, series } from '../stats.js';
import { type GroupCatchUpResult, groupCatchUp } from './group-catch-up.js';
import type { ClientBenchOptions } from './options.js';
import { BASELINE_VARIANT, runOrder, variantFlags } from './produce-variants.js';
import { runTimeoutMs } from './timeouts.js';

export interface GroupSizeReport {
  readonly members: number;
  /** Records handled and committed per second, from creating the members to close() returning. */
  readonly recordsPerSecond: Series;
  /** Until the first batch reached a handler (join + assignment + first fetch). */
  readonly firstBatchMs: Series;
  /** Until the last record was handled (before the final commit and leave). */
  readonly handledMs: Series;
  readonly committedMs: Series;
  /** This size's median over the perf-consume baseline's median. */
  readonly ratioToBaseline: number;
  /** Redelivered records (delivered - distinct), per run. */
  readonly redelivered: number[];
  /** Whether the committed offsets read back summed to the records, per run. */
  readonly allCommitted: boolean[];
  readonly runErrors: string[];
}

export interface GroupPhaseReport {
  readonly records: number;
  readonly baseline: { readonly recordsPerSecond: Series; readonly runErrors: string[] };
  readonly groups: GroupSizeReport[];
  readonly runErrors: string[];
}

type Step = { readonly kind: 'baseline' } | { readonly kind: 'group'; readonly members: number };

async function produceTopic(cluster: Cluster, topic: string, options: ClientBenchOptions): Promise<number> {
  await createTopic(cluster, topic, options.partitions);
  const produced = await runTrib<PerfProduceResult>(
    produceArgs(cluster, topic, [
      '--messages',
      options.messages,
      ...variantFlags(BASELINE_VARIANT, options.valuePool),
    ]),
    { timeoutMs: runTimeoutMs(options.messages) },
  );
  if (produced.acked === 0) throw new Error(`no record of ${topic} was acknowledged (${produced.lastError})`);
  return produced.acked;
}

export async function groupPhase(
  cluster: Cluster,
  options: ClientBenchOptions,
  progress: (line: string) => void,
): Promise<GroupPhaseReport> {
  const baseline: PerfConsumeResult[] = [];
  const baselineErrors: string[] = [];
  const groups = new Map<number, GroupCatchUpResult[]>(options.members.map((k) => [k, []]));
  const groupErrors = new Map<number, string[]>(options.members.map((k) => [k, []]));
  const runErrors: string[] = [];
  const steps: Step[] = [
    { kind: 'baseline' },
    ...options.members.map((members) => ({ kind: 'group' as const, members })),
  ];
  let records = 0;
  for (let run = 0; run < options.runs; run++) {
    const topic = `catch-up-r${run}`;
    try {
      records = await produceTopic(cluster, topic, options);
    } catch (error) {
      runErrors.push(`run ${run + 1}: producing ${topic}: ${errorMessage(error)}`);
      progress(`catch-up run ${run + 1}: producing ${topic} failed: ${errorMessage(error)}`);
      continue;
    }
    for (const step of runOrder(steps, run)) {
      const label = step.kind === 'baseline' ? 'perf consume' : `group of ${step.members}`;
      try {
        if (step.kind === 'baseline') {
          const result = await runTrib<PerfConsumeResult>(consumeArgs(cluster, topic, records), {
            timeoutMs: runTimeoutMs(records),
          });
          if (result.records < records) throw new Error(`read ${result.records} of ${records} records`);
          baseline.push(result);
          progress(
            `catch-up run ${run + 1}/${options.runs} [${label}]: ${round(result.recordsPerSecond, 0)} records/s`,
          );
        } else {
          const result = await groupCatchUp(cluster, {
            topic,
            groupId: `${topic}-k${step.members}`,
            members: step.members,
            expected: records,
            timeoutMs: runTimeoutMs(records),
          });
          groups.get(step.members)?.push(result);
          progress(
            `catch-up run ${run + 1}/${options.runs} [${label}]: ${round(result.recordsPerSecond, 0)} records/s ` +
              `(first batch after ${round(result.firstBatchMs, 0)} ms, handled in ${round(result.handledMs, 0)} ms, committed and left in ${round(result.committedMs, 0)} ms, ` +
              `${result.delivered - result.records} redelivered, ${result.committed}/${records} committed)`,
          );
        }
      } catch (error) {
        const errors = step.kind === 'baseline' ? baselineErrors : groupErrors.get(step.members);
        errors?.push(`run ${run + 1}: ${errorMessage(error)}`);
        progress(`catch-up run ${run + 1} [${label}] failed: ${errorMessage(error)}`);
      }
    }
  }
  const baselineSeries = series(
    baseline.map((r) => r.recordsPerSecond),
    0,
  );
  return {
    records,
    baseline: { recordsPerSecond: baselineSeries, runErrors: baselineErrors },
    groups: options.members.map((members) => {
      const runs = groups.get(members) ?? [];
      const recordsPerSecond = series(
        runs.map((r) => r.recordsPerSecond),
        0,
      );
      return {
        members,
        recordsPerSecond,
        firstBatchMs: series(
          runs.map((r) => r.firstBatchMs),
          0,
        ),
        handledMs: series(
          runs.map((r) => r.handledMs),
          0,
        ),
        committedMs: series(
          runs.map((r) => r.committedMs),
          0,
        ),
        ratioToBaseline: round(recordsPerSecond.median / baselineSeries.median, 3),
        redelivered: runs.map((r) => r.delivered - r.records),
        allCommitted: runs.map((r) => r.committed === r.records),
        runErrors: groupErrors.get(members) ?? [],
      };
    }),
    runErrors,
  };
}
