import { join } from 'node:path';
import { AssertionError, assert, type Clock, TributaryError } from '@tributary/core';
import { LogAppendError, ParsedAppend, parseAppendBatches } from './append-validation.js';
import { type BatchCodec, type BatchInfo, kafkaV2BatchCodec } from './batch-codec.js';
import {
  type CleanerCheckpoint,
  EMPTY_CLEANER_CHECKPOINT,
  readCleanerCheckpoint,
  writeCleanerCheckpoint,
} from './cleaner/checkpoint.js';
import {
  type CleanHost,
  type CleanOptions,
  type CleanPass,
  type CleanResult,
  cleanLog,
} from './cleaner/clean-log.js';
import { type CleanableState, planCleaning, sweepableSegments } from './cleaner/plan.js';
import { installSwap } from './cleaner/swap.js';
import {
  type LogConfig,
  type LogConfigChange,
  policyCompacts,
  policyDeletes,
  reconfiguredLogConfig,
  resolveLogConfig,
} from './config.js';
import { type EpochEndOffset, type EpochEntry, LeaderEpochCache } from './epoch-cache.js';
import { loadOrRebuildEpochCache } from './epoch-recovery.js';
import { type FilePool, sharedFilePool } from './file-pool.js';
import { GroupCommit } from './group-commit.js';
import { upperBound } from './indexes.js';
import { LOG_LIMITS } from './limits.js';
import {
  consumeCleanShutdownMarker,
  createdDirectoriesToSync,
  EPOCH_CHECKPOINT_FILE,
  listSegmentBaseOffsets,
  readRecoveryPoint,
  writeCleanShutdownMarker,
  writeRecoveryPoint,
} from './log-directory.js';
import { type LogFileSystem, nodeLogFileSystem } from './log-fs.js';
import { openSegments } from './log-recovery.js';
import { readLogStartCheckpoint, resolveLogStart, writeLogStartOffset } from './log-start-offset.js';
import { AbortedTxnIndexes, abortedEntriesOf } from './log-transactions.js';
import {
  checkLeaderAppend,
  loadProducerState,
  producerBatchOf,
  rebuildProducerState,
  saveProducerState,
} from './producer-log.js';
import { type ProducerAppend, ProducerStateManager } from './producer-state.js';
import { LogSegment, type SegmentContext } from './segment.js';
import {
  type ClockObservation,
  judgedMaxTimestampMs,
  judgedWallNowMs,
  retentionExpired,
  type SegmentAgeInput,
} from './segment-age.js';
import { checkBatchTimestamps } from './timestamp-validation.js';
import type { AbortedTransaction, AbortedTxnEntry } from './txn-index.js';

export type LogLevel = 'info' | 'warn' | 'error';
/** Structured log callback (the broker passes a pino child logger adapter). */
export type LogLogger = (level: LogLevel, message: string, fields: Readonly<Record<string, unknown>>) => void;

export interface PartitionLogOptions {
  readonly dir: string;
  readonly config?: Partial<LogConfig>;
  readonly clock: Clock;
  readonly codec?: BatchCodec;
  readonly logger?: LogLogger;
  /** Where segment descriptors come from; default the process's sharedFilePool (file-pool.ts). */
  readonly filePool?: FilePool;
  /**
   * The file system the log's files live on; default node:fs. Tests pass a SimulatedDisk
   * (`@tributary/log/testing`) to crash the "machine" under the log and check what recovery finds.
   */
  readonly fs?: LogFileSystem;
}

export interface LeaderAppendOptions {
  readonly leaderEpoch: number;
  readonly assignOffsets: true;
  /**
   * Who wrote the batches (Kafka's AppendOrigin): only the transaction coordinator writes control batches
   * (transaction markers); a client's are refused. The group coordinator writes a producer's
   * transactional offset commits as 'coordinator' too: their epoch is fenced but their sequence is not
   * checked (Kafka's origin COORDINATOR). Defaults to 'client'.
   */
  readonly origin?: 'client' | 'coordinator';
}

export interface AppendResult {
  /**
   * True when every batch was a retry of an idempotent producer's batch already in the log: nothing was
   * appended and the offsets are the original ones (which may not be replicated yet).
   */
  readonly duplicate?: boolean;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly logEndOffset: number;
}

export interface ReadOptions {
  /** Soft limit: whole batches only, but at least one batch even when it alone is larger. */
  readonly maxBytes: number;
  /** Exclusive upper bound (e.g. the high watermark); batches reaching it are not returned. */
  readonly maxOffset?: number;
}

export interface ReadResult {
  readonly bytes: Buffer;
  readonly nextOffset: number;
}

export interface RetentionResult {
  readonly deletedSegments: number;
  readonly deletedBytes: number;
  readonly logStartOffset: number;
}

/**
 * A partition's log on disk (Kafka's log layer): segments of whole record batches with sparse indexes,
 * a leader-epoch cache, crash recovery and retention. Mutations (append, truncate, retention, flush, close)
 * run one at a time; reads run concurrently and see a prefix of the log.
 */
export class PartitionLog {
  private readonly segments: LogSegment[];
  private writeChain: Promise<unknown> = Promise.resolve();
  private lastFlushMs: number;
  /**
   * Directories whose entries (a segment file, a new partition directory) are not known to be durable yet,
   * parents first: fsynced at the next flush or close, before either claims anything is durable. A file's
   * fdatasync does not make its name durable (testing/simulated-disk.ts has the model), so without this a
   * flushed new partition vanished with its data on power loss (found by the power-loss property test).
   * Deferred to the flush, as Kafka's LocalLog.flush fsyncs the directory when it flushes new segments,
   * so creating a partition costs no fsync.
   */
  private unsyncedDirectories: string[] = [];
  private state: 'open' | 'closed' | 'failed' = 'open';
  /**
   * Told once when a mutation fails with an untyped (I/O) error and the log turns failed: the broker takes
   * the log's directory offline (Kafka's log-dir failure). Set by the owner after open.
   */
  onStorageFailure: ((error: unknown) => void) | null = null;
  /** Bumped whenever bytes are removed (truncation, retention, restart), so racing reads can tell. */
  private removalGeneration = 0;
  private lastProducerExpiryMs: number;
  /**
   * The log start as DeleteRecords or a restart set it, possibly inside the first segment; the log start is
   * never below the first segment either (retention moves it by deleting segments): see `logStartOffset`.
   */
  private logStartFloor: number;
  /** The cleaner's progress (cleaner-offset-checkpoint); see cleaner/checkpoint.ts. */
  private cleanerCheckpoint: CleanerCheckpoint = EMPTY_CLEANER_CHECKPOINT;
  private cleaning = false;
  /** Reads (and timestamp lookups) running now; segments a clean replaced stay open until none is. */
  private readsInFlight = 0;
  private retiredSegments: LogSegment[] = [];
  /**
   * Every offset below it is fsynced (issue 16, `--durability fsync`): what a power loss of this machine
   * cannot take. Raised by every flush of the active segment (earlier segments were flushed when rolled),
   * lowered by truncation; starts at the recovery point, below which everything was fsynced.
   */
  private durableEnd: number;
  /** flushDurable's group commit: one fsync covers every append since the previous one. */
  private readonly durableCommit = new GroupCommit(() => this.exclusive(() => this.syncActiveData()));
  /** Both clocks when this log was opened: what segment ages are bounded by (segment-age.ts). */
  private readonly openedAt: ClockObservation;

