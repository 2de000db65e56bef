/**
 * The broker's replica layer (DESIGN §6), the imperative shell around Partition / LeaderPartitionState, and
 * the façade its callers use. It applies metadata changes (planLocalChanges → LocalChangesApplier: become
 * leader or follower by leader epoch, delete unassigned partitions, reconfigure logs), serves produce / fetch
 * / replica fetch / list offsets, fetches as a follower through the FetcherPool, reports ISR changes through
 * the IsrReporter, and owns the manager's few timers (ISR check, delayed-produce sweep, retention).
 */
import { mkdir } from 'node:fs/promises';
import { AssertionError, assert, type Clock, brokerId as toBrokerId } from '@tributary/core';
import type { LogCleaner, LogCleanerStats, LogConfig } from '@tributary/log';
import { type MetadataChanges, MetadataImage } from '@tributary/metadata';
import type {
  AlterPartitionItem,
  AlterPartitionResult__Output,
  DeleteRecordsPartitionResult__Output,
  DeleteRecordsRequest__Output,
  DescribedPartitionReplicas,
  DescribeProducersPartitionResult__Output,
  FetchPartitionResult,
  FetchRequest__Output,
  ListOffsetsPartitionResult,
  ListOffsetsRequest__Output,
  ProducePartitionResult,
  ProduceRequest__Output,
  ReplicaFetchPartitionResult,
  ReplicaFetchRequest__Output,
  ReplicationClient,
} from '@tributary/protocol';
import type pino from 'pino';
import { REPLICA_DEFAULTS, REPLICA_LIMITS } from './config.js';
import { handleDeleteRecords } from './delete-records.js';
import { describeProducers } from './describe-producers.js';
import { describeReplicas, type TopicPartition } from './describe-replicas.js';
import { FetcherPool } from './fetcher-pool.js';
import { parsePartitionKey, partitionKey } from './follower-fetcher.js';
import { readHighWatermarks, writeHighWatermarks } from './hw-checkpoint.js';
import { IsrReporter } from './isr-reporter.js';
import { planLocalChanges } from './local-changes.js';
import { LocalChangesApplier } from './local-changes-applier.js';
import { createLogCleaner, type LogCleanerSettings } from './log-cleaning.js';
import { isDiskError, LogDirectories, type LogDirStatus } from './log-dirs.js';
import {
  handleOffsetForLeaderEpoch,
  type LeaderEpochEndOffset,
  type LeaderEpochQuery,
} from './offset-for-leader-epoch.js';
import type { Partition } from './partition.js';
import { handleReplicaFetch } from './replica-fetch.js';
import { ReplicationThrottle, type ReplicationThrottleStats } from './replication-throttle.js';
import type { RequestContext, TransactionVerifier } from './request-context.js';
import { handleFetch, handleListOffsets, handleProduce } from './requests.js';

export interface ReplicaManagerOptions {
  brokerId: number;
  /** The first log directory: it also holds the high watermark checkpoint. */
  dataDir: string;
  /** Further log directories (Kafka's log.dirs after the first); a new partition goes to the least loaded. */
  additionalLogDirs?: readonly string[];
  /**
   * A log directory went offline (its disk failed): the broker heartbeats at once to report its partitions
   * (offlinePartitionsToReport), and shuts down when `allOffline` (Kafka does).
   */
  onLogDirOffline?: (logDir: string, allOffline: boolean) => void;
  clock: Clock;
  logger: pino.Logger;
  /** Sends ISR changes to the active controller (BrokerLifecycle.AlterPartition); resolves with per-item results. */
  alterPartition: (items: AlterPartitionItem[]) => Promise<AlterPartitionResult__Output[]>;
  /**
   * Creates a Replication client for a leader broker's address (follower side). The caller owns the clients
   * (may cache one per address) and closes them; the manager never does.
   */
  replicationClient: (address: string) => ReplicationClient;
  brokerEpoch: () => number;
  /** A leader this broker follows could not be reached / was reached again (FollowerFetcher). */
  onLeaderUnreachable?: (leaderId: number) => void;
  onLeaderReachable?: (leaderId: number) => void;
  config?: {
    replicaLagTimeMaxMs?: number;
    defaultMinInsyncReplicas?: number;
    /** --durability fsync: flush.on.ack for topics that do not set it (issue 16). */
    defaultFlushOnAck?: boolean;
    replicaFetchMaxWaitMs?: number;
    replicaFetchMaxBytes?: number;
    logDefaults?: Partial<LogConfig>;
    /** Kafka's log.cleaner.* settings (compaction); the cleaner runs unless `enable` is false. */
    logCleaner?: LogCleanerSettings;
    /** Kafka's log.retention.check.interval.ms; REPLICA_DEFAULTS.retentionCheckIntervalMs by default. */
    retentionCheckIntervalMs?: number;
  };
}

