/**
 * The broker's replica layer (DESIGN §6), the imperative shell around Partition / LeaderPartitionState:
 * applies metadata images (become leader or follower by leader epoch, delete unassigned partitions),
 * serves produce / fetch / replica fetch / list offsets, runs one follower fetch loop per leader broker,
 * reports ISR changes with AlterPartition, and owns the manager's few timers (ISR check, delayed-produce
 * sweep, retention).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AssertionError, assert, type Clock, brokerId as toBrokerId } from '@tributary/core';
import {
  type LogCleaner,
  type LogCleanerStats,
  type LogConfig,
  type LogConfigChange,
  PartitionLog,
} from '@tributary/log';
import type { MetadataImage } from '@tributary/metadata';
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
import { logConfigFor, minInsyncReplicas, REPLICA_DEFAULTS, REPLICA_LIMITS } from './config.js';
import { handleDeleteRecords } from './delete-records.js';
import { describeProducers } from './describe-producers.js';
import { describeReplicas, type TopicPartition } from './describe-replicas.js';
import { FollowerFetcher, partitionKey } from './follower-fetcher.js';
import { readHighWatermarks, writeHighWatermarks } from './hw-checkpoint.js';
import { cleaningUpperBound, createLogCleaner, type LogCleanerSettings } from './log-cleaning.js';
import {
  handleOffsetForLeaderEpoch,
  type LeaderEpochEndOffset,
  type LeaderEpochQuery,
} from './offset-for-leader-epoch.js';
import { Partition, type PartitionMetadata } from './partition.js';
import { handleReplicaFetch } from './replica-fetch.js';
import { ReplicationThrottle, type ReplicationThrottleStats } from './replication-throttle.js';
import type { RequestContext, TransactionVerifier } from './request-context.js';
import { handleFetch, handleListOffsets, handleProduce } from './requests.js';

export interface ReplicaManagerOptions {
  brokerId: number;
  dataDir: string;
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
    replicaFetchMaxWaitMs?: number;
    replicaFetchMaxBytes?: number;
    logDefaults?: Partial<LogConfig>;
    /** Kafka's log.cleaner.* settings (compaction); the cleaner runs unless `enable` is false. */
    logCleaner?: LogCleanerSettings;
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

interface Assignment {
  readonly topic: string;
  readonly metadata: PartitionMetadata;
  readonly minInsyncReplicas: number;
  readonly logConfig: Partial<LogConfig>;
  /** This broker is an adding replica (being moved here): its fetches may be throttled. */
  readonly adding: boolean;
}

/** Log settings whose change may make a log due for cleaning at once. */
const CLEANING_KEYS: ReadonlySet<keyof LogConfig> = new Set<keyof LogConfig>([
  'cleanupPolicy',
  'minCleanableDirtyRatio',
  'maxCompactionLagMs',
]);

/** Fetchers are per leader, with a second one for the throttled partitions of that leader. */
function fetcherKey(leaderId: number, throttled: boolean): string {
  return throttled ? `${leaderId}/throttled` : `${leaderId}`;
}

export class ReplicaManager {
  private readonly options: ReplicaManagerOptions;
  private readonly logger: pino.Logger;
  private readonly lagMaxMs: number;
  private readonly partitions = new Map<string, Partition>();
  private readonly fetchers = new Map<string, FollowerFetcher>();
  /** Which fetcher (fetcherKey) each followed partition is attached to. */
  private readonly attachedTo = new Map<string, string>();
  /** The log overrides each open log runs with, as JSON, to tell when a topic's configs changed. */
  private readonly appliedLogConfigs = new Map<string, string>();
  private readonly throttle: ReplicationThrottle;
  /** Compacts the hosted logs whose cleanup.policy includes compact; null when log.cleaner.enable is off. */
  private readonly cleaner: LogCleaner | null;
  private readonly timers: NodeJS.Timeout[] = [];
  /** applyMetadata calls run one at a time, in order. */
  private metadataChain: Promise<void> = Promise.resolve();
  private lastImageOffset = -1;
  private checkpointChain: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly context: RequestContext;
  private transactionVerifier: TransactionVerifier | null = null;
  private readonly leadershipListeners = new Set<LeadershipListener>();
  /** High watermarks read at open, used once when each partition is first created. */
  private readonly checkpointedHighWatermarks: ReadonlyMap<string, number>;

