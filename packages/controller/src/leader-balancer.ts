/**
 * The active controller's automatic leader balance timer (Kafka's auto.leader.rebalance.enable): every
 * checkIntervalMs it runs the balanceLeaders decision as a command. Each run moves at most
 * PREFERRED_ELECTIONS_PER_COMMAND_MAX leaderships, so a large imbalance is worked off over several runs
 * instead of one burst of leader changes. Standby controllers run no timer.
 */
import { TributaryError } from '@tributary/core';
import type { Logger } from 'pino';
import { balanceLeaders, PREFERRED_ELECTIONS_PER_COMMAND_MAX } from './control/leader-balance.js';
import type { QuorumController } from './quorum-controller.js';

export interface LeaderBalancerOptions {
  readonly quorum: QuorumController;
  readonly checkIntervalMs: number;
  /** Kafka's leader.imbalance.per.broker.percentage. */
  readonly imbalancePercentage: number;
  /** Leader changes per run; default PREFERRED_ELECTIONS_PER_COMMAND_MAX. */
  readonly electionsMax?: number;
  readonly logger: Logger;
}

export class LeaderBalancer {
  private timer: NodeJS.Timeout | undefined;
  /** A run's command is waiting to commit: the next tick does not start another. */
  private running = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: LeaderBalancerOptions) {
    this.unsubscribe = options.quorum.onActivation((active) =>
      active ? this.activate() : this.deactivate(),
    );
    if (options.quorum.isActive()) this.activate();
  }

  close(): void {
    this.unsubscribe();
    this.deactivate();
  }

  private activate(): void {
    // A newly active controller waits one interval first: brokers are still re-registering after a
    // failover, and their partitions' preferred leaders are often not back in the ISR yet.
    if (this.timer === undefined) this.timer = setInterval(() => this.check(), this.options.checkIntervalMs);
  }

  private deactivate(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const { quorum, logger, imbalancePercentage } = this.options;
    if (this.running || !quorum.isActive()) return;
    const electionsMax = this.options.electionsMax ?? PREFERRED_ELECTIONS_PER_COMMAND_MAX;
    this.running = true;
    quorum
      .runCommand((image) => balanceLeaders(image, { imbalancePercentage, electionsMax }))
      .then(
        ({ response }) => {
          if (response.imbalanced.length === 0) return;
          const fields = {
            elected: response.elected,
            notAvailable: response.notAvailable,
            capped: response.capped,
            imbalanced: response.imbalanced,
          };
          // Nothing movable (a preferred leader fenced for hours) is logged quietly, not every interval.
          if (response.elected === 0)
            logger.debug(fields, 'leader balance: no preferred leader is available');
          else logger.info(fields, 'leader balance: moved leaderships back to preferred leaders');
        },
        (error: unknown) => {
          // NOT_CONTROLLER or RESOURCE_EXHAUSTED: the next run tries again.
          const level = error instanceof TributaryError ? 'debug' : 'error';
          logger[level]({ err: error }, 'leader balance run failed');
        },
      )
      .finally(() => {
        this.running = false;
      });
  }
}
