import { TributaryError } from '@tributary/core';
import { LOG_LIMITS } from './limits.js';

/** When appended bytes are fsynced: never by the log itself, after every append, or at most every N ms. */
export type FlushPolicy = 'none' | 'every-write' | { readonly intervalMs: number };

export interface LogConfig {
  /** Roll to a new segment when the active one would grow past this (Kafka: segment.bytes). */
  readonly segmentBytes: number;
  /** Roll when the active segment is older than this (Kafka: segment.ms); undefined = never by age. */
  readonly segmentMs?: number;
  /** Bytes of batches between two sparse index entries (Kafka: index.interval.bytes). */
  readonly indexIntervalBytes: number;
  /** Delete segments whose newest timestamp is older than this; -1 keeps them forever. */
  readonly retentionMs: number;
  /** Delete oldest segments while the log stays at least this big without them; -1 = no size limit. */
  readonly retentionBytes: number;
  readonly flush: FlushPolicy;
  /** Idempotent producers idle longer than this are forgotten (Kafka: producer.id.expiration.ms). */
  readonly producerIdExpirationMs: number;
  /** Kafka's cleanup.policy: retention deletes old segments, the cleaner keeps the last record per key, or both. */
  readonly cleanupPolicy: CleanupPolicy;
  /** Clean when dirty bytes / (clean + dirty bytes) reach this (Kafka: min.cleanable.dirty.ratio). */
  readonly minCleanableDirtyRatio: number;
  /** Records newer than this are never compacted (Kafka: min.compaction.lag.ms). */
  readonly minCompactionLagMs: number;
  /** A dirty record older than this makes the log due for cleaning whatever its ratio (max.compaction.lag.ms). */
  readonly maxCompactionLagMs: number;
  /** Tombstones survive this long after their segment was first cleaned (Kafka: delete.retention.ms). */
  readonly deleteRetentionMs: number;
  /**
   * A client's batch stamped further than this before the leader's wall clock is refused with
   * INVALID_TIMESTAMP (KIP-937: message.timestamp.before.max.ms); Number.MAX_SAFE_INTEGER: no bound.
   */
  readonly messageTimestampBeforeMaxMs: number;
  /** The same, after the leader's wall clock (message.timestamp.after.max.ms; Kafka 4.0's default, 1 h). */
  readonly messageTimestampAfterMaxMs: number;
}

/** Kafka's cleanup.policy values; the broker normalizes 'delete,compact' to 'compact,delete'. */
export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';
const CLEANUP_POLICIES: readonly CleanupPolicy[] = ['delete', 'compact', 'compact,delete'];

export function policyCompacts(policy: CleanupPolicy): boolean {
  return policy !== 'delete';
}

export function policyDeletes(policy: CleanupPolicy): boolean {
  return policy !== 'compact';
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  indexIntervalBytes: 4096,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  flush: 'none',
  producerIdExpirationMs: 24 * 60 * 60 * 1000,
  cleanupPolicy: 'delete',
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  messageTimestampBeforeMaxMs: Number.MAX_SAFE_INTEGER,
  messageTimestampAfterMaxMs: 60 * 60 * 1000,
};

export function resolveLogConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  checkRange('segmentBytes', config.segmentBytes, LOG_LIMITS.segmentBytesMin, LOG_LIMITS.segmentBytesMax);
  checkRange(
    'indexIntervalBytes',
    config.indexIntervalBytes,
    LOG_LIMITS.indexIntervalBytesMin,
    LOG_LIMITS.indexIntervalBytesMax,
  );
  if (config.segmentMs !== undefined) checkRange('segmentMs', config.segmentMs, 1, Number.MAX_SAFE_INTEGER);
  checkRange('retentionMs', config.retentionMs, -1, Number.MAX_SAFE_INTEGER);
  checkRange('retentionBytes', config.retentionBytes, -1, Number.MAX_SAFE_INTEGER);
  checkRange('producerIdExpirationMs', config.producerIdExpirationMs, 1, Number.MAX_SAFE_INTEGER);
  if (typeof config.flush === 'object') {
    checkRange('flush.intervalMs', config.flush.intervalMs, 1, Number.MAX_SAFE_INTEGER);
  }
  checkCompactionSettings(config);
  checkRange('messageTimestampBeforeMaxMs', config.messageTimestampBeforeMaxMs, 0, Number.MAX_SAFE_INTEGER);
  checkRange('messageTimestampAfterMaxMs', config.messageTimestampAfterMaxMs, 0, Number.MAX_SAFE_INTEGER);
  return config;
}

