/**
 * `trib partitions reassign|plan|reassignments|cancel|elect-leaders` (issue 7, scaling out): partition
 * moves and preferred leader election through the active controller, with progress read from the
 * partition leaders (`--bootstrap`). The planner is packages/metadata's planRebalance (pure).
 */
import type { Admin, ReassignmentOutcome, ReassignmentTargetSpec } from '@tributary/client';
import { isErrorCode, TributaryError, validateTopicName } from '@tributary/core';
import {
  planRebalance,
  type RebalancePartition,
  type RebalanceTarget,
  summarizeRebalance,
} from '@tributary/metadata';
import { type CommandContext, withAdmin } from '../context.js';
import { formatTable, jsonLine, list } from '../format.js';
import { partitionKey, watchReassignments } from './reassignment-watch.js';

/** Targets per AlterPartitionReassignments call when a plan is executed (the client allows 10,000). */
const EXECUTE_BATCH_TARGETS = 1_000;

export interface WaitSettings {
  readonly wait: boolean;
  readonly intervalMs: number;
  /** The overall limit of a wait: --timeout-ms when given, else WATCH_DEFAULT_TIMEOUT_MS. */
  readonly waitTimeoutMs: number;
  readonly redraw: boolean;
}

export function adminCall(context: CommandContext): { deadlineMs: number; signal: AbortSignal } {
  return { deadlineMs: context.options.timeoutMs, signal: context.io.signal };
}

/** Prints each outcome; fails with the first refused partition's code once all are printed. */
export function reportOutcomes(
  context: CommandContext,
  outcomes: readonly ReassignmentOutcome[],
  verb: string,
): void {
  if (context.options.json) context.io.out(jsonLine({ results: outcomes }));
  const refused = outcomes.filter((o) => o.error !== null);
  if (!context.options.json) {
    for (const o of outcomes) {
      const where = partitionKey(o.topic, o.partition);
      if (o.error !== null) continue;
      const state = o.state;
      const detail =
        state === null
          ? ''
          : `: ${list(state.replicas.filter((id) => !state.addingReplicas.includes(id)))} → ${list(
              state.replicas.filter((id) => !state.removingReplicas.includes(id)),
            )}`;
      context.io.out(`${verb} ${where}${detail}`);
    }
  }
  const first = refused[0];
  if (first?.error != null) {
    const code = first.error.code;
    const others = refused.length > 1 ? ` (and ${refused.length - 1} more refused)` : '';
    throw new TributaryError(
      isErrorCode(code) ? code : 'UNKNOWN',
      `${partitionKey(first.topic, first.partition)}: ${first.error.message || code}${others}`,
    );
  }
}

async function waitFor(
  context: CommandContext,
  admin: Admin,
  settings: WaitSettings,
  only: ReadonlySet<string>,
): Promise<void> {
  if (!settings.wait || only.size === 0) return;
  await watchReassignments(context, admin, {
    follow: true,
    intervalMs: settings.intervalMs,
    timeoutMs: settings.waitTimeoutMs,
    only,
    redraw: settings.redraw && !context.options.json,
  });
}

export interface ReassignOptions extends WaitSettings {
  readonly bootstrap: readonly string[];
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
  readonly throttleBytesPerSec?: number;
  readonly validateOnly: boolean;
}

export async function partitionsReassign(context: CommandContext, options: ReassignOptions): Promise<void> {
  validateTopicName(options.topic);
  await withAdmin(context, options.bootstrap, async (admin) => {
    const outcomes = await admin.alterPartitionReassignments(
      [{ topic: options.topic, partition: options.partition, replicas: options.replicas }],
      {
        ...adminCall(context),
        validateOnly: options.validateOnly,
        ...(options.throttleBytesPerSec === undefined
          ? {}
          : { throttleBytesPerSec: options.throttleBytesPerSec }),
      },
    );
    reportOutcomes(context, outcomes, options.validateOnly ? 'would reassign' : 'reassigning');
    if (!options.validateOnly) {
      await waitFor(context, admin, options, new Set([partitionKey(options.topic, options.partition)]));
    }
  });
}

