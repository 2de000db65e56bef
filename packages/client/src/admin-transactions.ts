/**
 * Transaction administration (Kafka's Admin.listTransactions, describeTransactions and abortTransaction;
 * the calls behind `trib transactions`), against the brokers rather than the controllers:
 *   - listing asks every broker (each lists the transactional ids it coordinates) and merges the answers,
 *     as listGroups does;
 *   - describing finds each transactional id's coordinator (FindTransactionCoordinator, any broker) and
 *     asks it, following NOT_COORDINATOR;
 *   - aborting writes an ABORT marker for one producer straight to one partition's leader
 *     (TransactionMarkers.WriteTxnMarkers, the call coordinators make), the way out of a hanging
 *     transaction: a partition whose last stable offset is held back by a producer its coordinator no
 *     longer knows about. The caller names the producer id, its epoch and the coordinator epoch; the
 *     leader refuses a marker from an epoch older than the one it last saw (TRANSACTION_COORDINATOR_FENCED).
 * Metadata is always asked without auto-creating topics: an admin call never creates one.
 */
import type * as grpc from '@grpc/grpc-js';
import {
  type Clock,
  isWrongNode,
  type Random,
  systemClock,
  systemRandom,
  TributaryError,
} from '@tributary/core';
import {
  backoffDelayMs,
  type CallAuthentication,
  createTransactionMarkersClient,
  DEFAULT_BACKOFF,
  type ListTransactionsRequest,
  type ListTransactionsResponse__Output,
  type TransactionDescription__Output,
  type TransactionMarkersClient,
  unary,
} from '@tributary/protocol';
import type { BrokerConnections } from './connections.js';
import type { TopicPartitionList } from './group/reconcile.js';
import { CLIENT_LIMITS, TRANSACTION_ADMIN_LIMITS, TRANSACTION_LIMITS } from './limits.js';
import { type ClusterView, viewFromMetadata } from './metadata-cache.js';
import { partitionError, sleep, toError } from './retry.js';
import { answerError, CoordinatorRoute, type TransactionConnections } from './transaction-coordinator.js';

/** Kafka's transaction states (TransactionState.java), the names coordinators answer with. */
export const TRANSACTION_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'PrepareEpochFence',
  'Dead',
] as const;
export type TransactionStateName = (typeof TRANSACTION_STATES)[number];

export function isTransactionStateName(value: string): value is TransactionStateName {
  return (TRANSACTION_STATES as readonly string[]).includes(value);
}

/** Kafka's producer epochs are int16; an epoch of Short.MAX_VALUE is never handed out. */
const PRODUCER_EPOCH_MAX = 0x7fff;
/** The coordinator epoch is its __transaction_state partition's leader epoch, an int32. */
const COORDINATOR_EPOCH_MAX = 0x7fff_ffff;

export interface ListTransactionsOptions {
  /** Only transactions in these states (default: every state). */
  readonly states?: readonly TransactionStateName[];
  /** Only these producer ids (default: every producer). */
  readonly producerIds?: readonly number[];
  /** KIP-994: only transactions open for longer than this many ms (default: no filter). */
  readonly durationMs?: number;
}

export interface TransactionListing {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly state: string;
  /** The broker that listed it (its coordinator). */
  readonly coordinatorId: number;
}

export interface TransactionDescription {
  readonly transactionalId: string;
  readonly coordinatorId: number;
  readonly state: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /** Wall-clock ms when the open transaction started; null when none is open. */
  readonly transactionStartTimeMs: number | null;
  /** The partitions in the open transaction, sorted. */
  readonly partitions: TopicPartitionList[];
}

export interface AbortTransactionSpec {
  readonly topic: string;
  readonly partition: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The epoch of the coordinator that would have written the marker (see docs/cli.md). */
  readonly coordinatorEpoch: number;
}

export interface TransactionAdminDeps {
  readonly connections: BrokerConnections;
  readonly transactions: TransactionConnections;
  /** Brokers to ask Metadata and FindTransactionCoordinator. */
  readonly lookupAddresses: () => readonly string[];
  /** Credentials and sessions of the TransactionMarkers channels (abortTransaction). */
  readonly credentials?: grpc.ChannelCredentials;
  readonly auth?: CallAuthentication;
  readonly clock?: Clock;
  readonly random?: Random;
}

export interface TransactionCallOptions {
  /** Overall deadline of the call, retries included, in ms from now. */
  readonly deadlineMs?: number;
}

