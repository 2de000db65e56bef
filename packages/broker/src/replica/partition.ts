/**
 * One partition replica on this broker: its log, its role (leader with LeaderPartitionState, or follower)
 * and the requests parked on it (delayed acks=all produces, long-poll fetches). The ReplicaManager drives it;
 * nothing here starts timers or RPCs.
 */
import { assert, type ErrorCode } from '@tributary/core';
import type { PartitionLog } from '@tributary/log';
import { REPLICA_LIMITS } from './config.js';
import { LeaderPartitionState } from './partition-state.js';

export type PartitionRole =
  | { readonly kind: 'leader'; readonly state: LeaderPartitionState }
  | {
      readonly kind: 'follower';
      /** -1 when the partition has no leader. */
      readonly leaderId: number;
      highWatermark: number;
    };

/** How a delayed produce ends: success, or an error code. */
export type ProduceOutcome = { readonly ok: true } | { readonly ok: false; readonly code: ErrorCode };

interface ProduceWaiter {
  /** The write's last offset + 1: done when the high watermark reaches it. */
  readonly requiredOffset: number;
  readonly deadlineMs: number;
  readonly resolve: (outcome: ProduceOutcome) => void;
}

export interface PartitionMetadata {
  readonly topicId: string;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

export class Partition {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  readonly log: PartitionLog;
  readonly brokerId: number;
  private roleValue: PartitionRole;
  private leaderEpochValue: number;
  private partitionEpochValue: number;
  private replicasValue: readonly number[];
  minInsyncReplicas: number;
  private produceWaiters: ProduceWaiter[] = [];
  /** Woken when the high watermark moves (consumer long polls). */
  private readonly highWatermarkListeners = new Set<() => void>();
  /** Woken when the leader appends (replica fetch long polls). */
  private readonly appendListeners = new Set<() => void>();
  /** Woken when the leader's view of its followers or ISR changes (DeleteRecords waiting for the ISR). */
  private readonly leaderStateListeners = new Set<() => void>();

  constructor(options: {
    readonly topic: string;
    readonly partition: number;
    readonly brokerId: number;
    readonly log: PartitionLog;
    readonly metadata: PartitionMetadata;
    readonly minInsyncReplicas: number;
    /** From the high watermark checkpoint; capped at the log end. */
    readonly initialHighWatermark?: number;
  }) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.brokerId = options.brokerId;
    this.topicId = options.metadata.topicId;
    this.log = options.log;
    this.minInsyncReplicas = options.minInsyncReplicas;
    // Starts as a follower of nobody at epoch -1, so the first metadata always causes a transition.
    const highWatermark = Math.max(
      Math.min(options.initialHighWatermark ?? 0, options.log.logEndOffset),
      options.log.logStartOffset,
    );
    this.roleValue = { kind: 'follower', leaderId: -1, highWatermark };
    this.leaderEpochValue = -1;
    this.partitionEpochValue = -1;
    this.replicasValue = options.metadata.replicas;
  }

  get role(): PartitionRole {
    return this.roleValue;
  }
  get leaderEpoch(): number {
    return this.leaderEpochValue;
  }
  get partitionEpoch(): number {
    return this.partitionEpochValue;
  }
  get replicas(): readonly number[] {
    return this.replicasValue;
  }
  get leaderId(): number {
    return this.roleValue.kind === 'leader' ? this.brokerId : this.roleValue.leaderId;
  }
  get highWatermark(): number {
    return this.roleValue.kind === 'leader'
      ? this.roleValue.state.highWatermark
      : this.roleValue.highWatermark;
  }
  /**
   * KIP-890's verification guards (Kafka's VerificationGuard): producer id → the token of its transactional
   * write being verified with the coordinator. A marker for the producer removes it, so an answer that left
   * the coordinator before the transaction ended cannot open a new transaction after the marker
   * (verifyTransactionalWrite, markersArriving).
   */
  readonly txnVerificationGuards = new Map<number, object>();
  /** Producer id → its markers issued to the log and not yet appended (the producer state is behind them). */
  readonly markersInFlight = new Map<number, number>();
  /**
   * Kafka's last stable offset: below it every transaction is decided, so read_committed consumers read up
   * to it. Never past the high watermark (an open transaction's first offset may lie beyond it).
   */
  get lastStableOffset(): number {
    const highWatermark = this.highWatermark;
    const firstUnstable = this.log.firstUnstableOffset;
    return firstUnstable === null ? highWatermark : Math.min(highWatermark, firstUnstable);
  }
  get isr(): readonly number[] {
    return this.roleValue.kind === 'leader' ? this.roleValue.state.isr : [];
  }
  leaderState(): LeaderPartitionState | null {
    return this.roleValue.kind === 'leader' ? this.roleValue.state : null;
  }