/** Fired after this broker becomes leader or follower of a partition, or stops hosting it (epoch -1). */
export type LeadershipListener = (
  topic: string,
  partition: number,
  isLeader: boolean,
  leaderEpoch: number,
) => void;

/** A read of a hosted partition's local log (group coordinator loading; not for clients). */
export interface LocalLogRead {
  readonly bytes: Buffer;
  readonly nextOffset: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
}

export class ReplicaManager {
  private readonly options: ReplicaManagerOptions;
  private readonly logger: pino.Logger;
  private readonly lagMaxMs: number;
  /** Hosted partitions by partitionKey; only the LocalChangesApplier adds and removes them (and close()). */
  private readonly partitions = new Map<string, Partition>();
  /** Partitions with acks=all writes parked (added by the partition, dropped by the sweep once empty). */
  private readonly produceWaiting = new Set<Partition>();
  private readonly fetchers: FetcherPool;
  private readonly isr: IsrReporter;
  private readonly localChanges: LocalChangesApplier;
  private readonly throttle: ReplicationThrottle;
  /** Compacts the hosted logs whose cleanup.policy includes compact; null when log.cleaner.enable is off. */
  private readonly cleaner: LogCleaner | null;
  private readonly timers: NodeJS.Timeout[] = [];
  /** applyMetadata calls run one at a time, in order. */
  private metadataChain: Promise<void> = Promise.resolve();
  /** The last image applied in full: the `previous` of the next plan. */
  private image = MetadataImage.EMPTY;
  private checkpointChain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly context: RequestContext;
  private transactionVerifier: TransactionVerifier | null = null;
  private readonly leadershipListeners = new Set<LeadershipListener>();
  private readonly logDirs: LogDirectories;

  private constructor(
    options: ReplicaManagerOptions,
    checkpointed: ReadonlyMap<string, number>,
    logDirs: LogDirectories,
  ) {
    this.logDirs = logDirs;
    this.options = options;
    this.logger = options.logger.child({ subsystem: 'replica-manager' });
    this.lagMaxMs = options.config?.replicaLagTimeMaxMs ?? REPLICA_DEFAULTS.replicaLagTimeMaxMs;
    this.throttle = new ReplicationThrottle(options.clock);
    this.cleaner = createLogCleaner(options.config?.logCleaner, options.clock, this.logger);
    assert(this.lagMaxMs > 0, 'replicaLagTimeMaxMs is positive');
    const config = options.config;
    this.fetchers = new FetcherPool({
      brokerId: options.brokerId,
      logger: this.logger,
      replicationClient: options.replicationClient,
      brokerEpoch: options.brokerEpoch,
      maxWaitMs: config?.replicaFetchMaxWaitMs ?? REPLICA_DEFAULTS.replicaFetchMaxWaitMs,
      maxBytes: config?.replicaFetchMaxBytes ?? REPLICA_DEFAULTS.replicaFetchMaxBytes,
      throttle: this.throttle,
      ...(options.onLeaderUnreachable === undefined
        ? {}
        : { onLeaderUnreachable: options.onLeaderUnreachable }),
      ...(options.onLeaderReachable === undefined ? {} : { onLeaderReachable: options.onLeaderReachable }),
    });
    this.isr = new IsrReporter({
      clock: options.clock,
      logger: this.logger,
      lagMaxMs: this.lagMaxMs,
      alterPartition: options.alterPartition,
    });
    this.localChanges = new LocalChangesApplier({
      brokerId: options.brokerId,
      logDirs,
      clock: options.clock,
      logger: this.logger,
      partitions: this.partitions,
      fetchers: this.fetchers,
      throttle: this.throttle,
      cleaner: this.cleaner,
      checkpointedHighWatermarks: checkpointed,
      onProduceWaiting: (partition) => this.produceWaiting.add(partition),
      // Any I/O failure of a log mutation takes its directory offline, as Kafka does for every IOException:
      // the failed log refuses all writes from then on, so its partition must move. A bug (an assertion)
      // stays what it is.
      onStorageFailure: (partition, error) => {
        const logDir = logDirs.dirOf(partitionKey(partition.topic, partition.partition));
        if (logDir !== undefined && !(error instanceof AssertionError)) this.takeLogDirOffline(logDir, error);
      },
      onDirectoryFailure: (logDir, error) => this.takeLogDirOffline(logDir, error),
      notifyLeadership: (topic, partition, isLeader, epoch) =>
        this.notifyLeadership(topic, partition, isLeader, epoch),
    });
    this.context = {
      brokerId: options.brokerId,
      clock: options.clock,
      partition: (topic, index) => this.partitions.get(partitionKey(topic, index)),
      offlineLogDir: (topic, index) => logDirs.offlineDirOf(partitionKey(topic, index)),
      onReadFailure: (partition, error) => {
        const logDir = logDirs.dirOf(partitionKey(partition.topic, partition.partition));
        if (logDir !== undefined && isDiskError(error)) this.takeLogDirOffline(logDir, error);
      },
      afterFollowerFetch: (partition) => this.isr.afterFollowerFetch(partition),
      transactionVerifier: () => this.transactionVerifier,
    };
  }

