import { assert } from '@tributary/core';
import type { CleanerCheckpoint } from './checkpoint.js';

/**
 * Which part of a log the cleaner may touch and how dirty it is (pure; Kafka's LogCleanerManager
 * cleanableOffsets and LogToClean). The log from its start to the first dirty offset was cleaned before;
 * from there to the first uncleanable offset it is dirty; the rest (the active segment, records at or past
 * the caller's bound, segments younger than min.compaction.lag.ms) is never touched.
 */
export interface CleanableState {
  readonly firstDirtyOffset: number;
  readonly firstUncleanableOffset: number;
  readonly cleanBytes: number;
  readonly dirtyBytes: number;
  readonly dirtyRatio: number;
  /**
   * max.compaction.lag.ms passed for some dirty record, or the delete horizon of a cleaned segment's
   * tombstones (Kafka: a log whose horizon passed is cleaned even when not dirty): clean regardless of
   * the ratio.
   */
  readonly overdue: boolean;
}

/** What the plan needs of a segment; `maxTimestamp` is -1 for an empty one. */
export interface SegmentSummary {
  readonly baseOffset: number;
  readonly sizeBytes: number;
  readonly maxTimestamp: number;
}

export interface CleanPlanInput {
  /** Every segment, oldest first; the last is the active one. */
  readonly segments: readonly SegmentSummary[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  /** The cleaner-offset-checkpoint's first dirty offset (0 when there is none). */
  readonly checkpointedDirtyOffset: number;
  readonly nowMs: number;
  /** Exclusive (the broker passes min(high watermark, last stable offset)). */
  readonly upperBoundOffset: number;
  readonly minCompactionLagMs: number;
  readonly maxCompactionLagMs: number;
  /** Closed segments whose tombstones' delete horizon passed (sweepableSegments). */
  readonly sweepableSegments: number;
}

export function planCleaning(input: CleanPlanInput): CleanableState {
  const { segments, logStartOffset, logEndOffset } = input;
  const active = segments[segments.length - 1];
  assert(active !== undefined, 'a log has an active segment');
  const checkpoint = input.checkpointedDirtyOffset;
  // Kafka's rule: a checkpoint outside the log (retention, truncation, a lost file) restarts at the start.
  const firstDirtyOffset =
    checkpoint < logStartOffset || checkpoint > logEndOffset ? logStartOffset : checkpoint;
  const closed = segments.slice(0, -1);
  const laggingSince = input.nowMs - input.minCompactionLagMs;
  // Kafka: the first dirty segment holding a record newer than min.compaction.lag.ms ends the clean range.
  const tooYoung = closed.find(
    (segment, i) => endOf(segments, i) > firstDirtyOffset && segment.maxTimestamp > laggingSince,
  );
  const firstUncleanableOffset = Math.max(
    firstDirtyOffset,
    Math.min(active.baseOffset, input.upperBoundOffset, tooYoung?.baseOffset ?? Number.MAX_SAFE_INTEGER),
  );
  let cleanBytes = 0;
  let dirtyBytes = 0;
  let oldestDirtyTimestamp = Number.MAX_SAFE_INTEGER;
  closed.forEach((segment, i) => {
    const end = endOf(segments, i);
    if (end <= logStartOffset) return;
    if (segment.baseOffset < firstDirtyOffset) cleanBytes += segment.sizeBytes;
    else if (segment.baseOffset < firstUncleanableOffset) {
      dirtyBytes += segment.sizeBytes;
      if (segment.maxTimestamp >= 0)
        oldestDirtyTimestamp = Math.min(oldestDirtyTimestamp, segment.maxTimestamp);
    }
  });
  const total = cleanBytes + dirtyBytes;
  return {
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    dirtyBytes,
    dirtyRatio: total === 0 ? 0 : dirtyBytes / total,
    // Segments keep only their newest timestamp, so this waits for a dirty segment's newest record to pass
    // the lag (Kafka uses its first batch's): cleaning is never earlier than Kafka's, at most later by the
    // time one segment spans.
    overdue:
      (dirtyBytes > 0 && input.nowMs - oldestDirtyTimestamp > input.maxCompactionLagMs) ||
      input.sweepableSegments > 0,
  };
}

/** Whether the state calls for a clean now: Kafka's min.cleanable.dirty.ratio, or max.compaction.lag.ms. */
export function needsCleaning(state: CleanableState, minCleanableDirtyRatio: number): boolean {
  return state.overdue || (state.dirtyBytes > 0 && state.dirtyRatio >= minCleanableDirtyRatio);
}

/**
 * Closed segments cleaned whole before, whose delete horizon (first clean + delete.retention.ms) has passed
 * and whose tombstones no pass removed yet: a pass removes them even when nothing is dirty.
 */
export function sweepableSegments(input: {
  readonly closedBaseOffsets: readonly number[];
  readonly checkpoint: CleanerCheckpoint;
  readonly nowMs: number;
  readonly deleteRetentionMs: number;
}): Set<number> {
  const bases = new Set<number>();
  for (const base of input.closedBaseOffsets) {
    const cleaned = input.checkpoint.segments.get(base);
    if (cleaned === undefined || cleaned.tombstonesSwept) continue;
    if (input.nowMs >= cleaned.cleanedAtMs + input.deleteRetentionMs) bases.add(base);
  }
  return bases;
}

/** Where segment `i` ends: the next segment's base (gaps after cleaning belong to the segment before). */
function endOf(segments: readonly SegmentSummary[], i: number): number {
  return segments[i + 1]?.baseOffset ?? Number.MAX_SAFE_INTEGER;
}