export function requireListTransactionsOptions(options: ListTransactionsOptions): void {
  for (const state of options.states ?? []) {
    if (!isTransactionStateName(state)) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `unknown transaction state "${state}" (one of ${TRANSACTION_STATES.join(', ')})`,
      );
    }
  }
  const producerIds = options.producerIds ?? [];
  if (producerIds.length > TRANSACTION_ADMIN_LIMITS.filterValuesMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `at most ${TRANSACTION_ADMIN_LIMITS.filterValuesMax} producer ids may be given`,
    );
  }
  for (const id of producerIds) requireInteger('producer id', id, Number.MAX_SAFE_INTEGER);
  if (options.durationMs !== undefined) {
    requireInteger('duration', options.durationMs, Number.MAX_SAFE_INTEGER);
  }
}

export function requireAbortTransactionSpec(spec: AbortTransactionSpec): void {
  if (spec.topic.length === 0) throw new TributaryError('INVALID_REQUEST', 'the topic must not be empty');
  requireInteger('partition', spec.partition, 0xffff_ffff);
  requireInteger('producer id', spec.producerId, Number.MAX_SAFE_INTEGER);
  requireInteger('producer epoch', spec.producerEpoch, PRODUCER_EPOCH_MAX - 1);
  requireInteger('coordinator epoch', spec.coordinatorEpoch, COORDINATOR_EPOCH_MAX);
}

function requireInteger(what: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new TributaryError('INVALID_REQUEST', `${what} must be an integer in [0, ${max}], got ${value}`);
  }
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function transactionDescription(
  answer: TransactionDescription__Output,
  coordinatorId: number,
): TransactionDescription {
  return {
    transactionalId: answer.transactionalId,
    coordinatorId,
    state: answer.state,
    producerId: answer.producerId,
    producerEpoch: answer.producerEpoch,
    transactionTimeoutMs: answer.transactionTimeoutMs,
    transactionStartTimeMs: answer.transactionStartTimeMs < 0 ? null : answer.transactionStartTimeMs,
    partitions: answer.partitions
      .map((t) => ({ topic: t.topic, partitions: [...t.partitions].sort((a, b) => a - b) }))
      .sort((a, b) => byName(a.topic, b.topic)),
  };
}

export class TransactionAdmin {
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly markerClients = new Map<string, TransactionMarkersClient>();

