/**
 * The log start offset checkpoint (Kafka's log-start-offset-checkpoint, one file per partition directory
 * here). The log start is normally the first segment's base offset; DeleteRecords (KIP-107) moves it
 * inside a segment, and only this file remembers that across a restart. Written atomically (temp file,
 * fsync, rename, fsync of the directory) before the new start is used, so records a client was told are
 * deleted never come back after a crash.
 *
 * Format: a version line "0" and the offset, as Kafka's checkpoint files start with a version.
 */
import { join } from 'node:path';
import { TributaryError } from '@tributary/core';
import { readOptionalFile, writeFileAtomically } from './fs-util.js';
import type { LogFileSystem } from './log-fs.js';
import type { LogLogger } from './partition-log.js';

export const LOG_START_OFFSET_FILE = 'log-start-offset-checkpoint';

const VERSION = '0';

export function formatLogStartOffset(offset: number): string {
  return `${VERSION}\n${offset}\n`;
}

/** Strict: anything but the version line and one non-negative safe integer is corruption. */
export function parseLogStartOffset(text: string): number {
  const lines = text.split('\n');
  if (lines.length !== 3 || lines[0] !== VERSION || lines[2] !== '' || !/^\d{1,16}$/.test(lines[1] ?? '')) {
    throw new TributaryError('STORAGE_ERROR', 'log start offset checkpoint is malformed');
  }
  const offset = Number(lines[1]);
  if (!Number.isSafeInteger(offset)) {
    throw new TributaryError('STORAGE_ERROR', `log start offset ${lines[1]} is out of range`);
  }
  return offset;
}

export type LogStartCheckpoint =
  | { readonly kind: 'missing' }
  | { readonly kind: 'found'; readonly offset: number }
  | { readonly kind: 'corrupt'; readonly reason: string };

export async function readLogStartOffset(fs: LogFileSystem, dir: string): Promise<LogStartCheckpoint> {
  const bytes = await readOptionalFile(fs, join(dir, LOG_START_OFFSET_FILE));
  if (bytes === null) return { kind: 'missing' };
  const text = bytes.toString('utf8');
  try {
    return { kind: 'found', offset: parseLogStartOffset(text) };
  } catch (error) {
    if (error instanceof TributaryError) return { kind: 'corrupt', reason: error.message };
    throw error;
  }
}

export async function writeLogStartOffset(fs: LogFileSystem, dir: string, offset: number): Promise<void> {
  await writeFileAtomically(fs, join(dir, LOG_START_OFFSET_FILE), formatLogStartOffset(offset));
}

/**
 * Where a log opened from disk starts: the checkpoint, but never below the first segment (retention
 * deleted segments past an older checkpoint; the file is rewritten only when the start moves inside a
 * segment). `restart` when the checkpoint lies past the log end: a crash lost the tail below a start
 * that was already durable, so everything left is below the start (Kafka's loader deletes it too).
 */
export function resolveLogStart(input: {
  readonly checkpoint: number | null;
  readonly firstBaseOffset: number;
  readonly logEndOffset: number;
}):
  | { readonly kind: 'start'; readonly offset: number }
  | { readonly kind: 'restart'; readonly offset: number } {
  const { checkpoint, firstBaseOffset, logEndOffset } = input;
  if (checkpoint === null || checkpoint <= firstBaseOffset) return { kind: 'start', offset: firstBaseOffset };
  if (checkpoint > logEndOffset) return { kind: 'restart', offset: checkpoint };
  return { kind: 'start', offset: checkpoint };
}

/** The checkpointed log start, or null when there is none; a corrupt one is ignored as Kafka's loader does. */
export async function readLogStartCheckpoint(
  fs: LogFileSystem,
  dir: string,
  logger: LogLogger,
): Promise<number | null> {
  const checkpoint = await readLogStartOffset(fs, dir);
  if (checkpoint.kind === 'found') return checkpoint.offset;
  if (checkpoint.kind === 'corrupt') {
    // Kafka resets to the first segment's base offset: deleted records may be served again until retention
    // removes them, which is better than refusing to host the partition at all.
    logger('error', 'log start offset checkpoint is corrupt; starting at the first segment', {
      dir,
      reason: checkpoint.reason,
    });
  }
  return null;
}
