/**
 * The transaction coordinator of one __transaction_state partition this broker leads — Kafka's
 * TransactionCoordinator and TransactionStateManager for one partition — as a pure, deterministic
 * core: requests and completions go in, effects (txn-types.ts) come out, and the shell runs them in
 * order. Time comes in as `nowMs`; nothing here does I/O.
 *
 * Decide, then replay: a request decides the next metadata (txn-metadata.ts) and holds it as the id's
 * pending transition while its record is written; only onStateWritten makes it current, and loading
 * replays the same records, so the active coordinator and the next one agree on everything written.
 * While a transition is pending, other requests for the id get CONCURRENT_TRANSACTIONS (Kafka's
 * pendingState), which is what keeps one transaction's markers all COMMIT or all ABORT: the decision
 * is written (Prepare*) before any marker is sent, every marker is sent from it, and nothing else can
 * change the id until every marker was written and Complete* recorded.
 */
import { assert, TributaryError } from '@tributary/core';
import { type TopicPartition, toPairs, tpKey } from '../group/assignment.js';
import { TXN_LIMITS } from './limits.js';
import type { TxnStateRecord } from './txn-log-codec.js';
import {
  completeTransaction,
  decideAddPartitions,
  decideEndTxn,
  decideInitProducerId,
  fenceAndAbort,
  fromLogValue,
  type InitProducerIdInput,
  isExpired,
  isTimedOut,
  markerOf,
  NO_PRODUCER_EPOCH,
  newTxnMetadata,
  prepareDead,
  rotateProducerId,
  type TxnMetadata,
  type TxnState,
  toLogValue,
  verifyPartitions,
} from './txn-metadata.js';
import {
  type AfterWrite,
  checkPartitionCount,
  concurrentInit,
  DEFAULT_TXN_COORDINATOR_CONFIG,
  type Entry,
  failure,
  OK,
  type Pending,
  reply,
  type TxnCoordinatorConfig,
  txnStatePartitionFor,
  waitingRequest,
} from './txn-shard-state.js';
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
  TxnProducerRequest,
} from './txn-types.js';

export { DEFAULT_TXN_COORDINATOR_CONFIG, type TxnCoordinatorConfig, txnStatePartitionFor };

export type TxnShardState = 'loading' | 'active' | 'closed';

export interface TxnCoordinatorShardOptions {
  readonly partition: number;
  /** The leader epoch of the state partition: markers carry it, partitions refuse older ones. */
  readonly coordinatorEpoch: number;
  /** The __consumer_offsets partition of a group (AddOffsetsToTxn). */
  readonly offsetsPartitionFor: (groupId: string) => TopicPartition;
  readonly config?: Partial<TxnCoordinatorConfig>;
}

export class TxnCoordinatorShard {
  readonly partition: number;
  readonly coordinatorEpoch: number;
  readonly config: TxnCoordinatorConfig;
  #state: TxnShardState = 'loading';
  readonly #entries = new Map<string, Entry>();
  /** Pending transitions by id (each also on its entry). */
  readonly #transitions = new Map<TransitionId, string>();
  #nextTransitionId: TransitionId = 1;
  readonly #offsetsPartitionFor: (groupId: string) => TopicPartition;

  constructor(options: TxnCoordinatorShardOptions) {
    this.partition = options.partition;
    this.coordinatorEpoch = options.coordinatorEpoch;
    this.config = { ...DEFAULT_TXN_COORDINATOR_CONFIG, ...options.config };
    this.#offsetsPartitionFor = options.offsetsPartitionFor;
    assert(this.partition >= 0 && this.partition < this.config.stateTopicPartitions, 'partition in range');
    assert(this.config.producerEpochMax <= TXN_LIMITS.producerEpochMax, 'epochs are int16');
  }

  get state(): TxnShardState {
    return this.#state;
  }

  // ---- loading ----

