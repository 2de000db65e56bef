/**
 * Topic configs as the replica layer reads them (pure): min.insync.replicas (DESIGN §6: default 2 when the
 * replication factor is at least 3) and the log settings passed to PartitionLog.
 */
import { assert } from '@tributary/core';
import type { LogConfig } from '@tributary/log';
import { topicConfigDefault, topicConfigDefinition } from '@tributary/metadata';

export const REPLICA_DEFAULTS = {
  replicaLagTimeMaxMs: 10_000,
  replicaFetchMaxWaitMs: 500,
  replicaFetchMaxBytes: 16 * 1024 * 1024,
  /** How long a follower waits after a failed fetch before the next one. */
  fetchBackoffMs: 100,
  /** Beyond max wait: how much longer a replica fetch RPC may take before its deadline. */
  fetchDeadlineSlackMs: 2_000,
  /**
   * After a leader answered ReplicaFetchStream UNIMPLEMENTED (an older version during a rolling upgrade), how
   * long its follower uses unary ReplicaFetch before it offers the stream again.
   */
  replicaFetchStreamReprobeMs: 30_000,
  /** Kafka: log.retention.check.interval.ms (--log-retention-check-interval-ms). */
  retentionCheckIntervalMs: 30_000,
  /** Its lowest setting: retention walks every partition, so a faster sweep is a busy loop. */
  retentionCheckIntervalMsMin: 100,
  /** Kafka: replica.high.watermark.checkpoint.interval.ms. */
  highWatermarkCheckpointIntervalMs: 5_000,
} as const;

/** Named bounds (STYLE: bound everything). */
export const REPLICA_LIMITS = {
  /** acks=all writes waiting for the ISR on one partition. */
  produceWaitersPerPartitionMax: 10_000,
  /** Long-poll fetches waiting on one partition. */
  fetchWaitersPerPartitionMax: 10_000,
  fetchMaxWaitMsMax: 30_000,
  /** Bytes one consumer fetch returns over all partitions. */
  fetchBytesMax: 64 * 1024 * 1024,
  /** Bytes from one partition in one fetch when the request asks for none. */
  partitionFetchBytesDefault: 1024 * 1024,
  produceTimeoutMsMax: 300_000,
  /**
   * How long an idempotent producer's batch that arrived before its predecessor (concurrent requests are
   * not ordered on an HTTP/2 connection) waits for it before being refused as out of order.
   */
  produceReorderWaitMsMax: 1_000,
  /** Wake-ups one such batch may take while it waits (each append to the partition is one). */
  produceReorderWakeupsMax: 1_000,
  /** How often the delayed-produce sweep checks deadlines. */
  produceSweepIntervalMs: 50,
  /**
   * Partitions one metadata change opens, removes or moves at once (each is a few file operations on
   * libuv's thread pool; one at a time, a broker taking 30,000 new partitions waited out every round trip).
   */
  localChangesConcurrency: 32,
  /**
   * Partitions of one change past which the per-partition "became leader/follower" lines go to debug and
   * one summary line goes to info (a broker taking 100,000 partitions would write as many lines).
   */
  localChangesDetailLinesMax: 100,
  /** Log directories of one broker (Kafka sets none; a JBOD chassis has a few dozen disks at most). */
  logDirsMax: 64,
} as const;

/**
 * The broker's --durability (issue 16, DESIGN §12), the default of every topic's flush.on.ack:
 * 'replication' acknowledges acks=all writes held in memory by every ISR member (Kafka), 'fsync' once
 * every ISR member has fsynced them (Redpanda).
 */
export const DURABILITY_MODES = ['replication', 'fsync'] as const;
export type Durability = (typeof DURABILITY_MODES)[number];
/**
 * What a broker started without --durability runs: fsync, since DESIGN §8's condition holds (it costs at most
 * 20 % of throughput: 3.2 % in the median of five rounds of bench:durability on an idle machine, docs/benchmarks.md).
 */
export const DURABILITY_DEFAULT: Durability = 'fsync';

const MIN_INSYNC_REPLICAS = 'min.insync.replicas';
const FLUSH_ON_ACK = 'flush.on.ack';

/**
 * flush.on.ack for a topic (issue 16, DESIGN §12): its config, else the broker's --durability (fsync: true).
 * The controller refuses anything but 'true' and 'false'; a value stored by something else falls back to
 * the broker's default rather than guessing.
 */
export function flushOnAck(topicConfigs: ReadonlyMap<string, string>, brokerDefault: boolean): boolean {
  const configured = topicConfigs.get(FLUSH_ON_ACK);
  if (configured === 'true') return true;
  if (configured === 'false') return false;
  return brokerDefault;
}

