/**
 * Applies a LocalChanges plan (local-changes.ts) to this broker's replicas: the imperative half of the
 * delta-driven metadata path. It opens and deletes partition logs, moves replicas between leader and follower,
 * reconfigures logs, and attaches followers to their leaders' fetchers.
 *
 * The plan is computed from images alone; applying it also checks each partition's local state, as a
 * rescan of the image used to: a leader epoch the replica is already past is stale and skipped, one it is
 * already at is a same-epoch partition change, a local replica of an older topic id is deleted before the
 * new one opens. A partition whose application fails (its log cannot open) is logged, and planned again with
 * the next change (`retry`) although nothing about it changed then. An AssertionError (a bug) is rethrown.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AssertionError, type Clock, mapConcurrently, brokerId as toBrokerId } from '@tributary/core';
import { type LogCleaner, type LogConfig, type LogConfigChange, PartitionLog } from '@tributary/log';
import type { MetadataImage, TopicId } from '@tributary/metadata';
import type pino from 'pino';
import { REPLICA_LIMITS } from './config.js';
import type { FetcherPool } from './fetcher-pool.js';
import { partitionKey } from './follower-fetcher.js';
import type { LocalChanges, PartitionRemoval, PlannedPartition } from './local-changes.js';
import { cleaningUpperBound } from './log-cleaning.js';
import { isDiskError, type LogDirectories, LogDirOfflineError } from './log-dirs.js';
import { Partition } from './partition.js';
import type { ReplicationThrottle } from './replication-throttle.js';

/** Log settings whose change may make a log due for cleaning at once. */
const CLEANING_KEYS: ReadonlySet<keyof LogConfig> = new Set<keyof LogConfig>([
  'cleanupPolicy',
  'minCleanableDirtyRatio',
  'maxCompactionLagMs',
]);

export interface LocalChangesApplierOptions {
  readonly brokerId: number;
  /** Where each partition's log lives and where a new one goes (several directories, some maybe offline). */
  readonly logDirs: LogDirectories;
  readonly clock: Clock;
  readonly logger: pino.Logger;
  /** The replica manager's hosted partitions by partitionKey: read everywhere, written only here. */
  readonly partitions: Map<string, Partition>;
  readonly fetchers: FetcherPool;
  readonly throttle: ReplicationThrottle;
  readonly cleaner: LogCleaner | null;
  /** High watermarks read at open, used once when each partition is first created. */
  readonly checkpointedHighWatermarks: ReadonlyMap<string, number>;
  /** A partition's first acks=all write parked (see Partition's onProduceWaiting). */
  readonly onProduceWaiting: (partition: Partition) => void;
  /** The log of a hosted partition failed on its disk (PartitionLog.onStorageFailure). */
  readonly onStorageFailure: (partition: Partition, error: unknown) => void;
  /** A log could not be opened because its directory's disk failed. */
  readonly onDirectoryFailure: (logDir: string, error: unknown) => void;
  /** Became leader or follower, or stopped hosting the partition (leader epoch -1). */
  readonly notifyLeadership: (
    topic: string,
    partition: number,
    isLeader: boolean,
    leaderEpoch: number,
  ) => void;
}

export class LocalChangesApplier {
  readonly #options: LocalChangesApplierOptions;
  readonly #logger: pino.Logger;
  /** Where the per-partition leadership lines of the change being applied go (see localChangesDetailLinesMax). */
  #detailLevel: 'info' | 'debug' = 'info';
  /** The log overrides each open log runs with, as JSON, to tell when they changed. */
  readonly #appliedLogConfigs = new Map<string, string>();
  /** Partitions whose application failed, by topic id: planned again with the next change. */
  #failed = new Map<TopicId, Set<number>>();

  constructor(options: LocalChangesApplierOptions) {
    this.#options = options;
    this.#logger = options.logger;
  }

  /** Partitions to plan again although unchanged (LocalChangesInput.retry). */
  get retry(): ReadonlyMap<TopicId, ReadonlySet<number>> {
    return this.#failed;
  }

