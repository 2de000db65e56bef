/**
 * A consumer-group member (KIP-848 style, see protos/tributary/v1/group.proto). Three loops, each with
 * one job: Membership heartbeats on its own timer and hands assignments here; the fetch loop
 * (deliveries) keeps one Fetch per leader broker in flight over every owned, unpaused partition, takes each
 * answer as it comes, asks that broker again at once (before the records are handled: pipelining) and
 * hands whole per-partition batches to the application; the auto-commit loop commits what handlers finished.
 * Guarantees: at-least-once (only offsets of records whose handler completed are committed); a revoked
 * partition is committed before it is reported given up; a lost one (fenced) is never committed.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, type Random, systemClock, systemRandom, TributaryError } from '@tributary/core';
import { backoffDelayMs, DEFAULT_BACKOFF } from '@tributary/protocol';
import type { BrokerConnections } from '../connections.js';
import { Consumer } from '../consumer.js';
import { FetchPipeline } from '../fetch-pipeline.js';
import { LeaderWatch } from '../leader-watch.js';
import type { MetadataCache } from '../metadata-cache.js';
import type { AbortedProducers } from '../read-committed.js';
import { sleep, toError } from '../retry.js';
import { beginHandling, ListenerQueue, settledWithin, Waiter } from './async-helpers.js';
import { CommitManager, type TopicPartitionOffset } from './commit-manager.js';
import { GROUP_LIMITS } from './config.js';
import { type CoordinatorConnections, CoordinatorLookup } from './coordinator.js';
import { type Delivery, dispatch, markProcessed } from './dispatch.js';
import { type FetchedPartition, failedFetch, fetchRound } from './fetcher.js';
import { Membership, requireValidGroupId } from './membership.js';
import { type ResolvedOptions, resolveOptions } from './options.js';
import { OwnedPartitions, type PartitionState, type PauseSpec } from './owned-partitions.js';
import { initializePositions } from './positions.js';
import {
  groupPartitions,
  offsetsToCommit,
  reconcile,
  type TopicPartition,
  type TopicPartitionList,
} from './reconcile.js';
import { SubscriptionState } from './subscription.js';
import {
  type GroupConsumerOptions,
  type PartitionBatch,
  type RunHandlers,
  type Subscription,
  toMessage,
} from './types.js';

/** One fetch's results and the seek generation of each partition when it started. */
interface FetchedRound {
  readonly generations: ReadonlyMap<string, number>;
  readonly results: readonly FetchedPartition[];
}

export interface GroupConsumerDeps {
  readonly metadata: MetadataCache;
  readonly connections: BrokerConnections;
  readonly coordinators: CoordinatorConnections;
  /** Brokers asked FindCoordinator (any broker answers it). */
  readonly lookupAddresses: () => readonly string[];
  /** Brokers asked for the cluster's topic list when the subscription is a RegExp. */
  readonly brokerAddresses: () => readonly string[];
  readonly clientId: string;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Deadline of metadata and offset lookups. */
  readonly timeoutMs?: number;
  /** Default: a random UUID, kept for the consumer's lifetime. */
  readonly memberId?: string;
}

