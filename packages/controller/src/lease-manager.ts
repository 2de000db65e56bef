/**
 * The active controller's broker-lease timer: every checkIntervalMs it asks BrokerLeases which leases
 * lapsed and fences those brokers (fenceBroker decision, proposed like any command). A newly active
 * controller first gives every registered broker a fresh full session: leases live only in memory, and
 * a failover must never fence a healthy broker.
 */
import { type BrokerId, type Clock, TributaryError } from '@tributary/core';
import type { Logger } from 'pino';
import { fenceBroker } from './control/brokers.js';
import { BrokerLeases } from './control/leases.js';
import type { QuorumController } from './quorum-controller.js';

export interface LeaseManagerOptions {
  readonly quorum: QuorumController;
  readonly sessionTimeoutMs: number;
  /** Fast failure detection: see BrokerLeases.suspects. */
  readonly suspectAfterMs?: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class LeaseManager {
  readonly leases: BrokerLeases;
  readonly checkIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** One-shot check at the earliest time a reported broker may be suspected. */
  private suspectTimer: NodeJS.Timeout | undefined;
  private readonly fencing = new Set<BrokerId>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: LeaseManagerOptions) {
    this.leases = new BrokerLeases({
      sessionTimeoutMs: options.sessionTimeoutMs,
      ...(options.suspectAfterMs === undefined ? {} : { suspectAfterMs: options.suspectAfterMs }),
    });
    this.checkIntervalMs = Math.max(10, Math.min(250, Math.floor(options.sessionTimeoutMs / 4)));
    this.unsubscribe = options.quorum.onActivation((active) =>
      active ? this.activate() : this.deactivate(),
    );
  }

  now(): number {
    return this.options.clock.nowMs();
  }

  close(): void {
    this.unsubscribe();
    this.deactivate();
  }

  /**
   * A heartbeat from reporterId (current epoch) named brokers it could not connect to. Counts only if
   * the reporter is unfenced: a fenced broker may itself be the one cut off. A reported broker is fenced
   * once its own lease has been silent for suspectAfterMs (now, or by a check scheduled for then).
   */
  reportUnreachable(reporterId: BrokerId, brokerIds: readonly BrokerId[]): void {
    const { quorum } = this.options;
    if (brokerIds.length === 0 || !quorum.isActive()) return;
    const reporter = quorum.latestImage().broker(reporterId);
    if (reporter === undefined || reporter.fenced) return;
    const suspectAtMs = this.leases.reportUnreachable(reporterId, brokerIds, this.now());
    if (suspectAtMs === undefined) return;
    const delayMs = Math.max(0, suspectAtMs - this.now());
    if (delayMs === 0) {
      this.check();
      return;
    }
    if (this.suspectTimer !== undefined) clearTimeout(this.suspectTimer);
    this.suspectTimer = setTimeout(() => {
      this.suspectTimer = undefined;
      this.check();
    }, delayMs + 1);
  }

  private activate(): void {
    const image = this.options.quorum.committed;
    this.leases.reset(image.brokerIds(), this.now());
    this.fencing.clear();
    if (this.timer === undefined) this.timer = setInterval(() => this.check(), this.checkIntervalMs);
  }

  private deactivate(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.suspectTimer !== undefined) clearTimeout(this.suspectTimer);
    this.suspectTimer = undefined;
    this.fencing.clear();
  }

  private check(): void {
    try {
      this.fenceLapsedAndSuspected();
    } catch (error) {
      // NOT_CONTROLLER while the speculative image is rebuilt: try again on the next check.
      if (!(error instanceof TributaryError)) this.options.logger.error({ err: error }, 'lease check failed');
    }
  }

  private fenceLapsedAndSuspected(): void {
    if (!this.options.quorum.isActive()) return;
    const nowMs = this.now();
    const lapsed = this.leases.expired(nowMs);
    const image = this.options.quorum.latestImage();
    // Already fenced: nothing to do early; its lease runs its normal course.
    const suspected = this.leases
      .suspects(nowMs)
      .filter((brokerId) => !lapsed.includes(brokerId) && image.broker(brokerId)?.fenced === false);
    for (const brokerId of lapsed) this.fence(brokerId, 'its lease lapsed');
    for (const brokerId of suspected) this.fence(brokerId, 'reported unreachable and silent');
  }

  /** The same fenceBroker command for a lapsed lease and for fast failure detection. */
  private fence(brokerId: BrokerId, reason: string): void {
    const { quorum, logger } = this.options;
    if (this.fencing.has(brokerId)) return;
    const broker = quorum.latestImage().broker(brokerId);
    if (broker === undefined || broker.fenced) {
      this.leases.remove(brokerId);
      return;
    }
    this.fencing.add(brokerId);
    quorum
      .runCommand((image) => fenceBroker(image, brokerId))
      .then(
        ({ response }) => {
          // Renewed meanwhile (a heartbeat raced the fence)? Then the broker unfences on its next one.
          if (!this.leases.isAlive(brokerId, this.now())) this.leases.remove(brokerId);
          logger.info({ brokerId, reason, ...response }, `broker fenced: ${reason}`);
        },
        (error: unknown) => {
          const level = error instanceof TributaryError ? 'debug' : 'error';
          logger[level]({ brokerId, err: error }, 'fencing a broker failed');
        },
      )
      .finally(() => this.fencing.delete(brokerId));
  }
}
