/**
 * The imperative shell around BrokerLifecycleState: one timer, at most one RPC in flight, every RPC
 * with a deadline. Registers on start with a fresh incarnation id, heartbeats every interval with the
 * caller's applied metadata offset, and reports every state change through onStateChange.
 */
import { randomUUID } from 'node:crypto';
import {
  assert,
  type BrokerEpoch,
  type BrokerId,
  brokerEpoch,
  type Clock,
  systemClock,
} from '@tributary/core';
import { asTributaryError, type ControllerConnection } from '@tributary/protocol';
import type { Logger } from 'pino';
import { BrokerLifecycleState, type LifecycleSnapshot } from './state.js';

export interface BrokerLifecycleOptions {
  readonly brokerId: BrokerId;
  /** host:port other brokers and clients reach this broker on. */
  readonly address: string;
  readonly rack?: string;
  /** host:port Kafka clients reach this broker's Kafka listener on (DESIGN §9); unset = no listener. */
  readonly kafkaAddress?: string;
  /** Shared with the caller; the manager never closes it. */
  readonly connection: ControllerConnection;
  /** The highest metadata offset this broker has applied. */
  readonly metadataOffset: () => number;
  /** Brokers this broker could not connect to lately (UnreachableBrokers.list); sent with each heartbeat. */
  readonly unreachableBrokers?: () => readonly number[];
  /**
   * Partitions of this broker's failed log directories that the controller is still to move (at most
   * WIRE_LIMITS.offlinePartitionsPerHeartbeatMax); sent with every heartbeat while there are any.
   */
  readonly offlinePartitions?: () => readonly { topic: string; partition: number }[];
  readonly onStateChange?: (snapshot: LifecycleSnapshot) => void;
  /** Default 500 ms (DESIGN §5). */
  readonly heartbeatIntervalMs?: number;
  /** Default 3,000 ms (DESIGN §5). */
  readonly sessionTimeoutMs?: number;
  /** Deadline of one RegisterBroker / BrokerHeartbeat call, retries included. Default 1,000 ms. */
  readonly requestTimeoutMs?: number;
  readonly logger: Logger;
  readonly clock?: Clock;
}

export const LIFECYCLE_DEFAULTS = {
  heartbeatIntervalMs: 500,
  sessionTimeoutMs: 3_000,
  requestTimeoutMs: 1_000,
} as const;

export class BrokerLifecycleManager {
  /** Fresh per process start: tells the controller a restart from a second process with our id. */
  readonly incarnationId = randomUUID();
  private readonly state: BrokerLifecycleState;
  private readonly clock: Clock;
  private readonly requestTimeoutMs: number;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private last: LifecycleSnapshot;
  private started = false;
  private readonly stoppedWaiters: Array<(snapshot: LifecycleSnapshot) => void> = [];

  constructor(private readonly options: BrokerLifecycleOptions) {
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? LIFECYCLE_DEFAULTS.heartbeatIntervalMs;
    const sessionTimeoutMs = options.sessionTimeoutMs ?? LIFECYCLE_DEFAULTS.sessionTimeoutMs;
    this.requestTimeoutMs = options.requestTimeoutMs ?? LIFECYCLE_DEFAULTS.requestTimeoutMs;
    assert(this.requestTimeoutMs > 0, 'requestTimeoutMs must be positive');
    this.clock = options.clock ?? systemClock;
    this.state = new BrokerLifecycleState({
      heartbeatIntervalMs,
      sessionTimeoutMs,
      registerBackoffMaxMs: sessionTimeoutMs,
    });
    this.last = this.state.snapshot();
  }

  snapshot(): LifecycleSnapshot {
    return this.state.snapshot();
  }

  start(): void {
    assert(!this.started, 'BrokerLifecycleManager started twice');
    this.started = true;
    this.step();
  }

  /**
   * Heartbeats with wantShutdown until the controller answers shouldShutDown (our leaderships moved
   * away) or timeoutMs passes; then stops. Resolves with the final snapshot (shutdownCompleted says
   * which of the two happened).
   */
  async controlledShutdown(options: { readonly timeoutMs: number }): Promise<LifecycleSnapshot> {
    assert(options.timeoutMs > 0, 'controlled shutdown needs a positive timeout');
    const stopped = new Promise<LifecycleSnapshot>((resolve) => this.stoppedWaiters.push(resolve));
    this.state.shutdownRequested(this.clock.nowMs() + options.timeoutMs);
    this.step();
    const snapshot = await stopped;
    await this.inFlight;
    return snapshot;
  }

