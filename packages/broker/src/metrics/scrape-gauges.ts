/**
 * The broker's gauges computed at scrape time from its state (metadata image, lifecycle, replica
 * manager, group coordinator), so that nothing on the hot path updates them. Series with topic /
 * partition / group labels are capped (BROKER_METRICS_LIMITS); what a cap cut is counted in
 * tributary_broker_metric_series_dropped.
 */

import type { LogCleanerStats } from '@tributary/log';
import type { MetadataImage } from '@tributary/metadata';
import { NO_LEADER } from '@tributary/metadata';
import { Counter, Gauge, type Registry } from 'prom-client';
import { registerLogCleanerMetrics } from './cleaner-metrics.js';

export const BROKER_METRICS_LIMITS = {
  /** Led partitions reported with their own log end offset and high watermark series. */
  partitionSeriesMax: 1_000,
  /** (group, topic, partition) lag series. */
  groupLagSeriesMax: 1_000,
} as const;

/** What a led partition's gauges read (the replica manager's Partition has these). */
export interface PartitionOffsets {
  readonly highWatermark: number;
  readonly log: { readonly logEndOffset: number };
}

export interface GroupOffsets {
  readonly groupId: string;
  readonly offsets: readonly {
    readonly topic: string;
    readonly partition: number;
    readonly offset: number;
  }[];
}

export interface BrokerScrapeSources {
  readonly brokerId: number;
  image(): MetadataImage;
  appliedMetadataOffset(): number;
  lifecycle(): { readonly status: string; readonly brokerEpoch: number | undefined };
  leaderPartitions(): readonly { readonly topic: string; readonly partition: number }[];
  /** This broker's replica of a partition, if it hosts one (undefined for test doubles without logs). */
  partitionReplica?(topic: string, partition: number): PartitionOffsets | undefined;
  /** Committed offsets of the groups this broker coordinates (empty without a coordinator). */
  groups(): readonly GroupOffsets[];
  /** The follower-side replication throttle (undefined for test doubles without one). */
  replicationThrottle?(): ReplicationThrottleReading | undefined;
  /** The log cleaner's totals (undefined without one: log.cleaner.enable off, test doubles). */
  logCleaner?(): LogCleanerStats | undefined;
  /** Each log directory and whether it is online (undefined for test doubles without logs). */
  logDirs?(): readonly { readonly path: string; readonly online: boolean }[] | undefined;
}

/** What the replication throttle gauges read (the replica manager's ReplicationThrottleStats). */
export interface ReplicationThrottleReading {
  readonly rateBytesPerSec: number | null;
  readonly throttledBytesTotal: number;
  readonly throttledWaitsTotal: number;
}

/** The lifecycle states reported by tributary_broker_lifecycle_state (one is 1, the rest 0). */
const LIFECYCLE_STATES = ['unregistered', 'fenced', 'unfenced', 'lease-lost', 'stopped'] as const;

/** Partitions this broker leads or hosts, by health, from the metadata image. */
export function hostedPartitionHealth(
  image: MetadataImage,
  brokerId: number,
): { led: number; hosted: number; underReplicated: number; offline: number } {
  let led = 0;
  let hosted = 0;
  let underReplicated = 0;
  let offline = 0;
  for (const topic of image.topicsById.values()) {
    for (const partition of topic.partitions.values()) {
      if (!partition.replicas.some((replica) => replica === brokerId)) continue;
      hosted += 1;
      if (partition.leader === NO_LEADER) offline += 1;
      if (partition.leader !== brokerId) continue;
      led += 1;
      // Kafka counts under-replicated partitions on their leader only, so a cluster sum is exact.
      if (partition.isr.length < partition.replicas.length) underReplicated += 1;
    }
  }
  return { led, hosted, underReplicated, offline };
}

