import { assert, TributaryError } from '@tributary/core';
import { readOptionalFile, writeFileAtomically } from './fs-util.js';
import { LOG_LIMITS } from './limits.js';
import { type LogFileSystem, nodeLogFileSystem } from './log-fs.js';

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

/** Kafka's answer to OffsetsForLeaderEpoch; -1/-1 when the epoch is older than anything known. */
export interface EpochEndOffset {
  readonly leaderEpoch: number;
  readonly endOffset: number;
}

export const UNDEFINED_EPOCH_END: EpochEndOffset = { leaderEpoch: -1, endOffset: -1 };

/**
 * The leader-epoch cache: for each epoch, the first offset written in it (Kafka's LeaderEpochFileCache).
 * Pure and in memory; `toCheckpoint`/`parseCheckpoint` give the file format (Kafka's: a version line "0",
 * a count line, then "epoch startOffset" lines). Invariant: epochs strictly increase and start offsets
 * strictly increase along the list.
 */
export class LeaderEpochCache {
  private entries: EpochEntry[] = [];

  constructor(entries: readonly EpochEntry[] = []) {
    for (const entry of entries) this.assign(entry.epoch, entry.startOffset);
  }

  list(): readonly EpochEntry[] {
    return this.entries;
  }

  latestEpoch(): number {
    return this.entries[this.entries.length - 1]?.epoch ?? -1;
  }

  /**
   * Records that `epoch` starts at `startOffset`. Returns whether the cache changed. An older epoch is
   * ignored (a follower may see it in batches copied before the leader's newer epoch); entries that start
   * at or after `startOffset` are dropped first, since they would hold no records (Kafka does the same).
   */
  assign(epoch: number, startOffset: number): boolean {
    assert(Number.isSafeInteger(epoch) && epoch >= 0, () => `leader epoch ${epoch} is not valid`);
    const latest = this.latestEpoch();
    if (epoch <= latest) return false;
    while ((this.entries[this.entries.length - 1]?.startOffset ?? -1) >= startOffset) this.entries.pop();
    if (this.entries.length >= LOG_LIMITS.epochEntriesMax) this.entries.shift();
    this.entries.push({ epoch, startOffset });
    this.checkInvariants();
    return true;
  }

  /**
   * Kafka's OffsetsForLeaderEpoch: the end offset of `epoch` is the start offset of the first later epoch
   * in the cache, or the log end when `epoch` is the latest. The answer's epoch is the largest known epoch
   * <= the requested one, so a follower can tell it diverged earlier. An epoch older than every entry
   * (its records were deleted: retention, DeleteRecords) answers itself and the first entry's start, as
   * Kafka's LeaderEpochFileCache does: a consumer positioned exactly at the log start keeps its position
   * (UNDEFINED would make it reset by auto.offset.reset), and one positioned below it still finds out,
   * from the fetch's OFFSET_OUT_OF_RANGE. Nothing known at all (or epoch -1) is UNDEFINED.
   */
  endOffsetFor(epoch: number, logEndOffset: number): EpochEndOffset {
    const first = this.entries[0];
    if (first === undefined || epoch < 0) return UNDEFINED_EPOCH_END;
    if (epoch < first.epoch) return { leaderEpoch: epoch, endOffset: first.startOffset };
    const laterIndex = this.entries.findIndex((entry) => entry.epoch > epoch);
    if (laterIndex < 0) return { leaderEpoch: this.latestEpoch(), endOffset: logEndOffset };
    const previous = this.entries[laterIndex - 1];
    const later = this.entries[laterIndex];
    assert(previous !== undefined && later !== undefined, 'epoch cache lookup in range');
    return { leaderEpoch: previous.epoch, endOffset: later.startOffset };
  }

  /** After the log was cut at `endOffset`: epochs starting at or past it are gone. */
  truncateFromEnd(endOffset: number): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.startOffset < endOffset);
    return this.entries.length !== before;
  }

  /** After retention moved the log start: the epoch covering `startOffset` now starts there. */
  truncateFromStart(startOffset: number): boolean {
    let firstKept = 0;
    while ((this.entries[firstKept + 1]?.startOffset ?? Number.POSITIVE_INFINITY) <= startOffset) firstKept++;
    const covering = this.entries[firstKept];
    if (covering === undefined || (firstKept === 0 && covering.startOffset >= startOffset)) return false;
    this.entries = [{ epoch: covering.epoch, startOffset }, ...this.entries.slice(firstKept + 1)];
    this.checkInvariants();
    return true;
  }

  clear(): void {
    this.entries = [];
  }

  toCheckpoint(): string {
    return `0\n${this.entries.length}\n${this.entries.map((e) => `${e.epoch} ${e.startOffset}\n`).join('')}`;
  }

  static parseCheckpoint(text: string): LeaderEpochCache {
    const lines = text.split('\n').filter((line) => line.length > 0);
    const count = Number(lines[1]);
    if (lines[0] !== '0' || !Number.isSafeInteger(count) || count !== lines.length - 2) {
      throw new TributaryError('STORAGE_ERROR', 'leader-epoch checkpoint is malformed');
    }
    if (count > LOG_LIMITS.epochEntriesMax) {
      throw new TributaryError('STORAGE_ERROR', `leader-epoch checkpoint has ${count} entries`);
    }
    const entries = lines.slice(2).map((line) => {
      const [epoch, startOffset] = line.split(' ').map(Number);
      // Negative values would trip assign()'s assertion: they are corruption, not a bug.
      if (
        epoch === undefined ||
        startOffset === undefined ||
        !Number.isSafeInteger(epoch) ||
        !Number.isSafeInteger(startOffset) ||
        epoch < 0 ||
        startOffset < 0
      ) {
        throw new TributaryError('STORAGE_ERROR', `leader-epoch checkpoint line '${line}' is malformed`);
      }
      return { epoch: epoch ?? 0, startOffset: startOffset ?? 0 };
    });
    return new LeaderEpochCache(entries);
  }

  static async load(path: string, fs: LogFileSystem = nodeLogFileSystem): Promise<LeaderEpochCache> {
    const bytes = await readOptionalFile(fs, path);
    return bytes === null ? new LeaderEpochCache() : LeaderEpochCache.parseCheckpoint(bytes.toString('utf8'));
  }

  async save(path: string, fs: LogFileSystem = nodeLogFileSystem): Promise<void> {
    await writeFileAtomically(fs, path, this.toCheckpoint());
  }

  private checkInvariants(): void {
    for (let i = 1; i < this.entries.length; i++) {
      const previous = this.entries[i - 1];
      const current = this.entries[i];
      assert(previous !== undefined && current !== undefined, 'epoch entries present');
      assert(current.epoch > previous.epoch, 'epoch cache: epochs increase');
      assert(current.startOffset > previous.startOffset, 'epoch cache: start offsets increase');
    }
  }
}
