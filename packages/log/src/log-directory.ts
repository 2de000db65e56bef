import { dirname, join, relative } from 'node:path';
import { TributaryError } from '@tributary/core';
import { recoverCleanerFiles } from './cleaner/swap.js';
import { isNotFound, readOptionalFile, writeFileAtomically } from './fs-util.js';
import { LOG_LIMITS } from './limits.js';
import type { LogFileSystem } from './log-fs.js';
import { DELETED_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX } from './segment.js';

/** The files of one partition directory besides the segments. */
export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
export const EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
/** Every offset below the recovery point was fsynced; recovery scans only segments that reach past it. */
export const RECOVERY_POINT_FILE = 'recovery-point-offset-checkpoint';

const SEGMENT_NAME = /^(\d{20})\.log$/;

/**
 * Prepares a partition directory for opening: removes leftovers of interrupted deletes and atomic writes
 * and index files without a log, and returns the base offsets of the segments, ascending.
 */
export async function listSegmentBaseOffsets(
  fs: LogFileSystem,
  dir: string,
  cleanerFirstDirtyOffset = 0,
): Promise<number[]> {
  await fs.mkdirRecursive(dir);
  // First the cleaner's interrupted swaps: a finished swap leaves `.deleted` files, removed below.
  await recoverCleanerFiles(fs, dir, cleanerFirstDirtyOffset);
  const names = await fs.readdir(dir);
  const bases: number[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match?.[1] !== undefined) bases.push(Number(match[1]));
  }
  const stems = new Set(bases.map((base) => String(base).padStart(20, '0')));
  // A crash while a segment's files were being deleted (retention, a truncation, the cleaner removing an
  // emptied segment: the `.log` goes first) leaves its indexes; the aborted-transaction index among them
  // would otherwise be taken for a later segment's at the same base offset and hide committed records.
  const indexSuffixes = [INDEX_SUFFIX, TIME_INDEX_SUFFIX, TXN_INDEX_SUFFIX];
  for (const name of names) {
    const orphanIndex =
      indexSuffixes.some((suffix) => name.endsWith(suffix)) && !stems.has(name.slice(0, 20));
    if (name.endsWith(DELETED_SUFFIX) || name.endsWith('.tmp') || orphanIndex) {
      await fs.rm(join(dir, name), { force: true });
    }
  }
  if (bases.length > LOG_LIMITS.segmentsPerLogMax) {
    throw new TributaryError('STORAGE_ERROR', `${dir} holds ${bases.length} segments`);
  }
  for (const base of bases) {
    if (!Number.isSafeInteger(base))
      throw new TributaryError('STORAGE_ERROR', `segment ${base} is out of range`);
  }
  return bases.sort((a, b) => a - b);
}

/**
 * The directories to fsync so that `dir`, made by a recursive mkdir whose first new directory was
 * `firstCreated`, survives power loss: the parent of each new directory (its entry lives there), parents
 * first, then `dir` itself (the entries of the files created in it).
 */
export function createdDirectoriesToSync(firstCreated: string, dir: string): string[] {
  const parents = [dirname(firstCreated)];
  let walked = firstCreated;
  for (const name of relative(firstCreated, dir)
    .split('/')
    .filter((part) => part.length > 0)) {
    parents.push(walked);
    walked = join(walked, name);
  }
  return [...parents, dir];
}

/** Whether the last close was clean; the marker is removed (durably) so a later crash is noticed. */
export async function consumeCleanShutdownMarker(fs: LogFileSystem, dir: string): Promise<boolean> {
  const path = join(dir, CLEAN_SHUTDOWN_FILE);
  try {
    await fs.stat(path);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  await fs.rm(path);
  await fs.syncDirectory(dir);
  return true;
}

export async function writeCleanShutdownMarker(fs: LogFileSystem, dir: string): Promise<void> {
  await fs.writeFile(join(dir, CLEAN_SHUTDOWN_FILE), '');
  await fs.syncDirectory(dir);
}

/** The recovery point, or 0 (recover everything) when the file is missing or unreadable. */
export async function readRecoveryPoint(fs: LogFileSystem, dir: string): Promise<number> {
  const bytes = await readOptionalFile(fs, join(dir, RECOVERY_POINT_FILE));
  if (bytes === null) return 0;
  const value = Number(bytes.toString('utf8').trim());
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

export async function writeRecoveryPoint(fs: LogFileSystem, dir: string, offset: number): Promise<void> {
  await writeFileAtomically(fs, join(dir, RECOVERY_POINT_FILE), `${offset}\n`);
}