  /** Leader epochs only grow; a change at the same epoch only moves the partition epoch forward. */
  isNewerEpoch(metadata: PartitionMetadata): boolean {
    return metadata.leaderEpoch > this.leaderEpochValue;
  }

  becomeLeader(metadata: PartitionMetadata, nowMs: number): void {
    assert(metadata.leaderEpoch > this.leaderEpochValue, 'leader epochs only grow');
    const logEnd = this.log.logEndOffset;
    const state = new LeaderPartitionState({
      leaderId: this.brokerId,
      leaderEpoch: metadata.leaderEpoch,
      partitionEpoch: metadata.partitionEpoch,
      replicas: metadata.replicas,
      isr: metadata.isr,
      highWatermark: Math.max(Math.min(this.highWatermark, logEnd), this.log.logStartOffset),
      leaderEpochStartOffset: logEnd,
      nowMs,
    });
    this.failProduceWaiters('NOT_LEADER');
    this.roleValue = { kind: 'leader', state };
    this.setEpochs(metadata);
    state.maybeAdvanceHighWatermark();
    this.wakeAll();
  }

  becomeFollower(metadata: PartitionMetadata): void {
    assert(metadata.leaderEpoch > this.leaderEpochValue, 'leader epochs only grow');
    this.failProduceWaiters('NOT_LEADER');
    const highWatermark = Math.min(this.highWatermark, this.log.logEndOffset);
    this.roleValue = { kind: 'follower', leaderId: metadata.leader, highWatermark };
    this.setEpochs(metadata);
    this.wakeAll();
  }

  /** Same leader epoch, newer partition epoch: the ISR or replicas changed. */
  applyPartitionChange(metadata: PartitionMetadata): void {
    assert(metadata.leaderEpoch === this.leaderEpochValue, 'a partition change keeps the leader epoch');
    if (metadata.partitionEpoch <= this.partitionEpochValue) return;
    if (this.roleValue.kind === 'leader') this.roleValue.state.applyPartitionChange(metadata);
    this.setEpochs(metadata);
    this.onLeaderStateChanged();
  }

