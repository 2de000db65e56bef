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
/** Twice the brokers' 500 ms heartbeat interval: a live broker has heartbeated within it. */
export const DEFAULT_SUSPECT_AFTER_MS = 1_000;

export interface BrokerLeasesOptions {
  readonly sessionTimeoutMs?: number;
  /**
   * Fast failure detection (docs/decisions.md): a broker another unfenced broker reports unreachable
   * is fenced once its own last heartbeat is older than this, without waiting for the session timeout.
   */
  readonly suspectAfterMs?: number;
}

export class BrokerLeases {
  readonly sessionTimeoutMs: number;
  readonly suspectAfterMs: number;
  readonly #lastHeartbeatMs = new Map<BrokerId, number>();
  /** When some unfenced broker last reported the broker unreachable; cleared by its own heartbeat. */
  readonly #reportedUnreachableMs = new Map<BrokerId, number>();
  #latestNowMs = Number.NEGATIVE_INFINITY;

  constructor(options: BrokerLeasesOptions = {}) {
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    assert(
      Number.isFinite(this.sessionTimeoutMs) && this.sessionTimeoutMs > 0,
      () => `session timeout must be positive, got ${this.sessionTimeoutMs} ms`,
    );
    this.suspectAfterMs = options.suspectAfterMs ?? DEFAULT_SUSPECT_AFTER_MS;
    assert(
      Number.isFinite(this.suspectAfterMs) && this.suspectAfterMs > 0,
      () => `suspect-after must be positive, got ${this.suspectAfterMs} ms`,
    );
  }

  /** Starts or renews the broker's lease (registration and every accepted heartbeat). */
  heartbeat(brokerId: BrokerId, nowMs: number): void {
    this.#observe(nowMs);
    this.#lastHeartbeatMs.set(brokerId, nowMs);
    // It is alive: earlier reports say only that some peer could not reach it.
    this.#reportedUnreachableMs.delete(brokerId);
  }

  /**
   * An unfenced broker (the caller checks) reports brokers it could not connect to. Reports about
   * itself or untracked brokers are ignored. Returns the earliest time a reported broker may be
   * suspected (its last heartbeat + suspectAfterMs), so the shell can check again then; undefined if none.
   */
  reportUnreachable(reporterId: BrokerId, brokerIds: Iterable<BrokerId>, nowMs: number): number | undefined {
    this.#observe(nowMs);
    let earliestMs: number | undefined;
    for (const brokerId of brokerIds) {
      const lastMs = this.#lastHeartbeatMs.get(brokerId);
      if (brokerId === reporterId || lastMs === undefined) continue;
      this.#reportedUnreachableMs.set(brokerId, nowMs);
      const suspectAtMs = lastMs + this.suspectAfterMs;
      earliestMs = earliestMs === undefined ? suspectAtMs : Math.min(earliestMs, suspectAtMs);
    }
    return earliestMs;
  }

  /**
   * Brokers to fence early at nowMs, ascending by id: reported unreachable within the last
   * suspectAfterMs (reports are repeated with every reporter heartbeat while the failure lasts) and
   * silent for at least suspectAfterMs themselves. A broker that keeps heartbeating is never listed:
   * each heartbeat renews its lease and clears the reports.
   */
  suspects(nowMs: number): BrokerId[] {
    this.#observe(nowMs);
    const suspected: BrokerId[] = [];
    for (const [brokerId, reportedMs] of this.#reportedUnreachableMs) {
      const lastMs = this.#lastHeartbeatMs.get(brokerId);
      if (lastMs === undefined || nowMs - reportedMs > this.suspectAfterMs) {
        this.#reportedUnreachableMs.delete(brokerId);
        continue;
      }
      if (nowMs - lastMs >= this.suspectAfterMs) suspected.push(brokerId);
    }
    return suspected.sort((a, b) => a - b);
  }

  /** Forgets a broker (unregistered, or fenced and no longer worth tracking). */
  remove(brokerId: BrokerId): void {
    this.#lastHeartbeatMs.delete(brokerId);
    this.#reportedUnreachableMs.delete(brokerId);
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
    this.#reportedUnreachableMs.clear();
    for (const brokerId of brokerIds) this.#lastHeartbeatMs.set(brokerId, nowMs);
  }

  /** Time comes from a monotonic clock, so it never goes back. */
  #observe(nowMs: number): void {
    assert(Number.isFinite(nowMs), () => `time must be finite, got ${nowMs}`);
    assert(nowMs >= this.#latestNowMs, () => `time went back from ${this.#latestNowMs} to ${nowMs} ms`);
    this.#latestNowMs = nowMs;
  }
}
