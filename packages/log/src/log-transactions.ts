/**
 * The transaction state of a partition log beside its producer state: the aborted-transaction index of every
 * segment (txn-index.ts), kept in memory per segment object and in the segment's `.txnindex` file. A segment
 * object the log did not see before (a cleaner's swapped-in segment) has its index read from its file on
 * first use, so the file is the hand-over.
 */
import { TributaryError } from '@tributary/core';
import { LOG_LIMITS } from './limits.js';
import type { LogFileSystem } from './log-fs.js';
import type { CompletedTransaction } from './producer-state.js';
import type { LogSegment } from './segment.js';
import {
  type AbortedTransaction,
  type AbortedTxnEntry,
  appendTxnIndexFile,
  readTxnIndexFile,
  TransactionIndex,
  writeTxnIndexFile,
} from './txn-index.js';

export function abortedEntriesOf(completed: readonly CompletedTransaction[]): AbortedTxnEntry[] {
  return completed
    .filter((txn) => txn.aborted)
    .map(({ producerId, firstOffset, lastOffset, lastStableOffset }) => ({
      producerId,
      firstOffset,
      lastOffset,
      lastStableOffset,
    }));
}

export class AbortedTxnIndexes {
  private readonly indexes = new WeakMap<LogSegment, TransactionIndex>();

  constructor(
    private readonly fs: LogFileSystem,
    private readonly dir: string,
  ) {}

  /** Loads every segment's index; false when one is damaged (the caller then rebuilds them from the log). */
  async loadAll(segments: readonly LogSegment[]): Promise<boolean> {
    for (const segment of segments) {
      const index = await readTxnIndexFile(this.fs, this.dir, segment.baseOffset);
      if (index === null) return false;
      this.indexes.set(segment, index);
    }
    return true;
  }

  /** Replaces every segment's index with `entries` (rebuilt by a scan of the log) and rewrites the files. */
  async replaceAll(
    segments: readonly LogSegment[],
    entries: ReadonlyMap<LogSegment, readonly AbortedTxnEntry[]>,
  ): Promise<void> {
    for (const segment of segments) {
      const index = new TransactionIndex(entries.get(segment) ?? []);
      this.indexes.set(segment, index);
      await writeTxnIndexFile(this.fs, this.dir, segment.baseOffset, index);
    }
  }

  private async of(segment: LogSegment): Promise<TransactionIndex> {
    const known = this.indexes.get(segment);
    if (known !== undefined) return known;
    const index = await readTxnIndexFile(this.fs, this.dir, segment.baseOffset);
    if (index === null) {
      throw new TributaryError(
        'STORAGE_ERROR',
        `aborted-transaction index of segment ${segment.baseOffset} is damaged`,
      );
    }
    this.indexes.set(segment, index);
    return index;
  }

  /** The entries of `segment`'s index (the cleaner filters a cleaned segment's from them). */
  async entriesOf(segment: LogSegment): Promise<readonly AbortedTxnEntry[]> {
    return (await this.of(segment)).list();
  }

  /**
   * A cleaned segment's index (its removed markers' entries gone), written atomically after the segment's
   * swap. A crash before it leaves the old entries: they name transactions with nothing left in the log,
   * which a read_committed consumer skips without effect, and an unclean open rebuilds the index anyway.
   */
  async replace(segment: LogSegment, entries: readonly AbortedTxnEntry[]): Promise<void> {
    const index = new TransactionIndex(entries);
    await writeTxnIndexFile(this.fs, this.dir, segment.baseOffset, index);
    this.indexes.set(segment, index);
  }

  /** Indexes the ABORT markers `segment` just received (leader and follower appends alike). */
  async addAborted(segment: LogSegment, entries: readonly AbortedTxnEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const index = await this.of(segment);
    for (const entry of entries) {
      await appendTxnIndexFile(this.fs, this.dir, segment.baseOffset, index.length, entry);
      index.append(entry);
    }
  }

  /** Drops the entries of `segment` (the new active one after a truncation) whose marker is at or after `offset`. */
  async truncateTo(segment: LogSegment, offset: number): Promise<void> {
    const index = await this.of(segment);
    if (index.truncateTo(offset)) await writeTxnIndexFile(this.fs, this.dir, segment.baseOffset, index);
  }

  /**
   * Kafka's collectAbortedTransactions: the aborted transactions overlapping [fromOffset, upperBoundOffset),
   * from the indexes of `segments` (the one holding fromOffset first). An aborted transaction overlapping the
   * range has its marker at or after fromOffset, so earlier segments cannot hold it.
   */
  async collect(
    segments: readonly LogSegment[],
    fromOffset: number,
    upperBoundOffset: number,
  ): Promise<AbortedTransaction[]> {
    const found: AbortedTransaction[] = [];
    for (const segment of segments) {
      const search = (await this.of(segment)).collect(fromOffset, upperBoundOffset);
      found.push(...search.found);
      if (found.length > LOG_LIMITS.abortedTransactionsPerReadMax) {
        throw new TributaryError(
          'RESOURCE_EXHAUSTED',
          `more than ${LOG_LIMITS.abortedTransactionsPerReadMax} aborted transactions in [${fromOffset}, ${upperBoundOffset})`,
        );
      }
      if (search.complete) break;
    }
    return found;
  }
}