  private constructor(options: ReplicaManagerOptions, checkpointed: ReadonlyMap<string, number>) {
    this.options = options;
    this.checkpointedHighWatermarks = checkpointed;
    this.logger = options.logger.child({ subsystem: 'replica-manager' });
    this.lagMaxMs = options.config?.replicaLagTimeMaxMs ?? REPLICA_DEFAULTS.replicaLagTimeMaxMs;
    this.throttle = new ReplicationThrottle(options.clock);
    this.cleaner = createLogCleaner(options.config?.logCleaner, options.clock, this.logger);
    assert(this.lagMaxMs > 0, 'replicaLagTimeMaxMs is positive');
    this.context = {
      brokerId: options.brokerId,
      clock: options.clock,
      partition: (topic, index) => this.partitions.get(partitionKey(topic, index)),
      afterFollowerFetch: (partition) => this.afterFollowerFetch(partition),
      transactionVerifier: () => this.transactionVerifier,
    };
  }

  /** The transaction coordinator's KIP-890 verification of transactional writes (set once it exists). */
  setTransactionVerifier(verifier: TransactionVerifier): void {
    this.transactionVerifier = verifier;
  }

  static async open(options: ReplicaManagerOptions): Promise<ReplicaManager> {
    await mkdir(options.dataDir, { recursive: true });
    const manager = new ReplicaManager(options, await readHighWatermarks(options.dataDir));
    manager.startTimers();
    manager.cleaner?.start();
    return manager;
  }

