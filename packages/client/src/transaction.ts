/**
 * Transactions for the producer (KIP-98, KafkaJS's shape): a producer made with a `transactionalId` gets
 * its producer id and epoch from InitTransactions (once, lazily or through initTransactions()), and
 * `producer.transaction()` opens one transaction at a time:
 *
 *   const txn = await producer.transaction();
 *   await txn.send({ topic, messages });           // AddPartitionsToTxn first for each new partition
 *   await txn.sendOffsets({ consumerGroupId, topics, consumer });  // AddOffsetsToTxn + TxnOffsetCommit
 *   await txn.commit();                            // waits for every send, then EndTxn(commit)
 *
 * The state rules live in transaction-state.ts (pure); this file does the calls. A fatal error
 * (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, ...) makes the producer unusable; any other failure of a send
 * or of sendOffsets leaves the transaction abortable: only abort() is accepted, then a new transaction.
 * Sequence numbers continue per partition across transactions, as for the idempotent producer; when a
 * batch failed definitively (its sequences may hold a gap), abort() bumps the epoch with InitTransactions
 * under the current producer id and epoch (KIP-360), and the next transaction starts every partition at 0.
 */
import { assert, type Clock, type Random, TributaryError } from '@tributary/core';
import { unary } from '@tributary/protocol';
import type { CoordinatorLookup } from './group/coordinator.js';
import type { GroupMemberIdentity } from './group/types.js';
import type { ProducerIdentity } from './idempotence.js';
import { TRANSACTION_LIMITS } from './limits.js';
import type { ProduceRequest, ProducerRecord, RecordMetadata } from './producer.js';
import { toError } from './retry.js';
import {
  answerError,
  CoordinatorRoute,
  firstPartitionError,
  type TransactionConnections,
  transactionCoordinatorFinder,
} from './transaction-coordinator.js';
import { type TopicPartitionKey, TransactionStateMachine } from './transaction-state.js';

/** The group member whose position the offsets are (KIP-447): its id and epoch fence a zombie's commit. */
/** The group member a transactional offset commit names (`payload.groupMetadata()` in eachBatch). */
export type TransactionGroupMember = GroupMemberIdentity;

export interface SendOffsetsRequest {
  readonly consumerGroupId: string;
  readonly topics: readonly {
    readonly topic: string;
    readonly partitions: readonly { readonly partition: number; readonly offset: number | string }[];
  }[];
  /** The group consumer that read the records (KIP-447); without it the commit is not fenced by member. */
  readonly consumer?: TransactionGroupMember;
}

export interface TransactionManagerDeps {
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  readonly clock: Clock;
  /** Bound on one transactional operation (init, add, offsets, end), retries included. */
  readonly operationTimeoutMs: number;
  /** Calls to the transactional id's coordinator. */
  readonly route: CoordinatorRoute;
  /** A route to `groupId`'s coordinator, for TxnOffsetCommit (the group's coordinator answers it). */
  readonly groupRoute: (groupId: string) => CoordinatorRoute;
  /** How many times the producer's idempotent session was reset (a batch failed definitively). */
  readonly sessionResets: () => number;
  /** Sends whatever the producer holds lingering, so commit() waits for it too. */
  readonly flush: () => void;
}

const NO_IDENTITY: ProducerIdentity = { producerId: -1, producerEpoch: -1 };

export class TransactionManager {
  readonly machine: TransactionStateMachine;
  private identity: ProducerIdentity | undefined;
  private initializing: Promise<void> | undefined;
  /** Whether the idempotent layer holds a session under `identity` already (see sessionIdentity). */
  private handedOut = false;
  private resetsAtBegin = 0;
  /** The open transaction's sends, settled or not: commit() and abort() wait for all of them. */
  private readonly sends = new Set<Promise<unknown>>();

  constructor(private readonly deps: TransactionManagerDeps) {
    this.machine = new TransactionStateMachine(deps.transactionalId);
  }

  get transactionalId(): string {
    return this.deps.transactionalId;
  }

  /** The producer id and epoch from the last InitTransactions; undefined before it. */
  get producerIdentity(): ProducerIdentity | undefined {
    return this.identity;
  }

  /** InitTransactions once (single-flight); later calls return at once. */
  initTransactions(): Promise<void> {
    const state = this.machine.state;
    if (state === 'fatalError') return Promise.reject(this.machine.unusable());
    if (state !== 'uninitialized' && state !== 'initializing') return Promise.resolve();
    this.initializing ??= this.initialize(NO_IDENTITY).finally(() => {
      this.initializing = undefined;
    });
    return this.initializing;
  }