  /** The transaction coordinator's KIP-890 verification of transactional writes (set once it exists). */
  setTransactionVerifier(verifier: TransactionVerifier): void {
    this.transactionVerifier = verifier;
  }

  static async open(options: ReplicaManagerOptions): Promise<ReplicaManager> {
    await mkdir(options.dataDir, { recursive: true });
    const logDirs = await LogDirectories.open([options.dataDir, ...(options.additionalLogDirs ?? [])]);
    const manager = new ReplicaManager(options, await readHighWatermarks(options.dataDir), logDirs);
    manager.startTimers();
    manager.cleaner?.start();
    return manager;
  }

  /**
   * Called with every new metadata image and what changed since the image applied before it (all of it:
   * ImageApplier unions the changes of images it skips). Older images than the last are ignored.
   */
  applyMetadata(image: MetadataImage, changes: MetadataChanges): Promise<void> {
    const next = this.metadataChain.then(() => this.applyMetadataNow(image, changes));
    this.metadataChain = next.catch(() => undefined);
    return next;
  }

  produce(request: ProduceRequest__Output): Promise<ProducePartitionResult[]> {
    return handleProduce(this.context, request);
  }

  /** The broker's own coordinators' writes (origin 'coordinator': markers, transactional offsets). */
  produceAsCoordinator(request: ProduceRequest__Output): Promise<ProducePartitionResult[]> {
    return handleProduce(this.context, request, 'coordinator');
  }

  /** A consumer fetch; `signal` aborts its long poll when the client is gone. */
  fetch(request: FetchRequest__Output, signal?: AbortSignal): Promise<FetchPartitionResult[]> {
    return handleFetch(this.context, request, signal);
  }

  replicaFetch(request: ReplicaFetchRequest__Output): Promise<ReplicaFetchPartitionResult[]> {
    return handleReplicaFetch(this.context, request);
  }

  listOffsets(request: ListOffsetsRequest__Output): Promise<ListOffsetsPartitionResult[]> {
    return handleListOffsets(this.context, request);
  }

  /** DeleteRecords on the partitions this broker leads: see delete-records.ts. */
  deleteRecords(request: DeleteRecordsRequest__Output): Promise<DeleteRecordsPartitionResult__Output[]> {
    return handleDeleteRecords(this.context, request);
  }

  /** OffsetForLeaderEpoch for consumers: see offset-for-leader-epoch.ts. */
  offsetForLeaderEpoch(queries: readonly LeaderEpochQuery[]): LeaderEpochEndOffset[] {
    return handleOffsetForLeaderEpoch(this.context, queries);
  }

  /** Partitions this broker leads (for controlled shutdown and metrics). */
  leaderPartitions(): { topic: string; partition: number }[] {
    return [...this.partitions.values()]
      .filter((partition) => partition.role.kind === 'leader')
      .map((partition) => ({ topic: partition.topic, partition: partition.partition }));
  }

  /** Test and metrics hook: the replica of one partition, when hosted here. */
  partitionReplica(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(partitionKey(topic, partition));
  }

  /** Broker.DescribeReplicas (the request already validated): see describe-replicas.ts. */
  describeReplicas(wanted: readonly TopicPartition[] | null): DescribedPartitionReplicas[] {
    return describeReplicas({
      wanted,
      lookup: (topic, index) => this.partitions.get(partitionKey(topic, index)),
      all: () => this.partitions.values(),
      brokerId: this.options.brokerId,
      nowMs: this.options.clock.nowMs(),
    });
  }

