/**
 * Broker leases (DESIGN §5): a broker holds a lease while it heartbeats; one that stays silent for
 * sessionTimeoutMs is fenced. Pure bookkeeping: time is passed in, nothing is scheduled here. The shell
 * calls expired(now) on a tick and runs fenceBroker() for each unfenced broker it returns.
 *
 * Leases live only in the active controller's memory, not in the metadata log. A newly active
 * controller therefore knows nothing of recent heartbeats and calls reset() to give every registered
 * broker a full session timeout from its own start, so a failover never fences a healthy broker.
 */
import { assert, type BrokerId } from '@tributary/core';

export const DEFAULT_SESSION_TIMEOUT_MS = 3_000;

export interface BrokerLeasesOptions {
  readonly sessionTimeoutMs?: number;
}

export class BrokerLeases {
  readonly sessionTimeoutMs: number;
  readonly #lastHeartbeatMs = new Map<BrokerId, number>();
  #latestNowMs = Number.NEGATIVE_INFINITY;

  constructor(options: BrokerLeasesOptions = {}) {
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    assert(
      Number.isFinite(this.sessionTimeoutMs) && this.sessionTimeoutMs > 0,
      () => `session timeout must be positive, got ${this.sessionTimeoutMs} ms`,
    );
  }

  /** Starts or renews the broker's lease (registration and every accepted heartbeat). */
  heartbeat(brokerId: BrokerId, nowMs: number): void {
    this.#observe(nowMs);
    this.#lastHeartbeatMs.set(brokerId, nowMs);
  }

  /** Forgets a broker (unregistered, or fenced and no longer worth tracking). */
  remove(brokerId: BrokerId): void {
    this.#lastHeartbeatMs.delete(brokerId);
  }

  isAlive(brokerId: BrokerId, nowMs: number): boolean {
    this.#observe(nowMs);
    const lastMs = this.#lastHeartbeatMs.get(brokerId);
    return lastMs !== undefined && nowMs - lastMs < this.sessionTimeoutMs;
  }

  /** When the broker's lease lapses unless it heartbeats first; undefined if it is not tracked. */
  deadlineMs(brokerId: BrokerId): number | undefined {
    const lastMs = this.#lastHeartbeatMs.get(brokerId);
    return lastMs === undefined ? undefined : lastMs + this.sessionTimeoutMs;
  }

  /** Tracked brokers whose lease has lapsed at nowMs, ascending by id. */
  expired(nowMs: number): BrokerId[] {
    this.#observe(nowMs);
    const lapsed: BrokerId[] = [];
    for (const [brokerId, lastMs] of this.#lastHeartbeatMs) {
      if (nowMs - lastMs >= this.sessionTimeoutMs) lapsed.push(brokerId);
    }
    return lapsed.sort((a, b) => a - b);
  }

  /** Controller failover: every listed broker starts a full session at nowMs; others are forgotten. */
  reset(brokerIds: Iterable<BrokerId>, nowMs: number): void {
    this.#observe(nowMs);
    this.#lastHeartbeatMs.clear();
    for (const brokerId of brokerIds) this.#lastHeartbeatMs.set(brokerId, nowMs);
  }

  /** Time comes from a monotonic clock, so it never goes back. */
  #observe(nowMs: number): void {
    assert(Number.isFinite(nowMs), () => `time must be finite, got ${nowMs}`);
    assert(nowMs >= this.#latestNowMs, () => `time went back from ${this.#latestNowMs} to ${nowMs} ms`);
    this.#latestNowMs = nowMs;
  }
}
