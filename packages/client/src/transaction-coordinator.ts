/**
 * Calling a transactional id's coordinator (protos/tributary/v1/transactions.proto). Any broker answers
 * FindTransactionCoordinator with the broker leading the id's __transaction_state partition; the address
 * is cached until a call answers NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE, then found again.
 * COORDINATOR_LOAD_IN_PROGRESS and CONCURRENT_TRANSACTIONS (the previous transaction's markers are still
 * being written) are retried with backoff. Every retry loop is bounded by attempts and by a deadline.
 */
import type * as grpc from '@grpc/grpc-js';
import { type Clock, type Random, TributaryError } from '@tributary/core';
import {
  backoffDelayMs,
  type CallAuthentication,
  createTransactionCoordinatorClient,
  DEFAULT_BACKOFF,
  type TransactionCoordinatorClient,
  unary,
} from '@tributary/protocol';
import { TRANSACTION_LIMITS } from './limits.js';
import { partitionError, sleep, toError } from './retry.js';
import { transactionErrorAction } from './transaction-state.js';

/** One TransactionCoordinator client per broker address, created on first use and reused. */
export class TransactionConnections {
  private readonly clients = new Map<string, TransactionCoordinatorClient>();

  constructor(
    private readonly credentials?: grpc.ChannelCredentials,
    private readonly auth?: CallAuthentication,
  ) {}

  get(address: string): TransactionCoordinatorClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createTransactionCoordinatorClient(address, {
        ...(this.credentials === undefined ? {} : { credentials: this.credentials }),
        ...(this.auth === undefined ? {} : { auth: this.auth }),
      });
      this.clients.set(address, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

export interface CoordinatorRouteDeps {
  readonly connections: TransactionConnections;
  readonly clock: Clock;
  readonly random: Random;
  /** Deadline of one call (the producer's request timeout). */
  readonly requestTimeoutMs: number;
}

/** An error_code/error_message pair of an answer as a TributaryError (undefined on success). */
export function answerError(
  answer: { readonly errorCode: string; readonly errorMessage: string },
  where: string,
): TributaryError | undefined {
  return partitionError(answer.errorCode, answer.errorMessage, where);
}

/**
 * The first error among per-partition results. OPERATION_NOT_ATTEMPTED only says another partition of
 * the request failed (all or nothing), so the other partition's error is the one reported.
 */
export function firstPartitionError(
  results: readonly {
    readonly topic: string;
    readonly partition: number;
    readonly errorCode: string;
    readonly errorMessage: string;
  }[],
  where: string,
): TributaryError | undefined {
  let notAttempted: TributaryError | undefined;
  for (const result of results) {
    const error = partitionError(
      result.errorCode,
      result.errorMessage,
      `${where} ${result.topic}-${result.partition}`,
    );
    if (error === undefined) continue;
    if (error.code !== 'OPERATION_NOT_ATTEMPTED') return error;
    notAttempted ??= error;
  }
  return notAttempted;
}

/**
 * Where a coordinator-bound call goes: a cached coordinator address, found with `find` (asked of any
 * broker) when unknown or after a coordinator error.
 */
export class CoordinatorRoute {
  private address: string | undefined;

  constructor(
    private readonly deps: CoordinatorRouteDeps,
    /** Names the route in error messages (`transactional id X`, `group G`). */
    readonly name: string,
    /** Finds the coordinator's address once (no retries: call() retries). */
    private readonly find: (deadlineMs: number) => Promise<string>,
  ) {}

  get current(): string | undefined {
    return this.address;
  }

  invalidate(): void {
    this.address = undefined;
  }

  /**
   * Runs `attempt` against the coordinator until it succeeds, a non-retriable error, the attempt bound
   * or `deadlineMs` (on the injected clock). `attempt` throws the answer's error as a TributaryError.
   */
  async call<T>(
    what: string,
    deadlineMs: number,
    attempt: (client: TransactionCoordinatorClient, callTimeoutMs: number) => Promise<T>,
  ): Promise<T> {
    let lastError: TributaryError | undefined;
    const attemptMinMs = TRANSACTION_LIMITS.coordinatorAttemptMinMs;
    for (let round = 0; round < TRANSACTION_LIMITS.coordinatorAttemptsMax; round++) {
      if (round > 0) {
        const remainingMs = deadlineMs - this.deps.clock.nowMs();
        if (remainingMs < attemptMinMs) break;
        await sleep(Math.min(remainingMs, backoffDelayMs(round - 1, DEFAULT_BACKOFF, this.deps.random)));
      }
      if (deadlineMs - this.deps.clock.nowMs() < attemptMinMs) break;
      try {
        this.address ??= await this.find(this.callTimeoutMs(deadlineMs));
        return await attempt(this.deps.connections.get(this.address), this.callTimeoutMs(deadlineMs));
      } catch (error) {
        lastError = toError(error);
        const action = transactionErrorAction(lastError);
        if (action === 'fatal' || action === 'abortable') throw lastError;
        if (action === 'findCoordinator') this.invalidate();
      }
    }
    const reason = lastError === undefined ? 'no attempt before the deadline' : lastError.message;
    throw new TributaryError(
      lastError?.code ?? 'REQUEST_TIMED_OUT',
      `${what} for ${this.name} gave up after retries: ${reason}`,
      lastError === undefined ? {} : { cause: lastError },
    );
  }

  private callTimeoutMs(deadlineMs: number): number {
    return Math.max(
      1,
      Math.floor(Math.min(this.deps.requestTimeoutMs, deadlineMs - this.deps.clock.nowMs())),
    );
  }
}

/**
 * FindTransactionCoordinator asked of the lookup addresses in turn (any broker answers it); the first
 * answer naming an address wins. Retriable failures move to the next address; when every one failed the
 * last error is thrown (CoordinatorRoute.call retries with backoff).
 */
export function transactionCoordinatorFinder(
  connections: TransactionConnections,
  transactionalId: string,
  lookupAddresses: () => readonly string[],
): (callTimeoutMs: number) => Promise<string> {
  let next = 0;
  return async (callTimeoutMs) => {
    const candidates = [...new Set(lookupAddresses())];
    let lastError = new TributaryError('COORDINATOR_NOT_AVAILABLE', 'no broker address to ask');
    for (let tried = 0; tried < candidates.length; tried++) {
      const candidate = candidates[(next + tried) % candidates.length];
      if (candidate === undefined) continue;
      try {
        const answer = await unary(
          connections.get(candidate),
          'FindTransactionCoordinator',
          { transactionalId },
          { deadlineMs: callTimeoutMs },
        );
        const error = answerError(answer, `FindTransactionCoordinator(${transactionalId}) at ${candidate}`);
        if (error !== undefined) throw error;
        if (answer.address === '') {
          throw new TributaryError('COORDINATOR_NOT_AVAILABLE', `${candidate} named no coordinator`);
        }
        return answer.address;
      } catch (error) {
        lastError = toError(error);
        if (!lastError.retriable) throw lastError;
        next++;
      }
    }
    throw lastError;
  };
}