  /** Broker.DescribeProducers and Kafka's DescribeProducers (the request already validated). */
  describeProducers(wanted: readonly TopicPartition[]): DescribeProducersPartitionResult__Output[] {
    return describeProducers({
      wanted,
      lookup: (topic, index) => this.partitions.get(partitionKey(topic, index)),
      brokerId: this.options.brokerId,
    });
  }

  /** The replication throttle's rate and counters (metrics, tests). */
  replicationThrottleStats(): ReplicationThrottleStats {
    return this.throttle.stats();
  }

  /** The log cleaner's counters and dirty ratios (metrics); undefined when log.cleaner.enable is off. */
  logCleanerStats(): LogCleanerStats | undefined {
    return this.cleaner?.stats();
  }

  /** Subscribes to leadership changes (see LeadershipListener); returns the unsubscribe function. */
  onLeadershipChange(listener: LeadershipListener): () => void {
    this.leadershipListeners.add(listener);
    return () => this.leadershipListeners.delete(listener);
  }

  /**
   * Reads a hosted partition's log from fromOffset (null: the log start) up to its log end, at most
   * maxBytes (at least one batch). Null when the partition is not hosted here.
   */
  async readLocalLog(
    topic: string,
    partition: number,
    fromOffset: number | null,
    maxBytes: number,
  ): Promise<LocalLogRead | null> {
    const replica = this.partitions.get(partitionKey(topic, partition));
    if (replica === undefined) return null;
    const log = replica.log;
    const result = await log.read(fromOffset ?? log.logStartOffset, { maxBytes });
    return { ...result, logStartOffset: log.logStartOffset, logEndOffset: log.logEndOffset };
  }

  private notifyLeadership(topic: string, partition: number, isLeader: boolean, leaderEpoch: number): void {
    for (const listener of this.leadershipListeners) {
      try {
        listener(topic, partition, isLeader, leaderEpoch);
      } catch (error) {
        this.logger.error({ err: error, topic, partition }, 'leadership listener failed');
      }
    }
  }

  /** Every log directory with its state (metrics, the offline-directory count, tests). */
  logDirStatus(): LogDirStatus[] {
    return this.logDirs.status();
  }

  /**
   * Partitions in offline directories that the applied metadata still has this broker lead or hold in the
   * ISR beside others, at most `max`: what the broker's heartbeat reports until the controller has moved
   * them (then they drop out of this list, so a long-dead directory costs the heartbeat nothing).
   */
  offlinePartitionsToReport(max: number): TopicPartition[] {
    const self = toBrokerId(this.options.brokerId);
    const wanted: TopicPartition[] = [];
    for (const key of this.logDirs.offlinePartitionKeys()) {
      if (wanted.length >= max) break;
      const parsed = parsePartitionKey(key);
      if (parsed === null) continue;
      const state = this.image.topicByName(parsed.topic)?.partitions.get(parsed.partition);
      if (state === undefined) continue;
      const othersInIsr = state.isr.some((member) => member !== self);
      if (state.leader === self || (state.isr.includes(self) && othersInIsr)) wanted.push(parsed);
    }
    return wanted;
  }

  /**
   * Kafka's log-dir failure: `logDir`'s disk failed, so every partition in it stops leading and following
   * here at once (its produce waiters fail, retriably; later requests get STORAGE_ERROR, which is retriable
   * and sends clients to refreshed metadata), and its logs close without the clean-shutdown marker, so the
   * restart after the repair recovers them. The broker keeps serving its other directories; the heartbeat
   * reports the partitions so the controller moves their leadership and shrinks their ISR.
   */
  private takeLogDirOffline(logDir: string, error: unknown): void {
    const keys = this.logDirs.markOffline(logDir, error instanceof Error ? error.message : String(error));
    if (keys === null) return;
    this.logger.error(
      { err: error, logDir, partitions: keys.length, offlineLogDirs: this.logDirs.offlineCount },
      'log directory offline: its partitions stop leading and following until the broker restarts',
    );
    const stopped: Partition[] = [];
    for (const key of keys) {
      const partition = this.partitions.get(key);
      if (partition === undefined) continue;
      this.partitions.delete(key);
      this.produceWaiting.delete(partition);
      partition.shutdown();
      stopped.push(partition);
    }
    // The rest waits its turn behind metadata changes being applied, which read the same partitions.
    const closing = this.metadataChain.then(() => this.closeOfflinePartitions(stopped));
    this.metadataChain = closing.catch((closeError: unknown) =>
      this.logger.warn({ err: closeError, logDir }, 'closing the offline partitions failed'),
    );
    this.options.onLogDirOffline?.(logDir, this.logDirs.allOffline);
  }

