import { join } from 'node:path';
import { assert } from '@tributary/core';
import type { BatchCodec, BatchInfo } from './batch-codec.js';
import { type FilePool, PooledFile } from './file-pool.js';
import { isNotFound, readOptionalFile } from './fs-util.js';
import { OFFSET_ENTRY_BYTES, OffsetIndex, TIME_ENTRY_BYTES, TimeIndex } from './indexes.js';
import { LOG_LIMITS } from './limits.js';
import type { LogFileSystem } from './log-fs.js';
import { readAt, scanBatches, writeAt } from './segment-scan.js';
import { checkStorageFault } from './storage-faults.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
/** The aborted-transaction index (txn-index.ts); absent until the segment's first ABORT marker. */
export const TXN_INDEX_SUFFIX = '.txnindex';
export const DELETED_SUFFIX = '.deleted';
/** Every file a segment may have: deletes (and a cleaner's segment swap) carry all of them along. */
export const SEGMENT_FILE_SUFFIXES = [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX] as const;

/** Kafka's file names: the base offset zero-padded to 20 digits. */
export function segmentFileStem(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export interface SegmentContext {
  readonly dir: string;
  readonly codec: BatchCodec;
  readonly indexIntervalBytes: number;
  /** Where the segments' `.log` descriptors come from (file-pool.ts: bounded per process). */
  readonly filePool: FilePool;
  /** Where the log's files live: node:fs in production, a SimulatedDisk in power-loss tests. */
  readonly fs: LogFileSystem;
}

export interface SegmentReadResult {
  readonly bytes: Buffer;
  readonly nextOffset: number;
}

/** What recovery found: `truncatedBytes` > 0 means a torn or corrupt tail was cut off. */
export interface RecoveryResult {
  readonly truncatedBytes: number;
  readonly reason: string;
}

/**
 * One segment: a `.log` file of whole batches plus its sparse offset and time indexes, which live in memory
 * and are written to their files on flush, roll and close (they can always be rebuilt from the log).
 * Batch offsets increase from `baseOffset` to `nextOffset - 1`; after compaction there may be gaps between
 * batches (the cleaner drops whole batches, keeping every survivor's offset).
 */
export class LogSegment {
  readonly baseOffset: number;
  sizeBytes = 0;
  nextOffset: number;
  /** The largest batch max-timestamp in the segment; -1 when empty. */
  maxTimestamp = -1;
  private offsetOfMaxTimestamp = 0;
  private offsetIndex = new OffsetIndex();
  private timeIndex = new TimeIndex();
  private bytesSinceLastIndexEntry = 0;
  private persistedOffsetEntries = 0;
  private persistedTimeEntries = 0;
  /** Set when entries were removed: the index files are rewritten instead of appended to. */
  private indexFilesStale = true;
  /**
   * Whether a scan accepts a batch starting past the previous one's end. Strict only while a segment is
   * opened from disk for a log that cannot have gaps there (not compacted, above the cleaner's first dirty
   * offset: see openSegments), where a gap is a damaged base offset (outside the CRC) that recovery cuts.
   * Once open, the segment's bytes are the log's own (a follower append may leave a gap, and a truncation's
   * tail scan must accept it).
   */
  private gapsAllowed = true;

  private constructor(
    private readonly context: SegmentContext,
    private readonly file: PooledFile,
    baseOffset: number,
    /** Monotonic time the segment was created or opened, for segmentMs rolling. */
    readonly createdAtMs: number,
  ) {
    assert(Number.isSafeInteger(baseOffset) && baseOffset >= 0, 'segment base offset is valid');
    this.baseOffset = baseOffset;
    this.nextOffset = baseOffset;
  }

  get logPath(): string {
    return join(this.context.dir, segmentFileStem(this.baseOffset) + LOG_SUFFIX);
  }
  get indexPath(): string {
    return join(this.context.dir, segmentFileStem(this.baseOffset) + INDEX_SUFFIX);
  }
  get timeIndexPath(): string {
    return join(this.context.dir, segmentFileStem(this.baseOffset) + TIME_INDEX_SUFFIX);
  }

  static async create(context: SegmentContext, baseOffset: number, nowMs: number): Promise<LogSegment> {
    const path = join(context.dir, segmentFileStem(baseOffset) + LOG_SUFFIX);
    const file = await PooledFile.open(context.filePool, path, 'w+', { fs: context.fs });
    // The (empty) index files are written at the first flush, roll or close, not here: an open that finds
    // them missing rebuilds them from the log file (recover), so creating a segment costs one file.
    return new LogSegment(context, file, baseOffset, nowMs);
  }

  /**
   * Opens an existing segment. With `recover`, every batch is validated (CRC included), a bad tail is cut
   * and the indexes are rebuilt; otherwise the index files are loaded and checked, and rebuilt if they do
   * not fit the log file.
   */
  static async open(
    context: SegmentContext,
    baseOffset: number,
    options: { recover: boolean; nowMs: number; gapsAllowed?: boolean },
  ): Promise<{ segment: LogSegment; recovery: RecoveryResult | null }> {
    const path = join(context.dir, segmentFileStem(baseOffset) + LOG_SUFFIX);
    const file = await PooledFile.open(context.filePool, path, 'r+', { fs: context.fs });
    const segment = new LogSegment(context, file, baseOffset, options.nowMs);
    segment.gapsAllowed = options.gapsAllowed === true;
    segment.sizeBytes = (await file.use((handle) => handle.stat())).sizeBytes;
    try {
      if (!options.recover && (await segment.loadIndexes())) return { segment, recovery: null };
      return { segment, recovery: await segment.recover() };
    } finally {
      segment.gapsAllowed = true;
    }
  }

  /** Appends already validated and stamped batches; `batches` lists them with positions inside `bytes`. */
  async append(bytes: Buffer, batches: readonly BatchInfo[]): Promise<void> {
    assert(batches.length > 0, 'append has batches');
    assert(this.sizeBytes + bytes.length <= 0xffff_ffff, 'segment positions fit a u32');
    const startPosition = this.sizeBytes;
    checkStorageFault(this.logPath, 'write', bytes.length);
    await this.file.use((handle) => writeAt(handle, startPosition, bytes));
    this.sizeBytes += bytes.length;
    for (const batch of batches) this.indexBatch({ ...batch, position: startPosition + batch.position });
  }

  /**
   * Hands the header of every batch, in order, to `visit` (reads headers in bounded chunks, never decodes
   * records; used to rebuild the producer state). The segment must have been opened or recovered, so its
   * bytes up to `sizeBytes` are whole batches.
   */
  async forEachBatchHeader(visit: (info: BatchInfo) => void): Promise<void> {
    const result = await this.file.use((handle) =>
      scanBatches(
        handle,
        { codec: this.context.codec, fromPosition: 0, endPosition: this.sizeBytes, validate: false },
        (info) => {
          visit(info);
          return 'continue';
        },
      ),
    );
    // Bytes that parsed at open and no longer do were damaged on disk since: like an I/O error, this takes
    // the log offline (a plain Error: PartitionLog marks the log failed) rather than risking the state.
    if (result.outcome !== 'end') {
      throw new Error(
        `segment ${this.baseOffset} of ${this.context.dir}: ${result.reason} at ${result.position}`,
      );
    }
  }

  /** Whether appending `lastOffset` would overflow the u32 relative offsets of the indexes. */
  canHoldOffset(lastOffset: number): boolean {
    return lastOffset - this.baseOffset <= LOG_LIMITS.relativeOffsetMax;
  }

  /**
   * Whole batches from the one containing `fromOffset`, below `maxOffset` (exclusive) and within `maxBytes`
   * except that with `atLeastOneBatch` the first batch is returned even when larger. Null when no batch here
   * qualifies.
   */
  async read(options: {
    fromOffset: number;
    maxBytes: number;
    maxOffset: number;
    atLeastOneBatch: boolean;
  }): Promise<SegmentReadResult | null> {
    const { fromOffset, maxBytes, maxOffset, atLeastOneBatch } = options;
    checkStorageFault(this.logPath, 'read', 0);
    const endPosition = this.sizeBytes;
    let first: BatchInfo | undefined;
    let last: BatchInfo | undefined;
    await this.file.use((handle) =>
      scanBatches(
        handle,
        {
          codec: this.context.codec,
          fromPosition: this.offsetIndex.floorPosition(Math.max(0, fromOffset - this.baseOffset)),
          endPosition,
          validate: false,
          chunkBytes: Math.max(64 * 1024, maxBytes + this.context.indexIntervalBytes),
        },
        (info) => {
          if (first === undefined && info.lastOffset < fromOffset) return 'continue';
          if (info.lastOffset >= maxOffset) return 'stop';
          if (first === undefined) {
            if (!atLeastOneBatch && info.sizeBytes > maxBytes) return 'stop';
            first = info;
          } else if (info.position + info.sizeBytes - first.position > maxBytes) return 'stop';
          last = info;
          return last.position + last.sizeBytes - first.position >= maxBytes ? 'stop' : 'continue';
        },
      ),
    );
    if (first === undefined || last === undefined) return null;
    const length = last.position + last.sizeBytes - first.position;
    const position = first.position;
    const bytes = await this.file.use((handle) => readAt(handle, position, length));
    // Not an assertion: a truncation running concurrently with this lock-free read can shorten the file.
    if (bytes.length !== length) throw new Error(`short read of segment ${this.baseOffset}`);
    return { bytes, nextOffset: last.lastOffset + 1 };
  }

  /** Base offset of the first batch whose max timestamp is >= `timestamp`; null when none here. */
  async findOffsetByTimestamp(timestamp: number): Promise<number | null> {
    if (this.maxTimestamp < timestamp) return null;
    const startRelativeOffset = this.timeIndex.scanStartFor(timestamp);
    let found: number | null = null;
    await this.file.use((handle) =>
      scanBatches(
        handle,
        {
          codec: this.context.codec,
          fromPosition: startRelativeOffset < 0 ? 0 : this.offsetIndex.floorPosition(startRelativeOffset),
          endPosition: this.sizeBytes,
          validate: false,
        },
        (info) => {
          if (info.maxTimestamp < timestamp) return 'continue';
          found = info.baseOffset;
          return 'stop';
        },
      ),
    );
    return found;
  }

  /**
   * Cuts the segment before the batch holding `offset` (Kafka truncates at batch boundaries, so the new end
   * may lie below `offset` when it falls inside a batch). Returns the new next offset.
   */
  async truncateTo(offset: number): Promise<number> {
    assert(offset >= this.baseOffset, 'truncation point is inside the segment');
    if (offset >= this.nextOffset) return this.nextOffset;
    let cutPosition = this.sizeBytes;
    await this.file.use((handle) =>
      scanBatches(
        handle,
        {
          codec: this.context.codec,
          fromPosition: this.offsetIndex.floorPosition(offset - this.baseOffset),
          endPosition: this.sizeBytes,
          validate: false,
        },
        (info) => {
          if (info.lastOffset < offset) return 'continue';
          cutPosition = info.position;
          return 'stop';
        },
      ),
    );
    await this.cutAt(cutPosition);
    assert(this.nextOffset <= offset, 'truncation removed the offset');
    return this.nextOffset;
  }

  /** Writes the index entries not yet in the files (all of them after a truncation). */
  async persistIndexes(): Promise<void> {
    if (this.indexFilesStale) {
      await this.context.fs.writeFile(this.indexPath, this.offsetIndex.encode(0));
      await this.context.fs.writeFile(this.timeIndexPath, this.timeIndex.encode(0));
      this.indexFilesStale = false;
    } else {
      await appendEntries(
        this.context.fs,
        this.indexPath,
        this.persistedOffsetEntries * OFFSET_ENTRY_BYTES,
        () => this.offsetIndex.encode(this.persistedOffsetEntries),
      );
      await appendEntries(
        this.context.fs,
        this.timeIndexPath,
        this.persistedTimeEntries * TIME_ENTRY_BYTES,
        () => this.timeIndex.encode(this.persistedTimeEntries),
      );
    }
    this.persistedOffsetEntries = this.offsetIndex.length;
    this.persistedTimeEntries = this.timeIndex.length;
  }

  /** Called when the segment stops being active: index its max timestamp so lookups and retention see it. */
  sealTimeIndex(): void {
    if (this.sizeBytes > 0) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
  }

  async flush(): Promise<void> {
    await this.persistIndexes();
    await this.syncData();
  }

  /**
   * fdatasync of the `.log` file alone: what makes its records durable. The index files are left as they are:
   * a segment past the recovery point (the active one) has its indexes rebuilt by recovery after a crash.
   */
  async syncData(): Promise<void> {
    checkStorageFault(this.logPath, 'sync', 0);
    await this.file.use((handle) => handle.datasync());
  }

  async close(): Promise<void> {
    await this.persistIndexes();
    await this.file.close();
  }

  /** Closes the log file without persisting anything (crash simulation, failed logs); never throws. */
  async closeFile(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  /**
   * Keeps the `.log` descriptor open from now on (the pool will not close it): call before the file is
   * renamed or unlinked while this segment is still read (a cleaner's swap, a replaced segment). Await it
   * before the rename: a descriptor the pool had closed is opened again first.
   */
  pinFile(): Promise<void> {
    return this.file.pin();
  }

  /** A cleaned segment's file now has its final name (`logPath`): the pool may close and reopen it. */
  unpinFile(): void {
    this.file.unpin(this.logPath);
  }

  /** Kafka's two-step delete: rename to `.deleted` (the segment is gone for a restart), then unlink. */
  async delete(): Promise<void> {
    await this.file.close();
    await deleteSegmentFiles(this.context.fs, this.context.dir, this.baseOffset);
  }

  private indexBatch(batch: BatchInfo): void {
    // `>`, not `===`: a compacted segment has gaps where the cleaner removed whole batches.
    assert(batch.baseOffset >= this.nextOffset, () => `batch ${batch.baseOffset} follows ${this.nextOffset}`);
    assert(batch.lastOffset >= batch.baseOffset, 'batch last offset >= base offset');
    const relativeOffset = batch.baseOffset - this.baseOffset;
    if (batch.maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = batch.maxTimestamp;
      this.offsetOfMaxTimestamp = relativeOffset;
    }
    if (this.bytesSinceLastIndexEntry >= this.context.indexIntervalBytes) {
      this.offsetIndex.append(relativeOffset, batch.position);
      this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += batch.sizeBytes;
    this.nextOffset = batch.lastOffset + 1;
  }

  /**
   * Opens a segment the log cleaner wrote under a temporary name (`path`): every batch is validated and
   * indexed in memory, but no index file is written, because `<base>.index` still belongs to the segment
   * this one replaces. The swap renames the file to its final name (the handle follows it) and then
   * persists the indexes. Null when the file is not whole (the cleaner fsynced it, so that is a bug or
   * corruption: the swap is abandoned).
   */
  static async openCleaned(
    context: SegmentContext,
    baseOffset: number,
    options: { path: string; nowMs: number },
  ): Promise<LogSegment | null> {
    // Pinned: the file is renamed twice (to the swap name, then over `<base>.log`) while this segment
    // holds it; the install unpins it once it has its final name.
    const file = await PooledFile.open(context.filePool, options.path, 'r+', {
      pinned: true,
      fs: context.fs,
    });
    const segment = new LogSegment(context, file, baseOffset, options.nowMs);
    segment.sizeBytes = (await file.use((handle) => handle.stat())).sizeBytes;
    const fileBytes = segment.sizeBytes;
    const result = await segment.rebuildIndexes();
    if (result.position !== fileBytes) {
      await segment.closeFile();
      return null;
    }
    segment.sealTimeIndex();
    return segment;
  }

  private follows(info: BatchInfo): boolean {
    return this.gapsAllowed ? info.baseOffset >= this.nextOffset : info.baseOffset === this.nextOffset;
  }

  /** Validates every batch, cuts the file at the first bad one and rebuilds both indexes. */
  private async recover(): Promise<RecoveryResult> {
    const fileBytes = this.sizeBytes;
    const result = await this.rebuildIndexes();
    if (result.position < fileBytes) {
      const position = result.position;
      await this.file.use(async (handle) => {
        await handle.truncate(position);
        await handle.datasync();
      });
    }
    await this.persistIndexes();
    return { truncatedBytes: fileBytes - result.position, reason: result.reason };
  }

  /** Scans and validates the file, indexing (in memory) every batch up to the first bad one. */
  private async rebuildIndexes(): Promise<{ position: number; reason: string }> {
    const fileBytes = this.sizeBytes;
    this.resetIndexes();
    this.sizeBytes = 0;
    const result = await this.file.use((handle) =>
      scanBatches(
        handle,
        { codec: this.context.codec, fromPosition: 0, endPosition: fileBytes, validate: true },
        (info) => {
          if (!this.follows(info) || !this.canHoldOffset(info.lastOffset)) return 'invalid';
          this.sizeBytes = info.position + info.sizeBytes;
          this.indexBatch(info);
          return 'continue';
        },
      ),
    );
    assert(result.position === this.sizeBytes, 'recovery ends at the last valid batch');
    this.indexFilesStale = true;
    return { position: result.position, reason: result.reason };
  }

  /** Loads the index files of a cleanly closed segment; false when they are missing or inconsistent. */
  private async loadIndexes(): Promise<boolean> {
    const offsetBytes = await readOptionalFile(this.context.fs, this.indexPath);
    const timeBytes = await readOptionalFile(this.context.fs, this.timeIndexPath);
    if (offsetBytes === null || timeBytes === null) return false;
    const offsetIndex = OffsetIndex.decode(offsetBytes, Math.max(1, this.sizeBytes));
    const timeIndex = TimeIndex.decode(timeBytes, LOG_LIMITS.relativeOffsetMax);
    if (offsetIndex === null || timeIndex === null) return false;
    this.offsetIndex = offsetIndex;
    this.timeIndex = timeIndex;
    if (!(await this.loadTail(this.sizeBytes))) return false;
    this.persistedOffsetEntries = offsetIndex.length;
    this.persistedTimeEntries = timeIndex.length;
    this.indexFilesStale = false;
    return true;
  }

  /**
   * Recomputes next offset, max timestamp and the index cadence from the last offset-index entry to
   * `endPosition` (the indexes before it are trusted). False when the tail does not parse.
   */
  private async loadTail(endPosition: number): Promise<boolean> {
    const n = this.offsetIndex.length;
    const fromPosition = n === 0 ? 0 : this.offsetIndex.positionAt(n - 1);
    this.nextOffset = this.baseOffset + (n === 0 ? 0 : this.offsetIndex.relativeOffsetAt(n - 1));
    this.maxTimestamp = this.timeIndex.length === 0 ? -1 : this.timeIndex.lastTimestamp();
    this.offsetOfMaxTimestamp =
      this.timeIndex.length === 0 ? 0 : this.timeIndex.relativeOffsetAt(this.timeIndex.length - 1);
    let tailMaxTimestamp = -1;
    let tailOffsetOfMax = 0;
    const result = await this.file.use((handle) =>
      scanBatches(
        handle,
        { codec: this.context.codec, fromPosition, endPosition, validate: false },
        (info) => {
          if (!this.follows(info) || !this.canHoldOffset(info.lastOffset)) return 'invalid';
          if (info.maxTimestamp > tailMaxTimestamp) {
            tailMaxTimestamp = info.maxTimestamp;
            tailOffsetOfMax = info.baseOffset - this.baseOffset;
          }
          this.nextOffset = info.lastOffset + 1;
          return 'continue';
        },
      ),
    );
    if (result.outcome !== 'end') return false;
    if (tailMaxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = tailMaxTimestamp;
      this.offsetOfMaxTimestamp = tailOffsetOfMax;
    }
    this.bytesSinceLastIndexEntry = endPosition - fromPosition;
    const lastTimeOffset =
      this.timeIndex.length === 0 ? -1 : this.timeIndex.relativeOffsetAt(this.timeIndex.length - 1);
    return lastTimeOffset < this.nextOffset - this.baseOffset || this.timeIndex.length === 0;
  }

  private async cutAt(position: number): Promise<void> {
    await this.file.use((handle) => handle.truncate(position));
    this.sizeBytes = position;
    this.offsetIndex.truncateToPosition(position);
    // Time entries can only refer to batches before the cut once we know the new end offset; drop entries
    // at or after the first removed batch's offset, which the tail scan below recomputes.
    const n = this.offsetIndex.length;
    this.timeIndex.truncateToRelativeOffset(n === 0 ? 0 : this.offsetIndex.relativeOffsetAt(n - 1) + 1);
    const tailParsed = await this.loadTail(position);
    assert(tailParsed, 'segment tail parses after truncation');
    this.indexFilesStale = true;
  }

  private resetIndexes(): void {
    this.offsetIndex = new OffsetIndex();
    this.timeIndex = new TimeIndex();
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = -1;
    this.offsetOfMaxTimestamp = 0;
    this.bytesSinceLastIndexEntry = 0;
  }
}

async function appendEntries(
  fs: LogFileSystem,
  path: string,
  position: number,
  encode: () => Buffer,
): Promise<void> {
  const bytes = encode();
  if (bytes.length === 0) return;
  const file = await fs.open(path, 'r+');
  try {
    if ((await file.stat()).sizeBytes !== position) await file.truncate(position);
    await writeAt(file, position, bytes);
  } finally {
    await file.close();
  }
}

export async function deleteSegmentFiles(fs: LogFileSystem, dir: string, baseOffset: number): Promise<void> {
  const stem = join(dir, segmentFileStem(baseOffset));
  for (const path of SEGMENT_FILE_SUFFIXES.map((suffix) => stem + suffix)) {
    try {
      await fs.rename(path, path + DELETED_SUFFIX);
      await fs.rm(path + DELETED_SUFFIX, { force: true });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