  private constructor(
    private readonly dir: string,
    private config: LogConfig,
    private readonly clock: Clock,
    private readonly context: SegmentContext,
    private readonly logger: LogLogger,
    segments: LogSegment[],
    private readonly epochCache: LeaderEpochCache,
    private recoveryPoint: number,
    private readonly producerState: ProducerStateManager,
    logStartFloor: number,
    private readonly txnIndexes: AbortedTxnIndexes,
  ) {
    this.segments = segments;
    this.logStartFloor = logStartFloor;
    this.durableEnd = Math.min(recoveryPoint, this.logEndOffset);
    this.lastFlushMs = clock.nowMs();
    this.lastProducerExpiryMs = this.lastFlushMs;
    this.openedAt = { wallMs: clock.wallMs(), monotonicMs: clock.nowMs() };
    this.checkInvariants();
  }

  static async open(options: PartitionLogOptions): Promise<PartitionLog> {
    const config = resolveLogConfig(options.config);
    const logger = options.logger ?? (() => {});
    const context: SegmentContext = {
      dir: options.dir,
      codec: options.codec ?? kafkaV2BatchCodec,
      indexIntervalBytes: config.indexIntervalBytes,
      filePool: options.filePool ?? sharedFilePool,
      fs: options.fs ?? nodeLogFileSystem,
    };
    const fs = context.fs;
    // A partition new to this broker (no directory yet) has nothing to recover or load: it starts empty
    // after one mkdir and one file, instead of a dozen reads that would all find nothing. A broker taking
    // 100,000 new partitions at once (issue 15) pays that per partition.
    const firstCreated = await fs.mkdirRecursive(options.dir);
    if (firstCreated !== undefined) {
      const producerState = new ProducerStateManager({
        producerIdExpirationMs: config.producerIdExpirationMs,
      });
      const segment = await LogSegment.create(context, 0, options.clock.nowMs());
      const fresh = new PartitionLog(
        options.dir,
        config,
        options.clock,
        context,
        logger,
        [segment],
        new LeaderEpochCache(),
        0,
        producerState,
        0,
        new AbortedTxnIndexes(fs, options.dir),
      );
      fresh.unsyncedDirectories = createdDirectoriesToSync(firstCreated, options.dir);
      return fresh;
    }
    const cleanerCheckpoint = await readCleanerCheckpoint(fs, options.dir, logger);
    const bases = await listSegmentBaseOffsets(fs, options.dir, cleanerCheckpoint?.firstDirtyOffset);
    const clean = await consumeCleanShutdownMarker(fs, options.dir);
    const recoveryPoint = await readRecoveryPoint(fs, options.dir);
    const nowMs = options.clock.nowMs();
    const segments = await openSegments({
      context,
      bases,
      clean,
      recoveryPoint,
      nowMs,
      logger,
      cleanedBelowOffset: cleanerCheckpoint?.firstDirtyOffset ?? 0,
      compacted: policyCompacts(config.cleanupPolicy),
    });
    const segmentCreated = segments.length === 0;
    if (segmentCreated) segments.push(await LogSegment.create(context, 0, nowMs));
    const epochPath = join(options.dir, EPOCH_CHECKPOINT_FILE);
    const epochCache = await loadOrRebuildEpochCache({
      fs,
      path: epochPath,
      dir: options.dir,
      segments,
      logger,
    });
    const first = segments[0];
    const last = segments[segments.length - 1];
    assert(first !== undefined && last !== undefined, 'a log has at least one segment');
    const start = resolveLogStart({
      checkpoint: await readLogStartCheckpoint(fs, options.dir, logger),
      firstBaseOffset: first.baseOffset,
      logEndOffset: last.nextOffset,
    });
    const endChanged = epochCache.truncateFromEnd(last.nextOffset);
    const startChanged = start.kind === 'start' && epochCache.truncateFromStart(start.offset);
    if (endChanged || startChanged) await epochCache.save(epochPath, fs);
    const producerState = new ProducerStateManager({ producerIdExpirationMs: config.producerIdExpirationMs });
    const txnIndexes = new AbortedTxnIndexes(fs, options.dir);
    const producersFrom = await loadProducerState({
      fs,
      txnIndexes,
      dir: options.dir,
      clean,
      state: producerState,
      segments,
      logEndOffset: last.nextOffset,
      nowMs: options.clock.nowMs(),
    });
    if (producerState.producerCount > 0) {
      logger('info', 'producer state loaded', {
        dir: options.dir,
        from: producersFrom,
        producers: producerState.producerCount,
      });
    }
    const log = new PartitionLog(
      options.dir,
      config,
      options.clock,
      context,
      logger,
      segments,
      epochCache,
      recoveryPoint,
      producerState,
      start.kind === 'start' ? start.offset : first.baseOffset,
      txnIndexes,
    );
    if (cleanerCheckpoint !== null) log.cleanerCheckpoint = cleanerCheckpoint;
    if (segmentCreated) log.unsyncedDirectories = [options.dir];
    if (start.kind === 'restart') {
      logger('warn', 'log end is below the checkpointed log start: restarting the log there', {
        dir: options.dir,
        logStartOffset: start.offset,
        logEndOffset: last.nextOffset,
      });
      await log.truncateFullyAndStartAt(start.offset);
    }
    return log;
  }

  /** The first offset served: records below it are gone (retention) or deleted (DeleteRecords). */
  get logStartOffset(): number {
    return Math.max(this.logStartFloor, this.oldestSegment.baseOffset);
  }

  get logEndOffset(): number {
    return this.activeSegment.nextOffset;
  }

  /** Every offset below it is fsynced (≤ the log end); see flushDurable. */
  get durableEndOffset(): number {
    assert(this.durableEnd <= this.logEndOffset, 'the durable end never passes the log end');
    return this.durableEnd;
  }

  /**
   * Group-committed fsync (GroupCommit): resolves once an fsync that started after this call completed,
   * with the durable end offset then. Concurrent calls share one fsync; one running makes the next wait
   * for it and then share the following one, so appends arriving faster than fsyncs complete cost one
   * fsync per fsync time, not one each. Rejects as flush() does (a storage failure fails the log).
   */
  async flushDurable(): Promise<number> {
    await this.durableCommit.request();
    return this.durableEndOffset;
  }

