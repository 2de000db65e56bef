/**
 * The in-flight produce bytes quota: record bytes held by Produce requests that have been admitted
 * and not yet answered (an acks=all Produce may hold its batches for up to timeout_ms). Without a
 * bound, one client sending many large Produce requests to a slow ISR could exhaust the broker's
 * memory; past the bound new Produce calls get RESOURCE_EXHAUSTED (retriable) until bytes are released.
 */
import { assert, TributaryError } from '@tributary/core';

export class InFlightBytes {
  private inFlightBytes = 0;

  constructor(
    /** The bound; REQUEST_LIMITS.produceInFlightBytesMax unless a test sets a smaller one. */
    readonly maxBytes: number,
    /** Named in the error message ("produce", ...). */
    private readonly what: string,
  ) {
    assert(
      Number.isSafeInteger(maxBytes) && maxBytes > 0,
      () => `maxBytes must be positive, got ${maxBytes}`,
    );
  }

  get bytes(): number {
    return this.inFlightBytes;
  }

  /**
   * Admits `bytes` or throws RESOURCE_EXHAUSTED. A request is always admitted when nothing else is in
   * flight, so one request larger than the bound (the per-request limit refuses those first) can never
   * be refused for ever by a retrying client.
   */
  acquire(bytes: number): void {
    assert(
      Number.isSafeInteger(bytes) && bytes >= 0,
      () => `bytes must be a non-negative integer, got ${bytes}`,
    );
    if (this.inFlightBytes > 0 && this.inFlightBytes + bytes > this.maxBytes) {
      throw new TributaryError(
        'RESOURCE_EXHAUSTED',
        `${this.inFlightBytes} bytes of ${this.what} requests are in flight on this broker; ` +
          `${bytes} more would pass the limit of ${this.maxBytes} (retry when earlier requests finish)`,
      );
    }
    this.inFlightBytes += bytes;
  }

  release(bytes: number): void {
    assert(
      bytes >= 0 && bytes <= this.inFlightBytes,
      () => `release of ${bytes} with ${this.inFlightBytes} in flight`,
    );
    this.inFlightBytes -= bytes;
  }

  /** Runs `work` with `bytes` admitted, releasing them however it ends. */
  async run<T>(bytes: number, work: () => Promise<T>): Promise<T> {
    this.acquire(bytes);
    try {
      return await work();
    } finally {
      this.release(bytes);
    }
  }
}