  /** Applies one record of the partition, in log order (the last record per id wins). */
  replay(record: TxnStateRecord): void {
    assert(this.#state === 'loading', 'records are replayed while loading');
    if (record.value === null) {
      this.#entries.delete(record.transactionalId);
      return;
    }
    const metadata = fromLogValue(record.transactionalId, record.value);
    this.#entries.set(record.transactionalId, { metadata, pending: null });
  }

  /** Ends the load. Prepared transactions resume sending their markers, as Kafka's load does. */
  completeLoad(nowMs: number): TxnEffect[] {
    assert(this.#state === 'loading', 'a shard loads once');
    this.#state = 'active';
    const effects: TxnEffect[] = [];
    for (const [transactionalId, entry] of this.#entries) {
      const state = entry.metadata?.state;
      if (state === 'PrepareCommit' || state === 'PrepareAbort') {
        this.#sendMarkers(transactionalId, entry, null, nowMs, effects);
      }
    }
    return effects;
  }

  /** Leadership moved: everyone still waiting is told NOT_COORDINATOR; later completions are ignored. */
  unload(): TxnEffect[] {
    const effects: TxnEffect[] = [];
    const gone = new TributaryError(
      'NOT_COORDINATOR',
      `no longer the coordinator of partition ${this.partition}`,
    );
    for (const entry of this.#entries.values()) {
      const waiting = entry.pending === null ? null : waitingRequest(entry.pending);
      if (waiting !== null) effects.push(failure(waiting, gone));
    }
    this.#state = 'closed';
    this.#entries.clear();
    this.#transitions.clear();
    return effects;
  }

  // ---- requests ----

  initProducerId(requestId: RequestId, request: InitProducerIdRequest, nowMs: number): TxnEffect[] {
    try {
      this.#checkServes(request.transactionalId);
      const timeoutMs = request.transactionTimeoutMs;
      if (timeoutMs < TXN_LIMITS.transactionTimeoutMsMin || timeoutMs > this.config.transactionMaxTimeoutMs) {
        throw new TributaryError(
          'INVALID_TRANSACTION_TIMEOUT',
          `transaction timeout ${timeoutMs} ms is outside [1, ${this.config.transactionMaxTimeoutMs}]`,
        );
      }
      const expected =
        request.producerId === -1 && request.producerEpoch === NO_PRODUCER_EPOCH
          ? null
          : { producerId: request.producerId, producerEpoch: request.producerEpoch };
      const entry = this.#entries.get(request.transactionalId);
      const input = {
        pending: entry?.pending != null,
        expected,
        timeoutMs,
        nowMs,
        epochMax: this.config.producerEpochMax,
      };
      if (entry === undefined || entry.metadata === null) {
        if (entry !== undefined) throw concurrentInit(request.transactionalId);
        this.#checkRoomForId();
        this.#checkRoomForTransition();
        const created: Entry = { metadata: null, pending: null };
        this.#entries.set(request.transactionalId, created);
        return [this.#allocate(request.transactionalId, created, requestId, input)];
      }
      return this.#decideInit(request.transactionalId, entry, entry.metadata, requestId, input);
    } catch (error) {
      return [failure(requestId, error)];
    }
  }

  #decideInit(
    transactionalId: string,
    entry: Entry,
    metadata: TxnMetadata,
    requestId: RequestId,
    input: InitProducerIdInput,
  ): TxnEffect[] {
    const decision = decideInitProducerId(metadata, input);
    this.#checkRoomForTransition();
    switch (decision.kind) {
      case 'rotate':
        return [this.#allocate(transactionalId, entry, requestId, input)];
      case 'write':
        return [
          this.#write(transactionalId, entry, decision.target, { kind: 'answer-producer-id', requestId }),
        ];
      case 'fence':
        return [
          this.#write(transactionalId, entry, decision.target, {
            kind: 'send-markers',
            okNow: null,
            okAfterMarkers: null,
            retryNow: requestId,
          }),
        ];
    }
  }

  addPartitionsToTxn(requestId: RequestId, request: AddPartitionsRequest, nowMs: number): TxnEffect[] {
    try {
      this.#checkServes(request.transactionalId);
      checkPartitionCount(request.partitions.length);
      return this.#addPartitions(requestId, request, request.partitions, nowMs);
    } catch (error) {
      return [failure(requestId, error)];
    }
  }

  /** AddOffsetsToTxn: the group's __consumer_offsets partition joins the transaction (KIP-98). */
  addOffsetsToTxn(requestId: RequestId, request: AddOffsetsRequest, nowMs: number): TxnEffect[] {
    try {
      this.#checkServes(request.transactionalId);
      return this.#addPartitions(requestId, request, [this.#offsetsPartitionFor(request.groupId)], nowMs);
    } catch (error) {
      return [failure(requestId, error)];
    }
  }

  #addPartitions(
    requestId: RequestId,
    request: TxnProducerRequest,
    partitions: readonly TopicPartition[],
    nowMs: number,
  ): TxnEffect[] {
    const entry = this.#entries.get(request.transactionalId);
    const target = decideAddPartitions(entry?.metadata ?? null, request.transactionalId, {
      ...request,
      partitions,
      pending: entry?.pending != null,
      nowMs,
    });
    if (target === null) return [reply(requestId, OK)];
    assert(entry !== undefined, 'a transaction with metadata has an entry');
    this.#checkRoomForTransition();
    return [this.#write(request.transactionalId, entry, target, { kind: 'answer-ok', requestId })];
  }

  /**
   * KIP-890 part 1: may this producer write transactionally to these partitions? Asked by a partition
   * leader before the first write of a transaction to it; answered from the written state, no I/O.
   */
  verifyPartitionsInTxn(request: AddPartitionsRequest): (TributaryError | null)[] {
    try {
      this.#checkServes(request.transactionalId);
      checkPartitionCount(request.partitions.length);
    } catch (error) {
      if (!(error instanceof TributaryError)) throw error;
      return request.partitions.map(() => error);
    }
    const entry = this.#entries.get(request.transactionalId);
    // Only a pending write can leave the state Ongoing; in the other phases it is not Ongoing at all.
    const pendingState = entry?.pending?.phase === 'write' ? entry.pending.target.state : null;
    return verifyPartitions(entry?.metadata ?? null, request.transactionalId, { ...request, pendingState });
  }

  endTxn(requestId: RequestId, request: EndTxnRequest, nowMs: number): TxnEffect[] {
    try {
      this.#checkServes(request.transactionalId);
      const entry = this.#entries.get(request.transactionalId);
      const target = decideEndTxn(entry?.metadata ?? null, request.transactionalId, {
        ...request,
        pending: entry?.pending != null,
        nowMs,
      });
      if (target === null) return [reply(requestId, OK)];
      assert(entry !== undefined, 'a transaction with metadata has an entry');
      this.#checkRoomForTransition();
      const afterMarkers = this.config.endTxnAnswer === 'after-markers';
      const after: AfterWrite = {
        kind: 'send-markers',
        okNow: afterMarkers ? null : requestId,
        okAfterMarkers: afterMarkers ? requestId : null,
        retryNow: null,
      };
      return [this.#write(request.transactionalId, entry, target, after)];
    } catch (error) {
      return [failure(requestId, error)];
    }
  }

  // ---- timers ----

  /** Kafka's abortTimedOutTransactions: fence (epoch + 1) and abort Ongoing transactions past their timeout. */
  abortTimedOutTransactions(nowMs: number): TxnEffect[] {
    if (this.#state !== 'active') return [];
    const effects: TxnEffect[] = [];
    for (const [transactionalId, entry] of this.#entries) {
      if (effects.length >= TXN_LIMITS.transitionsPerSweepMax || this.#pendingFull()) break;
      const metadata = entry.metadata;
      if (metadata === null || entry.pending !== null || !isTimedOut(metadata, nowMs)) continue;
      const target = fenceAndAbort(metadata, nowMs, this.config.producerEpochMax);
      const after: AfterWrite = { kind: 'send-markers', okNow: null, okAfterMarkers: null, retryNow: null };
      effects.push(this.#write(transactionalId, entry, target, after));
    }
    return effects;
  }

  /** Kafka's removeExpiredTransactionalIds: tombstones for ids without a transaction for too long. */
  removeExpiredTransactionalIds(nowMs: number): TxnEffect[] {
    if (this.#state !== 'active') return [];
    const effects: TxnEffect[] = [];
    for (const [transactionalId, entry] of this.#entries) {
      if (effects.length >= TXN_LIMITS.transitionsPerSweepMax || this.#pendingFull()) break;
      const metadata = entry.metadata;
      if (metadata === null || entry.pending !== null) continue;
      if (!isExpired(metadata, nowMs, this.config.transactionalIdExpirationMs)) continue;
      effects.push(this.#write(transactionalId, entry, prepareDead(metadata), { kind: 'remove' }));
    }
    return effects;
  }

  // ---- completions ----

  onProducerIdAllocated(transitionId: TransitionId, producerId: number, nowMs: number): TxnEffect[] {
    const found = this.#completing(transitionId, 'allocate');
    if (found === null) return [];
    const { transactionalId, entry, pending } = found;
    this.#clearPending(entry, transitionId);
    const input = { ...pending.input, pending: false, nowMs };
    try {
      if (entry.metadata === null) {
        const created = newTxnMetadata({ transactionalId, producerId, timeoutMs: input.timeoutMs, nowMs });
        entry.metadata = created;
        try {
          return this.#decideInit(transactionalId, entry, created, pending.requestId, input);
        } finally {
          // The new id becomes current only once written: until then it has no state to recover.
          entry.metadata = null;
        }
      }
      const target = rotateProducerId(entry.metadata, producerId, input);
      return [
        this.#write(transactionalId, entry, target, {
          kind: 'answer-producer-id',
          requestId: pending.requestId,
        }),
      ];
    } catch (error) {
      this.#forgetIfUnused(transactionalId, entry);
      return [failure(pending.requestId, error)];
    }
  }

  onProducerIdAllocationFailed(transitionId: TransitionId, error: TributaryError): TxnEffect[] {
    const found = this.#completing(transitionId, 'allocate');
    if (found === null) return [];
    this.#clearPending(found.entry, transitionId);
    this.#forgetIfUnused(found.transactionalId, found.entry);
    return [failure(found.pending.requestId, error)];
  }

  onStateWritten(transitionId: TransitionId, nowMs: number): TxnEffect[] {
    const found = this.#completing(transitionId, 'write');
    if (found === null) return [];
    const { transactionalId, entry, pending } = found;
    this.#clearPending(entry, transitionId);
    const { after, target } = pending;
    if (after.kind === 'remove') {
      this.#entries.delete(transactionalId);
      return [];
    }
    entry.metadata = target;
    switch (after.kind) {
      case 'answer-producer-id':
        return [
          reply(after.requestId, {
            kind: 'producer-id',
            producerId: target.producerId,
            producerEpoch: target.producerEpoch,
          }),
        ];
      case 'answer-ok':
        return [reply(after.requestId, OK)];
      case 'complete':
        return [];
      case 'send-markers': {
        const effects: TxnEffect[] = [];
        if (after.okNow !== null) effects.push(reply(after.okNow, OK));
        if (after.retryNow !== null) effects.push(failure(after.retryNow, concurrentInit(transactionalId)));
        this.#sendMarkers(transactionalId, entry, after.okAfterMarkers, nowMs, effects);
        return effects;
      }
    }
  }

  onStateWriteFailed(transitionId: TransitionId, error: TributaryError): TxnEffect[] {
    const found = this.#completing(transitionId, 'write');
    if (found === null) return [];
    const { transactionalId, entry, pending } = found;
    if (pending.after.kind === 'complete') {
      // The outcome is decided and every marker written: only the record is missing. Write it again
      // (the shell backs off); until it lands, requests for the id get CONCURRENT_TRANSACTIONS.
      return [this.#writeEffect(transactionalId, pending)];
    }
    this.#clearPending(entry, transitionId);
    this.#forgetIfUnused(transactionalId, entry);
    const waiting = waitingRequest(pending);
    return waiting === null ? [] : [failure(waiting, error)];
  }

  onMarkersWritten(
    transitionId: TransitionId,
    partitions: readonly TopicPartition[],
    nowMs: number,
  ): TxnEffect[] {
    const found = this.#completing(transitionId, 'markers');
    if (found === null) return [];
    const { transactionalId, entry, pending } = found;
    for (const { topic, partition } of partitions) pending.remaining.delete(tpKey(topic, partition));
    if (pending.remaining.size > 0) return [];
    return this.#markersDone(transactionalId, entry, pending, nowMs);
  }

  /** Retriable marker failures: the same markers are asked for again (Kafka retries until written). */
  onMarkersFailed(transitionId: TransitionId, partitions: readonly TopicPartition[]): TxnEffect[] {
    const found = this.#completing(transitionId, 'markers');
    if (found === null) return [];
    const { transactionalId, entry, pending } = found;
    const again = partitions.filter(({ topic, partition }) => pending.remaining.has(tpKey(topic, partition)));
    return again.length === 0 ? [] : [this.#markersEffect(transactionalId, entry, pending, again)];
  }

  // ---- describe / list ----

  describe(transactionalIds: readonly string[]): TxnDescribeResult[] {
    return transactionalIds.map((transactionalId) => {
      try {
        this.#checkServes(transactionalId);
        const metadata = this.#entries.get(transactionalId)?.metadata ?? null;
        if (metadata === null) {
          throw new TributaryError('TRANSACTIONAL_ID_NOT_FOUND', `no transactional id ${transactionalId}`);
        }
        const { producerId, producerEpoch, timeoutMs, state, txnStartMs, partitions } = metadata;
        return {
          kind: 'found',
          description: {
            transactionalId,
            state,
            producerId,
            producerEpoch,
            timeoutMs,
            txnStartMs,
            partitions,
          },
        };
      } catch (error) {
        if (!(error instanceof TributaryError)) throw error;
        return { kind: 'error', transactionalId, error };
      }
    });
  }

  /**
   * ListTransactions; `durationMs` keeps transactions open (Ongoing or Prepare*) at least that long. A
   * loading shard refuses (COORDINATOR_LOAD_IN_PROGRESS, as Kafka's TransactionStateManager) rather than
   * answer an empty list that would hide its transactions; a closed one has none of its own any more.
   */
  list(filter: TxnListFilter, nowMs: number): TxnListing[] {
    if (this.#state === 'loading') {
      throw new TributaryError(
        'COORDINATOR_LOAD_IN_PROGRESS',
        `transaction state partition ${this.partition} is still loading; list again shortly`,
      );
    }
    if (this.#state !== 'active') return [];
    const states = filter.states ?? [];
    const producerIds = filter.producerIds ?? [];
    const durationMs = filter.durationMs ?? -1;
    const out: TxnListing[] = [];
    for (const [transactionalId, { metadata }] of this.#entries) {
      if (metadata === null) continue;
      if (states.length > 0 && !states.includes(metadata.state)) continue;
      if (producerIds.length > 0 && !producerIds.includes(metadata.producerId)) continue;
      if (durationMs >= 0) {
        const open =
          metadata.state === 'Ongoing' ||
          metadata.state === 'PrepareCommit' ||
          metadata.state === 'PrepareAbort';
        if (!open || nowMs - metadata.txnStartMs < durationMs) continue;
      }
      out.push({ transactionalId, producerId: metadata.producerId, state: metadata.state });
    }
    return out.sort((a, b) =>
      a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0,
    );
  }

  /** The written state of an id (tests and the simulation compare it with a reload). */
  metadata(transactionalId: string): TxnMetadata | null {
    return this.#entries.get(transactionalId)?.metadata ?? null;
  }

  transactionalIds(): string[] {
    return [...this.#entries.keys()].filter((id) => this.metadata(id) !== null).sort();
  }

  /** The state of the pending transition of an id, if one is in flight. */
  pendingState(transactionalId: string): TxnState | 'allocating' | 'markers' | null {
    const pending = this.#entries.get(transactionalId)?.pending ?? null;
    if (pending === null) return null;
    return pending.phase === 'write'
      ? pending.target.state
      : pending.phase === 'allocate'
        ? 'allocating'
        : 'markers';
  }

  // ---- internals ----

  #checkServes(transactionalId: string): void {
    if (this.#state === 'loading') {
      throw new TributaryError(
        'COORDINATOR_LOAD_IN_PROGRESS',
        `partition ${this.partition} is still loading`,
      );
    }
    if (
      this.#state === 'closed' ||
      txnStatePartitionFor(transactionalId, this.config.stateTopicPartitions) !== this.partition
    ) {
      throw new TributaryError(
        'NOT_COORDINATOR',
        `not the coordinator of transactional id ${transactionalId}`,
      );
    }
    const bytes = Buffer.byteLength(transactionalId, 'utf8');
    if (bytes === 0 || bytes > TXN_LIMITS.transactionalIdBytesMax) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `a transactional id has 1 to ${TXN_LIMITS.transactionalIdBytesMax} bytes, got ${bytes}`,
      );
    }
  }

  #checkRoomForId(): void {
    if (this.#entries.size >= TXN_LIMITS.transactionalIdsPerShardMax) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `partition ${this.partition} holds ${this.#entries.size} transactional ids, the most it may`,
      );
    }
  }

  #pendingFull(): boolean {
    return this.#transitions.size >= TXN_LIMITS.pendingTransitionsPerShardMax;
  }

  #checkRoomForTransition(): void {
    if (this.#pendingFull()) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `partition ${this.partition} has too many state changes in flight`,
      );
    }
  }

  #begin(transactionalId: string, entry: Entry, pending: Pending): void {
    assert(entry.pending === null, () => `${transactionalId} already has a pending transition`);
    entry.pending = pending;
    this.#transitions.set(pending.transitionId, transactionalId);
  }

  #clearPending(entry: Entry, transitionId: TransitionId): void {
    assert(entry.pending?.transitionId === transitionId, 'the completed transition is the pending one');
    entry.pending = null;
    this.#transitions.delete(transitionId);
  }