export interface PlanOptions extends WaitSettings {
  readonly bootstrap: readonly string[];
  readonly brokers: readonly number[];
  readonly topics: readonly string[];
  readonly execute: boolean;
  readonly throttleBytesPerSec?: number;
}

/** The current partitions (reassigning ones marked) and the listed brokers with their racks. */
async function planInput(context: CommandContext, admin: Admin, options: PlanOptions) {
  const call = adminCall(context);
  const cluster = await admin.describeCluster(call);
  const registered = new Map(cluster.brokers.map((b) => [b.id, b]));
  const unknown = options.brokers.filter((id) => !registered.has(id));
  if (unknown.length > 0) {
    throw new TributaryError('UNKNOWN_BROKER', `broker(s) ${unknown.join(',')} are not registered`);
  }
  const topics = await admin.describeTopics(options.topics, call);
  const missing = options.topics.filter((name) => !topics.some((t) => t.name === name));
  if (missing.length > 0)
    throw new TributaryError('UNKNOWN_TOPIC', `topic(s) ${missing.join(',')} do not exist`);
  const moving = await admin.listPartitionReassignments(options.topics, call);
  const reassigning = new Set(moving.reassignments.map((r) => partitionKey(r.topic, r.partition.partition)));
  const partitions: RebalancePartition[] = topics.flatMap((topic) =>
    topic.partitions.map((p) => ({
      topic: topic.name,
      partition: p.partition,
      replicas: p.replicas,
      reassigning: reassigning.has(partitionKey(topic.name, p.partition)),
    })),
  );
  const brokers = options.brokers.map((id) => ({ id, rack: registered.get(id)?.rack ?? null }));
  return { partitions, brokers, reassigningCount: reassigning.size };
}

function printPlan(
  context: CommandContext,
  targets: readonly RebalanceTarget[],
  summary: ReturnType<typeof summarizeRebalance>,
  reassigningCount: number,
): void {
  const { io } = context;
  if (context.options.json) {
    io.out(jsonLine({ moves: targets, ...summary, reassigningSkipped: reassigningCount }));
    return;
  }
  if (targets.length === 0) io.out('the partitions are balanced over these brokers: nothing to move');
  for (const t of targets)
    io.out(`${partitionKey(t.topic, t.partition)}: ${list(t.current)} → ${list(t.target)}`);
  const rows = summary.brokers.map((b) => [
    String(b.id),
    `${b.replicasBefore} → ${b.replicasAfter}`,
    `${b.leadersBefore} → ${b.leadersAfter}`,
  ]);
  for (const line of formatTable(['BROKER', 'REPLICAS', 'PREFERRED LEADERS'], rows)) io.out(line);
  const skipped =
    reassigningCount > 0 ? `; ${reassigningCount} partition(s) being reassigned left alone` : '';
  io.out(
    `${summary.partitionsChanged} partition(s) change, ${summary.replicasMoved} replica(s) move, ${summary.leadersChanged} preferred leader(s) change${skipped}`,
  );
}

export async function partitionsPlan(context: CommandContext, options: PlanOptions): Promise<void> {
  for (const topic of options.topics) validateTopicName(topic);
  await withAdmin(context, options.bootstrap, async (admin) => {
    const { partitions, brokers, reassigningCount } = await planInput(context, admin, options);
    const targets = planRebalance({ partitions, brokers });
    printPlan(context, targets, summarizeRebalance(partitions, targets, brokers), reassigningCount);
    if (!options.execute || targets.length === 0) return;
    const specs: ReassignmentTargetSpec[] = targets.map((t) => ({
      topic: t.topic,
      partition: t.partition,
      replicas: t.target,
    }));
    const outcomes: ReassignmentOutcome[] = [];
    for (let i = 0; i < specs.length; i += EXECUTE_BATCH_TARGETS) {
      const batch = specs.slice(i, i + EXECUTE_BATCH_TARGETS);
      outcomes.push(
        ...(await admin.alterPartitionReassignments(batch, {
          ...adminCall(context),
          ...(options.throttleBytesPerSec === undefined
            ? {}
            : { throttleBytesPerSec: options.throttleBytesPerSec }),
        })),
      );
    }
    reportOutcomes(context, outcomes, 'reassigning');
    await waitFor(context, admin, options, new Set(specs.map((s) => partitionKey(s.topic, s.partition))));
  });
}

