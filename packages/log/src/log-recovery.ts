import { assert } from '@tributary/core';
import type { LogLogger } from './partition-log.js';
import { deleteSegmentFiles, LogSegment, type SegmentContext } from './segment.js';

export interface OpenSegmentsInput {
  readonly context: SegmentContext;
  readonly bases: readonly number[];
  readonly clean: boolean;
  readonly recoveryPoint: number;
  readonly nowMs: number;
  /** The cleaner's first dirty offset: segments starting below it may have gaps (see LogSegment). */
  readonly cleanedBelowOffset: number;
  /**
   * The log's cleanup policy includes compact: any segment may have gaps, not only cleaned ones. A
   * follower of a compacted partition appends the leader's cleaned batches as they are, so its log has gaps
   * above its own checkpoint (Kafka's recovery only requires increasing offsets, for this reason).
   */
  readonly compacted: boolean;
  readonly logger: LogLogger;
}

/**
 * Opens the segments in order. After an unclean shutdown, segments that reach past the recovery point are
 * scanned batch by batch; the first torn or corrupt batch ends the log there, so later segments go too.
 */
export async function openSegments(input: OpenSegmentsInput): Promise<LogSegment[]> {
  const { context, bases, clean, recoveryPoint, nowMs, logger } = input;
  const segments: LogSegment[] = [];
  for (let i = 0; i < bases.length; i++) {
    const base = bases[i];
    assert(base !== undefined, 'base offset present');
    const nextBase = bases[i + 1];
    const recover = !clean && (nextBase === undefined || nextBase > recoveryPoint);
    const previous = segments[segments.length - 1];
    // Elsewhere (a delete-policy log above its checkpoint) a gap can only be a damaged base offset.
    const gapsAllowed = input.compacted || base < input.cleanedBelowOffset;
    const { segment, recovery } = await LogSegment.open(context, base, { recover, nowMs, gapsAllowed });
    // Gaps between segments are legal (the cleaner may remove a segment's last batches); overlaps are not.
    const overlap = previous !== undefined && base < previous.nextOffset;
    const cut = recovery !== null && recovery.truncatedBytes > 0;
    if (cut) {
      logger(nextBase === undefined ? 'warn' : 'error', 'recovery truncated a segment', {
        dir: context.dir,
        baseOffset: base,
        truncatedBytes: recovery.truncatedBytes,
        reason: recovery.reason,
        laterSegmentsDropped: bases.length - i - 1,
      });
    }
    if (overlap) {
      logger('error', 'segment overlaps the one before it; dropping it and later ones', {
        dir: context.dir,
        base,
      });
      await segment.delete();
      await dropSegments(context, bases.slice(i + 1));
      break;
    }
    segments.push(segment);
    if (cut && nextBase !== undefined) {
      await dropSegments(context, bases.slice(i + 1));
      break;
    }
  }
  return segments;
}

async function dropSegments(context: SegmentContext, bases: readonly number[]): Promise<void> {
  for (const base of bases) await deleteSegmentFiles(context.fs, context.dir, base);
}