export function registerScrapeGauges(registry: Registry, sources: BrokerScrapeSources): void {
  const registers = [registry];
  const dropped = new Gauge({
    name: 'tributary_broker_metric_series_dropped',
    help: 'Series left out of the last scrape because a per-metric cap was reached',
    labelNames: ['metric'] as const,
    registers,
  });
  new Gauge({
    name: 'tributary_broker_metadata_offset',
    help: 'Offset of the last metadata record this broker applied',
    registers,
    collect() {
      this.set(sources.appliedMetadataOffset());
    },
  });
  new Gauge({
    name: 'tributary_broker_epoch',
    help: "This broker's registration epoch (-1 when not registered)",
    registers,
    collect() {
      this.set(sources.lifecycle().brokerEpoch ?? -1);
    },
  });
  new Gauge({
    name: 'tributary_broker_lifecycle_state',
    help: '1 for the lifecycle state this broker is in (unregistered, fenced, unfenced, lease-lost, stopped)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const status = sources.lifecycle().status;
      for (const state of LIFECYCLE_STATES) this.set({ state }, status === state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'tributary_broker_log_directories',
    help: "The broker's log directories by state: online, offline (its disk failed; Kafka's OfflineLogDirectoryCount)",
    labelNames: ['state'] as const,
    registers,
    collect() {
      const dirs = sources.logDirs?.() ?? [];
      const offline = dirs.filter((dir) => !dir.online).length;
      this.set({ state: 'online' }, dirs.length - offline);
      this.set({ state: 'offline' }, offline);
    },
  });
  new Gauge({
    name: 'tributary_broker_partitions',
    help: 'Partitions with a replica here: hosted, led, under_replicated (led here, ISR < replicas), offline (no leader)',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const health = hostedPartitionHealth(sources.image(), sources.brokerId);
      this.set({ state: 'hosted' }, health.hosted);
      this.set({ state: 'led' }, health.led);
      this.set({ state: 'under_replicated' }, health.underReplicated);
      this.set({ state: 'offline' }, health.offline);
    },
  });
  registerPartitionOffsetGauges(registry, sources, dropped);
  registerGroupLagGauge(registry, sources, dropped);
  registerThrottleMetrics(registry, sources);
  registerLogCleanerMetrics(registry, () => sources.logCleaner?.(), {
    dirtyRatioSeriesMax: BROKER_METRICS_LIMITS.partitionSeriesMax,
    dropped,
  });
}

function registerThrottleMetrics(registry: Registry, sources: BrokerScrapeSources): void {
  const registers = [registry];
  const read = (): ReplicationThrottleReading | undefined => sources.replicationThrottle?.();
  new Gauge({
    name: 'tributary_broker_replication_throttle_rate_bytes',
    help: 'replication.throttled.rate in force for replicas being moved here (bytes/s; 0 = no throttle)',
    registers,
    collect() {
      this.set(read()?.rateBytesPerSec ?? 0);
    },
  });
  // Totals kept by the throttle itself: each scrape copies them (reset + inc keeps the counter type).
  new Counter({
    name: 'tributary_broker_replication_throttled_bytes_total',
    help: 'Record bytes fetched through the replication throttle (replicas being moved here)',
    registers,
    collect() {
      this.reset();
      this.inc(read()?.throttledBytesTotal ?? 0);
    },
  });
  new Counter({
    name: 'tributary_broker_replication_throttle_waits_total',
    help: 'Follower fetch rounds that waited for the replication throttle to refill',
    registers,
    collect() {
      this.reset();
      this.inc(read()?.throttledWaitsTotal ?? 0);
    },
  });
}

function registerPartitionOffsetGauges(
  registry: Registry,
  sources: BrokerScrapeSources,
  dropped: Gauge<'metric'>,
): void {
  // Each gauge makes its own pass: prom-client collects and serialises one metric at a time.
  const offsetGauge = (name: string, help: string, read: (replica: PartitionOffsets) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['topic', 'partition'] as const,
      registers: [registry],
      collect() {
        this.reset();
        const lookup = sources.partitionReplica;
        if (lookup === undefined) return;
        const led = sources.leaderPartitions();
        const shown = led.slice(0, BROKER_METRICS_LIMITS.partitionSeriesMax);
        for (const { topic, partition } of shown) {
          const replica = lookup(topic, partition);
          if (replica !== undefined) this.set({ topic, partition: String(partition) }, read(replica));
        }
        dropped.set({ metric: name }, led.length - shown.length);
      },
    });
  };
  offsetGauge(
    'tributary_broker_partition_log_end_offset',
    'Log end offset of each partition led here (capped)',
    (replica) => replica.log.logEndOffset,
  );
  offsetGauge(
    'tributary_broker_partition_high_watermark',
    'High watermark of each partition led here (capped)',
    (replica) => replica.highWatermark,
  );
}

function registerGroupLagGauge(
  registry: Registry,
  sources: BrokerScrapeSources,
  dropped: Gauge<'metric'>,
): void {
  new Gauge({
    name: 'tributary_broker_consumer_group_lag',
    help: 'Messages between a group committed offset and the high watermark, for groups coordinated here and partitions led here (capped)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const lookup = sources.partitionReplica;
      if (lookup === undefined) return;
      const led = new Set(
        sources.leaderPartitions().map(({ topic, partition }) => `${topic}\u0000${partition}`),
      );
      let shown = 0;
      let skipped = 0;
      for (const group of sources.groups()) {
        for (const committed of group.offsets) {
          // Only where the high watermark is known here: a follower's would be stale.
          if (!led.has(`${committed.topic}\u0000${committed.partition}`)) continue;
          const replica = lookup(committed.topic, committed.partition);
          if (replica === undefined) continue;
          if (shown >= BROKER_METRICS_LIMITS.groupLagSeriesMax) {
            skipped += 1;
            continue;
          }
          shown += 1;
          this.set(
            { group: group.groupId, topic: committed.topic, partition: String(committed.partition) },
            Math.max(0, replica.highWatermark - committed.offset),
          );
        }
      }
      dropped.set({ metric: 'tributary_broker_consumer_group_lag' }, skipped);
    },
  });
}
