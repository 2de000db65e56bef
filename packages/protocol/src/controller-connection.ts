/**
 * Sends admin and lifecycle calls to the active controller: the last known leader first, then
 * NOT_CONTROLLER leader hints, then the other controllers in turn, with bounded attempts, jittered
 * exponential backoff and an overall deadline. Used by the CLI and by brokers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type * as grpc from '@grpc/grpc-js';
import { assert, type Clock, type Random, systemClock, systemRandom, TributaryError } from '@tributary/core';
import { type ClientOptions, createBrokerLifecycleClient, createControllerAdminClient } from './clients.js';
import { asTributaryError } from './errors.js';
import type { BrokerLifecycleClient } from './generated/tributary/v1/BrokerLifecycle.js';
import type { ControllerAdminClient } from './generated/tributary/v1/ControllerAdmin.js';
import { type BackoffPolicy, backoffDelayMs, DEFAULT_BACKOFF, nextRetryStep } from './retry.js';
import { type UnaryMethodName, type UnaryRequest, type UnaryResponse, unary } from './unary.js';

export interface ControllerConnectionOptions extends ClientOptions {
  /** host:port of every controller (at least one). Leader hints may add more. */
  readonly addresses: readonly string[];
  /** Attempts per call, the first included. Default 10. */
  readonly attemptsMax?: number;
  /** Deadline of a single attempt (capped by what is left of the call's deadline). Default 2 s. */
  readonly attemptTimeoutMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly random?: Random;
}

export interface ConnectionCallOptions {
  /** Overall deadline for the call including every retry, in ms from now. */
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  /**
   * One attempt's deadline for this call (default: the connection's attemptTimeoutMs). Calls the controller
   * answers only after a long wait (AddVoter waits for a new voter to catch up) set it longer, so an
   * attempt is not cut short and retried while the first is still running.
   */
  readonly attemptTimeoutMs?: number;
  /** Sent with every attempt (a broker forwarding a call names its original caller here). */
  readonly metadata?: grpc.Metadata;
}

/** Attempts at most, whatever the caller asks: bounded retries. */
const ATTEMPTS_LIMIT = 100;
/** Known addresses at most (configured plus hinted): a bound on the client map. */
const ADDRESSES_MAX = 64;

/** Sleeps between retries; an abort rejects with a TributaryError like every other failure here. */
async function pause(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(delayMs, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    throw asTributaryError(error);
  }
}

export class ControllerConnection {
  private readonly addresses: string[];
  private readonly options: ControllerConnectionOptions;
  private readonly attemptsMax: number;
  private readonly attemptTimeoutMs: number;
  private readonly adminClients = new Map<string, ControllerAdminClient>();
  private readonly lifecycleClients = new Map<string, BrokerLifecycleClient>();
  private leaderAddress: string | undefined;
  private closed = false;

  constructor(options: ControllerConnectionOptions) {
    assert(options.addresses.length > 0, 'ControllerConnection needs at least one controller address');
    this.options = options;
    this.addresses = [...new Set(options.addresses)].slice(0, ADDRESSES_MAX);
    this.attemptsMax = Math.min(options.attemptsMax ?? 10, ATTEMPTS_LIMIT);
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 2_000;
    assert(this.attemptsMax >= 1, 'attemptsMax must be at least 1');
    assert(this.attemptTimeoutMs > 0, 'attemptTimeoutMs must be positive');
  }

  /** The controller that last answered successfully, if any. */
  get activeControllerAddress(): string | undefined {
    return this.leaderAddress;
  }

  get knownAddresses(): readonly string[] {
    return this.addresses;
  }

  /** A ControllerAdmin call to the active controller. */
  admin<M extends UnaryMethodName<ControllerAdminClient>>(
    method: M,
    request: UnaryRequest<ControllerAdminClient, M>,
    options: ConnectionCallOptions,
  ): Promise<UnaryResponse<ControllerAdminClient, M>> {
    return this.callActive(method, options, (address, attempt) =>
      unary(
        this.clientFor(this.adminClients, address, createControllerAdminClient),
        method,
        request,
        attempt,
      ),
    );
  }

