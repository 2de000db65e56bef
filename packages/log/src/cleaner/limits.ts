/**
 * Named bounds and defaults of the log cleaner (the manager that schedules compaction; the per-log cleaning
 * is PartitionLog.clean). Defaults are Kafka's log.cleaner.* defaults.
 */
export const CLEANER_LIMITS = {
  /** Kafka: log.cleaner.threads (default 1). More threads than cores only compete for them. */
  threadsDefault: 1,
  threadsMax: 64,
  /** Kafka: log.cleaner.backoff.ms (default 15 s): how long the cleaner sleeps when no log needs cleaning. */
  backoffMsDefault: 15_000,
  backoffMsMin: 1,
  backoffMsMax: 24 * 60 * 60 * 1000,
  /** The smallest io.max.bytes.per.second accepted: below it one segment would take hours. */
  ioMaxBytesPerSecondMin: 1024,
  /** Logs one cleaner tracks (one per hosted partition; the broker bounds partitions far below this). */
  registeredLogsMax: 1_000_000,
} as const;
