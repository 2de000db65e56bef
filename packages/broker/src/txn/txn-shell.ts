/**
 * The transaction coordinator shell (Kafka's TransactionCoordinator, TransactionStateManager and
 * TransactionMarkerChannelManager around the pure core): one TxnCoordinatorShard per __transaction_state
 * partition this broker leads (created on becoming leader with the partition's leader epoch as the
 * coordinator epoch, loaded from the partition, unloaded on losing it), and the runner of the effects
 * the shards return — producer ids from the broker's ProducerIdManager, state records appended with
 * acks=all, markers sent to the partitions' leaders and retried with backoff until written, replies
 * handed to the waiting request. Two timers sweep timed-out transactions and expired transactional ids.
 */
import { AssertionError, assert, type Clock, TributaryError, brokerId as toBrokerId } from '@tributary/core';
import { asTributaryError } from '@tributary/protocol';
import type { Logger } from 'pino';
import type { TopicPartition } from '../group/assignment.js';
import type { CoordinatorDataPlane } from '../group/coordinator-types.js';
import { OFFSETS_TOPIC } from '../group/limits.js';
import { offsetsPartitionFor } from '../group/offsets-topic.js';
import { type ImageSource, waitForTopics } from '../services/auto-create.js';
import { TRANSACTION_STATE_TOPIC, TXN_SHELL_LIMITS } from './limits.js';
import type { MarkerRound, WriteMarkersEffect } from './markers.js';
import type { CoordinatorAddress, TransactionCoordinatorPort } from './ports.js';
import { TxnCoordinatorShard, txnStatePartitionFor } from './txn-coordinator-core.js';
import { loadTxnShard } from './txn-loader.js';
import {
  appendTxnStateRecord,
  type CreateTopic,
  coordinatorNotAvailable,
  createTxnStateTopic,
  TxnStateWriteError,
} from './txn-state-topic.js';
import type {
  AddOffsetsRequest,
  AddPartitionsRequest,
  EndTxnRequest,
  InitProducerIdRequest,
  RequestId,
  TransitionId,
  TxnDescribeResult,
  TxnEffect,
  TxnListFilter,
  TxnListing,
  TxnOutcome,
} from './txn-types.js';

export interface TxnCoordinatorShellConfig {
  readonly stateTopicPartitions: number;
  readonly stateTopicReplicationFactor: number;
  readonly transactionMaxTimeoutMs: number;
  readonly transactionalIdExpirationMs: number;
  readonly abortTimedOutTransactionCleanupIntervalMs: number;
  readonly removeExpiredTransactionalIdCleanupIntervalMs: number;
  /** offsets.topic.num.partitions, for AddOffsetsToTxn before __consumer_offsets exists. */
  readonly offsetsTopicPartitions: number;
}

export interface TxnCoordinatorShellOptions {
  readonly brokerId: number;
  readonly dataPlane: CoordinatorDataPlane;
  readonly metadata: ImageSource;
  readonly createTopic: CreateTopic;
  readonly producerIds: { generateProducerId(): Promise<number> };
  readonly markers: { send(effect: WriteMarkersEffect): Promise<MarkerRound> };
  readonly config: TxnCoordinatorShellConfig;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A shard and the retry counts of its transitions that are being retried (for the backoff). */
interface Loaded {
  readonly shard: TxnCoordinatorShard;
  readonly attempts: Map<TransitionId, number>;
}

function backoffMs(attempt: number): number {
  return Math.min(
    TXN_SHELL_LIMITS.retryBackoffMsMax,
    TXN_SHELL_LIMITS.retryBackoffMsMin * 2 ** Math.min(attempt, 10),
  );
}

function unwrap(outcome: TxnOutcome): void {
  if (outcome.kind === 'error') throw outcome.error;
}

export class TransactionCoordinator implements TransactionCoordinatorPort {
  readonly #options: TxnCoordinatorShellOptions;
  readonly #logger: Logger;
  readonly #shards = new Map<number, Loaded>();
  /** Requests waiting for their reply effect; the core answers each exactly once (unload included). */
  readonly #waiting = new Map<RequestId, (outcome: TxnOutcome) => void>();
  #nextRequestId: RequestId = 1;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #unsubscribe: () => void;
  #creating: Promise<void> | null = null;
  #closed = false;

