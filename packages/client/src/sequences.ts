/**
 * Per-partition sequence numbers of an idempotent producer session (pure: no timers, no I/O).
 *
 * The broker keeps the last few batches of each producer per partition and answers a resent one with its
 * original offset. That only works while a resent batch is still among the retained ones, so a partition
 * admits a new batch only when it lies within `windowMax` batches of the OLDEST unacknowledged one (not
 * merely when fewer than `windowMax` are unacknowledged: later batches acknowledged ahead of an older one
 * would otherwise push the older one out of the broker's memory before its resend arrives).
 */
import { assert } from '@tributary/core';

/** Sequences are int32 and wrap from 2^31-1 back to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export const SEQUENCE_MAX = 0x7fff_ffff;

/** The sequence `count` records after `sequence`, wrapping past SEQUENCE_MAX to 0. */
export function sequenceAfter(sequence: number, count: number): number {
  assert(
    Number.isSafeInteger(sequence) && sequence >= 0 && sequence <= SEQUENCE_MAX,
    () => `sequence out of range: ${sequence}`,
  );
  assert(Number.isSafeInteger(count) && count >= 0, () => `sequence increment must be >= 0, got ${count}`);
  return (sequence + count) % (SEQUENCE_MAX + 1);
}

/** The sequence of a batch's last record: baseSequence + recordCount - 1, wrapped. */
export function lastSequenceOf(baseSequence: number, recordCount: number): number {
  assert(recordCount > 0, 'a batch holds at least one record');
  return sequenceAfter(baseSequence, recordCount - 1);
}

export type BatchState = 'pending' | 'acknowledged' | 'failed';

/** One encoded batch of a session on a partition, from encoding until it is acknowledged or given up. */
export interface SequencedBatch {
  readonly baseSequence: number;
  readonly recordCount: number;
  state: BatchState;
}

interface Waiter {
  readonly count: number;
  readonly onReady: () => void;
}

export class PartitionSequences {
  private next: number;
  /** Slots promised to a caller that has not encoded its batches yet. */
  private reserved = 0;
  /** Encode order; settled batches leave only from the head, so the window spans from the oldest open one. */
  private readonly window: SequencedBatch[] = [];
  /** FIFO, so a caller needing several slots is not starved by a stream of single-slot callers. */
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly windowMax: number,
    initialSequence = 0,
  ) {
    assert(Number.isSafeInteger(windowMax) && windowMax > 0, () => `windowMax must be > 0, got ${windowMax}`);
    assert(
      initialSequence >= 0 && initialSequence <= SEQUENCE_MAX,
      () => `bad initial sequence ${initialSequence}`,
    );
    this.next = initialSequence;
  }

  get nextSequence(): number {
    return this.next;
  }

  /** Slots taken: reserved ones plus every batch from the oldest unsettled one on. */
  get occupied(): number {
    return this.reserved + this.window.length;
  }

  /** Whether one more batch would get a slot at once. */
  get hasRoom(): boolean {
    return this.waiters.length === 0 && this.occupied < this.windowMax;
  }

  /**
   * Reserves `count` slots now when they are free and nobody queued earlier, else queues `onReady`, which
   * runs (with the slots reserved) once they are. Returns true when reserved at once.
   */
  reserveOrWait(count: number, onReady: () => void): boolean {
    assert(count > 0 && count <= this.windowMax, () => `cannot reserve ${count} of ${this.windowMax} slots`);
    if (this.waiters.length === 0 && this.occupied + count <= this.windowMax) {
      this.reserved += count;
      return true;
    }
    this.waiters.push({ count, onReady });
    return false;
  }

  /** Withdraws a queued wait (the caller gave up); false when it was already granted or never queued. */
  cancelWait(onReady: () => void): boolean {
    const index = this.waiters.findIndex((waiter) => waiter.onReady === onReady);
    if (index === -1) return false;
    this.waiters.splice(index, 1);
    this.wake();
    return true;
  }

  /** Gives back reserved slots that will not be used. */
  unreserve(count: number): void {
    assert(count >= 0 && count <= this.reserved, () => `unreserve ${count} of ${this.reserved} reserved`);
    this.reserved -= count;
    this.wake();
  }

  /** Turns one reserved slot into a batch carrying the next `recordCount` sequences. */
  assign(recordCount: number): SequencedBatch {
    assert(this.reserved > 0, 'assign needs a reserved slot');
    assert(recordCount > 0, () => `a batch holds at least one record, got ${recordCount}`);
    this.reserved--;
    const batch: SequencedBatch = { baseSequence: this.next, recordCount, state: 'pending' };
    this.next = sequenceAfter(this.next, recordCount);
    this.window.push(batch);
    return batch;
  }

  /** Records a batch's outcome; the window advances past settled batches at its head. */
  settle(batch: SequencedBatch, state: 'acknowledged' | 'failed'): void {
    assert(batch.state === 'pending', () => `batch ${batch.baseSequence} settled twice`);
    assert(this.window.includes(batch), () => `batch ${batch.baseSequence} is not in this window`);
    batch.state = state;
    while (this.window[0] !== undefined && this.window[0].state !== 'pending') this.window.shift();
    this.wake();
  }

  /**
   * Whether a batch encoded before `batch` is still unacknowledged: then an OUT_OF_ORDER_SEQUENCE_NUMBER
   * for `batch` only means it overtook that one, and resending it after a pause is right.
   */
  hasEarlierPending(batch: SequencedBatch): boolean {
    for (const earlier of this.window) {
      if (earlier === batch) return false;
      if (earlier.state === 'pending') return true;
    }
    return false;
  }

  /** Drops every queued wait, calling nothing: the session is over and its waiters are told elsewhere. */
  takeWaiters(): (() => void)[] {
    return this.waiters.splice(0).map((waiter) => waiter.onReady);
  }

  private wake(): void {
    for (;;) {
      const first = this.waiters[0];
      if (first === undefined || this.occupied + first.count > this.windowMax) return;
      this.waiters.shift();
      this.reserved += first.count;
      first.onReady();
    }
  }
}