  /**
   * InitTransactions: a fresh epoch for the transactional id (fencing older instances), or, given the
   * current identity, the next epoch of the same producer id (KIP-360).
   */
  private async initialize(current: ProducerIdentity): Promise<void> {
    this.machine.transition('initializing');
    const deadlineMs = this.deadlineMs();
    try {
      const identity = await this.deps.route.call(
        'InitTransactions',
        deadlineMs,
        async (client, timeoutMs) => {
          const answer = await unary(
            client,
            'InitTransactions',
            {
              transactionalId: this.deps.transactionalId,
              transactionTimeoutMs: this.deps.transactionTimeoutMs,
              producerId: current.producerId,
              producerEpoch: current.producerEpoch,
            },
            { deadlineMs: timeoutMs },
          );
          const error = answerError(answer, `InitTransactions(${this.deps.transactionalId})`);
          if (error !== undefined) throw error;
          return checkIdentity(answer.producerId, answer.producerEpoch, this.deps.transactionalId);
        },
      );
      this.identity = identity;
      this.handedOut = false;
      this.machine.epochBumped();
      this.machine.transition('ready');
    } catch (error) {
      const failure = toError(error);
      // Only fatal errors end the producer; otherwise initTransactions() may be called again.
      this.machine.fail(failure);
      throw failure;
    }
  }

  /**
   * The identity for a new idempotent session (Idempotence's initProducerId hook). A session ends only
   * after a batch failed definitively; within a transaction that leaves the transaction abortable, and a
   * new session under the same epoch would restart sequences the partition does not accept, so it is
   * refused until abort() has bumped the epoch.
   */
  async sessionIdentity(): Promise<ProducerIdentity> {
    await this.initTransactions();
    const identity = this.identity;
    assert(identity !== undefined, 'a ready transactional producer has an identity');
    if (this.handedOut) {
      this.machine.noteSequencesBroken();
      throw new TributaryError(
        'OPERATION_NOT_ATTEMPTED',
        `${this.deps.transactionalId}: a batch of this transaction failed definitively; abort the transaction`,
      );
    }
    this.handedOut = true;
    return identity;
  }

  /** Opens a transaction (initializing first when needed); one at a time. */
  async begin(): Promise<void> {
    await this.initTransactions();
    this.machine.require('begin');
    this.machine.transition('inTransaction');
    this.resetsAtBegin = this.deps.sessionResets();
    this.sends.clear();
  }

  /** Refuses a send outside an open, healthy transaction (a transactional producer only sends in one). */
  requireSend(): void {
    this.machine.require('send');
  }

  /** Runs a send of the open transaction: commit() waits for it; its failure makes the transaction abortable. */
  track<T>(send: Promise<T>): Promise<T> {
    const tracked = send.catch((error: unknown) => {
      this.machine.fail(toError(error));
      throw error;
    });
    const settled = tracked.then(
      () => undefined,
      () => undefined,
    );
    this.sends.add(settled);
    return tracked;
  }

  /** AddPartitionsToTxn for the partitions of `topic` the transaction has not written yet. */
  async addPartitions(topic: string, partitions: readonly number[]): Promise<void> {
    this.machine.require('send');
    const missing = this.machine.missingPartitions(partitions.map((partition) => ({ topic, partition })));
    if (missing.length === 0) return;
    const identity = this.requireIdentity();
    const where = `AddPartitionsToTxn(${this.deps.transactionalId})`;
    await this.deps.route.call('AddPartitionsToTxn', this.deadlineMs(), async (client, timeoutMs) => {
      const answer = await unary(
        client,
        'AddPartitionsToTxn',
        {
          transactionalId: this.deps.transactionalId,
          producerId: identity.producerId,
          producerEpoch: identity.producerEpoch,
          partitions: byTopic(missing),
        },
        { deadlineMs: timeoutMs },
      );
      const error = firstPartitionError(answer.results, where);
      if (error !== undefined) throw error;
    });
    this.machine.partitionsAdded(missing);
  }

