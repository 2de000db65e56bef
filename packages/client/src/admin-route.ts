/**
 * Where ControllerAdmin calls go: to the controllers when they are given (one hop fewer, and it works while
 * no broker runs), otherwise to the bootstrap brokers, each of which forwards the call to the active
 * controller (DESIGN §7, as KRaft brokers do). Both are a ControllerConnection: through brokers a
 * NOT_CONTROLLER never carries a leader hint (the broker already followed it and strips it), so a retriable
 * error or a dead broker moves the call on to the next broker, with backoff once every broker was tried.
 * Shared by the Admin and by `trib`, so both choose the same way.
 */
import { type Clock, type Random, TributaryError } from '@tributary/core';
import {
  type CallAuthentication,
  type ClientTls,
  ControllerConnection,
  clientCredentials,
} from '@tributary/protocol';

export type AdminRoute = 'controllers' | 'brokers';

export const ADMIN_ROUTE_LIMITS = {
  /** Addresses used at most: a bound on channels (describeQuorum asks every controller at once). */
  addressesMax: 64,
  /** One attempt at a controller (ControllerConnection's default). */
  controllerAttemptTimeoutMs: 2_000,
  /**
   * One attempt through a broker. The broker retries across controllers within it, so it covers a
   * controller election (≤ 500 ms targeted, about 1 s on a loaded machine) with room to spare, and a hung
   * broker still leaves time to try another within the default 10 s admin deadline.
   */
  brokerAttemptTimeoutMs: 3_000,
} as const;

export interface AdminConnectionOptions {
  /** host:port of controllers; when non-empty, calls go to them directly. */
  readonly controllers?: readonly string[];
  /** host:port of brokers, used when no controller is given. */
  readonly bootstrap?: readonly string[];
  /** The caller's overall deadline: one attempt never takes longer. */
  readonly deadlineMs?: number;
  readonly clock?: Clock;
  readonly random?: Random;
  /** TLS towards controllers or brokers (the CA, and a client certificate for mutual TLS); default plaintext. */
  readonly tls?: ClientTls;
  /** Authenticates every call (SCRAM sessions); unset: calls carry no credentials of their own. */
  readonly auth?: CallAuthentication;
}

export interface RoutedAdminConnection {
  readonly route: AdminRoute;
  /** The addresses the connection starts from (deduplicated, bounded). */
  readonly addresses: readonly string[];
  readonly connection: ControllerConnection;
}

/** The route for these options: controllers if any are given, else brokers; fails when neither is. */
export function adminRouteOf(options: AdminConnectionOptions): { route: AdminRoute; addresses: string[] } {
  const controllers = unique(options.controllers ?? []);
  if (controllers.length > 0) return { route: 'controllers', addresses: controllers };
  const brokers = unique(options.bootstrap ?? []);
  if (brokers.length > 0) return { route: 'brokers', addresses: brokers };
  throw new TributaryError('INVALID_REQUEST', 'admin needs bootstrap broker or controller addresses');
}

/** A ControllerConnection along the route these options choose. */
export function openAdminConnection(options: AdminConnectionOptions): RoutedAdminConnection {
  const { route, addresses } = adminRouteOf(options);
  const attemptMs =
    route === 'controllers'
      ? ADMIN_ROUTE_LIMITS.controllerAttemptTimeoutMs
      : ADMIN_ROUTE_LIMITS.brokerAttemptTimeoutMs;
  const deadlineMs = options.deadlineMs ?? Number.POSITIVE_INFINITY;
  const connection = new ControllerConnection({
    addresses,
    attemptTimeoutMs: Math.max(1, Math.min(attemptMs, deadlineMs)),
    credentials: clientCredentials(options.tls),
    ...(options.auth === undefined ? {} : { auth: options.auth }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  return { route, addresses, connection };
}

function unique(addresses: readonly string[]): string[] {
  return [...new Set(addresses)].slice(0, ADMIN_ROUTE_LIMITS.addressesMax);
}
