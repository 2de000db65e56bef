/**
 * One partition replica on this broker: its log, its role (leader with LeaderPartitionState, or follower)
 * and the requests parked on it (delayed acks=all produces, long-poll fetches). The ReplicaManager drives it;
 * nothing here starts timers or RPCs.
 */
import { assert, type Clock, type ErrorCode, TributaryError } from '@tributary/core';
import type { AppendResult, ParsedAppend, PartitionLog } from '@tributary/log';
import { REPLICA_LIMITS } from './config.js';
import { toPartitionError } from './errors.js';
import { LeaderPartitionState } from './partition-state.js';
import {
  checkProducerBatches,
  checkRecordsHaveKeys,
  markersAppended,
  markersArriving,
  verificationHolds,
  verifyTransactionalWrite,
} from './produce-validation.js';
import { type TransactionVerifier, waitForAny } from './request-context.js';

export type PartitionRole =
  | { readonly kind: 'leader'; readonly state: LeaderPartitionState }
  | {
      readonly kind: 'follower';
      /** -1 when the partition has no leader. */
      readonly leaderId: number;
      highWatermark: number;
    };

/**
 * Who produces (Kafka's AppendOrigin): a client, or the broker's own coordinators writing their
 * internal records (the group coordinator's transactional offset commits, the transaction coordinator's
 * markers), whose batches the log checks by the coordinator's rules (control batches allowed, no
 * sequence check).
 */
export type ProduceOrigin = 'client' | 'coordinator';

/** One partition's part of a produce request, as the leader appends it (appendRecordsToLeader). */
export interface LeaderAppendRequest {
  readonly records: Buffer;
  readonly acks: -1 | 0 | 1;
  /** How long an acks=all write may wait for the ISR (and an out-of-order batch for its predecessor). */
  readonly timeoutMs: number;
  readonly origin: ProduceOrigin;
  /** The producer's transactional id ('' for others): KIP-890 verification of transactional writes. */
  readonly transactionalId: string;
  readonly verifier: TransactionVerifier | null;
  readonly clock: Clock;
}

