/**
 * The broker's producer ids (Kafka's RPCProducerIdManager): ids come from blocks the active controller
 * allocates (BrokerLifecycle.AllocateProducerIds, one committed ProducerIds record per block), so no two
 * brokers, and no broker before and after a restart, ever hand out the same id.
 *
 * - The next block is fetched in the background once the current one is 90% used, so InitProducerId
 *   rarely waits for the controller.
 * - One fetch at a time (single-flight): every caller that finds the ids used up waits for the same one.
 * - A fetch makes a bounded number of attempts within a deadline; failing, it answers a retriable error
 *   the client retries (the broker may simply not be registered yet).
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import { assert, type Clock, TributaryError } from '@tributary/core';
import type { Logger } from 'pino';

export const PRODUCER_ID_LIMITS = {
  /** Fetch the next block once this share of the current one is handed out. */
  prefetchUsedRatio: 0.9,
  /** Attempts of one block fetch (each already retried across controllers by the connection). */
  allocateAttemptsMax: 3,
  /** The deadline of one block fetch, all attempts included. */
  allocateTimeoutMs: 5_000,
  /** Pause between two attempts. */
  allocateRetryBackoffMs: 100,
  /** Blocks one caller may wait for before giving up: bounds the wait under a storm of callers. */
  waitRoundsMax: 16,
} as const;

/** The block [firstProducerId, firstProducerId + count). */
export interface ProducerIdBlock {
  readonly firstProducerId: number;
  readonly count: number;
}

/** Asks the controller for a block; `deadlineMs` is the time left for this attempt. */
export type AllocateProducerIdBlock = (deadlineMs: number) => Promise<ProducerIdBlock>;

export interface ProducerIdManagerOptions {
  readonly allocate: AllocateProducerIdBlock;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Injected by tests; the default sleeps on a timer. */
  readonly sleep?: (delayMs: number) => Promise<void>;
  readonly allocateTimeoutMs?: number;
}

interface CurrentBlock {
  readonly first: number;
  readonly end: number;
  next: number;
}

export class ProducerIdManager {
  private current: CurrentBlock | null = null;
  private prefetched: ProducerIdBlock | null = null;
  private inflight: Promise<void> | null = null;
  /** The end of the newest block received: blocks only move forward. */
  private highestEnd = 0;
  private readonly sleep: (delayMs: number) => Promise<void>;
  private readonly allocateTimeoutMs: number;

  constructor(private readonly options: ProducerIdManagerOptions) {
    this.sleep = options.sleep ?? ((delayMs) => sleepMs(delayMs));
    this.allocateTimeoutMs = options.allocateTimeoutMs ?? PRODUCER_ID_LIMITS.allocateTimeoutMs;
  }

  /** A producer id no one else has or will get; waits for a block from the controller when needed. */
  async generateProducerId(): Promise<number> {
    for (let round = 0; round < PRODUCER_ID_LIMITS.waitRoundsMax; round++) {
      const id = this.takeId();
      if (id !== null) return id;
      await this.fetchNextBlock();
    }
    throw new TributaryError(
      'COORDINATOR_NOT_AVAILABLE',
      `no producer id after ${PRODUCER_ID_LIMITS.waitRoundsMax} blocks: too many concurrent requests; retry`,
    );
  }

  private takeId(): number | null {
    let block = this.current;
    if ((block === null || block.next >= block.end) && this.prefetched !== null) {
      block = this.use(this.prefetched);
      this.prefetched = null;
    }
    if (block === null || block.next >= block.end) return null;
    const id = block.next;
    block.next++;
    const used = block.next - block.first;
    const prefetchAt = Math.ceil((block.end - block.first) * PRODUCER_ID_LIMITS.prefetchUsedRatio);
    if (used >= prefetchAt && this.prefetched === null && this.inflight === null) {
      // In the background: a failure here only means the next caller to run out fetches again.
      this.fetchNextBlock().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'prefetching a producer id block failed'),
      );
    }
    return id;
  }

  private use(block: ProducerIdBlock): CurrentBlock {
    const current = {
      first: block.firstProducerId,
      end: block.firstProducerId + block.count,
      next: block.firstProducerId,
    };
    this.current = current;
    return current;
  }

  /** Single-flight: joins the fetch under way or starts one. Resolves once the block is stored. */
  private fetchNextBlock(): Promise<void> {
    this.inflight ??= this.allocateWithRetries()
      .then((block) => this.accept(block))
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private accept(block: ProducerIdBlock): void {
    const { firstProducerId, count } = block;
    assert(
      Number.isSafeInteger(firstProducerId) &&
        Number.isSafeInteger(count) &&
        count > 0 &&
        Number.isSafeInteger(firstProducerId + count),
      () => `the controller sent an impossible producer id block ${firstProducerId} + ${count}`,
    );
    // The controller answers only after the block's record committed, so a later block never overlaps an
    // earlier one, even across controller failover: an overlap is a bug, and duplicate ids are unsafe.
    assert(
      firstProducerId >= this.highestEnd,
      () => `producer id block ${firstProducerId} overlaps ids below ${this.highestEnd}`,
    );
    this.highestEnd = firstProducerId + count;
    this.options.logger.info({ firstProducerId, count }, 'producer id block received');
    const current = this.current;
    if (current === null || current.next >= current.end) this.use(block);
    else this.prefetched = block;
  }

  private async allocateWithRetries(): Promise<ProducerIdBlock> {
    const { clock } = this.options;
    const endMs = clock.nowMs() + this.allocateTimeoutMs;
    let lastError: unknown;
    for (let attempt = 1; attempt <= PRODUCER_ID_LIMITS.allocateAttemptsMax; attempt++) {
      const remainingMs = endMs - clock.nowMs();
      if (remainingMs <= 0) break;
      try {
        return await this.options.allocate(remainingMs);
      } catch (error) {
        lastError = error;
        this.options.logger.debug({ err: error, attempt }, 'producer id block allocation failed');
      }
      const pauseMs = Math.min(PRODUCER_ID_LIMITS.allocateRetryBackoffMs, endMs - clock.nowMs());
      if (attempt < PRODUCER_ID_LIMITS.allocateAttemptsMax && pauseMs > 0) await this.sleep(pauseMs);
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError ?? 'no attempt in time');
    throw new TributaryError(
      'COORDINATOR_NOT_AVAILABLE',
      `no producer id block from the controller: ${reason}`,
      lastError === undefined ? {} : { cause: lastError },
    );
  }
}
