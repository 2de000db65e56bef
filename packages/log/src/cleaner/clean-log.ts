import { assert, TributaryError } from '@tributary/core';
import { decodeRecordBatch, RECORD_BATCH_V2_LAYOUT as V2 } from '@tributary/records';
import { LOG_LIMITS } from '../limits.js';
import type { LogFile } from '../log-fs.js';
import type { LogLogger } from '../partition-log.js';
import { LogSegment, type SegmentContext } from '../segment.js';
import { writeAt } from '../segment-scan.js';
import type { AbortedTransaction, AbortedTxnEntry } from '../txn-index.js';
import type { CleanerCheckpoint, SegmentCleanState } from './checkpoint.js';
import { type BatchFilterContext, filterBatch } from './clean-segment.js';
import { OffsetMap } from './offset-map.js';
import { type CleanableState, sweepableSegments } from './plan.js';
import { cleanedPath, discardCleanerFiles, promoteToSwap, type SwapStepHook } from './swap.js';
import { AbortedRanges, observeBatch, TransactionTracker } from './transactions.js';

export interface CleanOptions {
  readonly nowMs: number;
  /** Exclusive; the broker passes min(high watermark, last stable offset). */
  readonly upperBoundOffset: number;
  /** Awaited before reading/writing each chunk of bytes (the manager's IO throttle). */
  readonly throttle?: (bytes: number) => Promise<void>;
  /**
   * Called as each chunk is read or written, so that the manager's byte counters move during a long
   * (throttled) clean instead of jumping when it ends.
   */
  readonly onIo?: (bytesRead: number, bytesWritten: number) => void;
  readonly signal?: AbortSignal;
  /** Keys the offset map may hold in this pass (tests use small maps); LOG_LIMITS.cleanerOffsetMapKeysMax at most. */
  readonly offsetMapKeysMax?: number;
  /** Tests: called at each step of the swap protocol (swap.ts); throwing there simulates a crash. */
  readonly onSwapStep?: SwapStepHook;
}

export interface CleanResult {
  readonly segmentsCleaned: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly recordsRemoved: number;
  /** The first dirty offset after the pass (where the next one starts). */
  readonly firstDirtyOffset: number;
}

/** One segment's cleaned replacement, open and indexed, waiting for the swap. */
export interface CleanedSegment {
  readonly old: LogSegment;
  readonly cleaned: LogSegment;
  /** The cleaned segment's aborted-transaction index when markers went; null: the old one holds. */
  readonly abortedIndex: readonly AbortedTxnEntry[] | null;
}

/** What the cleaner needs of the log (PartitionLog implements it; the swap runs under the log's lock). */
export interface CleanHost {
  readonly dir: string;
  readonly context: SegmentContext;
  readonly logger: LogLogger;
  readonly deleteRetentionMs: number;
  readonly checkpoint: CleanerCheckpoint;
  state(nowMs: number, upperBoundOffset: number): CleanableState | null;
  /** Bumped by every truncation, restart and retention: a pass that saw another value is abandoned. */
  generation(): number;
  /** Every segment, oldest first (a snapshot; the last is the active one). */
  segments(): readonly LogSegment[];
  isProducersLastBatch(producerId: number, lastOffset: number): boolean;
  /** The producer state's view (see TransactionFilterContext.mayBeProducersLastEntry). */
  mayBeProducersLastEntry(producerId: number, offset: number): boolean;
  /** The first offset of the producer's open transaction; undefined when none is open. */
  openTransactionFirstOffset(producerId: number): number | undefined;
  /** Aborted transactions overlapping [fromOffset, upperBoundOffset) (PartitionLog.abortedTransactions). */
  abortedTransactions(fromOffset: number, upperBoundOffset: number): Promise<readonly AbortedTransaction[]>;
  /** The entries of a segment's aborted-transaction index. */
  abortedIndexOf(segment: LogSegment): Promise<readonly AbortedTxnEntry[]>;
  /** Swaps the cleaned segments in and writes the checkpoint; false when the generation moved. */
  install(pass: CleanPass): Promise<boolean>;
}