  /** AddOffsetsToTxn (once per group per transaction), then TxnOffsetCommit to the group's coordinator. */
  async sendOffsets(request: SendOffsetsRequest): Promise<void> {
    this.machine.require('sendOffsets');
    const groupId = request.consumerGroupId;
    if (groupId === '') throw new TributaryError('INVALID_REQUEST', 'sendOffsets needs a consumerGroupId');
    const topics = request.topics.map((t) => ({
      name: t.topic,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        offset: toOffset(p.offset, `${t.topic}-${p.partition}`),
        leaderEpoch: -1,
        metadata: '',
      })),
    }));
    const identity = this.requireIdentity();
    try {
      if (!this.machine.hasOffsetsOf(groupId)) {
        await this.deps.route.call('AddOffsetsToTxn', this.deadlineMs(), async (client, timeoutMs) => {
          const answer = await unary(
            client,
            'AddOffsetsToTxn',
            {
              transactionalId: this.deps.transactionalId,
              producerId: identity.producerId,
              producerEpoch: identity.producerEpoch,
              groupId,
            },
            { deadlineMs: timeoutMs },
          );
          const error = answerError(answer, `AddOffsetsToTxn(${this.deps.transactionalId}, ${groupId})`);
          if (error !== undefined) throw error;
        });
        this.machine.offsetsAdded(groupId);
      }
      const where = `TxnOffsetCommit(${this.deps.transactionalId}, ${groupId})`;
      await this.deps
        .groupRoute(groupId)
        .call('TxnOffsetCommit', this.deadlineMs(), async (client, timeoutMs) => {
          const answer = await unary(
            client,
            'TxnOffsetCommit',
            {
              transactionalId: this.deps.transactionalId,
              groupId,
              producerId: identity.producerId,
              producerEpoch: identity.producerEpoch,
              generationId: request.consumer?.memberEpoch ?? -1,
              memberId: request.consumer?.memberId ?? '',
              topics,
            },
            { deadlineMs: timeoutMs },
          );
          const error = firstPartitionError(answer.results, where);
          if (error !== undefined) throw error;
        });
    } catch (error) {
      const failure = toError(error);
      this.machine.fail(failure);
      throw failure;
    }
  }

  /** Waits for every send of the open transaction, then EndTxn(commit). */
  async commit(): Promise<void> {
    this.machine.require('commit');
    await this.settleSends();
    // A send that failed while waiting made the transaction abortable: refused here with its error.
    this.machine.require('commit');
    this.machine.transition('committing');
    await this.endTransaction(true);
  }

  /** Waits for the sends still in flight (their batches must not land after the marker), then EndTxn(abort). */
  async abort(): Promise<void> {
    this.machine.require('abort');
    await this.settleSends();
    this.machine.require('abort');
    if (this.machine.state !== 'aborting') this.machine.transition('aborting');
    if (this.deps.sessionResets() !== this.resetsAtBegin) this.machine.noteSequencesBroken();
    await this.endTransaction(false);
    if (this.machine.needsEpochBump) await this.initialize(this.requireIdentity());
    else this.machine.transition('ready');
  }

  private async settleSends(): Promise<void> {
    this.deps.flush();
    while (this.sends.size > 0) {
      const pending = [...this.sends];
      await Promise.all(pending);
      for (const send of pending) this.sends.delete(send);
    }
  }

  /**
   * EndTxn. Kafka completes a transaction that added nothing locally: the coordinator never heard of it.
   * When EndTxn runs out of attempts the state stays committing/aborting and the same call may be made
   * again; an error the coordinator answered leaves the transaction abortable (or the producer fenced).
   */
  private async endTransaction(commit: boolean): Promise<void> {
    if (this.machine.partitions.length === 0 && !this.machine.hasAnyOffsets) {
      if (commit) this.machine.transition('ready');
      return;
    }
    const identity = this.requireIdentity();
    try {
      await this.deps.route.call('EndTxn', this.deadlineMs(), async (client, timeoutMs) => {
        const answer = await unary(
          client,
          'EndTxn',
          {
            transactionalId: this.deps.transactionalId,
            producerId: identity.producerId,
            producerEpoch: identity.producerEpoch,
            commit,
          },
          { deadlineMs: timeoutMs },
        );
        const error = answerError(
          answer,
          `EndTxn(${this.deps.transactionalId}, ${commit ? 'commit' : 'abort'})`,
        );
        if (error !== undefined) throw error;
      });
    } catch (error) {
      const failure = toError(error);
      if (!failure.retriable) this.machine.fail(failure);
      throw failure;
    }
    if (commit) this.machine.transition('ready');
  }

  private requireIdentity(): ProducerIdentity {
    const identity = this.identity;
    assert(identity !== undefined, () => `${this.deps.transactionalId}: no producer identity yet`);
    return identity;
  }

  private deadlineMs(): number {
    return this.deps.clock.nowMs() + this.deps.operationTimeoutMs;
  }
}

