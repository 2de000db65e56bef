/**
 * Finding and calling a group's coordinator. Any broker answers FindCoordinator with the address of the
 * broker leading the group's __consumer_offsets partition; that address is cached until a call fails
 * with NOT_COORDINATOR (or similar, see reconcile.ts heartbeatAction), then looked up again.
 */
import type * as grpc from '@grpc/grpc-js';
import { type Random, TributaryError } from '@tributary/core';
import {
  backoffDelayMs,
  type CallAuthentication,
  createGroupCoordinatorClient,
  DEFAULT_BACKOFF,
  type GroupCoordinatorClient,
  type UnaryMethodName,
  type UnaryRequest,
  type UnaryResponse,
  unary,
} from '@tributary/protocol';
import { CLIENT_LIMITS } from '../limits.js';
import { partitionError, sleep, toError } from '../retry.js';
import { GROUP_LIMITS } from './config.js';
import { heartbeatAction } from './reconcile.js';

/** One GroupCoordinator client per broker address, created on first use and reused. */
export class CoordinatorConnections {
  private readonly clients = new Map<string, GroupCoordinatorClient>();

  /** `credentials`: TLS (or plaintext) of every coordinator channel, default plaintext; `auth`: SCRAM sessions. */
  constructor(
    private readonly credentials?: grpc.ChannelCredentials,
    private readonly auth?: CallAuthentication,
  ) {}

