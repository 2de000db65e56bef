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
  readonly clock: Clock;
  readonly logger: Logger;
}

export class LeaseManager {
  readonly leases: BrokerLeases;
  readonly checkIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly fencing = new Set<BrokerId>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: LeaseManagerOptions) {
    this.leases = new BrokerLeases({ sessionTimeoutMs: options.sessionTimeoutMs });
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

  private activate(): void {
    const image = this.options.quorum.committed;
    this.leases.reset(image.brokerIds(), this.now());
    this.fencing.clear();
    if (this.timer === undefined) this.timer = setInterval(() => this.check(), this.checkIntervalMs);
  }

  private deactivate(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.fencing.clear();
  }

  private check(): void {
    try {
      this.fenceLapsed();
    } catch (error) {
      // NOT_CONTROLLER while the speculative image is rebuilt: try again on the next check.
      if (!(error instanceof TributaryError)) this.options.logger.error({ err: error }, 'lease check failed');
    }
  }

  private fenceLapsed(): void {
    const { quorum, logger } = this.options;
    if (!quorum.isActive()) return;
    for (const brokerId of this.leases.expired(this.now())) {
      if (this.fencing.has(brokerId)) continue;
      const broker = quorum.latestImage().broker(brokerId);
      if (broker === undefined || broker.fenced) {
        this.leases.remove(brokerId);
        continue;
      }
      this.fencing.add(brokerId);
      quorum
        .runCommand((image) => fenceBroker(image, brokerId))
        .then(
          ({ response }) => {
            // Renewed meanwhile (a heartbeat raced the fence)? Then the broker unfences on its next one.
            if (!this.leases.isAlive(brokerId, this.now())) this.leases.remove(brokerId);
            logger.info({ brokerId, ...response }, 'broker fenced: its lease lapsed');
          },
          (error: unknown) => {
            const level = error instanceof TributaryError ? 'debug' : 'error';
            logger[level]({ brokerId, err: error }, 'fencing a broker failed');
          },
        )
        .finally(() => this.fencing.delete(brokerId));
    }
  }
}
