/**
 * Brokers this broker recently failed to connect to (a replica fetch answered UNAVAILABLE at the
 * transport level). The lifecycle manager sends them with each heartbeat as evidence for fast fencing
 * (docs/decisions.md, "Fast failure detection"). Pure: time is passed in.
 *
 * A report is kept for retainMs (refreshed by every further failure) so that the next heartbeat carries
 * it even if the fetcher is backing off; a successful fetch to the broker forgets it at once. Reports
 * age out on their own once nothing fetches from the broker any more (e.g. leadership moved away).
 */
import { assert } from '@tributary/core';

/** Bound on tracked brokers: more than any cluster this broker follows leaders in. */
export const UNREACHABLE_BROKERS_MAX = 1_024;

export interface UnreachableBrokersOptions {
  /** How long a report lasts without a further failure. Default: 2 × the 500 ms heartbeat interval. */
  readonly retainMs?: number;
}

export const UNREACHABLE_BROKERS_DEFAULTS = { retainMs: 1_000 } as const;

export class UnreachableBrokers {
  readonly retainMs: number;
  readonly #lastFailureMs = new Map<number, number>();

  constructor(options: UnreachableBrokersOptions = {}) {
    this.retainMs = options.retainMs ?? UNREACHABLE_BROKERS_DEFAULTS.retainMs;
    assert(this.retainMs > 0, () => `retainMs must be positive, got ${this.retainMs}`);
  }

  /** Records a failed connection; true when the broker was not already reported (worth telling the controller soon). */
  reportFailure(brokerId: number, nowMs: number): boolean {
    assert(Number.isInteger(brokerId) && brokerId >= 0, () => `bad broker id ${brokerId}`);
    this.#forgetOld(nowMs);
    const known = this.#lastFailureMs.has(brokerId);
    if (!known && this.#lastFailureMs.size >= UNREACHABLE_BROKERS_MAX) return false;
    this.#lastFailureMs.set(brokerId, nowMs);
    return !known;
  }

  /** A call to the broker succeeded: it is reachable again. */
  reportSuccess(brokerId: number): void {
    this.#lastFailureMs.delete(brokerId);
  }

  /** Brokers reported within the last retainMs, ascending by id. */
  list(nowMs: number): number[] {
    this.#forgetOld(nowMs);
    return [...this.#lastFailureMs.keys()].sort((a, b) => a - b);
  }

  #forgetOld(nowMs: number): void {
    assert(Number.isFinite(nowMs), () => `time must be finite, got ${nowMs}`);
    for (const [brokerId, lastMs] of this.#lastFailureMs) {
      if (nowMs - lastMs >= this.retainMs) this.#lastFailureMs.delete(brokerId);
    }
  }
}