  #forgetIfUnused(transactionalId: string, entry: Entry): void {
    if (entry.metadata === null && entry.pending === null) this.#entries.delete(transactionalId);
  }

  #allocate(
    transactionalId: string,
    entry: Entry,
    requestId: RequestId,
    input: InitProducerIdInput,
  ): TxnEffect {
    const transitionId = this.#nextTransitionId++;
    this.#begin(transactionalId, entry, { phase: 'allocate', transitionId, requestId, input });
    return { kind: 'allocate-producer-id', transitionId, transactionalId };
  }

  #write(transactionalId: string, entry: Entry, target: TxnMetadata, after: AfterWrite): TxnEffect {
    const pending: Pending = { phase: 'write', transitionId: this.#nextTransitionId++, target, after };
    this.#begin(transactionalId, entry, pending);
    return this.#writeEffect(transactionalId, pending);
  }

  #writeEffect(transactionalId: string, pending: Pending & { phase: 'write' }): TxnEffect {
    const value = pending.target.state === 'Dead' ? null : toLogValue(pending.target);
    return {
      kind: 'write-state',
      transitionId: pending.transitionId,
      partition: this.partition,
      record: { transactionalId, value },
    };
  }

  /** Prepare* is written (or loaded): every partition gets the marker it decided. */
  #sendMarkers(
    transactionalId: string,
    entry: Entry,
    answer: RequestId | null,
    nowMs: number,
    effects: TxnEffect[],
  ): void {
    const metadata = entry.metadata;
    assert(metadata !== null, 'a prepared transaction is written');
    const remaining = new Map(toPairs(metadata.partitions).map((tp) => [tpKey(tp.topic, tp.partition), tp]));
    const pending: Pending = { phase: 'markers', transitionId: this.#nextTransitionId++, remaining, answer };
    this.#begin(transactionalId, entry, pending);
    if (remaining.size === 0) {
      effects.push(...this.#markersDone(transactionalId, entry, pending, nowMs));
      return;
    }
    effects.push(this.#markersEffect(transactionalId, entry, pending, [...remaining.values()]));
  }

  #markersEffect(
    transactionalId: string,
    entry: Entry,
    pending: Pending & { phase: 'markers' },
    partitions: readonly TopicPartition[],
  ): TxnEffect {
    const metadata = entry.metadata;
    assert(metadata !== null, 'a prepared transaction is written');
    return {
      kind: 'write-markers',
      transitionId: pending.transitionId,
      transactionalId,
      producerId: metadata.producerId,
      producerEpoch: metadata.producerEpoch,
      marker: markerOf(metadata),
      partitions,
      coordinatorEpoch: this.coordinatorEpoch,
    };
  }

  #markersDone(
    transactionalId: string,
    entry: Entry,
    pending: Pending & { phase: 'markers' },
    nowMs: number,
  ): TxnEffect[] {
    const metadata = entry.metadata;
    assert(metadata !== null, 'a prepared transaction is written');
    this.#clearPending(entry, pending.transitionId);
    const effects: TxnEffect[] = [];
    if (pending.answer !== null) effects.push(reply(pending.answer, OK));
    effects.push(
      this.#write(transactionalId, entry, completeTransaction(metadata, nowMs), { kind: 'complete' }),
    );
    return effects;
  }

  #completing<P extends Pending['phase']>(
    transitionId: TransitionId,
    phase: P,
  ): { transactionalId: string; entry: Entry; pending: Pending & { phase: P } } | null {
    // A closed shard's completions arrive after its successor took over: they change nothing.
    if (this.#state === 'closed') return null;
    const transactionalId = this.#transitions.get(transitionId);
    assert(transactionalId !== undefined, () => `transition ${transitionId} is not pending`);
    const entry = this.#entries.get(transactionalId);
    const pending = entry?.pending;
    assert(
      entry !== undefined && pending?.transitionId === transitionId,
      "the transition is its entry's pending one",
    );
    assert(
      pending.phase === phase,
      () => `transition ${transitionId} is in phase ${pending.phase}, not ${phase}`,
    );
    return { transactionalId, entry, pending: pending as Pending & { phase: P } };
  }
}
