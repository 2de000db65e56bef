/**
 * Every broker serves ControllerAdmin by forwarding each call to the active controller through its
 * ControllerConnection, as KRaft brokers forward admin requests (DESIGN §7, §9): clients, `trib` and the
 * Kafka listener need only bootstrap brokers. The broker decides nothing here: the controller validates
 * and answers, and its error comes back with the same code and message. The connection already follows
 * NOT_CONTROLLER to the new leader and retries retriable errors within the deadline.
 *
 * Quorum membership changes (AddVoter, RemoveVoter) are not forwarded; DescribeQuorum is
 * (docs/decisions.md, "Admin requests through brokers").
 */
import * as grpc from '@grpc/grpc-js';
import { assert, type Clock, systemClock, TributaryError } from '@tributary/core';
import {
  asTributaryError,
  type ConnectionCallOptions,
  type ControllerAdminClient,
  type ControllerAdminHandlers,
  callerOf,
  forwardedCallerMetadata,
  handleUnary,
  type RequestCaller,
  type UnaryMethodName,
  type UnaryRequest,
  type UnaryResponse,
} from '@tributary/protocol';
import type { Logger } from 'pino';
import { REQUEST_LIMITS } from './limits.js';

/** The ControllerAdmin methods a broker forwards to the active controller. */
export const FORWARDED_ADMIN_METHODS = [
  'CreateTopic',
  'DeleteTopic',
  'CreatePartitions',
  'AlterTopicConfigs',
  'ListTopics',
  'DescribeTopics',
  'DescribeCluster',
  'DescribeQuorum',
  'AlterPartitionReassignments',
  'ListPartitionReassignments',
  'ElectLeaders',
  'DecommissionBroker',
  'CreateAcls',
  'DeleteAcls',
  'DescribeAcls',
  'AlterUserScramCredentials',
  'DescribeUserScramCredentials',
  'AlterClientQuotas',
  'DescribeClientQuotas',
] as const satisfies readonly UnaryMethodName<ControllerAdminClient>[];

export type ForwardedAdminMethod = (typeof FORWARDED_ADMIN_METHODS)[number];
export type ForwardedAdminRequest<M extends ForwardedAdminMethod> = UnaryRequest<ControllerAdminClient, M>;
export type ForwardedAdminResponse<M extends ForwardedAdminMethod> = UnaryResponse<ControllerAdminClient, M>;

const FORWARDED: ReadonlySet<string> = new Set(FORWARDED_ADMIN_METHODS);

/** What forwarding needs of ControllerConnection (tests pass a fake). */
export interface AdminConnection {
  admin<M extends UnaryMethodName<ControllerAdminClient>>(
    method: M,
    request: UnaryRequest<ControllerAdminClient, M>,
    options: ConnectionCallOptions,
  ): Promise<UnaryResponse<ControllerAdminClient, M>>;
}

export interface ForwardOptions {
  /** How long the caller waits for the answer, in ms from now; capped at adminForwardDeadlineMsMax. */
  readonly deadlineMs: number;
  /** Aborts the forwarded call (the caller went away). */
  readonly signal?: AbortSignal;
  /**
   * Who asked: named to the controller (tributary-forwarded-principal/-host), which honours it because this
   * broker's own principal is a super user; unset, the call is the broker's own.
   */
  readonly caller?: RequestCaller;
}

export interface AdminForwarderOptions {
  readonly connection: AdminConnection;
  /** Forwarded calls in flight at most (default REQUEST_LIMITS.adminForwardInFlightMax). */
  readonly inFlightMax?: number;
}

/**
 * Sends one admin call to the active controller on a client's behalf: the gRPC ControllerAdmin service of
 * the broker and the Kafka listener's admin APIs both go through one instance per broker (one in-flight bound).
 */
export class AdminForwarder {
  readonly #connection: AdminConnection;
  readonly #inFlightMax: number;
  #inFlight = 0;

  constructor(options: AdminForwarderOptions) {
    this.#connection = options.connection;
    this.#inFlightMax = options.inFlightMax ?? REQUEST_LIMITS.adminForwardInFlightMax;
    assert(this.#inFlightMax >= 1, 'inFlightMax must be at least 1');
  }

  /** Calls in flight now (for tests and metrics). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Forwards `method` with `request` to the active controller and resolves with its answer. Rejects with a
   * TributaryError: the controller's own code and message, REQUEST_TIMED_OUT when no time is left, or
   * RESOURCE_EXHAUSTED when too many forwarded calls are in flight.
   */
  async forward<M extends ForwardedAdminMethod>(
    method: M,
    request: ForwardedAdminRequest<M>,
    options: ForwardOptions,
  ): Promise<ForwardedAdminResponse<M>> {
    // Callers compute the method from a wire request (the Kafka listener); refuse what is not forwarded.
    if (!FORWARDED.has(method))
      throw new TributaryError('INVALID_REQUEST', `${String(method)} is not forwarded`);
    if (typeof request !== 'object' || request === null) {
      throw new TributaryError('INVALID_REQUEST', `${method}: the request is not a message`);
    }
    const deadlineMs = Math.min(options.deadlineMs, REQUEST_LIMITS.adminForwardDeadlineMsMax);
    if (!(deadlineMs > 0)) {
      throw new TributaryError(
        'REQUEST_TIMED_OUT',
        `${method}: no time left to forward it to the controller`,
      );
    }
    if (this.#inFlight >= this.#inFlightMax) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `${method}: ${this.#inFlight} admin calls are already being forwarded to the controller`,
      );
    }
    this.#inFlight += 1;
    try {
      const signal = options.signal === undefined ? {} : { signal: options.signal };
      const metadata =
        options.caller === undefined
          ? {}
          : { metadata: forwardedCallerMetadata(options.caller, new grpc.Metadata()) };
      return await this.#connection.admin(method, request, { deadlineMs, ...signal, ...metadata });
    } catch (error) {
      throw relayedError(asTributaryError(error));
    } finally {
      this.#inFlight -= 1;
    }
  }
}

