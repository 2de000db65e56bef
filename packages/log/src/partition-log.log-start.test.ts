/**
 * A log start inside a segment (DeleteRecords, KIP-107): what is below it is never served again, it
 * survives clean and unclean restarts, retention then deletes the segments wholly below it, and
 * truncation and follower appends around it keep log start <= log end.
 */
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogConfig } from './config.js';
import {
  formatLogStartOffset,
  LOG_START_OFFSET_FILE,
  parseLogStartOffset,
  resolveLogStart,
} from './log-start-offset.js';
import { type LogLevel, PartitionLog } from './partition-log.js';
import { baseOffsetOf, buildBatch, splitBatches } from './test-batches.js';

let dir: string;
let logs: PartitionLog[];
let messages: { level: LogLevel; message: string }[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-log-start-'));
  logs = [];
  messages = [];
});

afterEach(async () => {
  for (const log of logs) await log.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** 77-byte batches of 3 records; 1 KiB segments hold 13 of them (39 offsets). */
const CONFIG: Partial<LogConfig> = { segmentBytes: 1024, indexIntervalBytes: 128, retentionMs: -1 };

async function openLog(at = dir): Promise<PartitionLog> {
  const log = await PartitionLog.open({
    dir: at,
    config: CONFIG,
    clock: new ManualClock(1_000_000),
    logger: (level, message) => messages.push({ level, message }),
  });
  logs.push(log);
  return log;
}

async function crashAndReopen(log: PartitionLog): Promise<PartitionLog> {
  logs = logs.filter((l) => l !== log);
  await log.closeWithoutMarker();
  return openLog();
}

async function cleanReopen(log: PartitionLog): Promise<PartitionLog> {
  logs = logs.filter((l) => l !== log);
  await log.close();
  return openLog();
}

/** `count` batches of 3 records each; the first half in epoch 1, the rest in epoch 2. */
async function appendBatches(log: PartitionLog, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await log.append(buildBatch({ recordCount: 3, fill: i % 256 }), {
      leaderEpoch: i < count / 2 ? 1 : 2,
      assignOffsets: true,
    });
  }
}

async function segmentBases(): Promise<number[]> {
  return (await readdir(dir))
    .filter((name) => name.endsWith('.log'))
    .map((name) => Number(name.slice(0, 20)));
}

describe('the log start offset checkpoint', () => {
  it('round-trips and refuses anything else', () => {
    expect(formatLogStartOffset(123456789012)).toBe('0\n123456789012\n');
    expect(parseLogStartOffset(formatLogStartOffset(7))).toBe(7);
    for (const bad of ['', '0\n', '7\n', '1\n7\n', '0\n-1\n', '0\n7', '0\n7\n\n', '0\n99999999999999999\n']) {
      expect(() => parseLogStartOffset(bad), JSON.stringify(bad)).toThrow(/log start offset/);
    }
  });

  it('resolves against the segments on disk', () => {
    const at = (checkpoint: number | null) =>
      resolveLogStart({ checkpoint, firstBaseOffset: 10, logEndOffset: 50 });
    expect(at(null)).toEqual({ kind: 'start', offset: 10 });
    expect(at(4)).toEqual({ kind: 'start', offset: 10 });
    expect(at(30)).toEqual({ kind: 'start', offset: 30 });
    expect(at(50)).toEqual({ kind: 'start', offset: 50 });
    expect(at(51)).toEqual({ kind: 'restart', offset: 51 });
  });
});

describe('advanceLogStartOffset', () => {
  it('serves nothing below the new start, from the batch holding it, across restarts', async () => {
    const log = await openLog();
    await appendBatches(log, 20); // offsets 0..59, epoch 1 from 0, epoch 2 from 30
    expect(await log.advanceLogStartOffset(31)).toBe(31);
    expect(log.logStartOffset).toBe(31);
    expect(await readFile(join(dir, LOG_START_OFFSET_FILE), 'utf8')).toBe('0\n31\n');
    await expect(log.read(30, { maxBytes: 1 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    // Whole batches, as for any fetch: the one holding 31 starts at 30.
    expect(baseOffsetOf((await log.read(31, { maxBytes: 1 })).bytes)).toBe(30);
    expect(log.leaderEpochEntries).toEqual([{ epoch: 2, startOffset: 31 }]);
    // Epoch 1's records are gone: Kafka's answer names it with the first remaining epoch's start.
    expect(log.endOffsetForEpoch(1)).toEqual({ leaderEpoch: 1, endOffset: 31 });

    const reopened = await cleanReopen(log);
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([31, 60]);
    expect(reopened.leaderEpochEntries).toEqual([{ epoch: 2, startOffset: 31 }]);
    await reopened.advanceLogStartOffset(44);
    const crashed = await crashAndReopen(reopened);
    expect([crashed.logStartOffset, crashed.logEndOffset]).toEqual([44, 60]);
    await expect(crashed.read(43, { maxBytes: 1 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
  });

  it('never moves back, refuses a start past the log end, and may equal it', async () => {
    const log = await openLog();
    await appendBatches(log, 4);
    expect(await log.advanceLogStartOffset(5)).toBe(5);
    expect(await log.advanceLogStartOffset(2)).toBe(5);
    await expect(log.advanceLogStartOffset(13)).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    expect(await log.advanceLogStartOffset(12)).toBe(12);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([12, 12]);
    expect((await log.read(12, { maxBytes: 100 })).bytes.length).toBe(0);
    await log.append(buildBatch({ recordCount: 3 }), { leaderEpoch: 2, assignOffsets: true });
    expect(log.logEndOffset).toBe(15);
    expect(log.leaderEpochEntries).toEqual([{ epoch: 2, startOffset: 12 }]);
  });

  it('lets retention delete the segments wholly below it, never the one holding it', async () => {
    const log = await openLog();
    await appendBatches(log, 60);
    const before = await segmentBases();
    expect(before.length).toBeGreaterThan(3);
    const holding = before[2] ?? -1;
    await log.advanceLogStartOffset(holding + 4);
    const result = await log.applyRetention(2_000_000);
    expect(result.deletedSegments).toBe(2);
    expect(result.logStartOffset).toBe(holding + 4);
    expect(await segmentBases()).toEqual(before.slice(2));
    expect(log.logStartOffset).toBe(holding + 4);
    // Deleting up to the log end leaves only the active segment.
    await log.advanceLogStartOffset(log.logEndOffset);
    await log.applyRetention(2_000_000);
    expect(await segmentBases()).toEqual(before.slice(-1));
    const reopened = await cleanReopen(log);
    expect(reopened.logStartOffset).toBe(180);
  });
});

describe('truncation and follower appends around the log start', () => {
  it('truncation below the start restarts there and rewrites the checkpoint', async () => {
    const log = await openLog();
    await appendBatches(log, 10);
    await log.advanceLogStartOffset(20);
    await log.truncateTo(14);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([14, 14]);
    const reopened = await cleanReopen(log);
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([14, 14]);
  });

  it('a cut inside the batch holding the start leaves an empty log at that batch', async () => {
    const log = await openLog();
    await appendBatches(log, 4); // batches at 0, 3, 6, 9
    await log.advanceLogStartOffset(7);
    await log.truncateTo(8); // whole batches: the batch 6..8 goes
    expect([log.logStartOffset, log.logEndOffset]).toEqual([6, 6]);
    const reopened = await crashAndReopen(log);
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([6, 6]);
  });

  it('an empty follower whose start is inside the first batch restarts at the batch and keeps its start', async () => {
    const log = await openLog();
    await log.truncateFullyAndStartAt(31);
    const batches = Buffer.concat([
      buildBatch({ baseOffset: 30, recordCount: 3, leaderEpoch: 4 }),
      buildBatch({ baseOffset: 33, recordCount: 3, leaderEpoch: 5 }),
    ]);
    expect(await log.appendAsFollower(batches)).toEqual({ baseOffset: 30, lastOffset: 35, logEndOffset: 36 });
    expect([log.logStartOffset, log.logEndOffset]).toEqual([31, 36]);
    expect(log.leaderEpochEntries).toEqual([
      { epoch: 4, startOffset: 31 },
      { epoch: 5, startOffset: 33 },
    ]);
    await expect(log.read(30, { maxBytes: 1 })).rejects.toMatchObject({ code: 'OFFSET_OUT_OF_RANGE' });
    expect(splitBatches((await log.read(31, { maxBytes: 1000 })).bytes).map(baseOffsetOf)).toEqual([30, 33]);
    // Only an empty log is restarted: a batch overlapping the log end anywhere else is refused (one past
    // it is a gap the leader's cleaner left, and is taken).
    await expect(log.appendAsFollower(buildBatch({ baseOffset: 35, recordCount: 2 }))).rejects.toMatchObject({
      failure: 'NON_CONTIGUOUS',
    });
    const reopened = await cleanReopen(log);
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([31, 36]);
  });
});

describe('restarting the log', () => {
  it('never shows a concurrent reader a log without segments', async () => {
    const log = await openLog();
    await appendBatches(log, 30);
    let done = false;
    const finished = log.truncateFullyAndStartAt(500).then(() => {
      done = true;
    });
    let observed = 0;
    for (let polls = 0; !done && polls < 100_000; polls++) {
      // Found by the replica tests: a follower's restart left the segment list empty across an await.
      expect(log.logEndOffset).toBeGreaterThanOrEqual(0);
      expect(log.logStartOffset).toBeGreaterThanOrEqual(0);
      observed++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    expect(observed).toBeGreaterThan(0);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([500, 500]);
  });
});

describe('the checkpoint after a crash', () => {
  it('a start past the recovered log end empties the log and restarts it there', async () => {
    const log = await openLog();
    await appendBatches(log, 8); // one segment, offsets 0..23
    await log.advanceLogStartOffset(20);
    const active = join(dir, `${String(0).padStart(20, '0')}.log`);
    logs = logs.filter((l) => l !== log);
    await log.closeWithoutMarker();
    // The tail was never fsynced and is lost: only 4 batches (offsets 0..11) remain.
    await truncate(active, (await stat(active)).size / 2);
    const recovered = await openLog();
    expect([recovered.logStartOffset, recovered.logEndOffset]).toEqual([20, 20]);
    expect(messages.some((m) => m.message.includes('below the checkpointed log start'))).toBe(true);
    await appendBatches(recovered, 1);
    expect(recovered.logEndOffset).toBe(23);
  });

  it('a corrupt checkpoint starts the log at its first segment, as Kafka does', async () => {
    const log = await openLog();
    await appendBatches(log, 8);
    await log.advanceLogStartOffset(10);
    logs = logs.filter((l) => l !== log);
    await log.close();
    await writeFile(join(dir, LOG_START_OFFSET_FILE), 'garbage');
    const recovered = await openLog();
    expect([recovered.logStartOffset, recovered.logEndOffset]).toEqual([0, 24]);
    expect(messages.some((m) => m.level === 'error' && m.message.includes('checkpoint is corrupt'))).toBe(
      true,
    );
    // The leftover of an interrupted atomic write is removed at open, never read.
    await writeFile(join(dir, `${LOG_START_OFFSET_FILE}.tmp`), '0\n5\n');
    const again = await cleanReopen(recovered);
    expect(again.logStartOffset).toBe(0);
    expect((await readdir(dir)).some((name) => name.endsWith('.tmp'))).toBe(false);
  });
});
