/**
 * KIP-937 (Kafka 3.6+): the leader refuses a client's CreateTime batch stamped too far before or after its
 * own wall clock (message.timestamp.before.max.ms / message.timestamp.after.max.ms, INVALID_TIMESTAMP), so a
 * producer with a broken clock cannot pin data (a record a year in the future would hold its segment past
 * every retention.ms check, since retention judges a segment by its newest timestamp) nor expire it (a record
 * a year in the past makes its segment look due at once). Pure: the wall clock comes in.
 *
 * Kafka checks every record; the broker here never decodes records on the produce path (DESIGN §4), so it
 * checks the two timestamps a v2 header carries: the first record's (baseTimestamp) and the largest
 * (maxTimestamp). The largest is exact for the future bound, which is the one retention reads; a record in
 * the middle of a batch stamped earlier than the first escapes the past bound (docs/decisions.md).
 */
import { assert } from '@tributary/core';
import { type AppendBatchInfo, LogAppendError } from './append-validation.js';

/** Kafka's RecordBatch.NO_TIMESTAMP: a batch without timestamps is not checked (as Kafka's LogValidator). */
const NO_TIMESTAMP = -1;

export interface TimestampBounds {
  /** The leader's wall clock (ms since the Unix epoch). */
  readonly nowWallMs: number;
  readonly beforeMaxMs: number;
  readonly afterMaxMs: number;
}

/** Throws LogAppendError('INVALID_TIMESTAMP') naming the first batch whose timestamps fall outside the bounds. */
export function checkBatchTimestamps(
  batches: readonly Pick<AppendBatchInfo, 'position' | 'baseTimestamp' | 'maxTimestamp' | 'isControl'>[],
  bounds: TimestampBounds,
): void {
  assert(bounds.beforeMaxMs >= 0 && bounds.afterMaxMs >= 0, 'timestamp bounds are not negative');
  const earliestMs = bounds.nowWallMs - bounds.beforeMaxMs;
  const latestMs = bounds.nowWallMs + bounds.afterMaxMs;
  for (const batch of batches) {
    if (batch.isControl) continue;
    for (const timestampMs of [batch.baseTimestamp, batch.maxTimestamp]) {
      if (timestampMs === NO_TIMESTAMP) continue;
      if (timestampMs < earliestMs) {
        throw new LogAppendError(
          'INVALID_TIMESTAMP',
          `the batch at byte ${batch.position} has timestamp ${timestampMs}, ${bounds.nowWallMs - timestampMs} ms ` +
            `before the broker's clock; message.timestamp.before.max.ms is ${bounds.beforeMaxMs}`,
        );
      }
      if (timestampMs > latestMs) {
        throw new LogAppendError(
          'INVALID_TIMESTAMP',
          `the batch at byte ${batch.position} has timestamp ${timestampMs}, ${timestampMs - bounds.nowWallMs} ms ` +
            `after the broker's clock; message.timestamp.after.max.ms is ${bounds.afterMaxMs}`,
        );
      }
    }
  }
}
