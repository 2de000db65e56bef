/**
 * `trib partitions reassignments [--watch]` and the `--wait` of reassign, plan and decommission: polls
 * the controller's list of running reassignments and the partition leaders' replica progress, and
 * shows adding replicas, bytes behind (an estimate), rate and ETA. On a terminal the table is redrawn in
 * place; otherwise (or with --json) every poll prints one line or JSON object. Ends when the watched
 * moves are all done; fails with REQUEST_TIMED_OUT when they outlast the time limit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Admin,
  type OngoingReassignmentDescription,
  type PartitionReplicasDescription,
  ProgressTracker,
  type ProgressWithRate,
  reassignmentProgress,
} from '@tributary/client';
import { TributaryError } from '@tributary/core';
import { asTributaryError } from '@tributary/protocol';
import type { CommandContext } from '../context.js';
import { formatTable, jsonLine, list } from '../format.js';

/** How long --watch/--wait may run when --timeout-ms is not given. */
export const WATCH_DEFAULT_TIMEOUT_MS = 3_600_000;
/** Deadline of each poll's calls, whatever the overall limit. */
const POLL_CALL_TIMEOUT_MS_MAX = 10_000;
/** Polls one watch may make, whatever the interval ("put a limit on everything"). */
const WATCH_POLLS_MAX = 1_000_000;

/** ANSI: cursor up n lines, then clear to the end of the screen. */
const redrawPrefix = (lines: number): string => (lines > 0 ? `\u001b[${lines}A\u001b[J` : '');

export interface WatchOptions {
  /** Keep polling until the watched moves are done; otherwise one sample. */
  readonly follow: boolean;
  readonly intervalMs: number;
  /** The overall limit of a followed watch. */
  readonly timeoutMs: number;
  /** Only these `topic-partition`s (when given): the watch ends when none of them is still moving. */
  readonly only?: ReadonlySet<string>;
  /** Redraw in place (stdout is a terminal and not --json). */
  readonly redraw: boolean;
}

export interface ReassignmentSample {
  readonly timestampMs: number;
  /** The replication throttle, bytes/s per broker; null when none is set. */
  readonly throttleBytesPerSec: number | null;
  readonly reassignments: readonly ProgressWithRate[];
}

export const partitionKey = (topic: string, partition: number): string => `${topic}-${partition}`;

/** Human bytes in 1000s (B, KB, MB, GB, TB), one decimal above bytes. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatDurationMs(ms: number | null): string {
  if (ms === null) return '?';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function addingCell(progress: ProgressWithRate): string {
  if (progress.adding.length === 0) return '-';
  return progress.adding.map((a) => (a.inIsr ? `${a.brokerId}(isr)` : String(a.brokerId))).join(',');
}

export function formatReassignmentTable(sample: ReassignmentSample): string[] {
  if (sample.reassignments.length === 0) return ['no reassignments in progress'];
  const rows = sample.reassignments.map((p) => [
    partitionKey(p.topic, p.partition),
    list(p.replicas.filter((id) => !p.addingReplicas.includes(id))),
    list(p.targetReplicas),
    addingCell(p),
    p.error === null ? formatBytes(p.bytesBehind) : `? (${p.error.code})`,
    p.bytesPerSec === null ? '?' : `${formatBytes(p.bytesPerSec)}/s`,
    formatDurationMs(p.etaMs),
  ]);
  const throttle =
    sample.throttleBytesPerSec === null ? 'none' : `${formatBytes(sample.throttleBytesPerSec)}/s per broker`;
  return [
    ...formatTable(['PARTITION', 'FROM', 'TO', 'ADDING', 'BEHIND (EST.)', 'RATE', 'ETA'], rows),
    `${sample.reassignments.length} moving; throttle ${throttle}`,
  ];
}

/** One line per sample, for logs and pipes. */
export function formatReassignmentLine(sample: ReassignmentSample): string {
  const at = new Date(sample.timestampMs).toISOString();
  if (sample.reassignments.length === 0) return `${at} no reassignments in progress`;
  const parts = sample.reassignments.map(
    (p) =>
      `${partitionKey(p.topic, p.partition)} +${list(p.addingReplicas)} behind ${formatBytes(p.bytesBehind)} eta ${formatDurationMs(p.etaMs)}`,
  );
  return `${at} ${sample.reassignments.length} moving: ${parts.join('; ')}`;
}

/** Progress from the leaders is best-effort: unreachable brokers leave bytes unknown, not a failure. */
async function describeLeaders(
  admin: Admin,
  ongoing: readonly OngoingReassignmentDescription[],
  deadlineMs: number,
): Promise<PartitionReplicasDescription[]> {
  if (ongoing.length === 0) return [];
  try {
    return await admin.describeReplicas(
      ongoing.map((o) => ({ topic: o.topic, partition: o.partition.partition })),
      { deadlineMs },
    );
  } catch {
    return [];
  }
}

export async function takeSample(
  context: CommandContext,
  admin: Admin,
  tracker: ProgressTracker,
  only: ReadonlySet<string> | undefined,
): Promise<ReassignmentSample> {
  const deadlineMs = Math.min(context.options.timeoutMs, POLL_CALL_TIMEOUT_MS_MAX);
  const listing = await admin.listPartitionReassignments([], { deadlineMs, signal: context.io.signal });
  const ongoing = listing.reassignments.filter(
    (o) => only === undefined || only.has(partitionKey(o.topic, o.partition.partition)),
  );
  const described = await describeLeaders(admin, ongoing, deadlineMs);
  const timestampMs = context.io.clock.wallMs();
  return {
    timestampMs,
    throttleBytesPerSec: listing.throttleBytesPerSec,
    reassignments: tracker.observe(timestampMs, reassignmentProgress(ongoing, described)),
  };
}

/** Runs the watch; resolves when done (or interrupted), rejects with REQUEST_TIMED_OUT past the limit. */
export async function watchReassignments(
  context: CommandContext,
  admin: Admin,
  options: WatchOptions,
): Promise<void> {
  const { io } = context;
  const tracker = new ProgressTracker();
  const startedMs = performance.now();
  let drawnLines = 0;
  for (let poll = 0; poll < WATCH_POLLS_MAX && !io.signal.aborted; poll++) {
    const sample = await takeSample(context, admin, tracker, options.only);
    if (context.options.json) io.out(jsonLine(sample));
    else if (!options.follow || options.redraw) {
      const lines = formatReassignmentTable(sample);
      lines[0] = redrawPrefix(drawnLines) + (lines[0] ?? '');
      for (const line of lines) io.out(line);
      drawnLines = options.redraw ? lines.length : 0;
    } else io.out(formatReassignmentLine(sample));
    if (!options.follow || sample.reassignments.length === 0) return;
    if (performance.now() - startedMs + options.intervalMs > options.timeoutMs) {
      throw new TributaryError(
        'REQUEST_TIMED_OUT',
        `${sample.reassignments.length} reassignment(s) still running after ${options.timeoutMs} ms`,
      );
    }
    await sleep(options.intervalMs, undefined, { signal: io.signal }).catch((error: unknown) => {
      if (!io.signal.aborted) throw asTributaryError(error);
    });
  }
  // runCli reports an interrupted wait as such (exit 130): the moves were not seen to finish.
  if (io.signal.aborted) throw new TributaryError('UNKNOWN', 'interrupted');
}