  constructor(options: TxnCoordinatorShellOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ subsystem: 'txn-coordinator' });
    this.#unsubscribe = options.dataPlane.onLeadershipChange((topic, partition, isLeader, epoch) => {
      if (topic === TRANSACTION_STATE_TOPIC) this.#onLeadership(partition, isLeader, epoch);
    });
  }

  get brokerId(): number {
    return this.#options.brokerId;
  }

  start(): void {
    const { config } = this.#options;
    this.#every(config.abortTimedOutTransactionCleanupIntervalMs, () => this.abortTimedOutTransactions());
    this.#every(config.removeExpiredTransactionalIdCleanupIntervalMs, () => {
      for (const loaded of this.#shards.values()) {
        this.#run(loaded, loaded.shard.removeExpiredTransactionalIds(this.#nowMs()));
      }
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe();
    for (const timer of this.#timers) {
      clearInterval(timer);
      clearTimeout(timer);
    }
    this.#timers.clear();
    for (const loaded of [...this.#shards.values()]) this.#drop(loaded);
  }

  /** The transaction timeout sweep (its timer runs this; tests may call it). */
  abortTimedOutTransactions(): void {
    for (const loaded of this.#shards.values()) {
      this.#run(loaded, loaded.shard.abortTimedOutTransactions(this.#nowMs()));
    }
  }

  async findCoordinator(transactionalId: string): Promise<CoordinatorAddress> {
    let image = this.#options.metadata.currentImage();
    if (image.topicByName(TRANSACTION_STATE_TOPIC) === undefined) {
      this.#creating ??= createTxnStateTopic(
        image,
        this.#options.config,
        this.#options.createTopic,
        this.#logger,
      ).finally(() => {
        this.#creating = null;
      });
      await this.#creating;
      image = await waitForTopics(
        this.#options.metadata,
        [TRANSACTION_STATE_TOPIC],
        TXN_SHELL_LIMITS.findCoordinatorWaitMs,
      );
    }
    const topic = image.topicByName(TRANSACTION_STATE_TOPIC);
    if (topic === undefined) {
      throw coordinatorNotAvailable(`${TRANSACTION_STATE_TOPIC} is not in this broker's metadata yet`);
    }
    const partition = txnStatePartitionFor(transactionalId, topic.partitions.size);
    const leader = topic.partitions.get(partition)?.leader ?? -1;
    const address = leader < 0 ? undefined : image.broker(toBrokerId(leader))?.address;
    if (address === undefined) {
      throw coordinatorNotAvailable(`${TRANSACTION_STATE_TOPIC}-${partition} has no leader right now`);
    }
    return { nodeId: leader, address };
  }

  async initProducerId(
    request: InitProducerIdRequest,
  ): Promise<{ producerId: number; producerEpoch: number }> {
    const outcome = await this.#submit(request.transactionalId, (shard, id, nowMs) =>
      shard.initProducerId(id, request, nowMs),
    );
    unwrap(outcome);
    assert(outcome.kind === 'producer-id', 'InitProducerId is answered with a producer id');
    return { producerId: outcome.producerId, producerEpoch: outcome.producerEpoch };
  }

  async addPartitionsToTxn(request: AddPartitionsRequest): Promise<void> {
    unwrap(
      await this.#submit(request.transactionalId, (shard, id, nowMs) =>
        shard.addPartitionsToTxn(id, request, nowMs),
      ),
    );
  }

  async addOffsetsToTxn(request: AddOffsetsRequest): Promise<void> {
    unwrap(
      await this.#submit(request.transactionalId, (shard, id, nowMs) =>
        shard.addOffsetsToTxn(id, request, nowMs),
      ),
    );
  }

  async endTxn(request: EndTxnRequest): Promise<void> {
    unwrap(
      await this.#submit(request.transactionalId, (shard, id, nowMs) => shard.endTxn(id, request, nowMs)),
    );
  }

  async verifyPartitions(request: AddPartitionsRequest): Promise<(TributaryError | null)[]> {
    try {
      return this.#shardFor(request.transactionalId).shard.verifyPartitionsInTxn(request);
    } catch (error) {
      if (!(error instanceof TributaryError)) throw error;
      return request.partitions.map(() => error);
    }
  }

  describeTransactions(transactionalIds: readonly string[]): TxnDescribeResult[] {
    return transactionalIds.map((transactionalId): TxnDescribeResult => {
      try {
        const [result] = this.#shardFor(transactionalId).shard.describe([transactionalId]);
        assert(result !== undefined, 'one description per id');
        return result;
      } catch (error) {
        if (!(error instanceof TributaryError)) throw error;
        return { kind: 'error', transactionalId, error };
      }
    });
  }

  listTransactions(filter: TxnListFilter): TxnListing[] {
    const nowMs = this.#nowMs();
    return [...this.#shards.values()]
      .flatMap(({ shard }) => shard.list(filter, nowMs))
      .sort((a, b) =>
        a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0,
      );
  }

  /** Test hook: the state partitions this broker coordinates and their state. */
  shardStates(): Map<number, TxnCoordinatorShard['state']> {
    return new Map([...this.#shards].map(([partition, { shard }]) => [partition, shard.state]));
  }

  // ---- requests and effects ----

  #nowMs(): number {
    // Written into the state topic and compared by the next coordinator: wall-clock time, as Kafka's.
    return this.#options.clock.wallMs();
  }

  #shardFor(transactionalId: string): Loaded {
    const topic = this.#options.metadata.currentImage().topicByName(TRANSACTION_STATE_TOPIC);
    if (topic === undefined || topic.partitions.size === 0) {
      throw coordinatorNotAvailable(
        `${TRANSACTION_STATE_TOPIC} does not exist yet; FindTransactionCoordinator creates it`,
      );
    }
    const partition = txnStatePartitionFor(transactionalId, topic.partitions.size);
    const loaded = this.#shards.get(partition);
    if (loaded === undefined) {
      throw new TributaryError(
        'NOT_COORDINATOR',
        `broker ${this.brokerId} does not lead ${TRANSACTION_STATE_TOPIC}-${partition}`,
      );
    }
    return loaded;
  }

  #submit(
    transactionalId: string,
    call: (shard: TxnCoordinatorShard, requestId: RequestId, nowMs: number) => TxnEffect[],
  ): Promise<TxnOutcome> {
    const loaded = this.#shardFor(transactionalId);
    return new Promise((resolve) => {
      const requestId = this.#nextRequestId++;
      this.#waiting.set(requestId, resolve);
      this.#run(loaded, call(loaded.shard, requestId, this.#nowMs()));
    });
  }

  /** Runs effects in order. A dropped shard's effects are not run (its successor decides), but replies are. */
  #run(loaded: Loaded, effects: readonly TxnEffect[]): void {
    const current = this.#shards.get(loaded.shard.partition) === loaded && loaded.shard.state !== 'closed';
    for (const effect of effects) {
      if (effect.kind === 'reply') {
        const resolve = this.#waiting.get(effect.requestId);
        assert(resolve !== undefined, () => `request ${effect.requestId} is waiting for its reply`);
        this.#waiting.delete(effect.requestId);
        resolve(effect.outcome);
        continue;
      }
      if (!current) continue;
      switch (effect.kind) {
        case 'allocate-producer-id':
          this.#allocate(loaded, effect.transitionId);
          break;
        case 'write-state':
          this.#writeState(loaded, effect);
          break;
        case 'write-markers':
          this.#writeMarkers(loaded, effect);
          break;
      }
    }
  }

  /** Runs effects from a completion; a bug there is logged loudly, never an unhandled rejection. */
  #complete(loaded: Loaded, produce: () => TxnEffect[]): void {
    try {
      this.#run(loaded, produce());
    } catch (error) {
      this.#logger.error({ err: error, partition: loaded.shard.partition }, 'transaction coordinator failed');
      if (error instanceof AssertionError) this.#reload(loaded);
    }
  }

  #allocate(loaded: Loaded, transitionId: TransitionId): void {
    const { shard } = loaded;
    this.#options.producerIds.generateProducerId().then(
      (producerId) =>
        this.#complete(loaded, () => shard.onProducerIdAllocated(transitionId, producerId, this.#nowMs())),
      (error: unknown) =>
        this.#complete(loaded, () =>
          shard.onProducerIdAllocationFailed(transitionId, asTributaryError(error)),
        ),
    );
  }

  #writeState(loaded: Loaded, effect: Extract<TxnEffect, { kind: 'write-state' }>): void {
    const { shard } = loaded;
    const { transitionId } = effect;
    const produce = this.#options.dataPlane.produce.bind(this.#options.dataPlane);
    appendTxnStateRecord(produce, this.#options.clock, effect.partition, effect.record).then(
      () => {
        loaded.attempts.delete(transitionId);
        this.#complete(loaded, () => shard.onStateWritten(transitionId, this.#nowMs()));
      },
      (error: unknown) => {
        if (error instanceof TxnStateWriteError && error.certain) {
          // A state write to repeat (the core re-emits Complete* records) waits for the backoff.
          this.#complete(loaded, () =>
            this.#later(loaded, transitionId, shard.onStateWriteFailed(transitionId, error.error)),
          );
          return;
        }
        // Whether the record is in the log is unknown: only the log can tell, so load it again.
        this.#logger.warn(
          { err: error, partition: shard.partition },
          'state write of unknown outcome; reloading',
        );
        this.#reload(loaded);
      },
    );
  }

  #writeMarkers(loaded: Loaded, effect: WriteMarkersEffect): void {
    const { shard } = loaded;
    const { transitionId } = effect;
    this.#options.markers.send(effect).then((round) => {
      this.#complete(loaded, () => {
        const effects: TxnEffect[] = [];
        if (round.written.length > 0)
          effects.push(...shard.onMarkersWritten(transitionId, round.written, this.#nowMs()));
        if (round.failed.length === 0) {
          loaded.attempts.delete(transitionId);
          return effects;
        }
        // Kafka retries markers until they are written or the partition is deleted.
        return [
          ...effects,
          ...this.#later(loaded, transitionId, shard.onMarkersFailed(transitionId, round.failed)),
        ];
      });
    });
  }

  /** Replies now; the other effects (a retry of the same transition) after the transition's backoff. */
  #later(loaded: Loaded, transitionId: TransitionId, effects: TxnEffect[]): TxnEffect[] {
    const retries = effects.filter((effect) => effect.kind !== 'reply');
    if (retries.length === 0) return effects;
    const attempt = loaded.attempts.get(transitionId) ?? 0;
    loaded.attempts.set(transitionId, attempt + 1);
    this.#after(backoffMs(attempt), () => this.#complete(loaded, () => retries));
    return effects.filter((effect) => effect.kind === 'reply');
  }

  // ---- leadership and loading ----

  #onLeadership(partition: number, isLeader: boolean, leaderEpoch: number): void {
    if (this.#closed) return;
    const existing = this.#shards.get(partition);
    if (isLeader && existing !== undefined && existing.shard.coordinatorEpoch === leaderEpoch) return;
    if (existing !== undefined) {
      this.#drop(existing);
      this.#logger.info({ partition, leaderEpoch }, 'transaction coordinator shard unloaded');
    }
    if (isLeader) this.#open(partition, leaderEpoch);
  }

  #open(partition: number, coordinatorEpoch: number): void {
    const image = this.#options.metadata.currentImage();
    const partitions = image.topicByName(TRANSACTION_STATE_TOPIC)?.partitions.size ?? 0;
    if (partition >= partitions) {
      this.#logger.warn({ partition, partitions }, 'leading a state partition the image does not have');
      return;
    }
    const config = this.#options.config;
    const shard = new TxnCoordinatorShard({
      partition,
      coordinatorEpoch,
      offsetsPartitionFor: (groupId) => this.#offsetsPartitionFor(groupId),
      config: {
        stateTopicPartitions: partitions,
        transactionMaxTimeoutMs: config.transactionMaxTimeoutMs,
        transactionalIdExpirationMs: config.transactionalIdExpirationMs,
      },
    });
    const loaded: Loaded = { shard, attempts: new Map() };
    this.#shards.set(partition, loaded);
    this.#load(loaded, 0);
  }

  #offsetsPartitionFor(groupId: string): TopicPartition {
    const topic = this.#options.metadata.currentImage().topicByName(OFFSETS_TOPIC);
    const count = topic === undefined ? this.#options.config.offsetsTopicPartitions : topic.partitions.size;
    return { topic: OFFSETS_TOPIC, partition: offsetsPartitionFor(groupId, count) };
  }

  /** Unloads the shard: its waiting requests are told NOT_COORDINATOR, its later completions ignored. */
  #drop(loaded: Loaded): void {
    if (this.#shards.get(loaded.shard.partition) === loaded) this.#shards.delete(loaded.shard.partition);
    if (loaded.shard.state !== 'closed') this.#run(loaded, loaded.shard.unload());
  }

  /** Unloads and loads the partition again (same coordinator epoch), while this broker still leads it. */
  #reload(loaded: Loaded): void {
    if (this.#closed || this.#shards.get(loaded.shard.partition) !== loaded) return;
    this.#drop(loaded);
    this.#open(loaded.shard.partition, loaded.shard.coordinatorEpoch);
  }

  #load(loaded: Loaded, attempt: number): void {
    const { shard } = loaded;
    const dataPlane = this.#options.dataPlane;
    loadTxnShard(shard, (topic, partition, from, maxBytes) =>
      dataPlane.readLocalLog(topic, partition, from, maxBytes),
    ).then(
      (replayed) => {
        if (replayed === null || shard.state !== 'loading' || this.#shards.get(shard.partition) !== loaded)
          return;
        this.#complete(loaded, () => shard.completeLoad(this.#nowMs()));
        this.#logger.info(
          { partition: shard.partition, epoch: shard.coordinatorEpoch, records: replayed },
          'transaction coordinator shard loaded',
        );
      },
      (error: unknown) => {
        this.#logger.error(
          { err: error, partition: shard.partition, attempt },
          'transaction state load failed; retrying',
        );
        this.#after(backoffMs(attempt), () => {
          if (shard.state === 'loading' && this.#shards.get(shard.partition) === loaded)
            this.#load(loaded, attempt + 1);
        });
      },
    );
  }

  #every(ms: number, task: () => void): void {
    const timer = setInterval(task, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  #after(ms: number, task: () => void): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) task();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }
}
