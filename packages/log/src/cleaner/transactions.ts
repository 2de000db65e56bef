import { RECORD_BATCH_V2_LAYOUT as V2 } from '@tributary/records';
import { ATTRIBUTE_CONTROL, ATTRIBUTE_TRANSACTIONAL } from '../batch-codec.js';
import type { AbortedTransaction } from '../txn-index.js';

/**
 * What the cleaner knows of transactions in one pass (pure; Kafka's CleanedTransactionMetadata):
 * - a transactional data batch of producer P lying between an aborted transaction's first offset and its
 *   ABORT marker (the aborted-transaction index says which) is aborted data, removed whole;
 * - other transactional data below the pass's bound was committed (the bound is at most the last stable
 *   offset, so no transaction below it is open) and compacts like any other record;
 * - a marker (control batch) may go only when no batch of its transaction was read in this pass (so none
 *   remains, not even an empty header the pass keeps) and its segment's delete horizon has passed; the
 *   caller also keeps a producer's last marker. Deciding on what the pass read, not on what it writes,
 *   means a marker outlives its data by at least one pass (as Kafka's), which is what makes a crash between
 *   swaps harmless: a marker is removed only when its data was already gone before the pass began.
 */
export class AbortedRanges {
  /** producer id -> its aborted transactions, [first offset, marker offset]. */
  private readonly byProducer = new Map<number, AbortedTransaction[]>();

  constructor(aborted: readonly AbortedTransaction[]) {
    for (const txn of aborted) {
      const list = this.byProducer.get(txn.producerId);
      if (list === undefined) this.byProducer.set(txn.producerId, [txn]);
      else list.push(txn);
    }
  }

  /** Whether the data batch [baseOffset, lastOffset] of `producerId` belongs to an aborted transaction. */
  isAborted(producerId: number, baseOffset: number, lastOffset: number): boolean {
    const list = this.byProducer.get(producerId);
    if (list === undefined) return false;
    return list.some((txn) => txn.firstOffset <= baseOffset && lastOffset < txn.lastOffset);
  }
}

/**
 * Reads a pass's batches in offset order and answers, at each marker, whether a batch of the marker's
 * transaction was read since the producer's previous marker. Holds one entry per producer with a
 * transaction under way at the point read, each backed by a batch of the log.
 */
export class TransactionTracker {
  private readonly withData = new Set<number>();

  /** A transactional data batch was read (whether the pass keeps, empties or removes it). */
  onData(producerId: number): void {
    this.withData.add(producerId);
  }

  /** A marker was read: true when its transaction had a batch in what the pass read. */
  onMarker(producerId: number): boolean {
    return this.withData.delete(producerId);
  }
}

/** Feeds one batch's header to the tracker (batches a pass reads but does not rewrite). */
export function observeBatch(batch: Buffer, tracker: TransactionTracker): void {
  const attributes = batch.readInt16BE(V2.attributes);
  if ((attributes & ATTRIBUTE_TRANSACTIONAL) === 0) return;
  const producerId = Number(batch.readBigInt64BE(V2.producerId));
  if ((attributes & ATTRIBUTE_CONTROL) !== 0) tracker.onMarker(producerId);
  else tracker.onData(producerId);
}
