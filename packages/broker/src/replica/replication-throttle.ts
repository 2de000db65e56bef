/**
 * The follower-side replication throttle (Kafka's follower.replication.throttled.rate, applied to the
 * replicas being moved here): one token bucket shared by every throttled partition this broker fetches,
 * whatever their leader. The cluster config `replication.throttled.rate` (MetadataImage.replicationThrottle)
 * sets the rate; the ReplicaManager calls `setRate` on every image, so a change applies at once and a
 * removed config turns the throttle off. Only partitions where this broker is an adding replica fetch
 * through it (FollowerFetcher's `throttle`); in-sync replication never does.
 */
import type { Clock } from '@tributary/core';
import { TokenBucket } from './token-bucket.js';

/** How long a follower fetch of throttled partitions may wait for tokens before it looks again. */
export const THROTTLE_LIMITS = {
  /** Burst = one second of the rate, at least this much (so small rates still move whole batches). */
  burstBytesMin: 64 * 1024,
  /** A throttled fetcher sleeps at least this long when the bucket is empty (no busy loop). */
  waitMsMin: 10,
  /** ... and at most this long, so a raised or removed throttle is seen soon. */
  waitMsMax: 1_000,
} as const;

/** What a FollowerFetcher asks of the throttle (a narrow interface so tests can fake it). */
export interface FetchThrottle {
  /** Bytes the next fetch may ask for, at most `maxBytes`; 0 = wait `waitMs()` first. */
  reserve(maxBytes: number): number;
  /** The fetch came back with `usedBytes` of records (0 when it failed). */
  settle(reservedBytes: number, usedBytes: number): void;
  /** How long to wait before reserving again (bounded; see THROTTLE_LIMITS). */
  waitMs(): number;
}

export interface ReplicationThrottleStats {
  /** Bytes per second, or null when no throttle is set. */
  readonly rateBytesPerSec: number | null;
  /** Record bytes fetched through the throttle since the broker started. */
  readonly throttledBytesTotal: number;
  /** Fetch rounds that waited for the bucket to refill. */
  readonly throttledWaitsTotal: number;
}

export class ReplicationThrottle implements FetchThrottle {
  private bucket: TokenBucket | null = null;
  private bytesTotal = 0;
  private waitsTotal = 0;

  constructor(private readonly clock: Clock) {}

  /** Null: no throttle (adding replicas fetch like any other follower). */
  get rate(): number | null {
    return this.bucket?.rate ?? null;
  }

  /** Returns whether the rate changed (so the caller can log it). */
  setRate(rateBytesPerSec: number | null): boolean {
    if (rateBytesPerSec === (this.bucket?.rate ?? null)) return false;
    if (rateBytesPerSec === null) {
      this.bucket = null;
      return true;
    }
    const burstBytes = Math.max(rateBytesPerSec, THROTTLE_LIMITS.burstBytesMin);
    if (this.bucket === null) {
      this.bucket = new TokenBucket({ rateBytesPerSec, burstBytes, clock: this.clock });
    } else {
      this.bucket.setRate(rateBytesPerSec, burstBytes);
    }
    return true;
  }

  reserve(maxBytes: number): number {
    const bucket = this.bucket;
    if (bucket === null) return maxBytes;
    const granted = bucket.reserve(maxBytes);
    if (granted === 0) this.waitsTotal++;
    return granted;
  }

  settle(reservedBytes: number, usedBytes: number): void {
    this.bytesTotal += usedBytes;
    this.bucket?.settle(reservedBytes, usedBytes);
  }

  waitMs(): number {
    const wait = this.bucket?.msUntilAvailable() ?? 0;
    return Math.min(Math.max(wait, THROTTLE_LIMITS.waitMsMin), THROTTLE_LIMITS.waitMsMax);
  }

  stats(): ReplicationThrottleStats {
    return {
      rateBytesPerSec: this.rate,
      throttledBytesTotal: this.bytesTotal,
      throttledWaitsTotal: this.waitsTotal,
    };
  }
}
