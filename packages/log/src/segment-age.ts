/**
 * How old a segment is, for time-based retention (retention.ms) and compaction lags (min/max.compaction.lag.ms),
 * when the wall clock may jump (pure; docs/operations.md "Clocks", docs/decisions.md).
 *
 * Kafka judges a segment by its newest record timestamp against the wall clock, so a wall clock set a day
 * ahead (a bad NTP source, an operator, a VM resumed from a snapshot) deletes every segment of a topic with
 * retention.ms under a day at the next retention check: data that is minutes old by its own timestamps. The
 * rule here keeps Kafka's judgement and bounds it by what this process saw: when it opens a log it reads
 * both clocks, and from then on the wall time it judges that log's segments by never runs ahead of the wall
 * clock at the open plus the monotonic time since. A wall clock jumping forwards while the process runs
 * therefore ages nothing faster than real time; one jumping backwards makes data look younger (kept longer,
 * never deleted early), and a forward jump that corrects a clock which was behind at the open takes effect
 * at the next open (a restart). What the bound cannot see is a wall clock already wrong at the open: the
 * process then judges as Kafka does.
 */
import { assert } from '@tributary/core';

/** Both clocks read at one instant: when this process opened the segment's log. */
export interface ClockObservation {
  /** The wall clock (ms since the Unix epoch) at the observation. */
  readonly wallMs: number;
  /** The monotonic clock (Clock.nowMs) at the observation. */
  readonly monotonicMs: number;
}

export interface SegmentAgeInput {
  /** The segment's largest record timestamp; -1 when it holds no record (an empty segment). */
  readonly maxTimestampMs: number;
  /** Both clocks when this process opened the segment's log. */
  readonly observed: ClockObservation;
  readonly nowWallMs: number;
  readonly nowMonotonicMs: number;
}

/**
 * The wall time ages are judged against: the wall clock now, but never past the wall clock at the observation
 * plus the monotonic time elapsed since. Also what a cleaned segment's tombstone horizon (delete.retention.ms)
 * is compared with.
 */
export function judgedWallNowMs(
  observed: ClockObservation,
  nowWallMs: number,
  nowMonotonicMs: number,
): number {
  assert(Number.isFinite(nowWallMs) && Number.isFinite(nowMonotonicMs), 'clocks are numbers');
  // The monotonic clock never goes back; a negative difference can only be an observation from a clock the
  // caller swapped, and counting it as no time keeps the bound an upper bound.
  const sinceObservedMs = Math.max(0, nowMonotonicMs - observed.monotonicMs);
  return Math.min(nowWallMs, observed.wallMs + sinceObservedMs);
}

/**
 * The segment's age in ms: Kafka's (wall now - newest timestamp) against judgedWallNowMs, so never more than
 * (the wall clock at the observation + the monotonic time elapsed since - newest timestamp). Negative when the
 * newest record is stamped in the future.
 */
export function segmentAgeMs(input: SegmentAgeInput): number {
  return judgedWallNowMs(input.observed, input.nowWallMs, input.nowMonotonicMs) - input.maxTimestampMs;
}

/**
 * The newest timestamp the segment is judged by against `nowWallMs`: its own, moved forward by however far
 * the wall clock ran ahead of the monotonic clock since the observation, so that (nowWallMs - result) is
 * segmentAgeMs. Lets the cleaner's plan, written against (now - newest timestamp) as Kafka's is, apply the
 * rule unchanged. An empty segment (-1) stays -1.
 */
export function judgedMaxTimestampMs(input: SegmentAgeInput): number {
  if (input.maxTimestampMs < 0) return input.maxTimestampMs;
  const judged = input.nowWallMs - segmentAgeMs(input);
  assert(judged >= input.maxTimestampMs, 'the rule only ever makes a segment younger');
  return judged;
}

/** Whether retention.ms deletes the segment now (-1: never by time), by segmentAgeMs. */
export function retentionExpired(input: SegmentAgeInput, retentionMs: number): boolean {
  return retentionMs >= 0 && segmentAgeMs(input) > retentionMs;
}