  /** Fsyncs issued by flushDurable so far (tests: the group commit coalesces). */
  get durableFlushCount(): number {
    return this.durableCommit.commitsStarted;
  }

  get sizeBytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.sizeBytes, 0);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  get leaderEpochEntries(): readonly EpochEntry[] {
    return this.epochCache.list();
  }

  /** The configuration in force (after any reconfigure). */
  get currentConfig(): LogConfig {
    return this.config;
  }

  /**
   * Live reconfiguration (a topic's configs altered while the log is open): `overrides` replace the whole
   * override set the log was opened with, so a key left out goes back to its default. Validated as `open`
   * validates (INVALID_CONFIG, nothing changes). Takes effect at once for what is read per operation:
   * segment.bytes / segment.ms at the next append (the active segment rolls when it would pass the new
   * size; older segments stay as they are), retention at the next applyRetention (the caller runs one right
   * after a retention change), flush at the next append. index.interval.bytes and the producer-id
   * expiration are fixed when the log opens (the segments and producer state hold them) and kept.
   * Synchronous on purpose: an append already past its roll check finishes under the old size.
   */
  reconfigure(overrides: Partial<LogConfig>): readonly LogConfigChange[] {
    this.checkOpen();
    const { config, changes } = reconfiguredLogConfig(this.config, overrides);
    this.config = config;
    if (changes.length > 0) this.logger('info', 'log reconfigured', { dir: this.dir, changes });
    return changes;
  }

  /**
   * The leader path: validates every batch (idempotent producers' sequences included, see
   * producer-log.ts), stamps base offsets from the log end and `leaderEpoch` into the batch headers IN
   * PLACE (fields outside the CRC), and writes all bytes with one write. An append made only of retried
   * batches writes nothing and answers `duplicate` with the original offsets. Takes the bytes, or what
   * parseAppend made of them when the caller read the batch headers already (the leader's produce).
   */
  append(input: Buffer | ParsedAppend, options: LeaderAppendOptions): Promise<AppendResult> {
    const parsed = input instanceof ParsedAppend ? input : null;
    const batches = input instanceof ParsedAppend ? input.bytes : input;
    return this.exclusive(async () => {
      const infos = parsed === null ? parseAppendBatches(this.context.codec, batches) : parsed.batches;
      checkAppendOrigin(infos, options.origin ?? 'client');
      // KIP-937, on what clients write: the broker's own batches (markers, coordinator records) carry its clock.
      if ((options.origin ?? 'client') === 'client') {
        checkBatchTimestamps(infos, {
          nowWallMs: this.clock.wallMs(),
          beforeMaxMs: this.config.messageTimestampBeforeMaxMs,
          afterMaxMs: this.config.messageTimestampAfterMaxMs,
        });
      }
      const epoch = options.leaderEpoch;
      if (epoch < this.epochCache.latestEpoch()) {
        throw new LogAppendError('FENCED_EPOCH', `epoch ${epoch} < ${this.epochCache.latestEpoch()}`);
      }
      let nextOffset = this.logEndOffset;
      const placed = infos.map((info): BatchInfo => {
        const baseOffset = nextOffset;
        nextOffset = baseOffset + (info.lastOffset - info.baseOffset) + 1;
        return { ...info, baseOffset, lastOffset: nextOffset - 1, partitionLeaderEpoch: epoch };
      });
      const nowMs = this.clock.nowMs();
      this.maybeExpireProducers(nowMs);
      const check = checkLeaderAppend(this.producerState, placed, nowMs, options.origin ?? 'client');
      if (check.kind === 'duplicate') {
        const { baseOffset, lastOffset } = check;
        return { duplicate: true, baseOffset, lastOffset, logEndOffset: this.logEndOffset };
      }
      for (const info of placed) {
        this.context.codec.stamp(batches, info.position, {
          baseOffset: info.baseOffset,
          partitionLeaderEpoch: epoch,
        });
      }
      await this.maybeAssignEpoch(epoch, this.logEndOffset);
      const result = await this.appendValidated(batches, placed);
      // The aborted index before the producer state (publishTransactions): a read that sees a transaction
      // closed, the last stable offset past its data, must find it in the index if it was aborted.
      await publishTransactions(check.producers, (entries) => this.indexAborted(entries));
      return result;
    });
  }

  /**
   * Splits and validates an append's batches (lengths, magic, CRC) without appending: the leader's produce
   * parses once, checks the headers, and hands the result to append(). Throws LogAppendError.
   */
  parseAppend(bytes: Buffer): ParsedAppend {
    return ParsedAppend.parse(this.context.codec, bytes);
  }

  /**
   * Whether the first batch of an append comes from an idempotent producer whose earlier batch has not been
   * appended yet. Concurrent requests can arrive out of order (HTTP/2 interleaves their frames), so a
   * leader may wait briefly for the earlier batch instead of refusing this one (see the broker's produce).
   */
  producerSequenceAhead(append: ParsedAppend): boolean {
    const first = append.batches[0];
    if (first === undefined) return false;
    return this.producerState.sequenceAhead(first);
  }

  /** The producer state (read-only use: tests and diagnostics). */
  get producers(): ProducerStateManager {
    return this.producerState;
  }

  /**
   * The follower path: the leader's offsets are kept. Offsets must increase from the log end on, but a
   * batch may start past it (Kafka's rule for appends that keep their offsets): the leader's cleaner removes
   * whole batches, and a follower fetching across one is sent the next batch, so its log gets the same gap
   * (NON_CONTIGUOUS for a batch overlapping the log end or the batch before it). One exception (Kafka's
   * appendRecordsToFollowerOrFutureReplica): an empty log whose start lies inside the first batch. The
   * leader's start is inside a batch after DeleteRecords, and a follower starting over there is sent the
   * whole batch; the log then restarts at the batch's base offset and keeps serving from its start.
   */
  appendAsFollower(batches: Buffer): Promise<AppendResult> {
    return this.exclusive(async () => {
      const infos = parseAppendBatches(this.context.codec, batches);
      const first = infos[0];
      const logStart = this.logStartOffset;
      const straddlesStart =
        first !== undefined &&
        this.logEndOffset === logStart &&
        first.baseOffset < logStart &&
        first.lastOffset >= logStart;
      if (straddlesStart) await this.restartAt(first.baseOffset, logStart);
      let end = this.logEndOffset;
      for (const info of infos) {
        if (info.baseOffset < end || info.lastOffset < info.baseOffset) {
          throw new LogAppendError(
            'NON_CONTIGUOUS',
            `batch at offsets ${info.baseOffset}..${info.lastOffset} overlaps what ends at ${end}`,
          );
        }
        // A leader stamps every batch with its epoch; one without (e.g. -1, a producer's unstamped batch) is bad
        // data from the leader, refused here rather than tripping the epoch cache's assertion.
        if (!Number.isSafeInteger(info.partitionLeaderEpoch) || info.partitionLeaderEpoch < 0) {
          throw new LogAppendError(
            'CORRUPT_BATCH',
            `batch at offset ${info.baseOffset} has no partition leader epoch (${info.partitionLeaderEpoch})`,
          );
        }
        end = info.lastOffset + 1;
      }
      for (const info of infos) await this.maybeAssignEpoch(info.partitionLeaderEpoch, info.baseOffset);
      // The first epoch then starts at the log start, as it would had the log been written from there.
      if (straddlesStart && this.epochCache.truncateFromStart(logStart)) await this.saveEpochCache();
      const result = await this.appendValidated(batches, infos);
      if (straddlesStart) this.checkInvariants();
      // Followers keep the state too, unchecked, so that it is ready when this replica becomes leader.
      const nowMs = this.clock.nowMs();
      this.maybeExpireProducers(nowMs);
      const producers = this.producerState.beginAppend();
      for (const info of infos) producers.record(producerBatchOf(info), nowMs);
      await publishTransactions(producers, (entries) => this.indexAborted(entries));
      return result;
    });
  }

  /** Whole batches from the one holding `fromOffset`, across segments if needed (see ReadOptions). */
  async read(fromOffset: number, options: ReadOptions): Promise<ReadResult> {
    this.checkOpen();
    this.readsInFlight++;
    try {
      return await this.readTracked(fromOffset, options);
    } finally {
      await this.readDone();
    }
  }

  private async readTracked(fromOffset: number, options: ReadOptions): Promise<ReadResult> {
    const logEndOffset = this.logEndOffset;
    if (!Number.isSafeInteger(fromOffset) || fromOffset < this.logStartOffset || fromOffset > logEndOffset) {
      throw new TributaryError(
        'OFFSET_OUT_OF_RANGE',
        `offset ${fromOffset} is outside [${this.logStartOffset}, ${logEndOffset}]`,
      );
    }
    assert(options.maxBytes >= 0, 'maxBytes is not negative');
    const limit = Math.min(options.maxOffset ?? logEndOffset, logEndOffset);
    const generation = this.removalGeneration;
    try {
      return await this.readSegments(fromOffset, Math.min(options.maxBytes, LOG_LIMITS.readBytesMax), limit);
    } catch (error) {
      // Reads do not wait for mutations; one that removed the bytes being read turns into a typed error.
      if (error instanceof TributaryError || error instanceof AssertionError) throw error;
      if (generation !== this.removalGeneration) {
        throw new TributaryError('OFFSET_OUT_OF_RANGE', 'the log was truncated during the read', {
          cause: error,
        });
      }
      if (this.state !== 'open') throw new TributaryError('STORAGE_ERROR', 'the log closed during the read');
      throw error;
    }
  }

  private async readSegments(fromOffset: number, maxBytes: number, limit: number): Promise<ReadResult> {
    const parts: Buffer[] = [];
    let nextOffset = fromOffset;
    let remainingBytes = maxBytes;
    for (const segment of this.segments.slice(this.segmentIndexFor(fromOffset))) {
      if (nextOffset >= limit || (parts.length > 0 && remainingBytes <= 0)) break;
      // An empty segment (the cleaner removed every batch) may lie past `nextOffset`: nothing to read there.
      if (segment.nextOffset <= nextOffset || segment.sizeBytes === 0) continue;
      const atLeastOneBatch = parts.length === 0;
      const part = await segment.read({
        fromOffset: nextOffset,
        maxBytes: remainingBytes,
        maxOffset: limit,
        atLeastOneBatch,
      });
      if (part === null) break;
      parts.push(part.bytes);
      nextOffset = part.nextOffset;
      remainingBytes -= part.bytes.length;
    }
    return { bytes: parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts), nextOffset };
  }

  /**
   * The first offset of the oldest open transaction; null when none is open. The broker's last stable
   * offset is min(high watermark, this ?? high watermark): read_committed consumers read only below it.
   */
  get firstUnstableOffset(): number | null {
    return this.producerState.firstUnstableOffset;
  }

  /**
   * Kafka's collectAbortedTransactions: every aborted transaction overlapping [fromOffset, upperBoundOffset),
   * from the aborted-transaction indexes of the segment holding `fromOffset` and the ones after it. A
   * read_committed consumer drops the records of these producers in these ranges (and every control batch).
   * RESOURCE_EXHAUSTED past LOG_LIMITS.abortedTransactionsPerReadMax (a read of readBytesMax never is).
   */
  async abortedTransactions(
    fromOffset: number,
    upperBoundOffset: number,
  ): Promise<readonly AbortedTransaction[]> {
    this.checkOpen();
    assert(
      Number.isSafeInteger(fromOffset) && Number.isSafeInteger(upperBoundOffset) && fromOffset >= 0,
      () => `aborted transactions range [${fromOffset}, ${upperBoundOffset}) is valid`,
    );
    if (upperBoundOffset <= fromOffset) return [];
    const from = Math.max(fromOffset, this.logStartOffset);
    return this.txnIndexes.collect(
      this.segments.slice(this.segmentIndexFor(from)),
      fromOffset,
      upperBoundOffset,
    );
  }

  /** Base offset of the first batch whose max timestamp is >= `timestamp`; null when none is. */
  async offsetForTimestamp(timestamp: number): Promise<number | null> {
    this.checkOpen();
    this.readsInFlight++;
    try {
      for (const segment of [...this.segments]) {
        const offset = await segment.findOffsetByTimestamp(timestamp);
        if (offset !== null) return offset;
      }
      return null;
    } finally {
      await this.readDone();
    }
  }

  /** Kafka's OffsetsForLeaderEpoch, which a follower uses to find where its log diverges. */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.epochCache.endOffsetFor(epoch, this.logEndOffset);
  }

  /**
   * Removes every batch at or after `offset` (whole batches: the end may land below `offset` when it falls
   * inside one). Below the log start the log is emptied and restarts at `offset`.
   */
  truncateTo(offset: number): Promise<void> {
    return this.exclusive(async () => {
      assert(Number.isSafeInteger(offset) && offset >= 0, 'truncation offset is valid');
      if (offset >= this.logEndOffset) return;
      if (offset <= this.logStartOffset) return this.restartAt(offset);
      this.removalGeneration++;
      while (this.activeSegment.baseOffset >= offset) {
        const removed = this.segments.pop();
        assert(removed !== undefined, 'truncation keeps the first segment');
        await removed.delete();
      }
      const newEnd = await this.activeSegment.truncateTo(offset);
      await this.activeSegment.flush();
      this.durableEnd = Math.min(this.durableEnd, newEnd);
      await this.txnIndexes.truncateTo(this.activeSegment, newEnd);
      if (newEnd < this.logStartFloor) {
        // The cut removed the batch holding a log start DeleteRecords put inside it: nothing is left to
        // serve, and the (empty) log starts where it now ends, as Kafka lowers its start on truncation.
        this.logStartFloor = newEnd;
        await writeLogStartOffset(this.context.fs, this.dir, newEnd);
      }
      if (this.epochCache.truncateFromEnd(newEnd)) await this.saveEpochCache();
      await this.lowerRecoveryPoint(this.activeSegment.baseOffset);
      await this.truncateCleanerCheckpoint();
      // When a removed batch was some producer's, only the log says what its last batches are now. A
      // producer's newest batch is its last in the log, so when none reaches the cut, nothing changes.
      if (this.producerState.hasBatchesFrom(newEnd)) {
        await rebuildProducerState(this.producerState, this.segments, this.clock.nowMs());
      }
      this.logger('info', 'log truncated', { dir: this.dir, requestedOffset: offset, logEndOffset: newEnd });
      this.checkInvariants();
    });
  }

  /** Drops the whole log; the next offset written is `offset` (a follower far behind the leader's start). */
  truncateFullyAndStartAt(offset: number): Promise<void> {
    return this.exclusive(() => this.restartAt(offset));
  }

  /**
   * Kafka's maybeIncrementLogStartOffset (DeleteRecords, KIP-107; a follower taking its leader's start):
   * records below `offset` are never served again, though their bytes stay until retention deletes the
   * segments wholly below it. Durable before it takes effect. No-op when `offset` is not past the log start;
   * OFFSET_OUT_OF_RANGE past the log end (the caller checked against its high watermark, but a truncation
   * may have run in between). Resolves with the log start after the call.
   */
  advanceLogStartOffset(offset: number): Promise<number> {
    return this.exclusive(async () => {
      assert(Number.isSafeInteger(offset) && offset >= 0, () => `log start offset ${offset} is valid`);
      if (offset <= this.logStartOffset) return this.logStartOffset;
      if (offset > this.logEndOffset) {
        throw new TributaryError('OFFSET_OUT_OF_RANGE', `log start ${offset} > log end ${this.logEndOffset}`);
      }
      await this.syncNewDirectories();
      await writeLogStartOffset(this.context.fs, this.dir, offset);
      this.logStartFloor = offset;
      // Kafka's order: the epoch covering the new start now starts there (older epochs hold no records).
      if (this.epochCache.truncateFromStart(offset)) await this.saveEpochCache();
      this.logger('info', 'log start offset moved', { dir: this.dir, logStartOffset: offset });
      this.checkInvariants();
      return offset;
    });
  }

  /**
   * Deletes whole oldest segments (never the active one) past retentionMs, beyond retentionBytes, or lying
   * entirely below the log start (DeleteRecords: Kafka's deleteLogStartOffsetBreachedSegments).
   */
  applyRetention(nowMs: number): Promise<RetentionResult> {
    return this.exclusive(async () => {
      let totalBytes = this.sizeBytes;
      let deletedSegments = 0;
      let deletedBytes = 0;
      const { retentionMs, retentionBytes } = this.config;
      while (this.segments.length > 1) {
        const oldest = this.oldestSegment;
        // A compact-only log keeps its segments; only the log start (DeleteRecords) removes any.
        const deletes = policyDeletes(this.config.cleanupPolicy);
        // By the segment's newest timestamp, bounded by what this process saw (segment-age.ts): a wall clock
        // jumping forwards deletes nothing that is not that old by real time.
        const expired = deletes && retentionExpired(this.ageInput(oldest, nowMs), retentionMs);
        const oversized = deletes && retentionBytes >= 0 && totalBytes - oldest.sizeBytes >= retentionBytes;
        // Kafka's rule: the segment's range ends where the next one begins. Its last record (nextOffset)
        // would say the same but for a segment compaction emptied (nextOffset = its base): that one would go,
        // moving the log start of a compact-only log past offsets no DeleteRecords asked to remove (and, as a
        // removal, ending the cleaner's pass in progress).
        const deleted = (this.segments[1]?.baseOffset ?? Number.POSITIVE_INFINITY) <= this.logStartFloor;
        if (!expired && !oversized && !deleted) break;
        this.removalGeneration++;
        this.segments.shift();
        await oldest.delete();
        totalBytes -= oldest.sizeBytes;
        deletedBytes += oldest.sizeBytes;
        deletedSegments++;
      }
      if (deletedSegments > 0) {
        if (this.epochCache.truncateFromStart(this.logStartOffset)) await this.saveEpochCache();
        this.logger('info', 'retention deleted segments', {
          dir: this.dir,
          deletedSegments,
          deletedBytes,
          logStartOffset: this.logStartOffset,
        });
      }
      this.checkInvariants();
      return { deletedSegments, deletedBytes, logStartOffset: this.logStartOffset };
    });
  }

  /**
   * The cleaner's view of this log (cleaner/plan.ts): null unless the policy includes compact. Cheap and
   * synchronous: from in-memory segment sizes and the checkpoint. The bound is also held at the log's own
   * first unstable offset (as Kafka's cleanableOffsets): the cleaner never reads an open transaction's
   * data, whatever bound the caller computed (cleanLog asserts it per batch).
   */
  cleanableState(nowMs: number, upperBoundOffset: number): CleanableState | null {
    if (this.state !== 'open' || !policyCompacts(this.config.cleanupPolicy)) return null;
    const firstUnstable = this.producerState.firstUnstableOffset;
    return planCleaning({
      // Judged by the same rule as retention (segment-age.ts), so a wall clock jumping forwards neither
      // compacts records min.compaction.lag.ms protects nor makes every log overdue by max.compaction.lag.ms.
      segments: this.segments.map((segment) => ({
        baseOffset: segment.baseOffset,
        sizeBytes: segment.sizeBytes,
        maxTimestamp: judgedMaxTimestampMs(this.ageInput(segment, nowMs)),
      })),
      logStartOffset: this.logStartOffset,
      logEndOffset: this.logEndOffset,
      checkpointedDirtyOffset: this.cleanerCheckpoint.firstDirtyOffset,
      nowMs,
      upperBoundOffset: firstUnstable === null ? upperBoundOffset : Math.min(upperBoundOffset, firstUnstable),
      minCompactionLagMs: this.config.minCompactionLagMs,
      maxCompactionLagMs: this.config.maxCompactionLagMs,
      sweepableSegments: sweepableSegments({
        closedBaseOffsets: this.segments.slice(0, -1).map((segment) => segment.baseOffset),
        checkpoint: this.cleanerCheckpoint,
        nowMs: this.judgedWallNowMs(nowMs),
        deleteRetentionMs: this.config.deleteRetentionMs,
      }).size,
    });
  }

  /**
   * One compaction pass (cleaner/clean-log.ts): rewrites the closed segments below the first uncleanable
   * offset keeping the last record per key, outside the write lock; only the swap takes it, and a
   * truncation, restart or retention meanwhile abandons the pass. Nothing happens unless the policy
   * includes compact. One pass per log at a time (the cleaner manager runs them; a second is refused).
   */
  async clean(options: CleanOptions): Promise<CleanResult> {
    this.checkOpen();
    assert(Number.isSafeInteger(options.upperBoundOffset), 'the clean bound is an offset');
    if (this.cleaning)
      throw new TributaryError('INVALID_REQUEST', `log ${this.dir} is being cleaned already`);
    this.cleaning = true;
    try {
      // Tombstone horizons (delete.retention.ms) and the times recorded for them, by the jump-proof clock.
      return await cleanLog(this.cleanHost(), { ...options, nowMs: this.judgedWallNowMs(options.nowMs) });
    } finally {
      this.cleaning = false;
    }
  }

  private cleanHost(): CleanHost {
    return {
      dir: this.dir,
      context: this.context,
      logger: this.logger,
      deleteRetentionMs: this.config.deleteRetentionMs,
      checkpoint: this.cleanerCheckpoint,
      state: (nowMs, upperBoundOffset) => this.cleanableState(nowMs, upperBoundOffset),
      generation: () => this.removalGeneration,
      segments: () => [...this.segments],
      isProducersLastBatch: (producerId, lastOffset) =>
        this.producerState.entry(producerId)?.batches.at(-1)?.lastOffset === lastOffset,
      mayBeProducersLastEntry: (producerId, offset) => {
        // A marker holds the producer's epoch; it may go once a later data batch of the producer holds it
        // (or the producer expired: then nothing needs it).
        const entry = this.producerState.entry(producerId);
        if (entry === undefined) return false;
        const newest = entry.batches.at(-1)?.lastOffset;
        return newest === undefined || newest < offset;
      },
      openTransactionFirstOffset: (producerId) => this.producerState.entry(producerId)?.currentTxnFirstOffset,
      abortedTransactions: (fromOffset, upperBoundOffset) =>
        this.abortedTransactions(fromOffset, upperBoundOffset),
      abortedIndexOf: (segment) => this.txnIndexes.entriesOf(segment),
      install: (pass) => this.installCleaned(pass),
    };
  }

  /** The swap (cleaner/swap.ts step 3 and 4), under the write lock. */
  private installCleaned(pass: CleanPass): Promise<boolean> {
    return this.exclusive(async () => {
      if (this.removalGeneration !== pass.generation) return false;
      // The checkpoint first: every swap file is durable, so from here a crash finishes the pass (swap.ts),
      // and the next open must already know that segments below the new first dirty offset may have gaps.
      const bases = new Set(this.segments.map((segment) => segment.baseOffset));
      const segments = new Map([...pass.checkpoint.segments].filter(([base]) => bases.has(base)));
      this.cleanerCheckpoint = { firstDirtyOffset: pass.checkpoint.firstDirtyOffset, segments };
      try {
        await writeCleanerCheckpoint(this.context.fs, this.dir, this.cleanerCheckpoint);
        pass.onSwapStep?.('checkpoint-written', pass.checkpoint.firstDirtyOffset);
        for (const { old, cleaned, abortedIndex } of pass.replacements) {
          const index = this.segments.indexOf(old);
          assert(
            index >= 0 && index < this.segments.length - 1,
            'a cleaned segment is a closed one of the log',
          );
          // The old file is renamed to .deleted and unlinked while reads may still use it (retire).
          await old.pinFile();
          await installSwap(this.context.fs, this.dir, old.baseOffset, pass.onSwapStep);
          cleaned.unpinFile();
          this.segments[index] = cleaned;
          await cleaned.persistIndexes();
          if (abortedIndex !== null) await this.txnIndexes.replace(cleaned, abortedIndex);
          await this.retire(old);
        }
      } catch (error) {
        // The log fails (exclusive) and the swap files wait for the next open's recovery; the cleaned
        // segments not installed yet are nobody's, so their descriptors are closed here rather than left to
        // the garbage collector (which Node deprecates, and which would hold them until it ran).
        for (const { cleaned } of pass.replacements) {
          if (!this.segments.includes(cleaned)) await cleaned.closeFile();
        }
        throw error;
      }
      await this.removeEmptiedSegments(new Set(pass.replacements.map(({ cleaned }) => cleaned)));
      this.checkInvariants();
      return true;
    });
  }

  /**
   * Segments a pass emptied (every record superseded) go, so that a compacted log does not keep a file and
   * its indexes per segment it ever had: reads skip the gap to the next segment and recovery accepts gaps
   * between segments. Never the first segment (its base is the log start) nor the active one. Their aborted
   * indexes are empty (a marker goes only once its transaction's data is gone). A crash in the middle
   * leaves an empty segment or `*.deleted` files, both harmless. (Kafka merges small cleaned segments into
   * groups instead; Tributary does not yet, so a log keeps one segment per non-empty cleaned one.)
   */
  private async removeEmptiedSegments(cleaned: ReadonlySet<LogSegment>): Promise<void> {
    const emptied = this.segments.filter(
      (segment, index) =>
        index > 0 && index < this.segments.length - 1 && cleaned.has(segment) && segment.sizeBytes === 0,
    );
    if (emptied.length === 0) return;
    const gone = new Set(emptied.map((segment) => segment.baseOffset));
    for (let index = this.segments.length - 2; index > 0; index--) {
      if (gone.has(this.segments[index]?.baseOffset ?? -1)) this.segments.splice(index, 1);
    }
    this.cleanerCheckpoint = {
      firstDirtyOffset: this.cleanerCheckpoint.firstDirtyOffset,
      segments: new Map([...this.cleanerCheckpoint.segments].filter(([base]) => !gone.has(base))),
    };
    await writeCleanerCheckpoint(this.context.fs, this.dir, this.cleanerCheckpoint);
    // Reads skip empty segments without touching their files, so the files can go at once.
    for (const segment of emptied) await segment.delete();
    this.logger('info', 'removed segments the cleaner emptied', { dir: this.dir, segments: emptied.length });
  }

  /** A replaced segment's file stays open (already unlinked) until the reads that may use it finish. */
  private async retire(segment: LogSegment): Promise<void> {
    if (this.readsInFlight === 0) await segment.closeFile();
    else this.retiredSegments.push(segment);
  }

  private async readDone(): Promise<void> {
    this.readsInFlight--;
    if (this.readsInFlight === 0 && this.retiredSegments.length > 0) await this.closeRetired();
  }

  private async closeRetired(): Promise<void> {
    const retired = this.retiredSegments;
    this.retiredSegments = [];
    for (const segment of retired) await segment.closeFile();
  }

  /**
   * After a truncation: data at and past the new end is new, so the cleaner must treat it as dirty, and the
   * clean times of segments that are gone or active again (their bases may come back with new records)
   * must not start a horizon for records they never held.
   */
  private async truncateCleanerCheckpoint(): Promise<void> {
    const checkpoint = this.cleanerCheckpoint;
    const activeBase = this.activeSegment.baseOffset;
    const stale = [...checkpoint.segments.keys()].some((base) => base >= activeBase);
    if (checkpoint.firstDirtyOffset <= this.logEndOffset && !stale) return;
    this.cleanerCheckpoint = {
      firstDirtyOffset: Math.min(checkpoint.firstDirtyOffset, this.logEndOffset),
      segments: new Map([...checkpoint.segments].filter(([base]) => base < activeBase)),
    };
    await writeCleanerCheckpoint(this.context.fs, this.dir, this.cleanerCheckpoint);
  }

  /** Fsyncs the active segment and persists its indexes. */
  flush(): Promise<void> {
    return this.exclusive(() => this.flushActive());
  }

  /** Flushes, closes every file and leaves the clean-shutdown marker so the next open skips recovery. */
  close(): Promise<void> {
    if (this.state === 'failed') return this.closeWithoutMarker();
    return this.exclusive(async () => {
      try {
        this.activeSegment.sealTimeIndex();
        await this.activeSegment.flush();
        for (const segment of this.segments) await segment.close();
        await this.closeRetired();
        await saveProducerState(this.context.fs, this.dir, this.producerState, this.logEndOffset);
        await this.syncNewDirectories();
        await writeCleanShutdownMarker(this.context.fs, this.dir);
      } catch (error) {
        // Persisting failed (a full or vanished disk): no clean-shutdown marker, so the next open recovers,
        // and every descriptor is still released rather than left to the garbage collector.
        for (const segment of this.segments) await segment.closeFile();
        await this.closeRetired();
        throw error;
      }
      this.state = 'closed';
    });
  }

  /**
   * Closes the file handles without flushing, persisting indexes or writing the clean-shutdown marker:
   * what a crash leaves behind (tests use it to simulate SIGKILL).
   */
  async closeWithoutMarker(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    await this.writeChain;
    for (const segment of this.segments) await segment.closeFile();
    await this.closeRetired();
  }

  private async appendValidated(bytes: Buffer, batches: readonly BatchInfo[]): Promise<AppendResult> {
    const first = batches[0];
    const last = batches[batches.length - 1];
    assert(first !== undefined && last !== undefined, 'append has batches');
    // `>=`: a follower's append may start past the log end (a gap the leader's cleaner left).
    assert(first.baseOffset >= this.logEndOffset, 'append continues the log');
    await this.maybeRoll(bytes.length, first.baseOffset, last.lastOffset);
    await this.activeSegment.append(bytes, batches);
    const nowMs = this.clock.nowMs();
    const flush = this.config.flush;
    if (
      flush === 'every-write' ||
      (typeof flush === 'object' && nowMs - this.lastFlushMs >= flush.intervalMs)
    ) {
      await this.flushActive();
    }
    assert(this.logEndOffset === last.lastOffset + 1, 'log end follows the appended batches');
    return { baseOffset: first.baseOffset, lastOffset: last.lastOffset, logEndOffset: this.logEndOffset };
  }

  /** The ABORT markers of the append just written, which all went to the active segment. */
  private async indexAborted(entries: readonly AbortedTxnEntry[]): Promise<void> {
    if (entries.length > 0) await this.txnIndexes.addAborted(this.activeSegment, entries);
  }

  private async maybeRoll(appendBytes: number, firstOffset: number, lastOffset: number): Promise<void> {
    const active = this.activeSegment;
    // A follower's append past a gap may not fit an empty segment's relative offsets either.
    const fits = active.canHoldOffset(lastOffset);
    if (active.sizeBytes === 0 && fits) return;
    const segmentMs = this.config.segmentMs;
    const full = active.sizeBytes + appendBytes > this.config.segmentBytes;
    const old = segmentMs !== undefined && this.clock.nowMs() - active.createdAtMs >= segmentMs;
    if (!full && !old && fits) return;
    if (this.segments.length >= LOG_LIMITS.segmentsPerLogMax) {
      throw new TributaryError('RESOURCE_EXHAUSTED', `log ${this.dir} has ${this.segments.length} segments`);
    }
    // Kafka flushes a segment when it stops being active; everything before the new segment is then
    // durable, which is what lets recovery skip it.
    active.sealTimeIndex();
    await active.flush();
    // Kafka rolls at the append's first offset, which is the log end except after a follower's gap.
    const rolled = await LogSegment.create(this.context, firstOffset, this.clock.nowMs());
    assert(rolled.canHoldOffset(lastOffset), 'one append fits the relative offsets of a segment');
    this.segments.push(rolled);
    this.noteNewEntry();
    this.recoveryPoint = rolled.baseOffset;
    await writeRecoveryPoint(this.context.fs, this.dir, this.recoveryPoint);
  }

  /** Sweeps idle producers at most every producerExpirationCheckIntervalMs: a sweep visits them all. */
  private maybeExpireProducers(nowMs: number): void {
    if (nowMs - this.lastProducerExpiryMs < LOG_LIMITS.producerExpirationCheckIntervalMs) return;
    this.lastProducerExpiryMs = nowMs;
    const removed = this.producerState.removeExpired(nowMs);
    if (removed > 0) this.logger('info', 'expired idle producers', { dir: this.dir, removed });
  }

  private async maybeAssignEpoch(epoch: number, startOffset: number): Promise<void> {
    // Written before the batches (Kafka's order): a crash in between leaves an entry at the log end, which
    // recovery's truncateFromEnd removes.
    if (this.epochCache.assign(epoch, startOffset)) await this.saveEpochCache();
  }

  /** Empties the log; it continues at `offset` and serves from `logStart` (>= offset; see appendAsFollower). */
  private async restartAt(offset: number, logStart = offset): Promise<void> {
    assert(Number.isSafeInteger(offset) && offset >= 0, 'restart offset is valid');
    assert(
      Number.isSafeInteger(logStart) && logStart >= offset,
      'a restarted log starts at or after its base',
    );
    this.removalGeneration++;
    // The old segments stay listed until the new one exists: readers never see a log without segments
    // (a read of a deleted file fails as a read racing any removal does).
    for (const segment of this.segments) await segment.delete();
    const fresh = await LogSegment.create(this.context, offset, this.clock.nowMs());
    this.noteNewEntry();
    this.segments.splice(0, this.segments.length, fresh);
    this.durableEnd = offset;
    this.logStartFloor = logStart;
    this.epochCache.clear();
    await this.saveEpochCache();
    this.producerState.clear();
    if (this.cleanerCheckpoint !== EMPTY_CLEANER_CHECKPOINT) {
      this.cleanerCheckpoint = { firstDirtyOffset: offset, segments: new Map() };
      await writeCleanerCheckpoint(this.context.fs, this.dir, this.cleanerCheckpoint);
    }
    this.recoveryPoint = offset;
    await writeRecoveryPoint(this.context.fs, this.dir, offset);
    // A restart may go below a start DeleteRecords set: the checkpoint must not keep the older, higher one.
    await writeLogStartOffset(this.context.fs, this.dir, logStart);
    this.logger('info', 'log restarted', { dir: this.dir, baseOffset: offset, logStartOffset: logStart });
    // With logStart > offset the log ends below its start until the caller's append (appendAsFollower).
    if (logStart === offset) this.checkInvariants();
  }

  /** The caller's wall clock reading, held to real time since this log's open (segment-age.ts). */
  private judgedWallNowMs(nowWallMs: number): number {
    return judgedWallNowMs(this.openedAt, nowWallMs, this.clock.nowMs());
  }

  /** What segment-age.ts judges `segment` by, against the caller's wall clock reading `nowWallMs`. */
  private ageInput(segment: LogSegment, nowWallMs: number): SegmentAgeInput {
    return {
      maxTimestampMs: segment.maxTimestamp,
      observed: this.openedAt,
      nowWallMs,
      nowMonotonicMs: this.clock.nowMs(),
    };
  }

  private async flushActive(): Promise<void> {
    const end = this.logEndOffset;
    await this.activeSegment.flush();
    await this.syncNewDirectories();
    this.lastFlushMs = this.clock.nowMs();
    // Mutations are exclusive, so nothing was appended during the fsync; earlier segments were fsynced when
    // they stopped being active, so the whole log up to `end` is durable.
    this.durableEnd = Math.max(this.durableEnd, end);
  }

  /**
   * flushDurable's fsync: the active segment's data and any new directory entries, without rewriting its index
   * files as flush() does. The active segment lies past the recovery point, so after a crash recovery rebuilds
   * its indexes from the data anyway; the index writes (two files opened, appended and closed per fsync, per
   * partition, on the leader and every follower) were a large part of what `--durability fsync` cost.
   */
  private async syncActiveData(): Promise<void> {
    const end = this.logEndOffset;
    assert(
      this.recoveryPoint <= this.activeSegment.baseOffset,
      'the active segment lies past the recovery point',
    );
    await this.activeSegment.syncData();
    await this.syncNewDirectories();
    this.durableEnd = Math.max(this.durableEnd, end);
  }

  /** A file was created in the log's directory: its entry is durable only after the directory's fsync. */
  private noteNewEntry(): void {
    if (!this.unsyncedDirectories.includes(this.dir)) this.unsyncedDirectories.push(this.dir);
  }

  private async syncNewDirectories(): Promise<void> {
    while (this.unsyncedDirectories.length > 0) {
      const dir = this.unsyncedDirectories[0];
      assert(dir !== undefined, 'a directory to sync');
      await this.context.fs.syncDirectory(dir);
      this.unsyncedDirectories.shift();
    }
  }

  private async lowerRecoveryPoint(offset: number): Promise<void> {
    if (offset >= this.recoveryPoint) return;
    this.recoveryPoint = offset;
    await writeRecoveryPoint(this.context.fs, this.dir, offset);
  }

  private async saveEpochCache(): Promise<void> {
    await this.epochCache.save(join(this.dir, EPOCH_CHECKPOINT_FILE), this.context.fs);
  }

  /** Runs mutations one at a time; a storage failure leaves the log failed (Kafka takes the dir offline). */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.checkOpen();
      try {
        return await task();
      } catch (error) {
        if (!(error instanceof TributaryError) && this.state === 'open') {
          this.state = 'failed';
          this.logger('error', 'log storage failure', { dir: this.dir, error: String(error) });
          this.onStorageFailure?.(error);
        }
        throw error;
      }
    };
    const result = this.writeChain.then(run, run);
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  private checkOpen(): void {
    if (this.state === 'closed') throw new TributaryError('STORAGE_ERROR', `log ${this.dir} is closed`);
    if (this.state === 'failed') throw new TributaryError('STORAGE_ERROR', `log ${this.dir} failed earlier`);
  }

  private segmentIndexFor(offset: number): number {
    const index = upperBound(
      this.segments.map((segment) => segment.baseOffset),
      offset,
    );
    return Math.max(0, index - 1);
  }

  private get activeSegment(): LogSegment {
    const segment = this.segments[this.segments.length - 1];
    assert(segment !== undefined, 'a log has an active segment');
    return segment;
  }

  private get oldestSegment(): LogSegment {
    const segment = this.segments[0];
    assert(segment !== undefined, 'a log has a first segment');
    return segment;
  }

  private checkInvariants(): void {
    assert(this.logEndOffset >= this.logStartOffset, 'log end >= log start');
    for (let i = 1; i < this.segments.length; i++) {
      const previous = this.segments[i - 1];
      const current = this.segments[i];
      assert(previous !== undefined && current !== undefined, 'segments present');
      // Gaps are legal after compaction (Kafka's too); overlaps never are.
      assert(
        current.baseOffset > previous.baseOffset && current.baseOffset >= previous.nextOffset,
        'segment bases increase and each starts at or after the previous one ends',
      );
    }
  }
}