/** The application's handle on the open transaction (KafkaJS's Transaction). */
export interface Transaction {
  send(request: ProduceRequest): Promise<RecordMetadata[]>;
  send(topic: string, records: readonly ProducerRecord[]): Promise<RecordMetadata[]>;
  sendOffsets(request: SendOffsetsRequest): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  /** True until commit() or abort() has completed. */
  isActive(): boolean;
}

/** A group coordinator route for TxnOffsetCommit: found with the group's FindCoordinator. */
export function groupCoordinatorFinder(
  lookup: CoordinatorLookup,
): (callTimeoutMs: number) => Promise<string> {
  return (callTimeoutMs) => {
    lookup.invalidate();
    return lookup.coordinator({ deadlineMs: callTimeoutMs });
  };
}

function byTopic(partitions: readonly TopicPartitionKey[]): { topic: string; partitions: number[] }[] {
  const topics = new Map<string, number[]>();
  for (const tp of partitions) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
  return [...topics].map(([topic, list]) => ({ topic, partitions: list }));
}

function toOffset(offset: number | string, where: string): number {
  const value = typeof offset === 'string' ? Number(offset) : offset;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `sendOffsets: ${where} offset must be an integer >= 0, got ${offset}`,
    );
  }
  return value;
}

function checkIdentity(producerId: number, producerEpoch: number, transactionalId: string): ProducerIdentity {
  if (!Number.isSafeInteger(producerId) || producerId < 0 || producerEpoch < 0 || producerEpoch > 0x7fff) {
    throw new TributaryError(
      'UNKNOWN',
      `InitTransactions(${transactionalId}) answered an invalid producer id ${producerId} epoch ${producerEpoch}`,
    );
  }
  return { producerId, producerEpoch };
}

/** What a transactional producer needs from its client: the coordinators' channels and where to ask. */
export interface TransactionDeps {
  readonly connections: TransactionConnections;
  /** The group's coordinator lookup (GroupCoordinator.FindCoordinator), for TxnOffsetCommit. */
  readonly groupLookup: (groupId: string) => CoordinatorLookup;
  /** Brokers that may be asked FindTransactionCoordinator. */
  readonly lookupAddresses: () => readonly string[];
}

export interface TransactionalOptions {
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly requestTimeoutMs: number;
  readonly operationTimeoutMs: number;
  readonly sessionResets: () => number;
  readonly flush: () => void;
}

/** The transaction manager of a producer made with `transactionalId`, its routes built from `deps`. */
export function createTransactionManager(
  deps: TransactionDeps,
  options: TransactionalOptions,
): TransactionManager {
  const { transactionalId, transactionTimeoutMs } = options;
  const idBytes = Buffer.byteLength(transactionalId, 'utf8');
  if (idBytes === 0 || idBytes > TRANSACTION_LIMITS.transactionalIdBytesMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `transactionalId must have 1 to ${TRANSACTION_LIMITS.transactionalIdBytesMax} bytes (UTF-8), got ${idBytes}`,
    );
  }
  if (
    !Number.isInteger(transactionTimeoutMs) ||
    transactionTimeoutMs < TRANSACTION_LIMITS.transactionTimeoutMsMin ||
    transactionTimeoutMs > TRANSACTION_LIMITS.transactionTimeoutMsMax
  ) {
    throw new TributaryError(
      'INVALID_TRANSACTION_TIMEOUT',
      `transactionTimeoutMs must be an integer in [${TRANSACTION_LIMITS.transactionTimeoutMsMin}, ${TRANSACTION_LIMITS.transactionTimeoutMsMax}], got ${transactionTimeoutMs}`,
    );
  }
  const routeDeps = {
    connections: deps.connections,
    clock: options.clock,
    random: options.random,
    requestTimeoutMs: options.requestTimeoutMs,
  };
  const groupRoutes = new Map<string, CoordinatorRoute>();
  return new TransactionManager({
    transactionalId,
    transactionTimeoutMs,
    clock: options.clock,
    operationTimeoutMs: options.operationTimeoutMs,
    route: new CoordinatorRoute(
      routeDeps,
      `transactional id ${transactionalId}`,
      transactionCoordinatorFinder(deps.connections, transactionalId, deps.lookupAddresses),
    ),
    groupRoute: (groupId) => {
      let route = groupRoutes.get(groupId);
      if (route === undefined) {
        route = new CoordinatorRoute(
          routeDeps,
          `group ${groupId}`,
          groupCoordinatorFinder(deps.groupLookup(groupId)),
        );
        groupRoutes.set(groupId, route);
      }
      return route;
    },
    sessionResets: options.sessionResets,
    flush: options.flush,
  });
}
