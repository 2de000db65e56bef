/**
 * How far running reassignments have got, from the controller's list (which replicas are being added)
 * and the partition leaders' DescribeReplicas answers (log extents and each replica's log end offset).
 * Pure: the caller fetches both and passes the sample time in.
 *
 * Bytes behind is an ESTIMATE: offsets behind × the leader log's average bytes per offset
 * (size_bytes / (log_end − log_start)). Batches differ in size and compression, and the size counts
 * every segment on disk, so the figure is right on average, not exact.
 */
import { assert } from '@tributary/core';
import type {
  OngoingReassignmentDescription,
  PartitionError,
  PartitionReplicasDescription,
} from './reassignments.js';

export interface AddingReplicaProgress {
  readonly brokerId: number;
  /** As the leader last saw it; null when the replica has not fetched yet (it starts at the log start). */
  readonly logEndOffset: number | null;
  /** Leader's log end − the replica's (from the log start when it has not fetched yet). */
  readonly offsetsBehind: number | null;
  /** Estimated: offsetsBehind × the leader log's average bytes per offset. */
  readonly bytesBehind: number | null;
  readonly inIsr: boolean;
}

export interface PartitionReassignmentProgress {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number | null;
  /** The union of old and target while the move runs. */
  readonly replicas: readonly number[];
  /** Where the partition is heading: replicas minus removing. */
  readonly targetReplicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
  readonly leaderLogEndOffset: number | null;
  /** The leader log's average bytes per offset; null when the leader could not be asked. */
  readonly bytesPerOffset: number | null;
  readonly adding: readonly AddingReplicaProgress[];
  /** Sum over the adding replicas; null when any is unknown. */
  readonly bytesBehind: number | null;
  /** Why the leader's view is missing (LEADER_NOT_AVAILABLE, NOT_LEADER, ...), else null. */
  readonly error: PartitionError | null;
}

/** size_bytes / (log_end − log_start); 0 for an empty log (nothing to copy). */
export function averageBytesPerOffset(described: PartitionReplicasDescription): number {
  const offsets = described.logEndOffset - described.logStartOffset;
  return offsets > 0 ? described.sizeBytes / offsets : 0;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** The progress of every running reassignment, matching each with its leader's answer (if any). */
export function reassignmentProgress(
  ongoing: readonly OngoingReassignmentDescription[],
  described: readonly PartitionReplicasDescription[],
): PartitionReassignmentProgress[] {
  const byPartition = new Map(described.map((d) => [key(d.topic, d.partition), d]));
  return ongoing.map(({ topic, partition: p }) => {
    const answer = byPartition.get(key(topic, p.partition));
    const usable = answer !== undefined && answer.error === null ? answer : undefined;
    const bytesPerOffset = usable === undefined ? null : averageBytesPerOffset(usable);
    const adding = p.addingReplicas.map((brokerId) => addingProgress(brokerId, usable, bytesPerOffset));
    const bytesBehind = adding.every((a) => a.bytesBehind !== null)
      ? adding.reduce((sum, a) => sum + (a.bytesBehind ?? 0), 0)
      : null;
    return {
      topic,
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      targetReplicas: p.replicas.filter((id) => !p.removingReplicas.includes(id)),
      addingReplicas: p.addingReplicas,
      removingReplicas: p.removingReplicas,
      leaderLogEndOffset: usable?.logEndOffset ?? null,
      bytesPerOffset,
      adding,
      bytesBehind,
      error:
        usable !== undefined
          ? null
          : (answer?.error ?? { code: 'LEADER_NOT_AVAILABLE', message: 'no answer' }),
    };
  });
}

function addingProgress(
  brokerId: number,
  leader: PartitionReplicasDescription | undefined,
  bytesPerOffset: number | null,
): AddingReplicaProgress {
  if (leader === undefined || bytesPerOffset === null) {
    return { brokerId, logEndOffset: null, offsetsBehind: null, bytesBehind: null, inIsr: false };
  }
  const replica = leader.replicas.find((r) => r.brokerId === brokerId);
  const from = replica?.logEndOffset ?? leader.logStartOffset;
  // A replica can briefly report past a truncated leader end; it is then not behind.
  const offsetsBehind = Math.max(0, leader.logEndOffset - from);
  return {
    brokerId,
    logEndOffset: replica?.logEndOffset ?? null,
    offsetsBehind,
    bytesBehind: Math.round(offsetsBehind * bytesPerOffset),
    inIsr: replica?.inIsr ?? false,
  };
}

export interface ProgressSample {
  /** When the sample was taken (any monotonic ms clock). */
  readonly atMs: number;
  readonly bytesBehind: number;
}

export interface RateEstimate {
  /** Net bytes caught up per second over the window; null until two samples, or when not catching up. */
  readonly bytesPerSec: number | null;
  /** bytesBehind / rate in ms; 0 when nothing is behind; null while the rate is unknown. */
  readonly etaMs: number | null;
}

/**
 * Rate and ETA from successive samples of one quantity (oldest first): the net drop in bytes behind
 * between the oldest and the newest sample over the time between them. The leader keeps appending, so
 * this is the rate at which the gap closes, which is what the ETA needs.
 */
export function estimateRate(samples: readonly ProgressSample[]): RateEstimate {
  const last = samples[samples.length - 1];
  if (last === undefined) return { bytesPerSec: null, etaMs: null };
  if (last.bytesBehind === 0) return { bytesPerSec: rateOf(samples), etaMs: 0 };
  const bytesPerSec = rateOf(samples);
  if (bytesPerSec === null) return { bytesPerSec: null, etaMs: null };
  return { bytesPerSec, etaMs: Math.round((last.bytesBehind / bytesPerSec) * 1000) };
}

function rateOf(samples: readonly ProgressSample[]): number | null {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || samples.length < 2) return null;
  const elapsedMs = last.atMs - first.atMs;
  const caughtUp = first.bytesBehind - last.bytesBehind;
  if (elapsedMs <= 0 || caughtUp <= 0) return null;
  return (caughtUp / elapsedMs) * 1000;
}

/** Samples kept per partition: the rate follows the last few polls, not the whole move. */
export const PROGRESS_WINDOW_SAMPLES = 10;

export interface ProgressWithRate extends PartitionReassignmentProgress, RateEstimate {}

/**
 * Keeps a bounded window of samples per partition between polls and annotates each poll's progress
 * with a rate and ETA. Partitions that stop being reassigned are forgotten.
 */
export class ProgressTracker {
  private readonly windows = new Map<string, ProgressSample[]>();

  constructor(private readonly windowSamples = PROGRESS_WINDOW_SAMPLES) {
    assert(windowSamples >= 2, 'a rate needs a window of at least two samples');
  }

  observe(atMs: number, progress: readonly PartitionReassignmentProgress[]): ProgressWithRate[] {
    const seen = new Set<string>();
    const result = progress.map((p) => {
      const k = key(p.topic, p.partition);
      seen.add(k);
      const window = this.windows.get(k) ?? [];
      const previous = window[window.length - 1];
      assert(previous === undefined || atMs >= previous.atMs, 'samples arrive in time order');
      if (p.bytesBehind !== null) window.push({ atMs, bytesBehind: p.bytesBehind });
      if (window.length > this.windowSamples) window.splice(0, window.length - this.windowSamples);
      this.windows.set(k, window);
      const estimate = p.bytesBehind === null ? { bytesPerSec: null, etaMs: null } : estimateRate(window);
      return { ...p, ...estimate };
    });
    for (const k of [...this.windows.keys()]) if (!seen.has(k)) this.windows.delete(k);
    return result;
  }
}
