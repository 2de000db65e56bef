/**
 * A token bucket of bytes (pure: time comes from the injected Clock), for the replication throttle.
 * Written by hand rather than taken from npm: the usual packages (limiter, bottleneck) read Date.now and
 * own timers, and the follower fetcher needs reserve-then-settle with debt: it reserves up to what the
 * bucket holds before a fetch and settles with what the leader actually sent, which can exceed the
 * reservation by one batch (the leader always returns at least one whole batch). Debt is paid off by the
 * refill before anything more is granted, so over any interval of `t` ms the bytes taken are at most
 * `rate * t / 1000 + burst` plus the one overshooting batch.
 */
import { assert, type Clock } from '@tributary/core';

export interface TokenBucketOptions {
  /** Bytes per second; a positive integer. */
  readonly rateBytesPerSec: number;
  /** How many bytes may accumulate while nothing is taken (and the first grant's size). */
  readonly burstBytes: number;
  readonly clock: Clock;
}

export class TokenBucket {
  private rateBytesPerSec: number;
  private burstBytes: number;
  private readonly clock: Clock;
  /** Negative while in debt. */
  private tokens: number;
  private lastRefillMs: number;

  constructor(options: TokenBucketOptions) {
    checkRate(options.rateBytesPerSec, options.burstBytes);
    this.rateBytesPerSec = options.rateBytesPerSec;
    this.burstBytes = options.burstBytes;
    this.clock = options.clock;
    this.tokens = options.burstBytes;
    this.lastRefillMs = options.clock.nowMs();
  }

  get rate(): number {
    return this.rateBytesPerSec;
  }

  /** A new rate and burst; tokens already held are kept up to the new burst (debt is kept). */
  setRate(rateBytesPerSec: number, burstBytes: number): void {
    checkRate(rateBytesPerSec, burstBytes);
    this.refill();
    this.rateBytesPerSec = rateBytesPerSec;
    this.burstBytes = burstBytes;
    this.tokens = Math.min(this.tokens, burstBytes);
  }

  /** Reserves up to `maxBytes` of what the bucket holds now (whole bytes); 0 when it is empty or in debt. */
  reserve(maxBytes: number): number {
    assert(Number.isSafeInteger(maxBytes) && maxBytes >= 0, 'maxBytes is a non-negative integer');
    this.refill();
    const granted = Math.max(0, Math.min(maxBytes, Math.floor(this.tokens)));
    this.tokens -= granted;
    return granted;
  }

  /** After a reserve: `usedBytes` were really taken; the rest goes back, anything beyond becomes debt. */
  settle(reservedBytes: number, usedBytes: number): void {
    assert(reservedBytes >= 0 && usedBytes >= 0, 'settled byte counts are non-negative');
    this.refill();
    this.tokens = Math.min(this.burstBytes, this.tokens + reservedBytes - usedBytes);
  }

  /** Milliseconds until at least one byte can be granted (0 when one can now). */
  msUntilAvailable(): number {
    this.refill();
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) * 1000) / this.rateBytesPerSec);
  }

  private refill(): void {
    const nowMs = this.clock.nowMs();
    const elapsedMs = nowMs - this.lastRefillMs;
    // A monotonic clock never goes back; guard anyway so a bad clock cannot mint tokens.
    if (elapsedMs <= 0) return;
    this.lastRefillMs = nowMs;
    this.tokens = Math.min(this.burstBytes, this.tokens + (elapsedMs * this.rateBytesPerSec) / 1000);
  }
}

function checkRate(rateBytesPerSec: number, burstBytes: number): void {
  assert(Number.isSafeInteger(rateBytesPerSec) && rateBytesPerSec > 0, 'a bucket rate is a positive integer');
  assert(Number.isSafeInteger(burstBytes) && burstBytes > 0, 'a bucket burst is a positive integer');
}
