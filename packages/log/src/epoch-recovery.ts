/**
 * Loads the leader-epoch cache at open, rebuilding it from the batches when its checkpoint is corrupt
 * or missing while the log holds batches. Every batch carries the leader epoch it was written in, so
 * the first batch of each epoch gives that epoch's start offset: the same entries the cache would
 * have recorded. Before this, a corrupt checkpoint failed the open with STORAGE_ERROR and the broker
 * could not host the partition at all (found by partition-log.corruption.test.ts).
 */
import { TributaryError } from '@tributary/core';
import { LeaderEpochCache } from './epoch-cache.js';
import { readOptionalFile } from './fs-util.js';
import type { LogFileSystem } from './log-fs.js';
import type { LogLogger } from './partition-log.js';
import type { LogSegment } from './segment.js';

export async function loadOrRebuildEpochCache(input: {
  readonly fs: LogFileSystem;
  readonly path: string;
  readonly dir: string;
  readonly segments: readonly LogSegment[];
  readonly logger: LogLogger;
}): Promise<LeaderEpochCache> {
  const { fs, path, dir, segments, logger } = input;
  const text = (await readOptionalFile(fs, path))?.toString('utf8') ?? null;
  if (text !== null) {
    try {
      return LeaderEpochCache.parseCheckpoint(text);
    } catch (error) {
      if (!(error instanceof TributaryError)) throw error;
      logger('error', 'leader-epoch checkpoint is corrupt; rebuilding it from the batches', {
        dir,
        reason: error.message,
      });
    }
  } else if (segments.every((segment) => segment.sizeBytes === 0)) {
    return new LeaderEpochCache();
  } else {
    logger('warn', 'leader-epoch checkpoint is missing; rebuilding it from the batches', { dir });
  }
  const cache = new LeaderEpochCache();
  for (const segment of segments) {
    await segment.forEachBatchHeader((info) => {
      // Batches written before any leader (or by tests) carry -1: no epoch to record.
      if (info.partitionLeaderEpoch >= 0) cache.assign(info.partitionLeaderEpoch, info.baseOffset);
    });
  }
  await cache.save(path, fs);
  return cache;
}
