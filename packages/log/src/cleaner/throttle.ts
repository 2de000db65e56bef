/**
 * The log cleaner's IO throttle (Kafka's log.cleaner.io.max.bytes.per.second): one token bucket of bytes
 * shared by every cleaner thread, so their reads and writes together stay under the rate. The cleaner reports
 * bytes after it moved them (it cannot know a segment's cleaned size beforehand), so the bucket goes into debt
 * and the caller waits until the refill has paid it off: over any interval of `t` ms the bytes moved are at
 * most `rate * t / 1000 + burst` plus one report. Time comes from the injected Clock; the wait itself is the
 * shell's (`CleanerThrottle.throttle`), the arithmetic is pure (`reportBytes`).
 */
import { assert, type Clock, TributaryError } from '@tributary/core';
import { CLEANER_LIMITS } from './limits.js';

/** Waits `ms` milliseconds; rejects when `signal` aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface CleanerThrottleOptions {
  /** Bytes per second; undefined = unlimited (Kafka's default). */
  readonly ioMaxBytesPerSecond?: number | undefined;
  readonly clock: Clock;
  readonly sleep: Sleep;
}

export class CleanerThrottle {
  private readonly rateBytesPerSecond: number | undefined;
  private readonly burstBytes: number;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  /** Negative while in debt. */
  private tokens: number;
  private lastRefillMs: number;
  private throttledMsTotal = 0;

  constructor(options: CleanerThrottleOptions) {
    const rate = options.ioMaxBytesPerSecond;
    if (rate !== undefined) {
      if (!Number.isSafeInteger(rate) || rate < CLEANER_LIMITS.ioMaxBytesPerSecondMin) {
        throw new TributaryError(
          'INVALID_CONFIG',
          `log cleaner io max bytes per second must be an integer >= ${CLEANER_LIMITS.ioMaxBytesPerSecondMin}, got ${rate}`,
        );
      }
    }
    this.rateBytesPerSecond = rate;
    // One second's worth of bytes may go at once after an idle spell, as Kafka's Throttler measures its rate
    // over windows of about a second.
    this.burstBytes = rate ?? 0;
    this.clock = options.clock;
    this.sleep = options.sleep;
    this.tokens = this.burstBytes;
    this.lastRefillMs = options.clock.nowMs();
  }

  get limited(): boolean {
    return this.rateBytesPerSecond !== undefined;
  }

  /** Milliseconds the cleaner has spent waiting on the throttle (metrics). */
  get throttledMs(): number {
    return this.throttledMsTotal;
  }

  /**
   * Takes `bytes` from the bucket and returns how long the caller must wait before moving more: 0 while the
   * bucket holds them, else until the refill pays the debt off (pure except for the bucket's own state).
   */
  reportBytes(bytes: number): number {
    assert(Number.isSafeInteger(bytes) && bytes >= 0, () => `reported bytes ${bytes} are a count`);
    const rate = this.rateBytesPerSecond;
    if (rate === undefined) return 0;
    this.refill(rate);
    this.tokens -= bytes;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens * 1000) / rate);
  }

  /** The function handed to PartitionLog.clean: reports the bytes, then waits as long as the rate says. */
  async throttle(bytes: number, signal?: AbortSignal): Promise<void> {
    const waitMs = this.reportBytes(bytes);
    if (waitMs === 0) return;
    this.throttledMsTotal += waitMs;
    await this.sleep(waitMs, signal);
  }

  private refill(rate: number): void {
    const nowMs = this.clock.nowMs();
    const elapsedMs = nowMs - this.lastRefillMs;
    // A monotonic clock never goes back; guard anyway so a bad clock cannot mint tokens.
    if (elapsedMs <= 0) return;
    this.lastRefillMs = nowMs;
    this.tokens = Math.min(this.burstBytes, this.tokens + (elapsedMs * rate) / 1000);
  }
}
