/**
 * read_committed filtering of fetched batches (KIP-98), pure. A read_committed Fetch returns data up to
 * the last stable offset together with the aborted transactions overlapping it (producer id, first
 * offset); the consumer drops the batches of aborted transactions itself, as Kafka's consumer does
 * (CompletedFetch.nextFetchedRecord):
 *   - before a batch, every aborted transaction whose first offset is at or before the batch's last offset
 *     marks its producer as aborted;
 *   - a transactional batch of an aborted producer is dropped;
 *   - the producer's ABORT marker (a control batch) ends that: later batches of it are read again.
 * Control batches themselves are never records for the application, at either isolation level.
 *
 * The set of aborted producers is kept per partition across fetches (a fetch may end between an aborted
 * transaction's data and its marker) and is cleared when the position jumps (a seek): it only holds for
 * the contiguous range read so far.
 */
import { assert } from '@tributary/core';

export type IsolationLevel = 'read_uncommitted' | 'read_committed';

/** Kafka's wire values of isolation.level. */
export const ISOLATION_LEVEL_WIRE: Readonly<Record<IsolationLevel, number>> = {
  read_uncommitted: 0,
  read_committed: 1,
};

export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** What the filter needs of a batch header. */
export interface BatchInfo {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly producerId: number;
  readonly isTransactional: boolean;
  readonly isControl: boolean;
}

/** Per partition, across fetches: the producers whose aborted transaction is being read. */
export class AbortedProducers {
  private readonly producers = new Set<number>();
  /** The offset the next fetch continues from; another fetch offset means a seek. */
  private continuesAt: number | undefined;

  /** The producers currently dropped (for tests and diagnostics). */
  get current(): ReadonlySet<number> {
    return this.producers;
  }

  /**
   * A filter for one fetch answer starting at `fetchOffset` with the answer's aborted transactions.
   * Call `finish(nextOffset)` on it when the answer has been read.
   */
  begin(fetchOffset: number, aborted: readonly AbortedTransaction[]): FetchFilter {
    if (this.continuesAt !== fetchOffset) this.producers.clear();
    return new FetchFilter(this, this.producers, aborted);
  }

  /** @internal Called by FetchFilter.finish. */
  continueAt(nextOffset: number): void {
    this.continuesAt = nextOffset;
  }
}

/** The filter over one fetch answer's batches, in log order. */
export class FetchFilter {
  /** Ascending by first offset: consumed from the front as batches pass them. */
  private readonly pending: AbortedTransaction[];
  private lastBatchOffset = -1;

  constructor(
    private readonly owner: AbortedProducers,
    private readonly producers: Set<number>,
    aborted: readonly AbortedTransaction[],
  ) {
    this.pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /**
   * Whether the batch's records go to the application. Batches must come in log order. For a control
   * batch (never delivered) `marker` is its decoded marker: an ABORT ends its producer's aborted range.
   */
  admit(batch: BatchInfo, marker?: 'commit' | 'abort'): boolean {
    assert(batch.baseOffset > this.lastBatchOffset, () => `batch at ${batch.baseOffset} out of order`);
    this.lastBatchOffset = batch.lastOffset;
    // Kafka's consumeAbortedTransactionsUpTo(batch.lastOffset).
    while (this.pending.length > 0 && (this.pending[0]?.firstOffset ?? Infinity) <= batch.lastOffset) {
      const next = this.pending.shift();
      if (next !== undefined) this.producers.add(next.producerId);
    }
    if (batch.isControl) {
      if (marker === 'abort') this.producers.delete(batch.producerId);
      return false;
    }
    return !(batch.isTransactional && batch.producerId >= 0 && this.producers.has(batch.producerId));
  }

  /** The answer was read up to `nextOffset` (exclusive): the next fetch continues there. */
  finish(nextOffset: number): void {
    this.owner.continueAt(nextOffset);
  }
}
