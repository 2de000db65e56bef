/**
 * The cleaner's on-disk protocol (Kafka's LogCleaner + UnifiedLog.replaceSegments, one cleaned segment per
 * old segment, same base offset). For each segment `<stem>` (its base offset, 20 digits) of one pass:
 *
 *   1. write the cleaned batches to `<stem>.log.cleaned`, fsync it          (outside the log's lock)
 *   2. rename it to `<stem>.log.swap`, fsync the directory — oldest segment first, one at a time
 *   3. under the log's exclusive lock (abandoned, temporary files deleted, if a truncation, restart or
 *      retention ran since the pass began): write `cleaner-offset-checkpoint` (temp + fsync + rename) with
 *      the new first dirty offset, then per segment, oldest first: rename `<stem>.index`, `<stem>.timeindex`,
 *      `<stem>.log` to `*.deleted`, rename `<stem>.log.swap` to `<stem>.log`, fsync the directory, unlink
 *      the `*.deleted` files, write the new index files, and, when the pass removed ABORT markers of the
 *      segment, replace `<stem>.txnindex` atomically (temp + fsync + rename) with the entries of the markers
 *      it kept.
 *
 * The `.txnindex` goes last because the old one is a superset of the new one, and a superset is harmless:
 * an entry whose marker is gone names a transaction none of whose data is left (a marker goes only in a pass
 * that read none of its transaction's batches from the log start, so they were gone before that pass
 * began, cleaner/transactions.ts), so the read_committed
 * filter it feeds drops nothing; and the offsets it covers never take new batches of that producer. A
 * crash anywhere before the replace, recovered or not, leaves that superset; an unclean open rebuilds
 * every `.txnindex` from the log anyway. The reverse (a new index beside the old segment) would hide an
 * aborted transaction whose data is still there, which is why the index never goes before its segment.
 *
 * The checkpoint goes first (Kafka writes it after the swap) because once every swap file is durable the
 * pass is decided: a crash from here on finishes it at the next open. Recovery needs the checkpoint to
 * know that segments below the first dirty offset may have gaps, where elsewhere a gap is a damaged base
 * offset to cut (LogSegment.gapsAllowed).
 *
 * Opening a log first runs `recoverCleanerFiles`: every `*.log.cleaned` is deleted (it may be partial). A
 * `<stem>.log.swap` is complete (fsynced before its rename); when its base is below the checkpointed first
 * dirty offset the swap is finished: the stem's index files (the old segment's: new ones are written only
 * after the swap file is gone) are removed and the swap file renamed over `<stem>.log`. A swap file at or
 * past it belongs to a pass whose checkpoint was never written: it is deleted, the old segment stays (the
 * swaps below are finished all the same, which leaves a prefix of the pass, safe as explained below).
 * `*.deleted` files are removed by listSegmentBaseOffsets as before.
 *
 * Why a crash anywhere leaves a correct log: a cleaned segment drops only records superseded by a later
 * record of the same key, records past the pass's map end are never touched, and tombstones go only once
 * their segment's horizon (checkpointed) has passed. Since swap files become durable oldest
 * first, a crash leaves a prefix of the pass's segments cleaned and the rest as they were; every record a
 * cleaned segment dropped is superseded by one in the same or a later segment, which is either cleaned
 * (kept as the latest) or untouched (kept, with everything else). Readers see old or new segments, never
 * a mix within one: the old file stays open (unlinked) until reads in flight on it have finished.
 */
import { join } from 'node:path';
import { isNotFound } from '../fs-util.js';
import type { LogFileSystem } from '../log-fs.js';
import { DELETED_SUFFIX, INDEX_SUFFIX, LOG_SUFFIX, segmentFileStem, TIME_INDEX_SUFFIX } from '../segment.js';

export const CLEANED_SUFFIX = '.cleaned';
export const SWAP_SUFFIX = '.swap';

/** Steps of the protocol at which tests inject a crash (the hook throws; the log is then closed unflushed). */
export type SwapStep =
  | 'cleaned-written'
  | 'swap-renamed'
  | 'checkpoint-written'
  | 'old-renamed'
  | 'swap-installed'
  | 'deleted-removed';

export type SwapStepHook = (step: SwapStep, baseOffset: number) => void;

export function cleanedPath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileStem(baseOffset) + LOG_SUFFIX + CLEANED_SUFFIX);
}

export function swapPath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileStem(baseOffset) + LOG_SUFFIX + SWAP_SUFFIX);
}

/** Step 2 for one segment: the cleaned file becomes a swap file, durably. */
export async function promoteToSwap(fs: LogFileSystem, dir: string, baseOffset: number): Promise<void> {
  await fs.rename(cleanedPath(dir, baseOffset), swapPath(dir, baseOffset));
  await fs.syncDirectory(dir);
}

/** Step 3's renames for one segment (the caller holds the log's lock and swaps the in-memory segment). */
export async function installSwap(
  fs: LogFileSystem,
  dir: string,
  baseOffset: number,
  hook: SwapStepHook | undefined,
): Promise<void> {
  const stem = join(dir, segmentFileStem(baseOffset));
  // Indexes first: once the old .log is gone, the stem's index files must never be taken for the new one's.
  for (const suffix of [INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX]) {
    await renameIfExists(fs, stem + suffix, stem + suffix + DELETED_SUFFIX);
  }
  hook?.('old-renamed', baseOffset);
  await fs.rename(swapPath(dir, baseOffset), stem + LOG_SUFFIX);
  await fs.syncDirectory(dir);
  hook?.('swap-installed', baseOffset);
  for (const suffix of [INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX]) {
    await fs.rm(stem + suffix + DELETED_SUFFIX, { force: true });
  }
  hook?.('deleted-removed', baseOffset);
}

/** An abandoned pass (the log was truncated meanwhile, or the pass failed): its temporary files go. */
export async function discardCleanerFiles(
  fs: LogFileSystem,
  dir: string,
  baseOffsets: readonly number[],
): Promise<void> {
  for (const base of baseOffsets) {
    await fs.rm(cleanedPath(dir, base), { force: true });
    await fs.rm(swapPath(dir, base), { force: true });
  }
}

/**
 * Run when a log opens, before its segments are listed: deletes partial cleaned files and finishes the
 * interrupted swaps of segments below the checkpointed first dirty offset (see the protocol above).
 * Returns the base offsets whose swap it finished.
 */
export async function recoverCleanerFiles(
  fs: LogFileSystem,
  dir: string,
  cleanerFirstDirtyOffset: number,
): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const finished: number[] = [];
  for (const name of names) {
    if (name.endsWith(LOG_SUFFIX + CLEANED_SUFFIX)) await fs.rm(join(dir, name), { force: true });
  }
  for (const name of names.sort()) {
    const match = /^(\d{20})\.log\.swap$/.exec(name);
    if (match?.[1] === undefined) continue;
    const stem = join(dir, match[1]);
    if (Number(match[1]) >= cleanerFirstDirtyOffset) {
      // The pass never wrote its checkpoint (it was not decided): its segment stays as it was.
      await fs.rm(join(dir, name), { force: true });
      continue;
    }
    await fs.rm(stem + INDEX_SUFFIX, { force: true });
    await fs.rm(stem + TIME_INDEX_SUFFIX, { force: true });
    await fs.rename(join(dir, name), stem + LOG_SUFFIX);
    finished.push(Number(match[1]));
  }
  if (finished.length > 0) await fs.syncDirectory(dir);
  return finished;
}

async function renameIfExists(fs: LogFileSystem, from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