  /** Applies `plan`, computed for `image` (whose broker addresses the followers fetch from). */
  async apply(plan: LocalChanges, image: MetadataImage): Promise<void> {
    const retried = this.#failed;
    this.#failed = new Map();
    try {
      await this.#applyInOrder(plan, image);
    } catch (error) {
      // Only an AssertionError gets here; what was to be retried still is.
      for (const [topicId, indexes] of retried) for (const index of indexes) this.#markFailed(topicId, index);
      throw error;
    }
  }

  /** The plan's lists in their declared order (see LocalChanges). */
  async #applyInOrder(plan: LocalChanges, image: MetadataImage): Promise<void> {
    const { fetchers, throttle } = this.#options;
    if (plan.replicationThrottle !== null && throttle.setRate(plan.replicationThrottle.bytesPerSecond)) {
      this.#logger.info(
        { bytesPerSec: plan.replicationThrottle.bytesPerSecond },
        'replication throttle for adding replicas changed',
      );
    }
    // Before anything attaches: a fetcher at a leader's old address must be gone first.
    for (const { leaderId, address } of plan.leaderRegistrations) await fetchers.dropMoved(leaderId, address);
    // Partitions are independent: each phase runs its partitions concurrently (bounded), one step at a time
    // per partition, and the phases stay in order (a removal of an old topic id before the new one opens).
    this.#detailLevel = plan.remove.length > REPLICA_LIMITS.localChangesDetailLinesMax ? 'debug' : 'info';
    await mapConcurrently(plan.remove, REPLICA_LIMITS.localChangesConcurrency, (removal) =>
      this.#guarded(removal, () => this.#remove(removal)),
    );
    if (this.#detailLevel === 'debug') {
      this.#logger.info({ removed: plan.remove.length }, 'removed partitions (per partition at debug level)');
    }
    const applied = [...plan.becomeLeader, ...plan.becomeFollower, ...plan.partitionChanges];
    this.#detailLevel = applied.length > REPLICA_LIMITS.localChangesDetailLinesMax ? 'debug' : 'info';
    await mapConcurrently(byPartition(applied), REPLICA_LIMITS.localChangesConcurrency, async (steps) => {
      for (const planned of steps) await this.#guarded(planned, () => this.#applyPartition(planned, image));
    });
    if (this.#detailLevel === 'debug') {
      this.#logger.info(
        {
          becameLeader: plan.becomeLeader.length,
          becameFollower: plan.becomeFollower.length,
          changed: plan.partitionChanges.length,
        },
        'applied leadership changes (per partition at debug level)',
      );
    }
    for (const planned of plan.reconfigure)
      await this.#guarded(planned, () => this.#reconfigureOnly(planned));
    for (const planned of plan.reattach) {
      const partition = this.#hosted(planned);
      if (partition !== undefined) {
        await fetchers.follow(partition, addressOf(image, partition), planned.throttled);
      }
    }
    for (const stale of plan.staleEpochs) {
      this.#logger.warn({ ...stale }, 'ignoring a stale leader epoch in the metadata');
    }
    await fetchers.stopIdle();
  }

  /** Runs one partition's step; a failure other than a bug is logged and the partition retried later. */
  async #guarded(target: PlannedPartition | PartitionRemoval, step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      if (error instanceof AssertionError) throw error;
      const key = partitionKey(target.topic, target.partition);
      // A replica in an offline directory stays out until the broker restarts (the controller was told):
      // it is not retried with every change, nor logged as an error each time.
      if (error instanceof LogDirOfflineError) {
        this.#logger.debug(
          { partition: key, logDir: error.logDir },
          'partition is in an offline log directory',
        );
        return;
      }
      this.#logger.error({ err: error, partition: key }, 'could not apply partition metadata');
      if ('metadata' in target) this.#markFailed(target.metadata.topicId, target.partition);
    }
  }

  #markFailed(topicId: TopicId, partition: number): void {
    let indexes = this.#failed.get(topicId);
    if (indexes === undefined) {
      indexes = new Set();
      this.#failed.set(topicId, indexes);
    }
    indexes.add(partition);
  }

  #hosted(planned: PlannedPartition): Partition | undefined {
    const partition = this.#options.partitions.get(partitionKey(planned.topic, planned.partition));
    return partition?.topicId === planned.metadata.topicId ? partition : undefined;
  }

  async #remove(removal: PartitionRemoval): Promise<void> {
    const partition = this.#options.partitions.get(partitionKey(removal.topic, removal.partition));
    // Another topic id under the same name is not the one removed (already replaced, or never opened).
    if (partition === undefined || partition.topicId !== removal.topicId) return;
    this.#logger[this.#detailLevel](
      { partition: partitionKey(removal.topic, removal.partition), reason: removal.reason },
      'removing a partition',
    );
    await this.#removePartition(partition);
  }

  /** Becomes leader or follower by leader epoch, or takes a same-epoch change; then fetches if following. */
  async #applyPartition(planned: PlannedPartition, image: MetadataImage): Promise<void> {
    const { metadata } = planned;
    const key = partitionKey(planned.topic, planned.partition);
    let partition = this.#options.partitions.get(key);
    if (partition !== undefined && partition.topicId !== metadata.topicId) {
      await this.#removePartition(partition);
      partition = undefined;
    }
    if (partition === undefined) partition = await this.#open(key, planned);
    else await this.#maybeReconfigure(key, partition, planned);
    this.#setMinInsyncReplicas(key, partition, planned.minInsyncReplicas);
    this.#setFlushOnAck(key, partition, planned.flushOnAck);
    if (metadata.leaderEpoch < partition.leaderEpoch) {
      this.#logger.warn({ partition: key, epoch: metadata.leaderEpoch }, 'ignoring a stale leader epoch');
      return;
    }
    if (metadata.leaderEpoch === partition.leaderEpoch) {
      partition.applyPartitionChange(metadata);
    } else {
      await this.#options.fetchers.detach(partition);
      if (metadata.leader === this.#options.brokerId) {
        partition.becomeLeader(metadata, this.#options.clock.nowMs());
        this.#logger[this.#detailLevel](
          { partition: key, epoch: metadata.leaderEpoch, flushOnAck: partition.flushOnAck },
          'became leader',
        );
        this.#options.notifyLeadership(partition.topic, partition.partition, true, metadata.leaderEpoch);
      } else {
        partition.becomeFollower(metadata);
        this.#logger[this.#detailLevel](
          { partition: key, epoch: metadata.leaderEpoch, leader: metadata.leader },
          'became follower',
        );
        this.#options.notifyLeadership(partition.topic, partition.partition, false, metadata.leaderEpoch);
      }
    }
    await this.#options.fetchers.follow(partition, addressOf(image, partition), planned.throttled);
  }

  async #reconfigureOnly(planned: PlannedPartition): Promise<void> {
    const partition = this.#hosted(planned);
    if (partition === undefined) return; // never opened: it is in `retry`, and opens with the new config
    const key = partitionKey(planned.topic, planned.partition);
    await this.#maybeReconfigure(key, partition, planned);
    this.#setMinInsyncReplicas(key, partition, planned.minInsyncReplicas);
    this.#setFlushOnAck(key, partition, planned.flushOnAck);
  }

  async #open(key: string, planned: PlannedPartition): Promise<Partition> {
    const options = this.#options;
    const logDir = options.logDirs.place(key);
    let log: PartitionLog;
    try {
      log = await this.#openLog(join(logDir, key), planned);
    } catch (error) {
      // The directory's disk failed as the log opened (EIO, EROFS, ENOSPC...): the directory goes offline.
      if (isDiskError(error)) options.onDirectoryFailure(logDir, error);
      throw error;
    }
    const partition = new Partition({
      topic: planned.topic,
      partition: planned.partition,
      brokerId: options.brokerId,
      log,
      metadata: planned.metadata,
      minInsyncReplicas: planned.minInsyncReplicas,
      flushOnAck: planned.flushOnAck,
      initialHighWatermark: options.checkpointedHighWatermarks.get(key) ?? 0,
      onProduceWaiting: options.onProduceWaiting,
    });
    log.onStorageFailure = (error) => options.onStorageFailure(partition, error);
    options.partitions.set(key, partition);
    this.#appliedLogConfigs.set(key, JSON.stringify(planned.logConfig));
    options.cleaner?.register(key, log, () => cleaningUpperBound(partition));
    return partition;
  }

  #setFlushOnAck(key: string, partition: Partition, flushOnAck: boolean): void {
    if (partition.flushOnAck === flushOnAck) return;
    this.#logger.info({ partition: key, flushOnAck }, 'flush.on.ack changed');
    partition.flushOnAck = flushOnAck;
  }

  #openLog(dir: string, planned: PlannedPartition): Promise<PartitionLog> {
    const key = partitionKey(planned.topic, planned.partition);
    return PartitionLog.open({
      dir,
      clock: this.#options.clock,
      config: planned.logConfig,
      logger: (level, message, fields) => this.#logger[level]({ ...fields, partition: key }, message),
    });
  }

  #setMinInsyncReplicas(key: string, partition: Partition, minInsyncReplicas: number): void {
    if (partition.minInsyncReplicas === minInsyncReplicas) return;
    this.#logger.info(
      { partition: key, from: partition.minInsyncReplicas, to: minInsyncReplicas },
      'min.insync.replicas changed',
    );
    partition.minInsyncReplicas = minInsyncReplicas;
  }

  /**
   * The open log takes the topic's new overrides at once (PartitionLog.reconfigure), and a retention change
   * is applied right away rather than at the next periodic check. A value the log refuses is logged and the
   * log keeps its current config.
   */
  async #maybeReconfigure(key: string, partition: Partition, planned: PlannedPartition): Promise<void> {
    const json = JSON.stringify(planned.logConfig);
    if (this.#appliedLogConfigs.get(key) === json) return;
    this.#appliedLogConfigs.set(key, json);
    let changes: readonly LogConfigChange[];
    try {
      changes = partition.log.reconfigure(planned.logConfig);
    } catch (error) {
      this.#logger.warn(
        { err: error, partition: key },
        'topic config refused by the log; keeping the old one',
      );
      return;
    }
    if (changes.length === 0) return;
    this.#logger.info({ partition: key, changes }, 'topic config applied to the partition log');
    if (changes.some((change) => change.key === 'retentionMs' || change.key === 'retentionBytes')) {
      await partition.log.applyRetention(this.#options.clock.wallMs());
    }
    // A topic turned compacted (or made more eager) is looked at now rather than after the cleaner's backoff.
    if (changes.some((change) => CLEANING_KEYS.has(change.key))) this.#options.cleaner?.tick();
  }

  async #removePartition(partition: Partition): Promise<void> {
    const { partitions, fetchers, cleaner, logDirs } = this.#options;
    const key = partitionKey(partition.topic, partition.partition);
    await fetchers.detach(partition);
    partitions.delete(key);
    this.#appliedLogConfigs.delete(key);
    this.#options.notifyLeadership(partition.topic, partition.partition, false, -1);
    partition.shutdown();
    await cleaner?.unregister(key);
    await partition.log.close();
    const logDir = logDirs.dirOf(key);
    if (logDir !== undefined) await rm(join(logDir, key), { recursive: true, force: true });
    logDirs.release(key);
    this.#logger[this.#detailLevel]({ partition: key }, 'partition removed and deleted');
  }
}

/** The address a follower fetches from: its leader's registration in `image`; undefined while unknown. */
function addressOf(image: MetadataImage, partition: Partition): string | undefined {
  const role = partition.role;
  if (role.kind !== 'follower' || role.leaderId < 0) return undefined;
  return image.broker(toBrokerId(role.leaderId))?.address;
}

/** The planned steps grouped by partition (in plan order within each), so no two run at once for one. */
function byPartition(planned: readonly PlannedPartition[]): PlannedPartition[][] {
  const groups = new Map<string, PlannedPartition[]>();
  for (const step of planned) {
    const key = partitionKey(step.topic, step.partition);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [step]);
    else group.push(step);
  }
  return [...groups.values()];
}