  /** Called with every new metadata image; see the class comment. Older images than the last are ignored. */
  applyMetadata(image: MetadataImage): Promise<void> {
    const next = this.metadataChain.then(() => this.applyMetadataNow(image));
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

  fetch(request: FetchRequest__Output): Promise<FetchPartitionResult[]> {
    return handleFetch(this.context, request);
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

  /** Proposes due ISR changes (the periodic check runs this; tests call it with an advanced clock). */
  checkIsr(): void {
    const due: { partition: Partition; item: AlterPartitionItem }[] = [];
    for (const partition of this.partitions.values()) {
      const item = this.isrProposal(partition);
      if (item !== null) due.push({ partition, item });
    }
    this.sendAlterPartition(due);
  }

  /** Fails delayed produces whose timeout passed (the periodic sweep runs this). */
  expireDelayedProduces(): void {
    const nowMs = this.options.clock.nowMs();
    for (const partition of this.partitions.values()) partition.expireProduceWaiters(nowMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.metadataChain;
    await Promise.all([...this.fetchers.values()].map((fetcher) => fetcher.stop()));
    this.fetchers.clear();
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
    every(REPLICA_DEFAULTS.retentionCheckIntervalMs, () => {
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

  private async applyMetadataNow(image: MetadataImage): Promise<void> {
    if (this.closed) return;
    if (image.offset < this.lastImageOffset) {
      this.logger.warn(
        { offset: image.offset, last: this.lastImageOffset },
        'ignoring an older metadata image',
      );
      return;
    }
    this.lastImageOffset = image.offset;
    const throttleRate = image.replicationThrottle();
    if (this.throttle.setRate(throttleRate)) {
      this.logger.info({ bytesPerSec: throttleRate }, 'replication throttle for adding replicas changed');
    }
    await this.dropMovedFetchers(image);
    const assigned = this.assignments(image);
    for (const [key, partition] of [...this.partitions]) {
      const assignment = assigned.get(key);
      if (assignment === undefined || assignment.metadata.topicId !== partition.topicId) {
        await this.removePartition(partition);
      }
    }
    for (const [key, assignment] of assigned) {
      try {
        await this.applyAssignment(key, assignment, image);
      } catch (error) {
        this.logger.error({ err: error, topic: assignment.topic, key }, 'could not apply partition metadata');
        if (error instanceof AssertionError) throw error;
      }
    }
    await this.stopIdleFetchers();
  }

  private assignments(image: MetadataImage): Map<string, Assignment> {
    const brokerId = this.options.brokerId;
    const assigned = new Map<string, Assignment>();
    for (const topic of image.topicsByName.values()) {
      const configs = image.topicConfigs(topic.name);
      for (const state of topic.partitions.values()) {
        if (!state.replicas.some((id) => id === brokerId)) continue;
        assigned.set(partitionKey(topic.name, state.partition), {
          topic: topic.name,
          metadata: {
            topicId: topic.topicId,
            leader: state.leader,
            leaderEpoch: state.leaderEpoch,
            partitionEpoch: state.partitionEpoch,
            replicas: state.replicas,
            isr: state.isr,
          },
          minInsyncReplicas: minInsyncReplicas(
            configs,
            state.replicas.length,
            this.options.config?.defaultMinInsyncReplicas,
          ),
          logConfig: logConfigFor(configs, this.options.config?.logDefaults),
          adding: state.addingReplicas?.some((id) => id === brokerId) === true,
        });
      }
    }
    return assigned;
  }

  private async applyAssignment(key: string, assignment: Assignment, image: MetadataImage): Promise<void> {
    const { metadata } = assignment;
    let partition = this.partitions.get(key);
    if (partition === undefined) {
      const index = Number(key.slice(assignment.topic.length + 1));
      const log = await PartitionLog.open({
        dir: join(this.options.dataDir, key),
        clock: this.options.clock,
        config: assignment.logConfig,
        logger: (level, message, fields) => this.logger[level]({ ...fields, partition: key }, message),
      });
      partition = new Partition({
        topic: assignment.topic,
        partition: index,
        brokerId: this.options.brokerId,
        log,
        metadata,
        minInsyncReplicas: assignment.minInsyncReplicas,
        initialHighWatermark: this.checkpointedHighWatermarks.get(key) ?? 0,
      });
      this.partitions.set(key, partition);
      this.appliedLogConfigs.set(key, JSON.stringify(assignment.logConfig));
      const replica = partition;
      this.cleaner?.register(key, log, () => cleaningUpperBound(replica));
    } else {
      await this.maybeReconfigure(key, partition, assignment);
    }
    if (partition.minInsyncReplicas !== assignment.minInsyncReplicas) {
      this.logger.info(
        { partition: key, from: partition.minInsyncReplicas, to: assignment.minInsyncReplicas },
        'min.insync.replicas changed',
      );
    }
    partition.minInsyncReplicas = assignment.minInsyncReplicas;
    if (metadata.leaderEpoch < partition.leaderEpoch) {
      this.logger.warn({ partition: key, epoch: metadata.leaderEpoch }, 'ignoring a stale leader epoch');
      return;
    }
    if (metadata.leaderEpoch === partition.leaderEpoch) {
      partition.applyPartitionChange(metadata);
    } else {
      await this.detachFromFetcher(partition);
      if (metadata.leader === this.options.brokerId) {
        partition.becomeLeader(metadata, this.options.clock.nowMs());
        this.logger.info({ partition: key, epoch: metadata.leaderEpoch }, 'became leader');
        this.notifyLeadership(partition.topic, partition.partition, true, metadata.leaderEpoch);
      } else {
        partition.becomeFollower(metadata);
        this.logger.info(
          { partition: key, epoch: metadata.leaderEpoch, leader: metadata.leader },
          'became follower',
        );
        this.notifyLeadership(partition.topic, partition.partition, false, metadata.leaderEpoch);
      }
    }
    await this.ensureFetching(partition, image, assignment.adding && this.throttle.rate !== null);
  }

  /**
   * A topic's configs changed in the image: the open log takes the new overrides at once (PartitionLog
   * .reconfigure), and a retention change is applied right away rather than at the next periodic check.
   * A value the log refuses is logged and the log keeps its current config.
   */
  private async maybeReconfigure(key: string, partition: Partition, assignment: Assignment): Promise<void> {
    const json = JSON.stringify(assignment.logConfig);
    if (this.appliedLogConfigs.get(key) === json) return;
    this.appliedLogConfigs.set(key, json);
    let changes: readonly LogConfigChange[];
    try {
      changes = partition.log.reconfigure(assignment.logConfig);
    } catch (error) {
      this.logger.warn(
        { err: error, partition: key },
        'topic config refused by the log; keeping the old one',
      );
      return;
    }
    if (changes.length === 0) return;
    this.logger.info({ partition: key, changes }, 'topic config applied to the partition log');
    if (changes.some((change) => change.key === 'retentionMs' || change.key === 'retentionBytes')) {
      await partition.log.applyRetention(this.options.clock.wallMs());
    }
    // A topic turned compacted (or made more eager) is looked at now rather than after the cleaner's backoff.
    if (changes.some((change) => CLEANING_KEYS.has(change.key))) this.cleaner?.tick();
  }

  /**
   * A follower fetches from its leader's current address (once the leader's registration is known), through
   * the leader's throttled fetcher when it is an adding replica and a throttle is set. Moving between the two
   * waits until the old fetcher can no longer append for the partition.
   */
  private async ensureFetching(
    partition: Partition,
    image: MetadataImage,
    throttled: boolean,
  ): Promise<void> {
    const role = partition.role;
    if (role.kind !== 'follower' || role.leaderId < 0) return;
    const address = image.broker(toBrokerId(role.leaderId))?.address;
    if (address === undefined) return;
    const key = partitionKey(partition.topic, partition.partition);
    const wanted = fetcherKey(role.leaderId, throttled);
    const current = this.attachedTo.get(key);
    if (current !== undefined && current !== wanted) {
      await this.detachFromFetcher(partition);
      this.logger.info(
        { partition: key, throttled },
        'partition moved between throttled and normal fetching',
      );
    }
    this.fetcherFor(role.leaderId, address, throttled).addPartition(partition);
    this.attachedTo.set(key, wanted);
  }

  private fetcherFor(leaderId: number, address: string, throttled: boolean): FollowerFetcher {
    const key = fetcherKey(leaderId, throttled);
    const existing = this.fetchers.get(key);
    if (existing !== undefined) {
      assert(existing.address === address, 'fetchers for moved leaders are dropped first');
      return existing;
    }
    const config = this.options.config;
    const fetcher = new FollowerFetcher({
      brokerId: this.options.brokerId,
      leaderId,
      address,
      client: this.options.replicationClient(address),
      brokerEpoch: this.options.brokerEpoch,
      maxWaitMs: config?.replicaFetchMaxWaitMs ?? REPLICA_DEFAULTS.replicaFetchMaxWaitMs,
      maxBytes: config?.replicaFetchMaxBytes ?? REPLICA_DEFAULTS.replicaFetchMaxBytes,
      logger: this.logger.child({ leaderId, throttled }),
      ...(throttled ? { throttle: this.throttle } : {}),
      ...(this.options.onLeaderUnreachable === undefined
        ? {}
        : { onLeaderUnreachable: this.options.onLeaderUnreachable }),
      ...(this.options.onLeaderReachable === undefined
        ? {}
        : { onLeaderReachable: this.options.onLeaderReachable }),
    });
    this.fetchers.set(key, fetcher);
    fetcher.start();
    return fetcher;
  }

  /** Leaders whose address changed or that left the image: their followers re-attach in ensureFetching. */
  private async dropMovedFetchers(image: MetadataImage): Promise<void> {
    for (const [key, fetcher] of [...this.fetchers]) {
      if (image.broker(toBrokerId(fetcher.leaderId))?.address === fetcher.address) continue;
      this.fetchers.delete(key);
      await fetcher.stop();
      this.forgetAttachments(key);
    }
  }

  private async stopIdleFetchers(): Promise<void> {
    for (const [key, fetcher] of [...this.fetchers]) {
      if (fetcher.size > 0) continue;
      this.fetchers.delete(key);
      await fetcher.stop();
      this.forgetAttachments(key);
    }
  }

  private forgetAttachments(fetcher: string): void {
    for (const [partition, attached] of [...this.attachedTo]) {
      if (attached === fetcher) this.attachedTo.delete(partition);
    }
  }

  private async detachFromFetcher(partition: Partition): Promise<void> {
    const key = partitionKey(partition.topic, partition.partition);
    const attached = this.attachedTo.get(key);
    if (attached === undefined) return;
    this.attachedTo.delete(key);
    await this.fetchers.get(attached)?.removePartition(partition.topic, partition.partition);
  }

  private async removePartition(partition: Partition): Promise<void> {
    const key = partitionKey(partition.topic, partition.partition);
    await this.detachFromFetcher(partition);
    this.partitions.delete(key);
    this.appliedLogConfigs.delete(key);
    this.notifyLeadership(partition.topic, partition.partition, false, -1);
    partition.shutdown();
    await this.cleaner?.unregister(key);
    await partition.log.close();
    await rm(join(this.options.dataDir, key), { recursive: true, force: true });
    this.logger.info({ partition: key }, 'partition removed and deleted');
  }

  private afterFollowerFetch(partition: Partition): void {
    const state = partition.leaderState();
    if (state === null || state.alterInFlight || state.expandCandidates().length === 0) return;
    const item = this.isrProposal(partition);
    if (item !== null) this.sendAlterPartition([{ partition, item }]);
  }

  private isrProposal(partition: Partition): AlterPartitionItem | null {
    const state = partition.leaderState();
    if (state === null) return null;
    const proposal = state.proposeIsrChange(this.options.clock.nowMs(), this.lagMaxMs);
    if (proposal === null) return null;
    this.logger.info(
      { topic: partition.topic, partition: partition.partition, ...proposal, epoch: state.leaderEpoch },
      'proposing an ISR change',
    );
    return {
      topic: partition.topic,
      partition: partition.partition,
      leaderEpoch: state.leaderEpoch,
      partitionEpoch: state.partitionEpoch,
      newIsr: [...proposal.newIsr],
    };
  }

  private sendAlterPartition(due: readonly { partition: Partition; item: AlterPartitionItem }[]): void {
    if (due.length === 0) return;
    this.options.alterPartition(due.map((entry) => entry.item)).then(
      (results) => {
        for (const { partition, item } of due) {
          const result = results.find((r) => r.topic === item.topic && r.partition === item.partition);
          this.onAlterPartitionResult(partition, item, result);
        }
      },
      (error: unknown) => {
        this.logger.warn({ err: error }, 'AlterPartition failed');
        for (const { partition, item } of due) this.onAlterPartitionResult(partition, item, undefined);
      },
    );
  }

  private onAlterPartitionResult(
    partition: Partition,
    item: AlterPartitionItem,
    result: AlterPartitionResult__Output | undefined,
  ): void {
    const state = partition.leaderState();
    // A different leader state (new epoch) has nothing in flight from this call.
    if (state === null || state.leaderEpoch !== item.leaderEpoch) return;
    if (result === undefined || result.errorCode !== '') {
      state.alterPartitionDone(result?.errorCode === 'STALE_PARTITION_EPOCH' ? 'stale' : 'failed');
      if (result !== undefined) {
        this.logger.info(
          { topic: item.topic, partition: item.partition, code: result.errorCode },
          'ISR change refused',
        );
      }
      return;
    }
    state.alterPartitionDone('ok');
    const info = result.partitionInfo;
    // Optimistic: the committed partition as the controller returned it (metadata will bring the same).
    if (
      info !== null &&
      info.leaderEpoch === partition.leaderEpoch &&
      info.partitionEpoch > partition.partitionEpoch
    ) {
      partition.applyPartitionChange({
        topicId: partition.topicId,
        leader: info.leader,
        leaderEpoch: info.leaderEpoch,
        partitionEpoch: info.partitionEpoch,
        replicas: info.replicas,
        isr: info.isr,
      });
    }
  }
}
