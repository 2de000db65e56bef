/**
 * The replica manager's part of log compaction: the broker's one LogCleaner (packages/log), built from the
 * log.cleaner.* settings, and the offset below which a partition may be cleaned. The manager registers every
 * local log with it and unregisters a log before closing, deleting or restarting it (Kafka's LogManager
 * owns its cleaner the same way).
 */
import type { Clock } from '@tributary/core';
import { LogCleaner } from '@tributary/log';
import type pino from 'pino';

/** Kafka's log.cleaner.* broker settings; unset ones take Kafka's defaults (CLEANER_LIMITS). */
export interface LogCleanerSettings {
  /** Kafka's log.cleaner.enable (default true). */
  readonly enable?: boolean | undefined;
  readonly threads?: number | undefined;
  readonly ioMaxBytesPerSecond?: number | undefined;
  readonly backoffMs?: number | undefined;
}

/** The cleaner, or null when log.cleaner.enable is off (compacted topics then only grow). */
export function createLogCleaner(
  settings: LogCleanerSettings | undefined,
  clock: Clock,
  logger: pino.Logger,
): LogCleaner | null {
  if (settings?.enable === false) {
    logger.warn('the log cleaner is off: partitions with cleanup.policy=compact are not compacted');
    return null;
  }
  const child = logger.child({ subsystem: 'log-cleaner' });
  return new LogCleaner({
    clock,
    ...(settings?.threads === undefined ? {} : { threads: settings.threads }),
    ...(settings?.backoffMs === undefined ? {} : { backoffMs: settings.backoffMs }),
    ioMaxBytesPerSecond: settings?.ioMaxBytesPerSecond,
    logger: (level, message, fields) => child[level](fields, message),
  });
}

/** What bounds cleaning on a replica: its high watermark, and the last stable offset where there is one. */
export interface CleaningBounds {
  readonly highWatermark: number;
  readonly lastStableOffset?: number;
}

/**
 * The first offset the cleaner must leave alone (exclusive bound): records past the high watermark may still
 * be truncated away, and records of open transactions (at or past the last stable offset) may still be
 * aborted, so neither is compacted (Kafka: the first uncleanable offset is at most the LSO and the HW).
 */
export function cleaningUpperBound(partition: CleaningBounds): number {
  const { highWatermark, lastStableOffset } = partition;
  return lastStableOffset === undefined ? highWatermark : Math.min(highWatermark, lastStableOffset);
}