  /** Follower: the leader's high watermark, capped by what this replica holds. */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    const role = this.roleValue;
    assert(role.kind === 'follower', 'only a follower takes the leader high watermark');
    const next = Math.min(leaderHighWatermark, this.log.logEndOffset);
    if (next !== role.highWatermark) {
      role.highWatermark = next;
      this.wake(this.highWatermarkListeners);
    }
  }

  /** After the leader appended locally or a follower fetched: moves the high watermark, settles waiters. */
  onLeaderStateChanged(): void {
    const state = this.leaderState();
    if (state === null) return;
    this.wake(this.leaderStateListeners);
    if (state.maybeAdvanceHighWatermark()) this.wake(this.highWatermarkListeners);
    if (this.produceWaiters.length === 0) return;
    const belowMinIsr = state.isr.length < this.minInsyncReplicas;
    // Kafka's checkEnoughReplicasReachOffset: done once the HW passes the write, an error if the ISR
    // shrank below min.insync.replicas meanwhile (the write may then be on fewer copies than promised).
    this.settleProduceWaiters((waiter) => {
      if (belowMinIsr) return { ok: false, code: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' };
      return state.isReplicated(waiter.requiredOffset) ? { ok: true } : null;
    });
  }

  /** After a local append (or to catch up with one whose continuation has not run yet). */
  onLeaderAppend(logEndOffset: number): void {
    const state = this.leaderState();
    if (state === null) return;
    if (logEndOffset > state.leaderLogEndOffset) state.updateLeaderLogEnd(logEndOffset);
    this.wake(this.appendListeners);
    this.onLeaderStateChanged();
  }

  /** Parks an acks=all write; false when too many are parked already. */
  addProduceWaiter(
    requiredOffset: number,
    deadlineMs: number,
    resolve: (o: ProduceOutcome) => void,
  ): boolean {
    if (this.produceWaiters.length >= REPLICA_LIMITS.produceWaitersPerPartitionMax) return false;
    this.produceWaiters.push({ requiredOffset, deadlineMs, resolve });
    this.onLeaderStateChanged();
    return true;
  }

  expireProduceWaiters(nowMs: number): void {
    if (this.produceWaiters.length === 0) return;
    this.settleProduceWaiters((waiter) =>
      nowMs >= waiter.deadlineMs ? { ok: false, code: 'REQUEST_TIMED_OUT' } : null,
    );
  }

  failProduceWaiters(code: ErrorCode): void {
    this.settleProduceWaiters(() => ({ ok: false, code }));
  }

  /** Registers a long-poll wake-up; returns the unregister function, or null when the bound is reached. */
  onHighWatermark(listener: () => void): (() => void) | null {
    return this.listen(this.highWatermarkListeners, listener);
  }
  onAppend(listener: () => void): (() => void) | null {
    return this.listen(this.appendListeners, listener);
  }
  onLeaderStateChange(listener: () => void): (() => void) | null {
    return this.listen(this.leaderStateListeners, listener);
  }

  /**
   * Leader: the log start moved (DeleteRecords). Followers' long polls answer at once, so they take the
   * new start now rather than at their next append or poll timeout.
   */
  onLeaderLogStartMoved(): void {
    const state = this.leaderState();
    assert(state !== null, 'only a leader moves the log start for its followers');
    assert(
      this.log.logStartOffset <= state.highWatermark && state.highWatermark <= this.log.logEndOffset,
      'log start <= high watermark <= log end',
    );
    this.wake(this.appendListeners);
  }

  /** Stops everything parked here (the partition is closing or deleted). */
  shutdown(): void {
    this.failProduceWaiters('NOT_LEADER');
    this.wakeAll();
  }

  private setEpochs(metadata: PartitionMetadata): void {
    assert(metadata.leaderEpoch >= this.leaderEpochValue, 'leader epochs only grow');
    this.leaderEpochValue = metadata.leaderEpoch;
    this.partitionEpochValue = metadata.partitionEpoch;
    this.replicasValue = [...metadata.replicas];
  }

  private settleProduceWaiters(decide: (waiter: ProduceWaiter) => ProduceOutcome | null): void {
    const remaining: ProduceWaiter[] = [];
    for (const waiter of this.produceWaiters) {
      const outcome = decide(waiter);
      if (outcome === null) remaining.push(waiter);
      else waiter.resolve(outcome);
    }
    this.produceWaiters = remaining;
  }

  private listen(listeners: Set<() => void>, listener: () => void): (() => void) | null {
    if (listeners.size >= REPLICA_LIMITS.fetchWaitersPerPartitionMax) return null;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  private wake(listeners: Set<() => void>): void {
    if (listeners.size === 0) return;
    const woken = [...listeners];
    listeners.clear();
    for (const listener of woken) listener();
  }

  private wakeAll(): void {
    this.wake(this.highWatermarkListeners);
    this.wake(this.appendListeners);
    this.wake(this.leaderStateListeners);
  }
}