export type LeaderAppendOutcome =
  | { readonly ok: true; readonly baseOffset: number; readonly leaderEpoch: number }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

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
  /** The topic's flush.on.ack (issue 16): see the flushOnAck setter. */
  private flushOnAckValue: boolean;
  private produceWaiters: ProduceWaiter[] = [];
  private readonly onProduceWaiting: ((partition: Partition) => void) | undefined;
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
    /** The topic's flush.on.ack, or the broker's --durability (fsync: true); off when unset. */
    readonly flushOnAck?: boolean;
    /** From the high watermark checkpoint; capped at the log end. */
    readonly initialHighWatermark?: number;
    /**
     * Called when the first acks=all write parks here (none was parked): the replica manager's deadline
     * sweep visits only such partitions, not every hosted one.
     */
    readonly onProduceWaiting?: (partition: Partition) => void;
  }) {
    this.topic = options.topic;
    this.partition = options.partition;
    this.brokerId = options.brokerId;
    this.topicId = options.metadata.topicId;
    this.log = options.log;
    this.minInsyncReplicas = options.minInsyncReplicas;
    this.flushOnAckValue = options.flushOnAck ?? false;
    this.onProduceWaiting = options.onProduceWaiting;
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

  /**
   * flush.on.ack (issue 16, DESIGN §12): a batch counts toward the high watermark only once the leader and
   * every ISR follower have fsynced it. As leader this replica fsyncs (group-committed) as soon as an append
   * lands; as follower its fetcher fsyncs before a fetch offset says it holds the data.
   */
  get flushOnAck(): boolean {
    return this.flushOnAckValue;
  }

  /** The topic's config changed; the high watermark never goes back, either way. */
  set flushOnAck(flushOnAck: boolean) {
    if (flushOnAck === this.flushOnAckValue) return;
    this.flushOnAckValue = flushOnAck;
    const state = this.leaderState();
    if (state === null) return;
    state.setFlushOnAck(flushOnAck);
    if (flushOnAck) this.requestLeaderFlush(state);
    this.onLeaderStateChanged();
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
      flushOnAck: this.flushOnAckValue,
      leaderDurableEndOffset: this.log.durableEndOffset,
    });
    this.failProduceWaiters('NOT_LEADER');
    this.roleValue = { kind: 'leader', state };
    this.setEpochs(metadata);
    // What it appended as a follower may not be fsynced yet (a follower fsyncs before its next fetch).
    if (this.flushOnAckValue && state.leaderDurableEndOffset < logEnd) this.requestLeaderFlush(state);
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
    if (this.flushOnAckValue) this.requestLeaderFlush(state);
    this.wake(this.appendListeners);
    this.onLeaderStateChanged();
  }

  /**
   * The leader's own fsync (flush.on.ack), group-committed by the log: appends landing while one runs share
   * the next. Its completion moves the leader's durable end, and with it maybe the high watermark, at once.
   * A failed fsync fails the log (Kafka's log-dir failure): later appends are refused with STORAGE_ERROR and
   * the waiting acks=all writes time out; nothing un-fsynced is ever counted.
   */
  private requestLeaderFlush(state: LeaderPartitionState): void {
    this.log.flushDurable().then(
      (durableEndOffset) => {
        if (this.leaderState() !== state) return; // leadership moved meanwhile: a new state starts over
        const logEnd = this.log.logEndOffset;
        if (logEnd > state.leaderLogEndOffset) {
          state.updateLeaderLogEnd(logEnd);
          this.wake(this.appendListeners);
        }
        state.updateLeaderDurableEnd(durableEndOffset);
        this.onLeaderStateChanged();
      },
      () => undefined,
    );
  }

  /**
   * The leader's append (Kafka's appendRecordsToLeader), the one place a produce's batches reach the log:
   * checks this replica leads at the epoch the request started under and that the ISR meets
   * min.insync.replicas (acks=all), parses the batch headers once and holds a client's batches to the
   * producer rules, waits briefly for an idempotent producer's earlier batch that is still on its way,
   * verifies a transactional write with its coordinator (KIP-890), appends, advances the high watermark,
   * and with acks=all resolves once the high watermark passes the write (or fails it).
   */
  async appendRecordsToLeader(request: LeaderAppendRequest): Promise<LeaderAppendOutcome> {
    const where = `${this.topic}-${this.partition}`;
    if (this.roleValue.kind !== 'leader') {
      return { ok: false, code: 'NOT_LEADER', message: `broker ${this.brokerId} does not lead ${where}` };
    }
    const leaderEpoch = this.leaderEpochValue;
    if (request.acks === -1 && this.isr.length < this.minInsyncReplicas) {
      const message = `ISR ${this.isr.length} < min.insync.replicas ${this.minInsyncReplicas}`;
      return { ok: false, code: 'NOT_ENOUGH_REPLICAS', message };
    }
    let appended: AppendResult;
    try {
      appended = await this.appendAtEpoch(request, leaderEpoch);
    } catch (error) {
      return { ok: false, ...toPartitionError(error) };
    }
    if (request.acks !== -1) return { ok: true, baseOffset: appended.baseOffset, leaderEpoch };
    if (this.roleValue.kind !== 'leader' || this.leaderEpochValue !== leaderEpoch) {
      return { ok: false, code: 'NOT_LEADER', message: 'leadership moved during the append' };
    }
    // A retry of an idempotent producer's batch appends nothing and answers with the original offsets.
    // With acks=all it still waits for the high watermark to pass the ORIGINAL batch: the first attempt
    // may have failed exactly because that batch was not replicated yet, and it is not safe until it is.
    const requiredOffset = appended.lastOffset + 1;
    const outcome = await new Promise<ProduceOutcome>((resolve) => {
      const deadlineMs = request.clock.nowMs() + request.timeoutMs;
      if (!this.addProduceWaiter(requiredOffset, deadlineMs, resolve)) {
        resolve({ ok: false, code: 'RESOURCE_EXHAUSTED' });
      }
    });
    if (!outcome.ok) {
      return { ok: false, code: outcome.code, message: `acks=all write failed: ${outcome.code}` };
    }
    return { ok: true, baseOffset: appended.baseOffset, leaderEpoch };
  }

  /** appendRecordsToLeader's checks and append; throws typed errors (toPartitionError maps them). */
  private async appendAtEpoch(request: LeaderAppendRequest, leaderEpoch: number): Promise<AppendResult> {
    const parsed = this.log.parseAppend(request.records);
    // The broker's coordinators build their own batches (transactional, or markers): only a client's are
    // held to the producer rules here; the log checks both.
    const transactional = request.origin === 'client' ? checkProducerBatches(parsed) : null;
    if (this.log.currentConfig.cleanupPolicy !== 'delete') checkRecordsHaveKeys(parsed);
    if (request.origin === 'client') {
      await this.waitForEarlierSequence(
        parsed,
        Math.min(request.timeoutMs, REPLICA_LIMITS.produceReorderWaitMsMax),
      );
    }
    let guard: object | null = null;
    if (transactional !== null) {
      const verified = await verifyTransactionalWrite(
        request.verifier,
        this,
        request.transactionalId,
        transactional,
      );
      if ('refused' in verified) throw verified.refused;
      guard = verified.guard;
    }
    if (this.roleValue.kind !== 'leader' || this.leaderEpochValue !== leaderEpoch) {
      throw new TributaryError('NOT_LEADER', 'leadership moved while the batch waited');
    }
    // Checked in the same turn as the append is issued: a marker issued before it voids the guard, one
    // issued after it is appended after this batch (the log appends in call order).
    if (
      transactional !== null &&
      guard !== null &&
      !verificationHolds(this, transactional.producerId, guard)
    ) {
      throw new TributaryError(
        'INVALID_TXN_STATE',
        `a marker for producer ${transactional.producerId} reached ${this.topic}-${this.partition} while its write was verified; the transaction it was verified for has ended`,
      );
    }
    const markerProducers = request.origin === 'coordinator' ? markersArriving(this, parsed) : [];
    let appended: AppendResult;
    try {
      appended = await this.log.append(parsed, { leaderEpoch, assignOffsets: true, origin: request.origin });
    } finally {
      markersAppended(this, markerProducers);
    }
    this.onLeaderAppend(appended.logEndOffset);
    return appended;
  }

  /**
   * An idempotent producer keeps several batches of a partition in flight; on one HTTP/2 connection a later
   * request can reach the broker first (their frames interleave). Rather than refusing it as out of order
   * (the client would back off and resend), wait for the partition's next appends until the earlier batch
   * is in, bounded in time and wake-ups; then the log's own check decides (OUT_OF_ORDER_SEQUENCE_NUMBER if
   * the gap is still there). The bound is kept on performance.now(), not the injected clock: the wait
   * sleeps on real timers (waitForAny), and a deadline on a clock that tests hold still would never pass.
   */
  private async waitForEarlierSequence(parsed: ParsedAppend, maxWaitMs: number): Promise<void> {
    const deadlineMs = performance.now() + maxWaitMs;
    for (let wakeups = 0; wakeups < REPLICA_LIMITS.produceReorderWakeupsMax; wakeups++) {
      if (!this.log.producerSequenceAhead(parsed) || this.roleValue.kind !== 'leader') return;
      const remainingMs = deadlineMs - performance.now();
      if (remainingMs <= 0) return;
      await waitForAny([this], (target, wake) => target.onAppend(wake), remainingMs);
    }
  }

  /** Parks an acks=all write; false when too many are parked already. */
  addProduceWaiter(
    requiredOffset: number,
    deadlineMs: number,
    resolve: (o: ProduceOutcome) => void,
  ): boolean {
    if (this.produceWaiters.length >= REPLICA_LIMITS.produceWaitersPerPartitionMax) return false;
    this.produceWaiters.push({ requiredOffset, deadlineMs, resolve });
    if (this.produceWaiters.length === 1) this.onProduceWaiting?.(this);
    this.onLeaderStateChanged();
    return true;
  }

  /** acks=all writes parked here. */
  get produceWaiterCount(): number {
    return this.produceWaiters.length;
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