/** The compaction settings, and the conflicts between them Kafka refuses (LogConfig.validateValues). */
function checkCompactionSettings(config: LogConfig): void {
  if (!CLEANUP_POLICIES.includes(config.cleanupPolicy)) {
    throw new TributaryError(
      'INVALID_CONFIG',
      `log config cleanupPolicy must be one of ${CLEANUP_POLICIES.join(', ')}, got ${String(config.cleanupPolicy)}`,
    );
  }
  const ratio = config.minCleanableDirtyRatio;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new TributaryError(
      'INVALID_CONFIG',
      `log config minCleanableDirtyRatio must be a number in [0, 1], got ${ratio}`,
    );
  }
  checkRange('minCompactionLagMs', config.minCompactionLagMs, 0, Number.MAX_SAFE_INTEGER);
  checkRange('maxCompactionLagMs', config.maxCompactionLagMs, 1, Number.MAX_SAFE_INTEGER);
  checkRange('deleteRetentionMs', config.deleteRetentionMs, 0, Number.MAX_SAFE_INTEGER);
  if (config.minCompactionLagMs > config.maxCompactionLagMs) {
    throw new TributaryError(
      'INVALID_CONFIG',
      `log config minCompactionLagMs (${config.minCompactionLagMs}) must not exceed maxCompactionLagMs (${config.maxCompactionLagMs})`,
    );
  }
}

/** One setting that a reconfigure changed (for the log line and the caller). */
export interface LogConfigChange {
  readonly key: keyof LogConfig;
  readonly from: LogConfig[keyof LogConfig] | undefined;
  readonly to: LogConfig[keyof LogConfig] | undefined;
}

/** What a live reconfigure may change; index.interval.bytes and producer-id expiration are fixed at open. */
const RECONFIGURABLE_KEYS: readonly (keyof LogConfig)[] = [
  'segmentBytes',
  'segmentMs',
  'retentionMs',
  'retentionBytes',
  'flush',
  'cleanupPolicy',
  'minCleanableDirtyRatio',
  'minCompactionLagMs',
  'maxCompactionLagMs',
  'deleteRetentionMs',
  'messageTimestampBeforeMaxMs',
  'messageTimestampAfterMaxMs',
];

/**
 * The config a live reconfigure produces (pure): `overrides` over the defaults, validated like
 * resolveLogConfig, with the settings fixed at open kept from `current`; plus what changed.
 */
export function reconfiguredLogConfig(
  current: LogConfig,
  overrides: Partial<LogConfig>,
): { readonly config: LogConfig; readonly changes: readonly LogConfigChange[] } {
  const resolved = resolveLogConfig(overrides);
  const config: LogConfig = {
    ...resolved,
    indexIntervalBytes: current.indexIntervalBytes,
    producerIdExpirationMs: current.producerIdExpirationMs,
  };
  const changes: LogConfigChange[] = [];
  for (const key of RECONFIGURABLE_KEYS) {
    if (!sameSetting(current[key], config[key])) changes.push({ key, from: current[key], to: config[key] });
  }
  return { config, changes };
}

function sameSetting(
  a: LogConfig[keyof LogConfig] | undefined,
  b: LogConfig[keyof LogConfig] | undefined,
): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a.intervalMs === b.intervalMs;
  return a === b;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new TributaryError(
      'INVALID_CONFIG',
      `log config ${name} must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
}
