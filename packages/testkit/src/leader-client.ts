import type * as grpc from '@grpc/grpc-js';
import { ControllerConnection } from '@tributary/protocol';
import { HARNESS_LIMITS } from './limits.js';
import {
  type AdminMethod,
  type AdminRequest,
  type AdminResponse,
  HARNESS_CHANNEL_OPTIONS,
  type LifecycleMethod,
  type LifecycleRequest,
  type LifecycleResponse,
} from './rpc.js';

export interface LeaderFollowingClientOptions {
  /** Every controller of the quorum (dead ones are skipped as LEADER_NOT_AVAILABLE). */
  readonly addresses: readonly string[];
  /** Defaults from HARNESS_LIMITS. */
  readonly attemptsMax?: number;
  readonly callTimeoutMs?: number;
  readonly rpcDeadlineMs?: number;
  /** TLS towards a secure quorum; default plaintext. */
  readonly credentials?: grpc.ChannelCredentials;
}

export interface CallOptions {
  /** Total time for the call including retries. */
  readonly timeoutMs?: number;
}

/**
 * A controller client that finds and follows the active controller: @tributary/protocol's
 * ControllerConnection (last known leader first, NOT_CONTROLLER hints, then the other controllers with
 * jittered backoff; only retriable codes retried; bounded attempts and time), with the harness's fast
 * reconnect channel options and default bounds. A write whose attempt timed out may still have
 * committed: a retried CreateTopic can then answer TOPIC_ALREADY_EXISTS.
 */
export class LeaderFollowingClient {
  private readonly connection: ControllerConnection;
  private readonly callTimeoutMs: number;

  constructor(options: LeaderFollowingClientOptions) {
    this.callTimeoutMs = options.callTimeoutMs ?? HARNESS_LIMITS.adminCallTimeoutMs;
    this.connection = new ControllerConnection({
      addresses: options.addresses,
      attemptsMax: options.attemptsMax ?? HARNESS_LIMITS.adminAttemptsMax,
      attemptTimeoutMs: options.rpcDeadlineMs ?? HARNESS_LIMITS.rpcDeadlineMs,
      channelOptions: HARNESS_CHANNEL_OPTIONS,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
  }

  /** The controller that last answered successfully, if any. */
  get leaderAddress(): string | undefined {
    return this.connection.activeControllerAddress;
  }

  admin<M extends AdminMethod>(
    method: M,
    request: AdminRequest<M>,
    options: CallOptions = {},
  ): Promise<AdminResponse<M>> {
    return this.connection.admin(method, request, { deadlineMs: options.timeoutMs ?? this.callTimeoutMs });
  }

  lifecycle<M extends LifecycleMethod>(
    method: M,
    request: LifecycleRequest<M>,
    options: CallOptions = {},
  ): Promise<LifecycleResponse<M>> {
    return this.connection.lifecycle(method, request, {
      deadlineMs: options.timeoutMs ?? this.callTimeoutMs,
    });
  }

  close(): void {
    this.connection.close();
  }
}
