/**
 * The aborted-transaction index (Kafka's per-segment `.txnindex`): one entry per ABORT marker in the segment,
 * so a read_committed fetch can tell its consumer which producers' records to drop in the range it reads
 * without scanning the log. Entries are appended in marker order (so by `lastOffset`), removed with the
 * segment (retention), cut with it (truncation), and rebuilt from the log whenever the producer state is
 * rebuilt by a scan (an unclean open).
 *
 * File format, Kafka's byte for byte: entries of 34 bytes, big-endian: version int16 (0), producerId int64,
 * firstOffset int64, lastOffset int64 (the marker's offset), lastStableOffset int64 (the LSO right after
 * the marker). No header, no checksum: a torn last entry is ignored, and an unclean open rebuilds the file.
 */
import { join } from 'node:path';
import { assert } from '@tributary/core';
import { readOptionalFile, writeFileAtomically } from './fs-util.js';
import { LOG_LIMITS } from './limits.js';
import type { LogFileSystem } from './log-fs.js';
import { segmentFileStem, TXN_INDEX_SUFFIX } from './segment.js';

export const TXN_INDEX_ENTRY_BYTES = 34;
const TXN_INDEX_VERSION = 0;

/** An aborted transaction as a read_committed fetch reports it (Kafka's FetchResponse AbortedTransaction). */
export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

export interface AbortedTxnEntry extends AbortedTransaction {
  readonly lastStableOffset: number;
}

export function encodeTxnIndexEntries(entries: readonly AbortedTxnEntry[]): Buffer {
  const buf = Buffer.alloc(entries.length * TXN_INDEX_ENTRY_BYTES);
  let at = 0;
  for (const entry of entries) {
    at = buf.writeInt16BE(TXN_INDEX_VERSION, at);
    at = buf.writeBigInt64BE(BigInt(entry.producerId), at);
    at = buf.writeBigInt64BE(BigInt(entry.firstOffset), at);
    at = buf.writeBigInt64BE(BigInt(entry.lastOffset), at);
    at = buf.writeBigInt64BE(BigInt(entry.lastStableOffset), at);
  }
  return buf;
}

/**
 * The entries of an index file. A trailing partial entry (a torn append) is dropped; an entry that is not
 * version 0, out of order or impossible ends the list there (null: the caller rebuilds from the log).
 */
export function decodeTxnIndexEntries(buf: Buffer): AbortedTxnEntry[] | null {
  const count = Math.floor(buf.length / TXN_INDEX_ENTRY_BYTES);
  if (count > LOG_LIMITS.txnIndexEntriesPerSegmentMax) return null;
  const entries: AbortedTxnEntry[] = [];
  for (let i = 0, at = 0; i < count; i++, at += TXN_INDEX_ENTRY_BYTES) {
    if (buf.readInt16BE(at) !== TXN_INDEX_VERSION) return null;
    const entry = {
      producerId: Number(buf.readBigInt64BE(at + 2)),
      firstOffset: Number(buf.readBigInt64BE(at + 10)),
      lastOffset: Number(buf.readBigInt64BE(at + 18)),
      lastStableOffset: Number(buf.readBigInt64BE(at + 26)),
    };
    const previous = entries[entries.length - 1];
    if (!isValidEntry(entry) || (previous !== undefined && entry.lastOffset <= previous.lastOffset))
      return null;
    entries.push(entry);
  }
  return entries;
}

function isValidEntry(entry: AbortedTxnEntry): boolean {
  return (
    Number.isSafeInteger(entry.producerId) &&
    entry.producerId >= 0 &&
    Number.isSafeInteger(entry.firstOffset) &&
    entry.firstOffset >= 0 &&
    Number.isSafeInteger(entry.lastOffset) &&
    entry.lastOffset >= entry.firstOffset &&
    Number.isSafeInteger(entry.lastStableOffset) &&
    entry.lastStableOffset >= 0
  );
}

export function txnIndexPath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileStem(baseOffset) + TXN_INDEX_SUFFIX);
}