export interface ReassignmentsOptions extends WaitSettings {
  readonly bootstrap: readonly string[];
}

export async function partitionsReassignments(
  context: CommandContext,
  options: ReassignmentsOptions,
): Promise<void> {
  await withAdmin(context, options.bootstrap, (admin) =>
    watchReassignments(context, admin, {
      follow: options.wait,
      intervalMs: options.intervalMs,
      timeoutMs: options.waitTimeoutMs,
      redraw: options.redraw && !context.options.json,
    }),
  );
}

export interface CancelOptions {
  readonly bootstrap: readonly string[];
  readonly all: boolean;
  readonly topic?: string;
  readonly partition?: number;
}

export async function partitionsCancel(context: CommandContext, options: CancelOptions): Promise<void> {
  await withAdmin(context, options.bootstrap, async (admin) => {
    let refs: { topic: string; partition: number }[];
    if (options.all) {
      const listing = await admin.listPartitionReassignments([], adminCall(context));
      refs = listing.reassignments.map((r) => ({ topic: r.topic, partition: r.partition.partition }));
    } else {
      requireOnePartition(options.topic, options.partition);
      refs = [{ topic: options.topic as string, partition: options.partition as number }];
    }
    if (refs.length === 0) {
      if (context.options.json) context.io.out(jsonLine({ results: [] }));
      else context.io.out('no reassignments in progress');
      return;
    }
    reportOutcomes(context, await admin.cancelPartitionReassignments(refs, adminCall(context)), 'cancelled');
  });
}

function requireOnePartition(topic: string | undefined, partition: number | undefined): void {
  if (topic === undefined || partition === undefined) {
    throw new TributaryError('INVALID_REQUEST', 'give --topic and --partition, or --all');
  }
  validateTopicName(topic);
}

export interface ElectOptions {
  readonly bootstrap: readonly string[];
  readonly topic?: string;
  readonly partition?: number;
}

/** Outcomes that count as success: moved, or the preferred leader already led. */
const ELECTION_OK = new Set(['ELECTION_NOT_NEEDED']);

export async function partitionsElectLeaders(context: CommandContext, options: ElectOptions): Promise<void> {
  await withAdmin(context, options.bootstrap, async (admin) => {
    let refs: { topic: string; partition: number }[] = [];
    if (options.topic !== undefined) {
      validateTopicName(options.topic);
      if (options.partition !== undefined) refs = [{ topic: options.topic, partition: options.partition }];
      else {
        const [topic] = await admin.describeTopics([options.topic], adminCall(context));
        if (topic === undefined)
          throw new TributaryError('UNKNOWN_TOPIC', `topic "${options.topic}" does not exist`);
        refs = topic.partitions.map((p) => ({ topic: options.topic as string, partition: p.partition }));
      }
    }
    const outcomes = await admin.electLeaders(refs, adminCall(context));
    if (context.options.json) context.io.out(jsonLine({ results: outcomes }));
    else {
      const rows = outcomes.map((o) => [
        partitionKey(o.topic, o.partition),
        o.error === null ? 'elected' : o.error.code,
        o.leader === null ? '-' : String(o.leader),
      ]);
      for (const line of formatTable(['PARTITION', 'RESULT', 'LEADER'], rows)) context.io.out(line);
    }
    const failed = outcomes.filter((o) => o.error !== null && !ELECTION_OK.has(o.error.code));
    const first = failed[0];
    if (first?.error != null) {
      const code = isErrorCode(first.error.code) ? first.error.code : 'UNKNOWN';
      throw new TributaryError(
        code,
        `${failed.length} of ${outcomes.length} election(s) failed; first ${partitionKey(first.topic, first.partition)}: ${first.error.message || first.error.code}`,
      );
    }
  });
}