/** Kafka's AppendOrigin check: control batches (transaction markers) come only from the coordinator. */
function checkAppendOrigin(infos: readonly BatchInfo[], origin: 'client' | 'coordinator'): void {
  if (origin === 'coordinator') return;
  for (const info of infos) {
    if (info.isControl) {
      throw new LogAppendError(
        'INVALID_CONTROL_BATCH',
        `a client sent a control batch at byte ${info.position}`,
      );
    }
  }
}

/**
 * Commits an append's producer state after indexing the transactions its ABORT markers closed. The other
 * order left a window (the index write awaits the disk) in which the first unstable offset no longer held
 * the last stable offset below an aborted transaction while the index did not list it yet: read_committed
 * fetches returned its data as committed (found by the chaos suite's aborted-read checker). With no marker
 * in the append nothing is awaited, so data batches become known to the producer state in the same turn
 * as they became readable (an opening transaction holds the last stable offset from the start).
 * Leader and follower appends alike: a follower may become the leader while its append is in flight.
 */
async function publishTransactions(
  producers: ProducerAppend,
  indexAborted: (entries: readonly AbortedTxnEntry[]) => Promise<void>,
): Promise<void> {
  const aborted = abortedEntriesOf(producers.completedTransactions);
  if (aborted.length > 0) await indexAborted(aborted);
  producers.commit();
}