/** What collecting from one segment's index found. */
export interface TxnIndexSearch {
  readonly found: readonly AbortedTransaction[];
  /**
   * Kafka's isComplete: an entry's LSO reaches `upperBoundOffset`, so no later segment can hold a
   * transaction that began below it (it would have held that LSO down).
   */
  readonly complete: boolean;
}

/** One segment's aborted transactions, in memory (as the offset indexes are), ordered by marker offset. */
export class TransactionIndex {
  private entries: AbortedTxnEntry[];

  constructor(entries: readonly AbortedTxnEntry[] = []) {
    this.entries = [...entries];
  }

  get length(): number {
    return this.entries.length;
  }

  list(): readonly AbortedTxnEntry[] {
    return this.entries;
  }

  append(entry: AbortedTxnEntry): void {
    assert(isValidEntry(entry), () => `aborted transaction entry ${JSON.stringify(entry)} is valid`);
    const last = this.entries[this.entries.length - 1];
    assert(last === undefined || entry.lastOffset > last.lastOffset, 'markers are indexed in log order');
    assert(
      this.entries.length < LOG_LIMITS.txnIndexEntriesPerSegmentMax,
      'aborted transactions per segment are bounded',
    );
    this.entries.push(entry);
  }

  /** Drops the entries whose marker is at or after `offset`; true when any was dropped. */
  truncateTo(offset: number): boolean {
    const kept = this.entries.filter((entry) => entry.lastOffset < offset);
    if (kept.length === this.entries.length) return false;
    this.entries = kept;
    return true;
  }

  /** Kafka's TransactionIndex.collectAbortedTxns: entries overlapping [fromOffset, upperBoundOffset). */
  collect(fromOffset: number, upperBoundOffset: number): TxnIndexSearch {
    const found: AbortedTransaction[] = [];
    let complete = false;
    for (const entry of this.entries) {
      if (entry.lastOffset >= fromOffset && entry.firstOffset < upperBoundOffset) {
        found.push({
          producerId: entry.producerId,
          firstOffset: entry.firstOffset,
          lastOffset: entry.lastOffset,
        });
      }
      if (entry.lastStableOffset >= upperBoundOffset) {
        complete = true;
        break;
      }
    }
    return { found, complete };
  }
}

/** Reads a segment's index file; an absent file is an empty index, a damaged one null. */
export async function readTxnIndexFile(
  fs: LogFileSystem,
  dir: string,
  baseOffset: number,
): Promise<TransactionIndex | null> {
  const bytes = await readOptionalFile(fs, txnIndexPath(dir, baseOffset));
  if (bytes === null) return new TransactionIndex();
  const entries = decodeTxnIndexEntries(bytes);
  return entries === null ? null : new TransactionIndex(entries);
}

/** Replaces the file with `index` (no file when empty, as Kafka's index is empty until its first abort). */
export async function writeTxnIndexFile(
  fs: LogFileSystem,
  dir: string,
  baseOffset: number,
  index: TransactionIndex,
): Promise<void> {
  const path = txnIndexPath(dir, baseOffset);
  if (index.length === 0) await fs.rm(path, { force: true });
  else await writeFileAtomically(fs, path, encodeTxnIndexEntries(index.list()));
}

/**
 * Appends one entry to the file at the size `entriesBefore` entries take (a torn earlier append is
 * overwritten). Not fsynced: a crash makes the next open unclean, and an unclean open rebuilds every index.
 */
export async function appendTxnIndexFile(
  fs: LogFileSystem,
  dir: string,
  baseOffset: number,
  entriesBefore: number,
  entry: AbortedTxnEntry,
): Promise<void> {
  const file = await fs.open(txnIndexPath(dir, baseOffset), 'a+');
  try {
    const position = entriesBefore * TXN_INDEX_ENTRY_BYTES;
    if ((await file.stat()).sizeBytes !== position) await file.truncate(position);
    await file.write(encodeTxnIndexEntries([entry]), 0, TXN_INDEX_ENTRY_BYTES, position);
  } finally {
    await file.close();
  }
}