  constructor(private readonly deps: TransactionAdminDeps) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? systemRandom;
  }

  /**
   * Every transaction of every broker matching the filters, sorted by transactional id. A broker that
   * answers a retriable error (COORDINATOR_LOAD_IN_PROGRESS while a state partition loads) is asked again
   * within the deadline; one that still does not answer fails the call, naming it, rather than leaving its
   * transactions out of a listing that would look complete (Kafka's ListTransactionsResult.all()).
   */
  async listTransactions(
    filters: ListTransactionsOptions = {},
    options: TransactionCallOptions = {},
  ): Promise<TransactionListing[]> {
    requireListTransactionsOptions(filters);
    const deadlineMs = this.deadline(options);
    const view = await this.clusterView(['__transaction_state'], deadlineMs);
    const brokers = [...view.brokers].slice(0, TRANSACTION_ADMIN_LIMITS.brokersMax);
    const request = {
      stateFilters: [...(filters.states ?? [])],
      producerIdFilters: [...(filters.producerIds ?? [])],
      durationFilterMs: filters.durationMs ?? 0,
    };
    const settled = await Promise.allSettled(
      brokers.map(([, address]) => this.listOnBroker(address, request, deadlineMs)),
    );
    const listed = new Map<string, TransactionListing>();
    for (const [index, outcome] of settled.entries()) {
      const [coordinatorId, address] = brokers[index] ?? [-1, ''];
      if (outcome.status === 'rejected') {
        const error = toError(outcome.reason);
        throw new TributaryError(
          error.code,
          `ListTransactions: broker ${coordinatorId} (${address}) did not answer, so the listing would miss its transactions: ${error.message}`,
          { cause: error },
        );
      }
      for (const t of outcome.value.slice(0, TRANSACTION_ADMIN_LIMITS.listedPerBrokerMax)) {
        // During a coordinator move two brokers may list one id; either answer is as good.
        listed.set(t.transactionalId, {
          transactionalId: t.transactionalId,
          producerId: t.producerId,
          state: t.state,
          coordinatorId,
        });
      }
    }
    return [...listed.values()].sort((a, b) => byName(a.transactionalId, b.transactionalId));
  }

  /** One broker's ListTransactions, asked again after a retriable error while the deadline allows. */
  private async listOnBroker(
    address: string,
    request: ListTransactionsRequest,
    deadlineMs: number,
  ): Promise<ListTransactionsResponse__Output['transactions']> {
    let lastError = new TributaryError('REQUEST_TIMED_OUT', 'the deadline passed before the first attempt');
    for (let round = 0; round < TRANSACTION_ADMIN_LIMITS.listAttemptsMax; round++) {
      const remainingMs = deadlineMs - this.clock.nowMs();
      if (remainingMs <= 0) break;
      if (round > 0) {
        await sleep(Math.min(remainingMs, backoffDelayMs(round - 1, DEFAULT_BACKOFF, this.random)));
      }
      try {
        const answer = await unary(this.deps.transactions.get(address), 'ListTransactions', request, {
          deadlineMs: this.callMs(deadlineMs),
        });
        return answer.transactions;
      } catch (error) {
        lastError = toError(error);
        if (!lastError.retriable) throw lastError;
      }
    }
    throw lastError;
  }

  /**
   * Each transactional id's state, producer, timeout, start time and partitions, from its coordinator,
   * in the order asked. Fails with the first id's error (TRANSACTIONAL_ID_NOT_FOUND for an unknown one).
   */
  async describeTransactions(
    transactionalIds: readonly string[],
    options: TransactionCallOptions = {},
  ): Promise<TransactionDescription[]> {
    const ids = [...new Set(transactionalIds)];
    if (ids.length > TRANSACTION_ADMIN_LIMITS.describeIdsMax) {
      throw new TributaryError(
        'INVALID_REQUEST',
        `at most ${TRANSACTION_ADMIN_LIMITS.describeIdsMax} transactional ids may be described at once`,
      );
    }
    for (const id of ids) {
      const idBytes = Buffer.byteLength(id, 'utf8');
      if (idBytes === 0 || idBytes > TRANSACTION_LIMITS.transactionalIdBytesMax) {
        throw new TributaryError(
          'INVALID_REQUEST',
          `a transactional id must have 1 to ${TRANSACTION_LIMITS.transactionalIdBytesMax} bytes (UTF-8)`,
        );
      }
    }
    const deadlineMs = this.deadline(options);
    const described = await Promise.allSettled(ids.map((id) => this.describeOne(id, deadlineMs)));
    return described.map((outcome) => {
      if (outcome.status === 'rejected') throw toError(outcome.reason);
      return outcome.value;
    });
  }

  /**
   * Writes an ABORT marker for the producer to the partition's leader (Kafka's Admin.abortTransaction):
   * the partition's open transaction of that producer ends, and read_committed readers move past it.
   * Resolves once the leader has replicated the marker.
   */
  async abortTransaction(spec: AbortTransactionSpec, options: TransactionCallOptions = {}): Promise<void> {
    requireAbortTransactionSpec(spec);
    const deadlineMs = this.deadline(options);
    const where = `${spec.topic}-${spec.partition}`;
    let lastError: TributaryError | undefined;
    for (let round = 0; round < TRANSACTION_ADMIN_LIMITS.abortAttemptsMax; round++) {
      const remainingMs = deadlineMs - this.clock.nowMs();
      if (remainingMs <= 0) break;
      if (round > 0) {
        await sleep(Math.min(remainingMs, backoffDelayMs(round - 1, DEFAULT_BACKOFF, this.random)));
      }
      try {
        await this.abortOnLeader(spec, where, deadlineMs);
        return;
      } catch (error) {
        lastError = toError(error);
        // A partition the cluster does not have is not waited for: the hanging transaction is on an
        // existing partition, so the name is wrong.
        const final = lastError.code === 'UNKNOWN_TOPIC_OR_PARTITION' || !lastError.retriable;
        if (final && !isWrongNode(lastError.code)) throw lastError;
      }
    }
    throw new TributaryError(
      lastError?.code ?? 'REQUEST_TIMED_OUT',
      `abort of producer ${spec.producerId} on ${where} gave up: ${lastError?.message ?? 'deadline passed'}`,
      lastError === undefined ? {} : { cause: lastError },
    );
  }

  close(): void {
    for (const client of this.markerClients.values()) client.close();
    this.markerClients.clear();
  }

  private async abortOnLeader(spec: AbortTransactionSpec, where: string, deadlineMs: number): Promise<void> {
    const view = await this.clusterView([spec.topic], deadlineMs);
    const topic = view.topics.get(spec.topic);
    const leaderId = topic?.partitions[spec.partition]?.leaderId;
    if (topic === undefined || leaderId === undefined) {
      throw new TributaryError('UNKNOWN_TOPIC_OR_PARTITION', `no partition ${where}`);
    }
    const address = view.brokers.get(leaderId);
    if (leaderId < 0 || address === undefined) {
      throw new TributaryError('LEADER_NOT_AVAILABLE', `${where} has no leader right now`);
    }
    const answer = await unary(
      this.markers(address),
      'WriteTxnMarkers',
      {
        markers: [
          {
            producerId: spec.producerId,
            producerEpoch: spec.producerEpoch,
            commit: false,
            coordinatorEpoch: spec.coordinatorEpoch,
            partitions: [{ topic: spec.topic, partitions: [spec.partition] }],
          },
        ],
      },
      { deadlineMs: this.callMs(deadlineMs) },
    );
    const result = answer.markers
      .find((m) => m.producerId === spec.producerId)
      ?.results.find((r) => r.topic === spec.topic && r.partition === spec.partition);
    if (result === undefined) {
      throw new TributaryError(
        'UNKNOWN',
        `WriteTxnMarkers at broker ${leaderId} did not answer for ${where}`,
      );
    }
    const error = partitionError(result.errorCode, result.errorMessage, `abort on ${where}`);
    if (error !== undefined) throw error;
  }

  private async describeOne(transactionalId: string, deadlineMs: number): Promise<TransactionDescription> {
    const nodes = new Map<string, number>();
    const route = new CoordinatorRoute(
      {
        connections: this.deps.transactions,
        clock: this.clock,
        random: this.random,
        requestTimeoutMs: TRANSACTION_ADMIN_LIMITS.callTimeoutMs,
      },
      `transactional id ${transactionalId}`,
      (callMs) => this.findCoordinator(transactionalId, callMs, nodes),
    );
    return route.call('DescribeTransactions', deadlineMs, async (client, callMs) => {
      const answer = await unary(
        client,
        'DescribeTransactions',
        { transactionalIds: [transactionalId] },
        { deadlineMs: callMs },
      );
      const found = answer.transactions.find((t) => t.transactionalId === transactionalId);
      if (found === undefined) {
        throw new TributaryError('UNKNOWN', `DescribeTransactions answered without ${transactionalId}`);
      }
      const error = answerError(found, `DescribeTransactions(${transactionalId})`);
      if (error !== undefined) throw error;
      const address = route.current;
      return transactionDescription(found, address === undefined ? -1 : (nodes.get(address) ?? -1));
    });
  }

  /** FindTransactionCoordinator asked of the lookup brokers in turn; records the coordinator's node id. */
  private async findCoordinator(
    transactionalId: string,
    callMs: number,
    nodes: Map<string, number>,
  ): Promise<string> {
    let lastError = new TributaryError('COORDINATOR_NOT_AVAILABLE', 'no broker address to ask');
    for (const candidate of [...new Set(this.deps.lookupAddresses())]) {
      try {
        const answer = await unary(
          this.deps.transactions.get(candidate),
          'FindTransactionCoordinator',
          { transactionalId },
          { deadlineMs: callMs },
        );
        const error = answerError(answer, `FindTransactionCoordinator(${transactionalId}) at ${candidate}`);
        if (error !== undefined) throw error;
        if (answer.address === '') {
          throw new TributaryError('COORDINATOR_NOT_AVAILABLE', `${candidate} named no coordinator`);
        }
        nodes.set(answer.address, answer.nodeId);
        return answer.address;
      } catch (error) {
        lastError = toError(error);
        if (!lastError.retriable) throw lastError;
      }
    }
    throw lastError;
  }

  /** Metadata from the first lookup broker that answers, never creating a topic. */
  private async clusterView(topics: readonly string[], deadlineMs: number): Promise<ClusterView> {
    let lastError = new TributaryError('LEADER_NOT_AVAILABLE', 'no bootstrap broker given');
    for (const address of [...new Set(this.deps.lookupAddresses())]) {
      try {
        const response = await unary(
          this.deps.connections.get(address),
          'Metadata',
          { topics: [...topics], allowAutoTopicCreation: false },
          { deadlineMs: Math.min(this.callMs(deadlineMs), CLIENT_LIMITS.metadataCallTimeoutMs) },
        );
        return viewFromMetadata(response);
      } catch (error) {
        lastError = toError(error);
      }
    }
    throw lastError;
  }

  private markers(address: string): TransactionMarkersClient {
    let client = this.markerClients.get(address);
    if (client === undefined) {
      if (this.markerClients.size >= TRANSACTION_ADMIN_LIMITS.brokersMax) {
        throw new TributaryError(
          'INVALID_REQUEST',
          `more than ${TRANSACTION_ADMIN_LIMITS.brokersMax} leaders`,
        );
      }
      client = createTransactionMarkersClient(address, {
        ...(this.deps.credentials === undefined ? {} : { credentials: this.deps.credentials }),
        ...(this.deps.auth === undefined ? {} : { auth: this.deps.auth }),
      });
      this.markerClients.set(address, client);
    }
    return client;
  }

  private deadline(options: TransactionCallOptions): number {
    const ms = options.deadlineMs ?? TRANSACTION_ADMIN_LIMITS.deadlineMsDefault;
    if (!(Number.isFinite(ms) && ms > 0)) {
      throw new TributaryError('INVALID_REQUEST', `deadlineMs must be positive, got ${ms}`);
    }
    return this.clock.nowMs() + ms;
  }

  private callMs(deadlineMs: number): number {
    return Math.max(1, Math.min(TRANSACTION_ADMIN_LIMITS.callTimeoutMs, deadlineMs - this.clock.nowMs()));
  }
}