export interface CleanPass {
  readonly generation: number;
  readonly replacements: readonly CleanedSegment[];
  readonly checkpoint: CleanerCheckpoint;
  readonly onSwapStep: SwapStepHook | undefined;
}

interface Io {
  bytesRead: number;
  bytesWritten: number;
  readonly throttle: ((bytes: number) => Promise<void>) | undefined;
  readonly onIo: ((bytesRead: number, bytesWritten: number) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * One cleaning pass over a log (Kafka's Cleaner.doClean): map the dirty section's keys to their latest
 * offsets, rewrite every closed segment below the map's end keeping what filterBatch keeps, and swap the
 * rewritten segments in (swap.ts). Reads and writes run outside the log's lock; only the swap takes it.
 */
export async function cleanLog(host: CleanHost, options: CleanOptions): Promise<CleanResult> {
  const state = host.state(options.nowMs, options.upperBoundOffset);
  if (state === null) return unchangedResult(0);
  const generation = host.generation();
  const all = host.segments();
  const closed = all.slice(0, -1);
  const sweepable = sweepableSegments({
    closedBaseOffsets: closed.map((segment) => segment.baseOffset),
    checkpoint: host.checkpoint,
    nowMs: options.nowMs,
    deleteRetentionMs: host.deleteRetentionMs,
  });
  const dirty = state.firstUncleanableOffset > state.firstDirtyOffset;
  if (!dirty && sweepable.size === 0) return unchangedResult(state.firstDirtyOffset);
  const io: Io = {
    bytesRead: 0,
    bytesWritten: 0,
    throttle: options.throttle,
    onIo: options.onIo,
    signal: options.signal,
  };
  const offsetMap = new OffsetMap(options.offsetMapKeysMax);
  const written: CleanedSegment[] = [];
  let installing = false;
  try {
    const txnLookup: TxnLookup = { host, all, generation };
    const mapEndOffset = dirty
      ? await buildOffsetMap({ closed, state, offsetMap, io, txnLookup })
      : state.firstDirtyOffset;
    const mapped = mapEndOffset > state.firstDirtyOffset;
    if (!mapped && sweepable.size === 0) return unchangedResult(state.firstDirtyOffset);
    // A pass with nothing new to map only sweeps the segments whose tombstones' horizon passed; it still
    // reads the segments before the last of them, so that a marker's transaction is seen wherever it is.
    const isTarget = (segment: LogSegment) =>
      segment.baseOffset < mapEndOffset && (mapped || sweepable.has(segment.baseOffset));
    const lastTarget = closed.findLast(isTarget);
    const tracker = new TransactionTracker();
    let recordsRemoved = 0;
    for (const segment of closed) {
      if (lastTarget === undefined || segment.baseOffset > lastTarget.baseOffset) break;
      if (!isTarget(segment)) {
        await forEachBatch(segment, segment.baseOffset, io, (batch) => {
          observeBatch(batch, tracker);
          return 'continue';
        });
        continue;
      }
      const result = await rewriteSegment(host, segment, io, {
        offsetMap,
        mapEndOffset,
        tombstonesExpired: sweepable.has(segment.baseOffset),
        isProducersLastBatch: (producerId, lastOffset) => host.isProducersLastBatch(producerId, lastOffset),
        transactions: {
          aborted: await abortedRangesOf(txnLookup, segment),
          tracker,
          markerHorizonPassed: horizonPassed(host, segment.baseOffset, options.nowMs),
          mayBeProducersLastEntry: (producerId, offset) => host.mayBeProducersLastEntry(producerId, offset),
          checkDecided: (producerId, lastOffset) => checkDecided(txnLookup, producerId, lastOffset),
        },
      });
      recordsRemoved += result.recordsRemoved;
      if (result.cleaned === null) continue;
      written.push({ old: segment, cleaned: result.cleaned, abortedIndex: result.abortedIndex });
      options.onSwapStep?.('cleaned-written', segment.baseOffset);
    }
    for (const { old } of written) {
      await promoteToSwap(host.context.fs, host.dir, old.baseOffset);
      options.onSwapStep?.('swap-renamed', old.baseOffset);
    }
    // From here the swap files belong to the install: a failure inside it leaves them for the next open's
    // recovery (swap.ts), since the checkpoint may already say the pass happened.
    installing = true;
    const installed = await host.install({
      generation,
      replacements: written,
      checkpoint: {
        firstDirtyOffset: mapEndOffset,
        segments: nextSegmentStates({
          checkpoint: host.checkpoint,
          all,
          mapEndOffset,
          sweepable,
          ...options,
        }),
      },
      onSwapStep: options.onSwapStep,
    });
    if (!installed) return abandon(host, written, state);
    const result: CleanResult = {
      segmentsCleaned: written.length,
      bytesRead: io.bytesRead,
      bytesWritten: io.bytesWritten,
      recordsRemoved,
      firstDirtyOffset: mapEndOffset,
    };
    host.logger('info', 'log cleaned', { dir: host.dir, ...result });
    return result;
  } catch (error) {
    // A truncation, restart or retention that removed segments under the pass ends it without harm.
    if (installing) throw error;
    if (host.generation() !== generation && !(error instanceof TributaryError)) {
      return abandon(host, written, state);
    }
    await discard(host, written);
    throw error;
  }
}

function unchangedResult(firstDirtyOffset: number): CleanResult {
  return { segmentsCleaned: 0, bytesRead: 0, bytesWritten: 0, recordsRemoved: 0, firstDirtyOffset };
}

async function abandon(
  host: CleanHost,
  written: readonly CleanedSegment[],
  state: CleanableState,
): Promise<CleanResult> {
  host.logger('info', 'cleaning abandoned: the log changed under it', { dir: host.dir });
  await discard(host, written);
  return {
    segmentsCleaned: 0,
    bytesRead: 0,
    bytesWritten: 0,
    recordsRemoved: 0,
    firstDirtyOffset: state.firstDirtyOffset,
  };
}

async function discard(host: CleanHost, written: readonly CleanedSegment[]): Promise<void> {
  for (const { cleaned } of written) await cleaned.closeFile();
  await discardCleanerFiles(
    host.context.fs,
    host.dir,
    written.map(({ old }) => old.baseOffset),
  );
}

/** What the pass needs to place a batch in its transaction. */
interface TxnLookup {
  readonly host: CleanHost;
  /** The log's segments when the pass began (a segment ends where the next begins). */
  readonly all: readonly LogSegment[];
  readonly generation: number;
}

/** The aborted transactions overlapping a segment (Kafka's cleaner asks the log per segment too). */
async function abortedRangesOf(lookup: TxnLookup, segment: LogSegment): Promise<AbortedRanges> {
  const next = lookup.all[lookup.all.indexOf(segment) + 1];
  const end = next?.baseOffset ?? segment.nextOffset;
  return new AbortedRanges(await lookup.host.abortedTransactions(segment.baseOffset, end));
}

/**
 * The pass never reads an open transaction's data: its bound is at most the last stable offset. (After a
 * truncation meanwhile the producer state was rebuilt and may differ; the pass is then abandoned anyway.)
 */
function checkDecided(lookup: TxnLookup, producerId: number, lastOffset: number): void {
  if (lookup.host.generation() !== lookup.generation) return;
  const open = lookup.host.openTransactionFirstOffset(producerId);
  assert(
    open === undefined || open > lastOffset,
    () => `the cleaner reached producer ${producerId}'s open transaction (from ${open}) at ${lastOffset}`,
  );
}

/** Markers wait for delete.retention.ms after their segment's first clean, as tombstones do. */
function horizonPassed(host: CleanHost, baseOffset: number, nowMs: number): boolean {
  const cleaned = host.checkpoint.segments.get(baseOffset);
  return cleaned !== undefined && nowMs >= cleaned.cleanedAtMs + host.deleteRetentionMs;
}

/**
 * Fills the map from the dirty section's batches, oldest first, and returns the map's end: the offset after
 * the last mapped batch (or the base of a batch the first uncleanable offset falls inside), or the first
 * uncleanable offset when everything below it was mapped. Markers and
 * aborted data are passed over, not mapped (an aborted record must not supersede a committed one); committed
 * transactional records are mapped as any other.
 */
async function buildOffsetMap(input: {
  readonly closed: readonly LogSegment[];
  readonly state: CleanableState;
  readonly offsetMap: OffsetMap;
  readonly io: Io;
  readonly txnLookup: TxnLookup;
}): Promise<number> {
  const { closed, offsetMap, io, txnLookup } = input;
  const { firstDirtyOffset, firstUncleanableOffset } = input.state;
  let mapEnd = firstDirtyOffset;
  for (const segment of closed) {
    if (segment.nextOffset <= firstDirtyOffset) continue;
    if (segment.baseOffset >= firstUncleanableOffset) break;
    let full = false;
    let straddled = false;
    const aborted = await abortedRangesOf(txnLookup, segment);
    await forEachBatch(segment, firstDirtyOffset, io, (batch) => {
      const lastOffset = lastOffsetOf(batch);
      if (lastOffset >= firstUncleanableOffset) {
        // The bound (a last stable offset or a caller's bound, not a segment's base) falls inside this
        // batch, which is not mapped: the map ends at its base, so that the pass never claims its records
        // as mapped (the checkpoint's first dirty offset would otherwise pass records no map ever saw, and
        // the superseded values they hide would stay until some later pass read them).
        straddled = true;
        mapEnd = Math.max(mapEnd, batchBaseOffsetOf(batch));
        return 'stop';
      }
      const decoded = decodeRecordBatch(batch);
      if (decoded.isTransactional && !decoded.isControl)
        checkDecided(txnLookup, decoded.producerId, lastOffset);
      const skipped =
        decoded.isControl ||
        (decoded.isTransactional && aborted.isAborted(decoded.producerId, decoded.baseOffset, lastOffset));
      if (!skipped) {
        const keyed = decoded.records.flatMap((record) =>
          record.key === null ? [] : [{ key: OffsetMap.keyOf(record.key), offset: record.offset }],
        );
        if (!offsetMap.putBatch(keyed)) {
          full = true;
          return 'stop';
        }
      }
      mapEnd = lastOffset + 1;
      return 'continue';
    });
    if (full || straddled) return mapEnd;
  }
  return Math.max(mapEnd, firstUncleanableOffset);
}

/**
 * Writes `<stem>.log.cleaned` with the filtered batches, fsyncs it, and opens it as a segment. When no
 * batch changed, the file is dropped and `cleaned` is null: the segment stays as it is.
 */
async function rewriteSegment(
  host: CleanHost,
  segment: LogSegment,
  io: Io,
  filter: BatchFilterContext,
): Promise<{
  cleaned: LogSegment | null;
  recordsRemoved: number;
  abortedIndex: readonly AbortedTxnEntry[] | null;
}> {
  const path = cleanedPath(host.dir, segment.baseOffset);
  const fs = host.context.fs;
  const file = await fs.open(path, 'w');
  let recordsRemoved = 0;
  let changed = false;
  const removedMarkers = new Set<number>();
  try {
    const out = new ChunkWriter(file, io);
    await forEachBatch(
      segment,
      segment.baseOffset,
      io,
      (batch) => {
        const result = filterBatch(batch, filter);
        recordsRemoved += result.recordsRemoved;
        if (result.markerRemoved === true) removedMarkers.add(lastOffsetOf(batch));
        if (result.bytes !== batch) changed = true;
        if (result.bytes !== null) out.add(result.bytes);
        return 'continue';
      },
      () => out.flushIfFull(),
    );
    await out.finish();
    await file.datasync();
  } finally {
    await file.close();
  }
  if (!changed) {
    await fs.rm(path, { force: true });
    return { cleaned: null, recordsRemoved, abortedIndex: null };
  }
  // Kafka keeps a cleaned segment's index entries only for transactions still in the log: an entry goes
  // with its marker (the marker goes only once none of its data is left).
  let abortedIndex: readonly AbortedTxnEntry[] | null = null;
  if (removedMarkers.size > 0) {
    const entries = await host.abortedIndexOf(segment);
    const kept = entries.filter((entry) => !removedMarkers.has(entry.lastOffset));
    if (kept.length < entries.length) abortedIndex = kept;
  }
  const cleaned = await LogSegment.openCleaned(host.context, segment.baseOffset, {
    path,
    nowMs: segment.createdAtMs,
  });
  if (cleaned === null) {
    await fs.rm(path, { force: true });
    throw new TributaryError(
      'STORAGE_ERROR',
      `cleaned segment ${segment.baseOffset} of ${host.dir} does not parse`,
    );
  }
  return { cleaned, recordsRemoved, abortedIndex };
}

/** Buffers output batches and writes them a chunk at a time, each through the throttle. */
class ChunkWriter {
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  private position = 0;

  constructor(
    private readonly file: LogFile,
    private readonly io: Io,
  ) {}

  add(bytes: Buffer): void {
    this.parts.push(bytes);
    this.pendingBytes += bytes.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.pendingBytes >= LOG_LIMITS.cleanerChunkBytes) await this.finish();
  }

  async finish(): Promise<void> {
    if (this.pendingBytes === 0) return;
    await this.io.throttle?.(this.pendingBytes);
    const bytes = Buffer.concat(this.parts, this.pendingBytes);
    await writeAt(this.file, this.position, bytes);
    this.position += bytes.length;
    this.io.bytesWritten += bytes.length;
    this.io.onIo?.(0, bytes.length);
    this.parts = [];
    this.pendingBytes = 0;
  }
}

/**
 * Hands every batch of `segment` reaching `fromOffset` to `visit`, a chunk at a time (each chunk passes the
 * throttle and the abort signal); `afterChunk` runs between chunks.
 */
async function forEachBatch(
  segment: LogSegment,
  fromOffset: number,
  io: Io,
  visit: (batch: Buffer) => 'continue' | 'stop',
  afterChunk?: () => Promise<void>,
): Promise<void> {
  let next = Math.max(fromOffset, segment.baseOffset);
  while (next < segment.nextOffset) {
    io.signal?.throwIfAborted();
    await io.throttle?.(Math.min(LOG_LIMITS.cleanerChunkBytes, segment.sizeBytes));
    const part = await segment.read({
      fromOffset: next,
      maxBytes: LOG_LIMITS.cleanerChunkBytes,
      maxOffset: LOG_LIMITS.offsetMax,
      atLeastOneBatch: true,
    });
    if (part === null) return;
    assert(part.nextOffset > next, 'a segment read makes progress');
    io.bytesRead += part.bytes.length;
    io.onIo?.(part.bytes.length, 0);
    let position = 0;
    while (position < part.bytes.length) {
      const size = V2.lengthFieldEnd + part.bytes.readInt32BE(position + V2.batchLength);
      if (visit(part.bytes.subarray(position, position + size)) === 'stop') return;
      position += size;
    }
    next = part.nextOffset;
    await afterChunk?.();
  }
}

function batchBaseOffsetOf(batch: Buffer): number {
  return Number(batch.readBigInt64BE(V2.baseOffset));
}

function lastOffsetOf(batch: Buffer): number {
  return Number(batch.readBigInt64BE(V2.baseOffset)) + batch.readInt32BE(V2.lastOffsetDelta);
}

/**
 * The segment states the checkpoint will hold after this pass: kept for segments still in the log (swept
 * once this pass ran past their horizon), and "cleaned now" for segments cleaned whole for the first time
 * (the next segment starts at or below the map's end), which starts their tombstones' delete.retention.ms.
 */
function nextSegmentStates(input: {
  readonly checkpoint: CleanerCheckpoint;
  readonly all: readonly LogSegment[];
  readonly mapEndOffset: number;
  readonly sweepable: ReadonlySet<number>;
  readonly nowMs: number;
}): Map<number, SegmentCleanState> {
  const states = new Map<number, SegmentCleanState>();
  input.all.slice(0, -1).forEach((segment, i) => {
    const base = segment.baseOffset;
    const previous = input.checkpoint.segments.get(base);
    const next = input.all[i + 1];
    if (previous !== undefined) {
      states.set(base, input.sweepable.has(base) ? { ...previous, tombstonesSwept: true } : previous);
    } else if (next !== undefined && next.baseOffset <= input.mapEndOffset) {
      states.set(base, { cleanedAtMs: input.nowMs, tombstonesSwept: false });
    }
  });
  return states;
}