  /** Sends the next heartbeat now rather than at the interval (e.g. a leader just became unreachable). */
  heartbeatSoon(): void {
    if (!this.started) return;
    this.state.heartbeatSoon(this.clock.nowMs());
    if (this.inFlight === undefined) this.step();
  }

  /** Stops timers and waits for the RPC in flight (bounded by its deadline). */
  async close(): Promise<void> {
    this.state.closed();
    this.step();
    await this.inFlight;
  }

  /** Runs time-based transitions, then does what the state machine asks; never throws. */
  private step(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const nowMs = this.clock.nowMs();
    this.state.tick(nowMs);
    const action = this.state.nextAction(nowMs);
    switch (action.kind) {
      case 'stop':
        break;
      case 'wait':
        if (this.started) this.timer = setTimeout(() => this.step(), action.delayMs);
        break;
      case 'register':
        if (this.started) this.track(this.register(nowMs));
        break;
      case 'heartbeat':
        if (this.started) this.track(this.heartbeat(nowMs, action.brokerEpoch, action.wantShutdown));
        break;
      default:
        action satisfies never;
    }
    this.publish();
  }

  private track(request: Promise<void>): void {
    // register() and heartbeat() catch their own failures; once the answer is in, step again.
    this.inFlight = request
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'broker lifecycle step failed'))
      .then(() => {
        this.inFlight = undefined;
        this.step();
      });
    // A wait until the lease or shutdown deadline, in case the RPC outlives it.
    const action = this.state.nextAction(this.clock.nowMs());
    if (action.kind === 'wait') this.timer = setTimeout(() => this.step(), action.delayMs);
  }

  private async register(nowMs: number): Promise<void> {
    const { brokerId, address, rack, kafkaAddress, connection, logger } = this.options;
    this.state.requestSent('register', nowMs);
    try {
      const response = await connection.lifecycle(
        'RegisterBroker',
        {
          brokerId,
          incarnationId: this.incarnationId,
          address,
          rack: rack ?? '',
          kafkaAddress: kafkaAddress ?? '',
        },
        { deadlineMs: this.requestTimeoutMs },
      );
      this.state.registered(brokerEpoch(response.brokerEpoch), this.clock.nowMs());
      logger.info({ brokerEpoch: response.brokerEpoch }, 'broker registered');
    } catch (thrown) {
      const error = asTributaryError(thrown);
      this.state.registerFailed(this.clock.nowMs());
      logger.warn({ code: error.code, err: error }, 'broker registration failed; will retry');
    }
  }

  private async heartbeat(nowMs: number, epoch: BrokerEpoch, wantShutdown: boolean): Promise<void> {
    const { brokerId, connection, logger } = this.options;
    this.state.requestSent('heartbeat', nowMs);
    try {
      const response = await connection.lifecycle(
        'BrokerHeartbeat',
        {
          brokerId,
          brokerEpoch: epoch,
          metadataOffset: this.options.metadataOffset(),
          wantFence: false,
          wantShutdown,
          unreachableBrokerIds: [...(this.options.unreachableBrokers?.() ?? [])],
          offlinePartitions: groupByTopic(this.options.offlinePartitions?.() ?? []),
        },
        { deadlineMs: this.requestTimeoutMs },
      );
      this.state.heartbeatAnswered(response);
    } catch (thrown) {
      const error = asTributaryError(thrown);
      this.state.heartbeatFailed(error.code, this.clock.nowMs());
      logger.debug({ brokerEpoch: epoch, code: error.code }, 'broker heartbeat failed');
    }
  }

  private publish(): void {
    const snapshot = this.state.snapshot();
    const previous = this.last;
    this.last = snapshot;
    const changed =
      snapshot.status !== previous.status ||
      snapshot.brokerEpoch !== previous.brokerEpoch ||
      snapshot.caughtUp !== previous.caughtUp ||
      snapshot.shuttingDown !== previous.shuttingDown;
    if (changed) {
      this.options.logger.info({ ...snapshot }, 'broker lifecycle state');
      try {
        this.options.onStateChange?.(snapshot);
      } catch (error) {
        this.options.logger.error({ err: error }, 'onStateChange threw');
      }
    }
    if (snapshot.status === 'stopped') {
      for (const resolve of this.stoppedWaiters.splice(0)) resolve(snapshot);
    }
  }
}

/** The heartbeat's offline_partitions: one entry per topic, in the order first seen. */
function groupByTopic(
  partitions: readonly { topic: string; partition: number }[],
): { topic: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const indexes = byTopic.get(topic);
    if (indexes === undefined) byTopic.set(topic, [partition]);
    else indexes.push(partition);
  }
  return [...byTopic].map(([topic, indexes]) => ({ topic, partitions: indexes }));
}