  get(address: string): GroupCoordinatorClient {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = createGroupCoordinatorClient(address, {
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

type Method = UnaryMethodName<GroupCoordinatorClient>;

export interface CoordinatorLookupDeps {
  readonly groupId: string;
  readonly connections: CoordinatorConnections;
  /** Brokers that may be asked FindCoordinator (any broker answers it). */
  readonly lookupAddresses: () => readonly string[];
  /** How long a call waits on the coordinator before another broker is asked whether it moved (and between asks). */
  readonly watchIntervalMs?: number;
}

export interface CoordinatorCallOptions {
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

/** The error a group response carries in error_code/error_message, or undefined on success. */
export function responseError(
  response: { readonly errorCode: string; readonly errorMessage: string },
  where: string,
): TributaryError | undefined {
  return partitionError(response.errorCode, response.errorMessage, where);
}

export class CoordinatorLookup {
  private address: string | undefined;
  /** Rotates through the lookup addresses so one dead broker does not stall every lookup. */
  private nextAddress = 0;
  /** Coordinators that stopped answering lately (performance.now() until when): asked after the others. */
  private readonly unresponsiveUntilMs = new Map<string, number>();

  constructor(private readonly deps: CoordinatorLookupDeps) {}

  get groupId(): string {
    return this.deps.groupId;
  }

  /** The cached coordinator address, if any. */
  get current(): string | undefined {
    return this.address;
  }

  invalidate(): void {
    this.address = undefined;
  }

  /** The coordinator's address: cached, or asked of each lookup address at most once. */
  async coordinator(options: CoordinatorCallOptions = {}): Promise<string> {
    if (this.address !== undefined) return this.address;
    const candidates = this.lookupCandidates();
    let lastError = new TributaryError(
      'COORDINATOR_NOT_AVAILABLE',
      'no broker address to ask for the coordinator',
    );
    for (const candidate of candidates) {
      try {
        const response = await unary(
          this.deps.connections.get(candidate),
          'FindCoordinator',
          { groupId: this.deps.groupId },
          callDeadline(options),
        );
        const error = responseError(response, `FindCoordinator(${this.deps.groupId})`);
        if (error !== undefined) throw error;
        if (response.address === '') {
          throw new TributaryError('COORDINATOR_NOT_AVAILABLE', `${candidate} named no coordinator`);
        }
        this.address = response.address;
        return response.address;
      } catch (error) {
        lastError = toError(error);
        if (!lastError.retriable) throw lastError;
        if (lastError.code === 'REQUEST_TIMED_OUT') this.markUnresponsive(candidate);
        this.nextAddress++;
      }
    }
    throw lastError;
  }

  /**
   * One call to the coordinator (looked up first when unknown). A non-empty error_code in the answer
   * is thrown as a TributaryError; a coordinator error forgets the cached address.
   */
  async call<M extends Method>(
    method: M,
    request: UnaryRequest<GroupCoordinatorClient, M>,
    options: CoordinatorCallOptions = {},
  ): Promise<UnaryResponse<GroupCoordinatorClient, M>> {
    const address = await this.coordinator(options);
    const moved = new AbortController();
    const stopWatching = this.watch(address, moved);
    const signal =
      options.signal === undefined ? moved.signal : AbortSignal.any([options.signal, moved.signal]);
    try {
      const response = await unary(this.deps.connections.get(address), method, request, {
        ...callDeadline(options),
        signal,
      });
      const error = responseError(
        response as unknown as { errorCode: string; errorMessage: string },
        `${method}(${this.deps.groupId})`,
      );
      if (error !== undefined) throw error;
      return response;
    } catch (error) {
      // Given up because the watch found the group's new coordinator: that one is cached already.
      if (moved.signal.aborted) throw toError(moved.signal.reason);
      const failure = toError(error);
      if (failure.code === 'REQUEST_TIMED_OUT') this.markUnresponsive(address);
      if (heartbeatAction(failure.code, failure.retriable) === 'find-coordinator') this.invalidate();
      throw failure;
    } finally {
      stopWatching();
    }
  }

  /**
   * While a call waits on `address` longer than the watch interval, asks another broker each interval which
   * broker coordinates the group (issue 16: members ride through failovers). A coordinator paused past its
   * session timeout (SIGSTOP, a long GC) answers nothing and closes nothing, so without this every call
   * would wait out its deadline and the lookup after it might ask the paused broker again; when the answer
   * names another coordinator, it is cached and the call is given up with NOT_COORDINATOR, so its caller
   * (heartbeat loop, commit retries) goes to the new one at once.
   */
  private watch(address: string, moved: AbortController): () => void {
    const intervalMs = this.deps.watchIntervalMs ?? GROUP_LIMITS.coordinatorWatchIntervalMs;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const look = async (): Promise<void> => {
      timer = undefined;
      const other = this.lookupCandidates().find((candidate) => candidate !== address);
      if (other === undefined) return;
      try {
        const response = await unary(
          this.deps.connections.get(other),
          'FindCoordinator',
          { groupId: this.deps.groupId },
          {
            deadlineMs: Math.min(GROUP_LIMITS.coordinatorCallTimeoutMs, CLIENT_LIMITS.metadataCallTimeoutMs),
          },
        );
        if (stopped) return;
        if (response.errorCode === '' && response.address !== '' && response.address !== address) {
          stopped = true;
          this.markUnresponsive(address);
          this.address = response.address;
          moved.abort(
            new TributaryError(
              'NOT_COORDINATOR',
              `group ${this.deps.groupId}: the coordinator moved from ${address} to ${response.address} ` +
                'while a call waited on the old one',
            ),
          );
          return;
        }
      } catch {
        // That broker did not answer either: the next look asks the next one.
        this.nextAddress++;
      }
      if (!stopped) timer = setTimeout(() => void look(), intervalMs);
    };
    timer = setTimeout(() => void look(), intervalMs);
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }

  /** The lookup addresses, rotated, with coordinators that stopped answering lately last. */
  private lookupCandidates(): string[] {
    const all = [...new Set(this.deps.lookupAddresses())];
    const first = all.length === 0 ? 0 : this.nextAddress % all.length;
    const rotated = [...all.slice(first), ...all.slice(0, first)];
    const nowMs = performance.now();
    const late = (address: string) => (this.unresponsiveUntilMs.get(address) ?? 0) > nowMs;
    return [...rotated.filter((address) => !late(address)), ...rotated.filter(late)];
  }

  private markUnresponsive(address: string): void {
    const nowMs = performance.now();
    for (const [known, untilMs] of this.unresponsiveUntilMs) {
      if (untilMs <= nowMs) this.unresponsiveUntilMs.delete(known);
    }
    this.unresponsiveUntilMs.set(address, nowMs + CLIENT_LIMITS.unresponsiveBrokerAskLastMs);
  }
}

function callDeadline(options: CoordinatorCallOptions): { deadlineMs: number; signal?: AbortSignal } {
  const deadlineMs = Math.max(
    1,
    Math.min(
      options.deadlineMs ?? GROUP_LIMITS.coordinatorCallTimeoutMs,
      GROUP_LIMITS.coordinatorCallTimeoutMs,
    ),
  );
  return options.signal === undefined ? { deadlineMs } : { deadlineMs, signal: options.signal };
}

export interface RetryOptions {
  readonly attemptsMax: number;
  readonly random: Random;
  readonly signal?: AbortSignal;
}

/**
 * Runs `attempt` until it succeeds or fails with a non-retriable error, backing off between tries (a
 * moved coordinator was already forgotten by CoordinatorLookup.call, so the next try finds it again).
 */
export async function retryCoordinator<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = toError(error);
      if (!failure.retriable || round + 1 >= options.attemptsMax || options.signal?.aborted === true) {
        throw failure;
      }
      await sleep(backoffDelayMs(round, DEFAULT_BACKOFF, options.random), options.signal);
    }
  }
}