  /** A BrokerLifecycle call to the active controller. */
  lifecycle<M extends UnaryMethodName<BrokerLifecycleClient>>(
    method: M,
    request: UnaryRequest<BrokerLifecycleClient, M>,
    options: ConnectionCallOptions,
  ): Promise<UnaryResponse<BrokerLifecycleClient, M>> {
    return this.callActive(method, options, (address, attempt) =>
      unary(
        this.clientFor(this.lifecycleClients, address, createBrokerLifecycleClient),
        method,
        request,
        attempt,
      ),
    );
  }

  /** Closes every channel; later calls fail. */
  close(): void {
    this.closed = true;
    for (const client of this.adminClients.values()) client.close();
    for (const client of this.lifecycleClients.values()) client.close();
    this.adminClients.clear();
    this.lifecycleClients.clear();
  }

  private clientFor<C>(
    clients: Map<string, C>,
    address: string,
    create: (address: string, options: ClientOptions) => C,
  ): C {
    let client = clients.get(address);
    if (client === undefined) {
      client = create(address, this.options);
      clients.set(address, client);
    }
    return client;
  }

  private rememberAddress(address: string): void {
    if (!this.addresses.includes(address) && this.addresses.length < ADDRESSES_MAX)
      this.addresses.push(address);
  }

  private async callActive<T>(
    method: string,
    options: ConnectionCallOptions,
    attemptCall: (
      address: string,
      attempt: { deadlineMs: number; signal?: AbortSignal; metadata?: grpc.Metadata },
    ) => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw new TributaryError('SHUTTING_DOWN', 'the controller connection is closed');
    const clock = this.options.clock ?? systemClock;
    const random = this.options.random ?? systemRandom;
    const endMs = clock.nowMs() + options.deadlineMs;
    const tried = new Set<string>();
    let backoffRounds = 0;
    let target = this.leaderAddress ?? this.addresses[0] ?? '';
    let lastError: TributaryError | undefined;
    for (let attempt = 1; attempt <= this.attemptsMax; attempt++) {
      const remainingMs = endMs - clock.nowMs();
      if (remainingMs <= 0) break;
      tried.add(target);
      try {
        const deadlineMs = Math.min(remainingMs, options.attemptTimeoutMs ?? this.attemptTimeoutMs);
        const signalOption = options.signal === undefined ? {} : { signal: options.signal };
        const metadataOption = options.metadata === undefined ? {} : { metadata: options.metadata.clone() };
        const response = await attemptCall(target, { deadlineMs, ...signalOption, ...metadataOption });
        this.leaderAddress = target;
        return response;
      } catch (thrown) {
        const error = asTributaryError(thrown);
        lastError = error;
        if (options.signal?.aborted === true) throw error;
        const step = nextRetryStep({ addresses: this.addresses, triedSinceBackoff: tried }, target, error);
        if (step.kind === 'fail') throw error;
        // Moving away from the remembered leader means it no longer leads (or is gone).
        if (step.address !== target && this.leaderAddress === target) this.leaderAddress = undefined;
        this.rememberAddress(step.address);
        target = step.address;
        if (step.backoff) {
          const delayMs = backoffDelayMs(backoffRounds, this.options.backoff ?? DEFAULT_BACKOFF, random);
          if (clock.nowMs() + delayMs >= endMs) break;
          backoffRounds += 1;
          tried.clear();
          await pause(delayMs, options.signal);
        }
      }
    }
    throw this.exhausted(method, options.deadlineMs, lastError);
  }

  private exhausted(
    method: string,
    deadlineMs: number,
    lastError: TributaryError | undefined,
  ): TributaryError {
    const where = this.addresses.join(',');
    if (lastError === undefined) {
      return new TributaryError(
        'REQUEST_TIMED_OUT',
        `${method}: no attempt within ${deadlineMs} ms (${where})`,
      );
    }
    const message = `${method}: no active controller answered (${where}); last error: ${lastError.message}`;
    const hint = lastError.leaderHint;
    return new TributaryError(
      lastError.code,
      message,
      hint === undefined ? { cause: lastError } : { cause: lastError, leaderHint: hint },
    );
  }
}
