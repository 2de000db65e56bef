import { join } from 'node:path';
import { assert } from '@tributary/core';
import { readOptionalFile, writeFileAtomically } from '../fs-util.js';
import { LOG_LIMITS } from '../limits.js';
import type { LogFileSystem } from '../log-fs.js';
import type { LogLogger } from '../partition-log.js';

/**
 * The cleaner's progress for one log (Kafka's cleaner-offset-checkpoint, kept here in the partition's own
 * directory): the first dirty offset, and when each segment was first cleaned whole, which starts its
 * tombstones' delete.retention.ms (Kafka's delete horizon). Text, replaced atomically after each swap:
 *
 *   1                      version
 *   <firstDirtyOffset>
 *   <n>                    segments with a clean time
 *   <baseOffset> <cleanedAtMs> <swept>   n lines, base offsets ascending; swept is 1 once a pass ran
 *                                        after the segment's delete horizon (its tombstones are gone)
 *
 * A missing or unreadable file means "nothing cleaned yet": the next pass cleans from the log start and
 * every tombstone's horizon starts again (tombstones are kept longer, never shorter).
 */
export const CLEANER_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';
const VERSION = 1;

export interface SegmentCleanState {
  /** The log clock (ms) when the segment was first cleaned whole: its delete horizon is this + retention. */
  readonly cleanedAtMs: number;
  /** A pass ran after the horizon: no tombstone is left to remove. */
  readonly tombstonesSwept: boolean;
}

export interface CleanerCheckpoint {
  readonly firstDirtyOffset: number;
  /** By base offset. */
  readonly segments: ReadonlyMap<number, SegmentCleanState>;
}

export const EMPTY_CLEANER_CHECKPOINT: CleanerCheckpoint = { firstDirtyOffset: 0, segments: new Map() };

export function encodeCleanerCheckpoint(checkpoint: CleanerCheckpoint): string {
  assert(checkpoint.segments.size <= LOG_LIMITS.segmentsPerLogMax, 'a checkpoint line per segment at most');
  const bases = [...checkpoint.segments.keys()].sort((a, b) => a - b);
  const lines = [String(VERSION), String(checkpoint.firstDirtyOffset), String(bases.length)];
  for (const base of bases) {
    const segment = checkpoint.segments.get(base);
    assert(segment !== undefined, 'a listed segment is present');
    lines.push(`${base} ${segment.cleanedAtMs} ${segment.tombstonesSwept ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Null when the text is not a checkpoint this version wrote. */
export function decodeCleanerCheckpoint(text: string): CleanerCheckpoint | null {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== String(VERSION) || lines.length < 3) return null;
  const firstDirtyOffset = parseCount(lines[1]);
  const n = parseCount(lines[2]);
  if (firstDirtyOffset === null || n === null || n > LOG_LIMITS.segmentsPerLogMax || lines.length !== 3 + n) {
    return null;
  }
  const segments = new Map<number, SegmentCleanState>();
  let previous = -1;
  for (const line of lines.slice(3)) {
    const [baseText, timeText, sweptText, ...rest] = line.split(' ');
    const base = parseCount(baseText);
    const cleanedAtMs = parseCount(timeText);
    if (base === null || cleanedAtMs === null || rest.length > 0 || base <= previous) return null;
    if (sweptText !== '0' && sweptText !== '1') return null;
    segments.set(base, { cleanedAtMs, tombstonesSwept: sweptText === '1' });
    previous = base;
  }
  return { firstDirtyOffset, segments };
}

export async function readCleanerCheckpoint(
  fs: LogFileSystem,
  dir: string,
  logger: LogLogger,
): Promise<CleanerCheckpoint | null> {
  const bytes = await readOptionalFile(fs, join(dir, CLEANER_CHECKPOINT_FILE));
  if (bytes === null) return null;
  const checkpoint = decodeCleanerCheckpoint(bytes.toString('utf8'));
  if (checkpoint === null) {
    logger('warn', 'cleaner checkpoint unreadable: the next clean starts at the log start', { dir });
  }
  return checkpoint;
}

export async function writeCleanerCheckpoint(
  fs: LogFileSystem,
  dir: string,
  checkpoint: CleanerCheckpoint,
): Promise<void> {
  await writeFileAtomically(fs, join(dir, CLEANER_CHECKPOINT_FILE), encodeCleanerCheckpoint(checkpoint));
}

function parseCount(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,16}$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