export class GroupConsumer implements AsyncIterable<PartitionBatch> {
  private readonly options: ResolvedOptions;
  private readonly random: Random;
  private readonly timeoutMs: number;
  /** read_committed state per partition, across fetches (read-committed.ts). */
  private readonly abortedProducers = new Map<string, AbortedProducers>();
  private readonly owned = new OwnedPartitions();
  private readonly subscription: SubscriptionState;
  private readonly commits: CommitManager;
  private readonly membership: Membership;
  private readonly offsets: Consumer;
  private readonly stopController = new AbortController();
  private readonly background = new Set<Promise<void>>();
  /** Rebalance listeners run in order; fetching waits for them (as Kafka's poll does). */
  private readonly listenerQueue = new ListenerQueue();
  private readonly fetchWaiter = new Waiter();
  /** Gives up a fetch whose leader was replaced while it waited (leader-watch.ts). */
  private readonly leaderWatch: LeaderWatch;
  /** The fetch loop's fetches in flight, while it runs. */
  private fetches: FetchPipeline<string, FetchedRound> | undefined;
  private fatal: TributaryError | undefined;
  private consuming = false;
  private activeRun: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly deps: GroupConsumerDeps,
    private readonly listeners: GroupConsumerOptions,
  ) {
    requireValidGroupId(listeners.groupId);
    this.options = resolveOptions(listeners);
    this.random = deps.random ?? systemRandom;
    this.timeoutMs = deps.timeoutMs ?? 30_000;
    this.leaderWatch = new LeaderWatch({ metadata: deps.metadata });
    this.subscription = new SubscriptionState({
      connections: deps.connections,
      brokerAddresses: deps.brokerAddresses,
      clock: deps.clock ?? systemClock,
      metadataMaxAgeMs: this.options.metadataMaxAgeMs,
    });
    const lookup = new CoordinatorLookup({
      groupId: listeners.groupId,
      connections: deps.coordinators,
      lookupAddresses: deps.lookupAddresses,
    });
    this.membership = new Membership(
      lookup,
      {
        memberId: deps.memberId ?? randomUUID(),
        clientId: deps.clientId,
        assignor: this.options.assignor,
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        rebalanceTimeoutMs: this.options.rebalanceTimeoutMs,
      },
      {
        owned: () => this.owned.list(),
        subscribedTopics: () => this.subscription.topics(),
        assigned: (assignment) => this.assigned(assignment),
        lost: () => this.lost(),
        failed: (error) => this.failed(error),
      },
      this.random,
    );
    this.commits = new CommitManager({
      lookup,
      random: this.random,
      member: () => ({ memberId: this.membership.memberId, memberEpoch: this.membership.memberEpoch }),
      onStaleEpoch: () => this.membership.wake(),
      requireStable: this.options.readCommitted,
    });
    this.offsets = new Consumer({
      metadata: deps.metadata,
      connections: deps.connections,
      timeoutMs: this.timeoutMs,
    });
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get memberId(): string {
    return this.membership.memberId;
  }

  get memberEpoch(): number {
    return this.membership.memberEpoch;
  }

  subscribe(subscription: Subscription): void {
    this.requireOpen();
    this.subscription.set(subscription);
    this.membership.wake();
  }

  /**
   * Consumes until close() (resolves) or a fatal error or handler error (rejects; offsets of the failed
   * record and after are not committed, and a later run() delivers them again). Unlike KafkaJS, the
   * promise lasts as long as the consumption. Do not await close() inside a handler: close() waits for it.
   */
  async run(handlers: RunHandlers): Promise<void> {
    this.startConsuming();
    const context = {
      owned: this.owned,
      isRunning: () => !this.stopController.signal.aborted,
      member: () => ({ memberId: this.membership.memberId, memberEpoch: this.membership.memberEpoch }),
    };
    const loop = async (): Promise<void> => {
      for await (const delivery of this.deliveries()) await dispatch(context, delivery, handlers);
    };
    this.activeRun = loop();
    try {
      await this.activeRun;
    } finally {
      this.consuming = false;
      this.activeRun = undefined;
    }
  }

  /**
   * Per-partition batches; a batch counts as handled when the loop asks for the next one (breaking out
   * leaves the last batch uncommitted). Call close() after the loop.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<PartitionBatch, void, undefined> {
    this.startConsuming();
    try {
      for await (const delivery of this.deliveries()) {
        const done = beginHandling(delivery.state);
        try {
          yield delivery.batch;
          const last = delivery.batch.messages[delivery.batch.messages.length - 1];
          if (last !== undefined) markProcessed(this.owned, delivery, last.offset + 1);
        } finally {
          done();
        }
      }
    } finally {
      this.consuming = false;
    }
  }

  /** Commits the given offsets (next offset to read) now, with this member's id and epoch. */
  async commitOffsets(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.requireOpen();
    if (this.membership.memberEpoch <= 0) {
      throw new TributaryError('UNKNOWN_MEMBER_ID', `not a member of group "${this.groupId}" yet`);
    }
    await this.commits.commit(offsets);
  }

  /** Fetches `offset` next (now, or as soon as the partition is assigned). */
  seek(target: TopicPartitionOffset): void {
    this.requireOpen();
    this.owned.seek(target, target.offset);
    this.wakeFetching();
  }

  pause(specs: readonly PauseSpec[]): void {
    this.owned.pause(specs);
  }

  resume(specs: readonly PauseSpec[]): void {
    this.owned.resume(specs);
    this.wakeFetching();
  }

  paused(): TopicPartitionList[] {
    return groupPartitions(this.owned.paused());
  }

  /** The partitions owned now (those being revoked excluded). */
  assignment(): TopicPartitionList[] {
    const owned = this.owned.all().filter((s) => !s.revoking);
    return groupPartitions(owned.map((s) => s.tp));
  }

  /**
   * Stops fetching, waits for the handler in flight (bounded by rebalanceTimeoutMs), commits (autoCommit),
   * reports the partitions revoked and leaves the group. Idempotent; later calls return the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    this.stopController.abort();
    this.wakeFetching();
    const handlers = this.owned.all().map((s) => s.inFlight);
    await settledWithin([this.activeRun, ...handlers, ...this.background], this.options.rebalanceTimeoutMs);
    if (this.options.autoCommit) {
      await settledWithin([this.commitStates(this.owned.all())], GROUP_LIMITS.closeTimeoutMs);
    }
    const remaining = this.owned.clear().map((s) => s.tp);
    await this.listenerQueue.call(this.listeners.onRevoked, remaining);
    await this.membership.leave(GROUP_LIMITS.closeTimeoutMs);
  }

  private startConsuming(): void {
    this.requireOpen();
    if (!this.subscription.subscribed) throw new TributaryError('INVALID_REQUEST', 'call subscribe() first');
    if (this.consuming) throw new TributaryError('INVALID_REQUEST', 'the consumer is already running');
    this.consuming = true;
    if (!this.membership.running) {
      this.membership.start();
      if (this.options.autoCommit) this.track(this.autoCommitLoop());
    }
  }

  /** The fetch loop has something new to do (an assignment, a seek, a resume, close, a fatal error). */
  private wakeFetching(): void {
    this.fetchWaiter.wake();
    this.fetches?.interrupt();
  }

  /**
   * The fetch loop: yields batches of owned, unpaused partitions until close() or a fatal error. Leaving
   * it gives up the fetches in flight.
   */
  private async *deliveries(): AsyncGenerator<Delivery, void, undefined> {
    const signal = this.stopController.signal;
    const pipeline = new FetchPipeline<string, FetchedRound>();
    this.fetches = pipeline;
    let failures = 0;
    try {
      while (!signal.aborted) {
        if (this.fatal !== undefined) throw this.fatal;
        // onAssigned runs before the new partitions' first records are delivered.
        await this.listenerQueue.idle;
        let retry: TributaryError | undefined;
        try {
          await initializePositions({
            owned: this.owned,
            commits: this.commits,
            offsets: this.offsets,
            fromBeginning: this.options.fromBeginning,
            readCommitted: this.options.readCommitted,
          });
        } catch (error) {
          retry = toError(error);
          if (!retry.retriable) throw retry;
        }
        this.startFetches(pipeline);
        if (pipeline.idle) {
          if (retry === undefined) {
            await this.fetchWaiter.wait(GROUP_LIMITS.idleWaitMs, signal);
            continue;
          }
        } else {
          const completed = await pipeline.next();
          // Interrupted: an assignment, seek, resume or close to look at first.
          if (completed === undefined && retry === undefined) continue;
          if (completed !== undefined) {
            const taken = this.takeFetched(completed.result, signal);
            retry ??= taken.retry;
            // Pipelining: these partitions' next fetch goes out before their records are handled.
            if (taken.retry === undefined && taken.fatal === undefined) this.startFetches(pipeline);
            for (const delivery of taken.deliveries) yield delivery;
            if (taken.fatal !== undefined) throw taken.fatal;
          }
        }
        if (retry === undefined) {
          failures = 0;
          continue;
        }
        await sleep(backoffDelayMs(failures++, DEFAULT_BACKOFF, this.random), signal);
        const topics = [...new Set(this.owned.list().map((tp) => tp.topic))];
        await this.deps.metadata.refresh(topics, this.timeoutMs).catch(() => undefined);
      }
    } finally {
      if (this.fetches === pipeline) this.fetches = undefined;
      pipeline.close();
    }
  }

  /** One fetch per leader broker for the fetchable partitions in no fetch (unknown leaders: one of their own). */
  private startFetches(pipeline: FetchPipeline<string, FetchedRound>): void {
    const byLeader = new Map<string, PartitionState[]>();
    for (const state of this.owned.fetchable()) {
      if (pipeline.isBusy(state.key)) continue;
      const address = this.deps.metadata.leaderAddress(state.tp.topic, state.tp.partition) ?? '';
      byLeader.set(address, [...(byLeader.get(address) ?? []), state]);
    }
    for (const states of byLeader.values()) {
      // The seek generation each partition is fetched under: records of one seeked meanwhile are dropped.
      const generations = new Map(states.map((s) => [s.key, s.generation]));
      const positions = states.map((s) => ({ tp: s.tp, offset: s.position ?? 0 }));
      pipeline.start(
        states.map((s) => s.key),
        async (fetchSignal) => ({
          generations,
          results: await fetchRound({ ...this.deps, leaderWatch: this.leaderWatch }, positions, {
            maxWaitMs: this.options.maxWaitMs,
            maxBytes: this.options.maxBytes,
            timeoutMs: this.timeoutMs,
            signal: fetchSignal,
            ...(this.options.readCommitted ? { readCommitted: this.abortedProducers } : {}),
          }),
        }),
        (error) => ({ generations, results: positions.map((position) => failedFetch(position, error)) }),
      );
    }
  }

  /**
   * What one completed fetch gives: the batches to deliver (positions moved past them), the retriable error
   * to back off for, or the error that ends the loop. Results of partitions revoked, seeked, paused or moved
   * since the fetch started are dropped (fetched again from the current position).
   */
  private takeFetched(
    round: FetchedRound,
    signal: AbortSignal,
  ): { deliveries: Delivery[]; retry?: TributaryError; fatal?: TributaryError } {
    const deliveries: Delivery[] = [];
    let retry: TributaryError | undefined;
    for (const result of round.results) {
      const state = this.owned.get(result.tp);
      if (state === undefined || state.revoking || state.generation !== round.generations.get(state.key))
        continue;
      if (state.position !== result.fetchOffset || signal.aborted) continue;
      if (result.error !== undefined) {
        if (result.error.code === 'OFFSET_OUT_OF_RANGE') {
          state.position = undefined;
          state.resetNeeded = true;
        } else if (result.error.retriable) retry = result.error;
        else return { deliveries, fatal: result.error };
        continue;
      }
      // Records of a partition paused meanwhile are dropped and fetched again after resume().
      if (this.owned.isPaused(state.tp)) continue;
      state.position = result.nextOffset;
      if (result.records.length === 0) continue;
      const messages = result.records.map(toMessage);
      const batch = { ...result.tp, highWatermark: result.highWatermark, messages };
      deliveries.push({ state, generation: state.generation, batch });
    }
    return retry === undefined ? { deliveries } : { deliveries, retry };
  }

  // --- membership host -------------------------------------------------------------------------

  private assigned(assignment: TopicPartition[]): void {
    const { toStart, toRevoke } = reconcile(this.owned.list(), assignment, this.owned.revokingKeys());
    for (const tp of toStart) this.owned.add(tp);
    if (toStart.length > 0) {
      this.track(this.listenerQueue.call(this.listeners.onAssigned, toStart));
      this.wakeFetching();
    }
    const revoked = toRevoke.flatMap((tp) => this.owned.get(tp) ?? []);
    for (const state of revoked) state.revoking = true;
    if (revoked.length > 0) this.track(this.revoke(revoked));
  }

  /** Waits for handlers, commits (autoCommit), tells the listener, then reports the partitions gone. */
  private async revoke(states: PartitionState[]): Promise<void> {
    const handlers = states.map((s) => s.inFlight);
    await settledWithin(handlers, this.options.rebalanceTimeoutMs);
    if (this.options.autoCommit) await this.commitStates(states).catch(() => undefined);
    const current = states.filter((s) => this.owned.isCurrent(s));
    await this.listenerQueue.call(
      this.listeners.onRevoked,
      current.map((s) => s.tp),
    );
    for (const state of current) {
      this.owned.remove(state);
      this.commits.forget(state.tp);
    }
    this.membership.wake();
  }

  /** Fenced or forgotten: drop everything without committing (another member may own it already). */
  private lost(): void {
    const states = this.owned.clear();
    for (const state of states) {
      state.revoking = true;
      this.commits.forget(state.tp);
    }
    const partitions = states.map((s) => s.tp);
    if (partitions.length > 0) this.track(this.listenerQueue.call(this.listeners.onLost, partitions));
  }

  private failed(error: TributaryError): void {
    this.fatal = error;
    this.wakeFetching();
  }

  private async autoCommitLoop(): Promise<void> {
    const signal = this.stopController.signal;
    while (!signal.aborted) {
      await sleep(this.options.autoCommitIntervalMs, signal);
      if (signal.aborted) return;
      const active = this.owned.all().filter((s) => !s.revoking);
      await this.commitStates(active).catch(() => undefined);
    }
  }

  /** Commits what handlers of these partitions finished, when it differs from what is committed. */
  private async commitStates(states: readonly PartitionState[]): Promise<void> {
    if (this.membership.memberEpoch <= 0) return;
    const current = states.filter((s) => this.owned.isCurrent(s));
    const offsets = offsetsToCommit(this.owned.processedOffsets(current), this.commits.committed);
    if (offsets.length > 0) await this.commits.commit(offsets);
  }

  private track(task: Promise<void>): void {
    const tracked = task.catch(() => undefined).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private requireOpen(): void {
    if (this.closing !== undefined) throw new TributaryError('SHUTTING_DOWN', 'the group consumer is closed');
  }
}