  private async closeOfflinePartitions(stopped: readonly Partition[]): Promise<void> {
    for (const partition of stopped) {
      const key = partitionKey(partition.topic, partition.partition);
      await this.fetchers.detach(partition);
      await this.cleaner?.unregister(key);
      this.notifyLeadership(partition.topic, partition.partition, false, -1);
      await partition.log.closeWithoutMarker();
    }
  }

  /** Proposes due ISR changes (the periodic check runs this; tests call it with an advanced clock). */
  checkIsr(): void {
    this.isr.checkIsr(this.partitions.values());
  }

  /**
   * Fails delayed produces whose timeout passed (the periodic sweep runs this, every 50 ms): only the
   * partitions where writes are parked, so an idle broker hosting 100,000 partitions visits none.
   */
  expireDelayedProduces(): void {
    const nowMs = this.options.clock.nowMs();
    for (const partition of this.produceWaiting) {
      partition.expireProduceWaiters(nowMs);
      if (partition.produceWaiterCount === 0) this.produceWaiting.delete(partition);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.metadataChain;
    await this.fetchers.close();
    for (const partition of this.partitions.values()) partition.shutdown();
    // Cleans in progress are aborted and awaited before their logs close under them.
    await this.cleaner?.close();
    await this.checkpointHighWatermarks();
    await Promise.all([...this.partitions.values()].map((partition) => partition.log.close()));
    this.partitions.clear();
  }

  private startTimers(): void {
    const every = (ms: number, task: () => void): void => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(Math.max(1, Math.floor(this.lagMaxMs / 2)), () => this.checkIsr());
    every(REPLICA_LIMITS.produceSweepIntervalMs, () => this.expireDelayedProduces());
    every(REPLICA_DEFAULTS.highWatermarkCheckpointIntervalMs, () => {
      this.checkpointHighWatermarks().catch((error: unknown) =>
        this.logger.warn({ err: error }, 'high watermark checkpoint failed'),
      );
    });
    every(this.options.config?.retentionCheckIntervalMs ?? REPLICA_DEFAULTS.retentionCheckIntervalMs, () => {
      this.applyRetention().catch((error: unknown) => this.logger.error({ err: error }, 'retention failed'));
    });
  }

  /** Writes run one after another (they share the temp file). */
  private checkpointHighWatermarks(): Promise<void> {
    const write = async (): Promise<void> => {
      const entries = new Map<string, number>();
      for (const [key, partition] of this.partitions) entries.set(key, partition.highWatermark);
      await writeHighWatermarks(this.options.dataDir, entries);
    };
    const next = this.checkpointChain.then(write);
    this.checkpointChain = next.catch(() => undefined);
    return next;
  }

  private async applyRetention(): Promise<void> {
    for (const partition of [...this.partitions.values()]) {
      if (this.closed) return;
      await partition.log.applyRetention(this.options.clock.wallMs());
    }
  }

  private async applyMetadataNow(image: MetadataImage, changes: MetadataChanges): Promise<void> {
    if (this.closed) return;
    if (image.offset < this.image.offset) {
      this.logger.warn({ offset: image.offset, last: this.image.offset }, 'ignoring an older metadata image');
      return;
    }
    const config = this.options.config;
    const plan = planLocalChanges({
      previous: this.image,
      next: image,
      changes,
      brokerId: toBrokerId(this.options.brokerId),
      retry: this.localChanges.retry,
      defaults: {
        ...(config?.defaultMinInsyncReplicas === undefined
          ? {}
          : { minInsyncReplicas: config.defaultMinInsyncReplicas }),
        ...(config?.logDefaults === undefined ? {} : { log: config.logDefaults }),
        ...(config?.defaultFlushOnAck === undefined ? {} : { flushOnAck: config.defaultFlushOnAck }),
      },
    });
    await this.localChanges.apply(plan, image);
    // Only once applied in full: after a failure (a bug) the next plan starts from the same image again.
    this.image = image;
  }
}
