/**
 * The glue between PartitionLog and ProducerStateManager: turning batch headers into producer batches,
 * the leader's all-or-nothing duplicate rule for one append, and rebuilding the state from the segments.
 */
import { LogAppendError } from './append-validation.js';
import type { BatchInfo } from './batch-codec.js';
import type { LogFileSystem } from './log-fs.js';
import { type AbortedTxnIndexes, abortedEntriesOf } from './log-transactions.js';
import { takeProducerSnapshot, writeProducerSnapshot } from './producer-snapshot.js';
import {
  isIdempotent,
  type ProducerAppend,
  type ProducerBatch,
  type ProducerStateManager,
} from './producer-state.js';
import type { LogSegment } from './segment.js';
import type { AbortedTxnEntry } from './txn-index.js';

export function producerBatchOf(info: BatchInfo): ProducerBatch {
  return {
    producerId: info.producerId,
    producerEpoch: info.producerEpoch,
    baseSequence: info.baseSequence,
    firstOffset: info.baseOffset,
    lastOffset: info.lastOffset,
    maxTimestamp: info.maxTimestamp,
    isTransactional: info.isTransactional,
    isControl: info.isControl,
    controlMarker: info.controlMarker,
    coordinatorEpoch: info.coordinatorEpoch,
  };
}

export type LeaderAppendCheck =
  | { readonly kind: 'append'; readonly producers: ProducerAppend }
  | { readonly kind: 'duplicate'; readonly baseOffset: number; readonly lastOffset: number };

/**
 * Checks the batches of one leader append in order (`batches` carry the offsets they would get). Either
 * every batch is new (append them, then commit `producers`), or every batch is a duplicate of one already
 * in the log (append nothing; answer with the original offsets). A mix is refused: appending only the new
 * part would answer the duplicates with offsets they do not have, and a producer never sends a mix unless
 * its own bookkeeping went wrong.
 */
export function checkLeaderAppend(
  state: ProducerStateManager,
  batches: readonly BatchInfo[],
  nowMs: number,
  origin: 'client' | 'coordinator' = 'client',
): LeaderAppendCheck {
  const producers = state.beginAppend();
  let duplicates = 0;
  let baseOffset = -1;
  let lastOffset = -1;
  for (const info of batches) {
    const verdict = producers.check(producerBatchOf(info), nowMs, origin);
    if (verdict.kind !== 'duplicate') continue;
    if (duplicates === 0) baseOffset = verdict.firstOffset;
    lastOffset = verdict.lastOffset;
    duplicates++;
  }
  if (duplicates === 0) return { kind: 'append', producers };
  if (duplicates === batches.length) return { kind: 'duplicate', baseOffset, lastOffset };
  const idempotent = batches.filter(isIdempotent).length;
  throw new LogAppendError(
    'OUT_OF_ORDER_SEQUENCE',
    `append mixes ${duplicates} duplicate batches with ${batches.length - duplicates} new ones ` +
      `(${idempotent} idempotent in all)`,
  );
}

/**
 * Rebuilds the state from the batch headers of `segments` (oldest first). Every producer found counts as
 * seen at `nowMs`: idle times restart with the process, so a restart never expires a producer early.
 * Commits once per segment, so the scratch copy holds at most one segment's producers.
 */
export async function rebuildProducerState(
  state: ProducerStateManager,
  segments: readonly LogSegment[],
  nowMs: number,
): Promise<Map<LogSegment, AbortedTxnEntry[]>> {
  state.clear();
  // The aborted transactions each segment's ABORT markers closed, as its `.txnindex` must list them. A
  // transaction whose first batches went with retention starts at its first batch still in the log.
  const aborted = new Map<LogSegment, AbortedTxnEntry[]>();
  for (const segment of segments) {
    const producers = state.beginAppend();
    await segment.forEachBatchHeader((info) => producers.record(producerBatchOf(info), nowMs));
    producers.commit();
    const entries = abortedEntriesOf(producers.completedTransactions);
    if (entries.length > 0) aborted.set(segment, entries);
  }
  return aborted;
}

/**
 * The state at open: from the snapshot of the last clean close when there is one that matches the log,
 * else scanned from the segments. Returns where it came from, for the log.
 */
export async function loadProducerState(input: {
  readonly fs: LogFileSystem;
  readonly dir: string;
  readonly clean: boolean;
  readonly state: ProducerStateManager;
  readonly segments: readonly LogSegment[];
  readonly logEndOffset: number;
  readonly nowMs: number;
  readonly txnIndexes: AbortedTxnIndexes;
}): Promise<'snapshot' | 'scan'> {
  const snapshot = await takeProducerSnapshot(input.fs, input.dir);
  const trusted = input.clean && snapshot !== null && snapshot.logEndOffset === input.logEndOffset;
  // The indexes are trusted with the snapshot: both were written before the clean-shutdown marker.
  if (trusted && (await input.txnIndexes.loadAll(input.segments))) {
    input.state.restore(snapshot.entries, input.nowMs, snapshot.lastTransactionalOffset);
    return 'snapshot';
  }
  const aborted = await rebuildProducerState(input.state, input.segments, input.nowMs);
  await input.txnIndexes.replaceAll(input.segments, aborted);
  return 'scan';
}

/** At clean close, before the clean-shutdown marker (which is what makes the snapshot trusted). */
export async function saveProducerState(
  fs: LogFileSystem,
  dir: string,
  state: ProducerStateManager,
  logEndOffset: number,
): Promise<void> {
  const entries = state.entries().map(({ lastUpdateMs: _idle, ...entry }) => entry);
  const lastTransactionalOffset = state.lastTransactionalOffset;
  await writeProducerSnapshot(fs, dir, { logEndOffset, lastTransactionalOffset, entries });
}