/**
 * min.insync.replicas for a topic: its config, else the broker default, else DESIGN §6's rule as the
 * topic-config table defines it (the default DescribeConfigs reports).
 */
export function minInsyncReplicas(
  topicConfigs: ReadonlyMap<string, string>,
  replicationFactor: number,
  brokerDefault: number | undefined,
): number {
  const configured = parseIntConfig(topicConfigs.get(MIN_INSYNC_REPLICAS));
  if (configured !== undefined && configured >= 1) return configured;
  if (brokerDefault !== undefined) return brokerDefault;
  const definition = topicConfigDefinition(MIN_INSYNC_REPLICAS);
  assert(definition !== undefined, 'min.insync.replicas is a known topic config');
  return Number(topicConfigDefault(definition, replicationFactor));
}

/** The log settings a topic overrides, over the broker's defaults. */
export function logConfigFor(
  topicConfigs: ReadonlyMap<string, string>,
  defaults: Partial<LogConfig> = {},
): Partial<LogConfig> {
  const config: { -readonly [K in keyof LogConfig]?: LogConfig[K] } = { ...defaults };
  const retentionMs = parseIntConfig(topicConfigs.get('retention.ms'));
  if (retentionMs !== undefined) config.retentionMs = retentionMs;
  const retentionBytes = parseIntConfig(topicConfigs.get('retention.bytes'));
  if (retentionBytes !== undefined) config.retentionBytes = retentionBytes;
  const segmentBytes = parseIntConfig(topicConfigs.get('segment.bytes'));
  if (segmentBytes !== undefined) config.segmentBytes = segmentBytes;
  const segmentMs = parseIntConfig(topicConfigs.get('segment.ms'));
  if (segmentMs !== undefined) config.segmentMs = segmentMs;
  const flushMs = parseIntConfig(topicConfigs.get('flush.ms'));
  if (flushMs !== undefined && flushMs > 0) config.flush = { intervalMs: flushMs };
  if (topicConfigs.get('flush.messages') === '1') config.flush = 'every-write';
  const cleanupPolicy = parseCleanupPolicy(topicConfigs.get('cleanup.policy'));
  if (cleanupPolicy !== undefined) config.cleanupPolicy = cleanupPolicy;
  const dirtyRatio = parseRatioConfig(topicConfigs.get('min.cleanable.dirty.ratio'));
  if (dirtyRatio !== undefined) config.minCleanableDirtyRatio = dirtyRatio;
  const minLagMs = parseLongConfig(topicConfigs.get('min.compaction.lag.ms'));
  if (minLagMs !== undefined) config.minCompactionLagMs = minLagMs;
  const maxLagMs = parseLongConfig(topicConfigs.get('max.compaction.lag.ms'));
  if (maxLagMs !== undefined) config.maxCompactionLagMs = maxLagMs;
  const deleteRetentionMs = parseLongConfig(topicConfigs.get('delete.retention.ms'));
  if (deleteRetentionMs !== undefined) config.deleteRetentionMs = deleteRetentionMs;
  // KIP-937; the deprecated difference.max.ms stands in for whichever bound the topic does not set.
  const differenceMaxMs = parseLongConfig(topicConfigs.get('message.timestamp.difference.max.ms'));
  const beforeMaxMs = parseLongConfig(topicConfigs.get('message.timestamp.before.max.ms')) ?? differenceMaxMs;
  if (beforeMaxMs !== undefined) config.messageTimestampBeforeMaxMs = beforeMaxMs;
  const afterMaxMs = parseLongConfig(topicConfigs.get('message.timestamp.after.max.ms')) ?? differenceMaxMs;
  if (afterMaxMs !== undefined) config.messageTimestampAfterMaxMs = afterMaxMs;
  return config;
}

/** Kafka accepts the policies in either order and with spaces ("delete, compact"); the log takes one spelling. */
function parseCleanupPolicy(value: string | undefined): LogConfig['cleanupPolicy'] | undefined {
  if (value === undefined) return undefined;
  const parts = new Set(value.split(',').map((part) => part.trim()));
  const compact = parts.has('compact');
  const del = parts.has('delete');
  if (compact && del) return 'compact,delete';
  if (compact) return 'compact';
  if (del) return 'delete';
  return undefined;
}

function parseRatioConfig(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : undefined;
}

/**
 * A Kafka long: "never" is Long.MAX_VALUE (9223372036854775807, max.compaction.lag.ms's default), beyond a
 * JavaScript number's exact range; anything past MAX_SAFE_INTEGER means the same here.
 */
function parseLongConfig(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const parsed = BigInt(value.trim());
  return parsed > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(parsed);
}

function parseIntConfig(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}