/**
 * The controller's error as the caller sees it: same code, message and cause, but no leader hint. The
 * hint names a controller, and a client that followed it would leave the brokers it was told to use
 * (controllers may not even be reachable from it); the broker's connection already followed the hint.
 */
export function relayedError(error: TributaryError): TributaryError {
  if (error.leaderHint === undefined) return error;
  return new TributaryError(error.code, error.message, { cause: error });
}

/**
 * How long a forwarded call may take: what is left of the caller's gRPC deadline (a Date, or Infinity when
 * it set none) less the reply margin, capped at adminForwardDeadlineMsMax. May be ≤ 0: nothing is left.
 */
export function forwardDeadlineMs(callerDeadline: grpc.Deadline, wallNowMs: number): number {
  const deadline = callerDeadline instanceof Date ? callerDeadline.getTime() : callerDeadline;
  if (!Number.isFinite(deadline)) return REQUEST_LIMITS.adminForwardDeadlineMsMax;
  const remainingMs = deadline - wallNowMs - REQUEST_LIMITS.adminForwardReplyMarginMs;
  return Math.min(remainingMs, REQUEST_LIMITS.adminForwardDeadlineMsMax);
}

/** What relay reads of a server call: its deadline and its 'cancelled' event. */
type RelayedCall = Pick<
  grpc.ServerUnaryCall<unknown, unknown>,
  'getDeadline' | 'getPeer' | 'once' | 'removeListener'
>;

/** Runs `send` with the call's deadline, aborting it if the caller cancels or its deadline passes. */
async function relay<T>(
  call: RelayedCall,
  clock: Clock,
  send: (options: ForwardOptions) => Promise<T>,
): Promise<T> {
  const cancelled = new AbortController();
  const onCancelled = (): void => cancelled.abort();
  call.once('cancelled', onCancelled);
  try {
    return await send({
      deadlineMs: forwardDeadlineMs(call.getDeadline(), clock.wallMs()),
      signal: cancelled.signal,
      caller: callerOf(call),
    });
  } finally {
    call.removeListener('cancelled', onCancelled);
  }
}

function notForwarded(method: 'AddVoter' | 'RemoveVoter'): TributaryError {
  return new TributaryError(
    'INVALID_REQUEST',
    `brokers do not forward ${method}: send quorum membership changes to a controller (trib quorum ... --controllers)`,
  );
}

export interface AdminForwardingHandlersOptions {
  readonly forwarder: AdminForwarder;
  readonly logger: Logger;
  readonly clock?: Clock;
}

/** The broker's ControllerAdmin service: every forwarded method relayed, membership changes refused. */
export function createAdminForwardingHandlers(
  options: AdminForwardingHandlersOptions,
): ControllerAdminHandlers {
  const { forwarder } = options;
  const clock = options.clock ?? systemClock;
  const handleOptions = {
    onUnexpectedError: (error: unknown) =>
      options.logger.error({ err: error }, 'forwarding an admin call failed unexpectedly'),
  };
  return {
    CreateTopic: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('CreateTopic', request, o)),
      handleOptions,
    ),
    DeleteTopic: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DeleteTopic', request, o)),
      handleOptions,
    ),
    CreatePartitions: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('CreatePartitions', request, o)),
      handleOptions,
    ),
    AlterTopicConfigs: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('AlterTopicConfigs', request, o)),
      handleOptions,
    ),
    ListTopics: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('ListTopics', request, o)),
      handleOptions,
    ),
    DescribeTopics: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DescribeTopics', request, o)),
      handleOptions,
    ),
    DescribeCluster: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DescribeCluster', request, o)),
      handleOptions,
    ),
    DescribeQuorum: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DescribeQuorum', request, o)),
      handleOptions,
    ),
    AlterPartitionReassignments: handleUnary(
      (request, call) =>
        relay(call, clock, (o) => forwarder.forward('AlterPartitionReassignments', request, o)),
      handleOptions,
    ),
    ListPartitionReassignments: handleUnary(
      (request, call) =>
        relay(call, clock, (o) => forwarder.forward('ListPartitionReassignments', request, o)),
      handleOptions,
    ),
    ElectLeaders: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('ElectLeaders', request, o)),
      handleOptions,
    ),
    DecommissionBroker: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DecommissionBroker', request, o)),
      handleOptions,
    ),
    CreateAcls: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('CreateAcls', request, o)),
      handleOptions,
    ),
    DeleteAcls: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DeleteAcls', request, o)),
      handleOptions,
    ),
    DescribeAcls: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DescribeAcls', request, o)),
      handleOptions,
    ),
    AlterUserScramCredentials: handleUnary(
      (request, call) =>
        relay(call, clock, (o) => forwarder.forward('AlterUserScramCredentials', request, o)),
      handleOptions,
    ),
    DescribeUserScramCredentials: handleUnary(
      (request, call) =>
        relay(call, clock, (o) => forwarder.forward('DescribeUserScramCredentials', request, o)),
      handleOptions,
    ),
    AlterClientQuotas: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('AlterClientQuotas', request, o)),
      handleOptions,
    ),
    DescribeClientQuotas: handleUnary(
      (request, call) => relay(call, clock, (o) => forwarder.forward('DescribeClientQuotas', request, o)),
      handleOptions,
    ),
    AddVoter: handleUnary(async () => {
      throw notForwarded('AddVoter');
    }, handleOptions),
    RemoveVoter: handleUnary(async () => {
      throw notForwarded('RemoveVoter');
    }, handleOptions),
  };
}
