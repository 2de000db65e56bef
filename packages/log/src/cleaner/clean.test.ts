import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogConfig } from '../config.js';
import { PartitionLog } from '../partition-log.js';
import type { SwapStep } from './swap.js';
import { keyedBatch, readAllRecords, type TestRecord } from './test-records.js';

let dirs: string[];
let clock: ManualClock;
let logs: PartitionLog[];

beforeEach(() => {
  dirs = [];
  clock = new ManualClock(1_000_000);
  logs = [];
});

afterEach(async () => {
  for (const log of logs) await log.close().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function openLog(dir?: string, config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  const logDir = dir ?? (await mkdtemp(join(tmpdir(), 'tributary-cleaner-')));
  if (dir === undefined) dirs.push(logDir);
  const log = await PartitionLog.open({
    dir: logDir,
    config: { segmentBytes: 1024, indexIntervalBytes: 128, cleanupPolicy: 'compact', ...config },
    clock,
  });
  logs.push(log);
  return log;
}

function dirOf(log: PartitionLog): string {
  const dir = dirs[logs.indexOf(log)] ?? dirs[dirs.length - 1];
  if (dir === undefined) throw new Error('test: log without a directory');
  return dir;
}

async function appendRecords(log: PartitionLog, records: readonly TestRecord[]): Promise<void> {
  await log.append(keyedBatch({ records, timestampMs: clock.nowMs() }), {
    leaderEpoch: 0,
    assignOffsets: true,
  });
}

/** Fills several segments: key k<i % keys> = v<i>, one record per batch. */
async function fill(log: PartitionLog, count: number, keys: number): Promise<void> {
  for (let i = 0; i < count; i++) await appendRecords(log, [{ key: `k${i % keys}`, value: `v${i}` }]);
}

function lastPerKey(records: readonly { key: string | null; value: string | null; offset: number }[]) {
  const last = new Map<string, { value: string | null; offset: number }>();
  for (const record of records) if (record.key !== null) last.set(record.key, record);
  return last;
}

describe('PartitionLog.clean', () => {
  it('keeps the last record per key below the active segment, with its offset, and the log end', async () => {
    const log = await openLog();
    await fill(log, 200, 7);
    const before = await readAllRecords(log);
    const state = log.cleanableState(clock.nowMs(), log.logEndOffset);
    expect(state?.firstDirtyOffset).toBe(0);
    expect(state?.dirtyRatio).toBe(1);
    const segments = log.segmentCount;
    expect(segments).toBeGreaterThan(3);
    const result = await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
    expect(result.segmentsCleaned).toBe(segments - 1);
    expect(result.firstDirtyOffset).toBe(state?.firstUncleanableOffset);
    const after = await readAllRecords(log);
    expect(log.logEndOffset).toBe(200);
    const bound = result.firstDirtyOffset;
    // Below the bound: exactly the latest record of each key (as of the bound) survives; above: everything.
    const latestBelow = lastPerKey(before.filter((record) => record.offset < bound));
    const expected = before.filter(
      (record) =>
        record.offset >= bound ||
        (record.key !== null && latestBelow.get(record.key)?.offset === record.offset),
    );
    expect(after).toEqual(expected);
    expect(result.recordsRemoved).toBe(before.length - after.length);
    expect(log.cleanableState(clock.nowMs(), log.logEndOffset)?.dirtyBytes).toBe(0);
  });

  it('serves reads from removed offsets (gaps) with the next batch, and survives a reopen', async () => {
    const log = await openLog();
    await fill(log, 100, 3);
    await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
    const part = await log.read(0, { maxBytes: 1 });
    expect(part.bytes.length).toBeGreaterThan(0);
    expect(part.nextOffset).toBeGreaterThan(1);
    expect(await log.offsetForTimestamp(0)).not.toBeNull();
    const records = await readAllRecords(log);
    await log.close();
    const reopened = await openLog(dirOf(log));
    expect(await readAllRecords(reopened)).toEqual(records);
    expect(reopened.logEndOffset).toBe(100);
    // The checkpoint survived: nothing is dirty below the active segment.
    expect(reopened.cleanableState(clock.nowMs(), reopened.logEndOffset)?.dirtyBytes).toBe(0);
  });

  it('drops keyless records and keeps tombstones until delete.retention.ms after their segment was cleaned', async () => {
    const log = await openLog(undefined, { deleteRetentionMs: 60_000 });
    await appendRecords(log, [
      { key: 'a', value: '1' },
      { key: null, value: 'keyless' },
    ]);
    await appendRecords(log, [
      { key: 'a', value: null },
      { key: 'b', value: '2' },
    ]);
    await fill(log, 60, 60);
    const upper = log.logEndOffset;
    await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: upper });
    let records = await readAllRecords(log);
    expect(records.filter((record) => record.key === 'a')).toEqual([{ offset: 2, key: 'a', value: null }]);
    expect(records.some((record) => record.key === null)).toBe(false);
    clock.advance(59_999);
    await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: upper });
    records = await readAllRecords(log);
    expect(records.filter((record) => record.key === 'a')).toEqual([{ offset: 2, key: 'a', value: null }]);
    clock.advance(1);
    await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: upper });
    records = await readAllRecords(log);
    expect(records.filter((record) => record.key === 'a')).toEqual([]);
    expect(records.find((record) => record.key === 'b')).toEqual({ offset: 3, key: 'b', value: '2' });
  });

  it('keeps tombstones through a wall clock jumping a day forwards, until delete.retention.ms of real time', async () => {
    const log = await openLog(undefined, { deleteRetentionMs: 60_000 });
    await appendRecords(log, [{ key: 'a', value: '1' }]);
    await appendRecords(log, [{ key: 'a', value: null }]);
    await fill(log, 60, 60);
    const upper = log.logEndOffset;
    await log.clean({ nowMs: clock.wallMs(), upperBoundOffset: upper });
    clock.jumpWall(86_400_000);
    // Kafka's rule (wall now >= first clean + delete.retention.ms) would drop the tombstone here.
    await log.clean({ nowMs: clock.wallMs(), upperBoundOffset: upper });
    let records = await readAllRecords(log);
    expect(records.filter((record) => record.key === 'a')).toEqual([{ offset: 1, key: 'a', value: null }]);
    clock.advance(60_000);
    await log.clean({ nowMs: clock.wallMs(), upperBoundOffset: upper });
    records = await readAllRecords(log);
    expect(records.filter((record) => record.key === 'a')).toEqual([]);
  });

  it('never cleans at or past the upper bound, nor segments younger than min.compaction.lag.ms', async () => {
    const log = await openLog(undefined, { minCompactionLagMs: 10_000 });
    await fill(log, 60, 2);
    clock.advance(20_000);
    await fill(log, 60, 2);
    const before = await readAllRecords(log);
    const state = log.cleanableState(clock.nowMs(), log.logEndOffset);
    expect(state?.firstUncleanableOffset).toBeLessThanOrEqual(60);
    const result = await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: 30 });
    expect(result.firstDirtyOffset).toBeLessThanOrEqual(30);
    const after = await readAllRecords(log);
    expect(after.filter((record) => record.offset >= 30)).toEqual(
      before.filter((record) => record.offset >= 30),
    );
    expect(after.length).toBeLessThan(before.length);
  });

  it('ends the map at the base of a batch the upper bound falls inside, so the next pass maps that batch', async () => {
    // Regression (transactions property seed 1374570467): a bound inside a batch was reported as the map's
    // end although that batch was never mapped, so its records' superseded values below stayed.
    const log = await openLog();
    await appendRecords(log, [{ key: 'e', value: 'old' }]);
    await fill(log, 20, 4);
    const straddling = log.logEndOffset;
    await appendRecords(log, [
      { key: 'e', value: 'new' },
      { key: 'f', value: 'x' },
      { key: 'f', value: 'y' },
    ]);
    await fill(log, 40, 4);
    expect(log.segmentCount).toBeGreaterThan(2);
    const first = await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: straddling + 1 });
    expect(first.firstDirtyOffset).toBe(straddling);
    expect((await readAllRecords(log)).filter((record) => record.key === 'e')).toEqual([
      { offset: 0, key: 'e', value: 'old' },
      { offset: straddling, key: 'e', value: 'new' },
    ]);
    const second = await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: straddling + 3 });
    expect(second.firstDirtyOffset).toBe(straddling + 3);
    expect((await readAllRecords(log)).filter((record) => record.key === 'e')).toEqual([
      { offset: straddling, key: 'e', value: 'new' },
    ]);
  });

  it("keeps an idempotent producer's last batch (empty if need be): a retry is still a duplicate after a reopen", async () => {
    const log = await openLog();
    const producer = { producerId: 7, producerEpoch: 0 };
    const batches = [0, 1, 2].map((i) =>
      keyedBatch({ records: [{ key: 'p', value: `${i}` }], timestampMs: 1, baseSequence: i, ...producer }),
    );
    for (const batch of batches)
      await log.append(Buffer.from(batch), { leaderEpoch: 0, assignOffsets: true });
    await fill(log, 80, 1);
    // k0 supersedes nothing of "p"; make "p" superseded, so the producer's batch loses its only record.
    await appendRecords(log, [{ key: 'p', value: 'later' }]);
    await fill(log, 40, 1);
    const result = await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
    expect(result.segmentsCleaned).toBeGreaterThan(0);
    expect((await readAllRecords(log)).filter((record) => record.key === 'p').map((r) => r.value)).toEqual([
      'later',
    ]);
    await log.close();
    const reopened = await openLog(dirOf(log));
    const retry = await reopened.append(Buffer.from(batches[2] ?? Buffer.alloc(0)), {
      leaderEpoch: 0,
      assignOffsets: true,
    });
    expect(retry).toMatchObject({ duplicate: true, baseOffset: 2, lastOffset: 2 });
  });

  it('a compact-only log keeps its segments through retention; compact,delete deletes by time', async () => {
    const log = await openLog(undefined, { retentionMs: 1000 });
    await fill(log, 60, 60);
    clock.advance(10_000);
    const segments = log.segmentCount;
    expect((await log.applyRetention(clock.nowMs())).deletedSegments).toBe(0);
    expect(log.segmentCount).toBe(segments);
    log.reconfigure({
      segmentBytes: 1024,
      indexIntervalBytes: 128,
      cleanupPolicy: 'compact,delete',
      retentionMs: 1000,
    });
    expect((await log.applyRetention(clock.nowMs())).deletedSegments).toBe(segments - 1);
    log.reconfigure({ cleanupPolicy: 'delete' });
    expect(log.cleanableState(clock.nowMs(), log.logEndOffset)).toBeNull();
  });

  it('removes the segments a pass emptied, but the first; the log start stays 0 through retention and reopens', async () => {
    const log = await openLog(undefined, { minCleanableDirtyRatio: 0.01 });
    // Three keys over many segments: cleaning empties every segment but the last ones.
    await fill(log, 200, 3);
    const before = lastPerKey(await readAllRecords(log));
    const segments = log.segmentCount;
    const logsBefore = (await readdir(dirOf(log))).filter((name) => name.endsWith('.log'));
    const cleaned = await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
    expect(cleaned.segmentsCleaned).toBeGreaterThan(1);
    // The first (emptied, kept: its base is the log start), the one holding the last values, the active one.
    expect(log.segmentCount).toBeLessThan(segments);
    expect(log.segmentCount).toBeLessThanOrEqual(4);
    const files = (await readdir(dirOf(log))).filter((name) => name.endsWith('.log'));
    expect(files).toHaveLength(log.segmentCount);
    expect(lastPerKey(await readAllRecords(log))).toEqual(before);
    const retention = await log.applyRetention(clock.nowMs());
    expect(retention).toEqual({ deletedSegments: 0, deletedBytes: 0, logStartOffset: 0 });
    expect(log.logStartOffset).toBe(0);
    // A crash in the middle of removing a segment's files (the `.log` goes first) leaves its indexes: the
    // next open removes them, so a later segment at that base never takes them for its own.
    const dir = dirOf(log);
    const removedStem = logsBefore.find((name) => !files.includes(name))?.slice(0, 20);
    expect(removedStem).toBeDefined();
    for (const suffix of ['.index', '.timeindex', '.txnindex']) {
      await writeFile(join(dir, `${removedStem}${suffix}`), Buffer.alloc(12, 1));
    }
    // A clean reopen, then an unclean one (the open scans the segments and their gaps).
    await log.close();
    const afterClean = await openLog(dir, { minCleanableDirtyRatio: 0.01 });
    await afterClean.closeWithoutMarker();
    const afterCrash = await openLog(dir, { minCleanableDirtyRatio: 0.01 });
    expect(afterCrash.segmentCount).toBe(files.length);
    expect((await readdir(dir)).filter((name) => name.startsWith(removedStem ?? '-'))).toEqual([]);
    expect(afterCrash.logStartOffset).toBe(0);
    expect(afterCrash.logEndOffset).toBe(200);
    expect(lastPerKey(await readAllRecords(afterCrash))).toEqual(before);
  });

  it('retention keeps a first segment compaction emptied; DeleteRecords still removes it', async () => {
    const log = await openLog(undefined, { minCleanableDirtyRatio: 0.01 });
    await fill(log, 200, 3);
    await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
    expect((await log.applyRetention(clock.nowMs())).deletedSegments).toBe(0);
    expect(log.logStartOffset).toBe(0);
    // DeleteRecords still removes whole segments below the new start, the emptied ones among them.
    await log.advanceLogStartOffset(199);
    expect((await log.applyRetention(clock.nowMs())).deletedSegments).toBeGreaterThan(0);
    expect(log.segmentCount).toBe(1);
    expect(log.logStartOffset).toBe(199);
  });

  it('abandons the swap when a truncation ran during the pass, leaving no temporary files', async () => {
    const log = await openLog();
    await fill(log, 100, 3);
    let truncation: Promise<void> | undefined;
    const result = await log.clean({
      nowMs: clock.nowMs(),
      upperBoundOffset: log.logEndOffset,
      onSwapStep: (step) => {
        if (step === 'swap-renamed' && truncation === undefined) truncation = log.truncateTo(90);
      },
    });
    await truncation;
    expect(result.segmentsCleaned).toBe(0);
    expect((await readAllRecords(log)).length).toBe(log.logEndOffset);
    expect((await readdir(dirOf(log))).filter((name) => /\.(cleaned|swap|deleted)$/.test(name))).toEqual([]);
  });

  it('refuses conflicting compaction settings', async () => {
    await expect(openLog(undefined, { minCompactionLagMs: 10, maxCompactionLagMs: 5 })).rejects.toMatchObject(
      {
        code: 'INVALID_CONFIG',
      },
    );
    await expect(openLog(undefined, { minCleanableDirtyRatio: 1.5 })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });
});

describe('a crash at each step of the swap', () => {
  const steps: readonly SwapStep[] = [
    'cleaned-written',
    'swap-renamed',
    'old-renamed',
    'swap-installed',
    'deleted-removed',
    'checkpoint-written',
  ];
  for (const step of steps) {
    for (const occurrence of step === 'checkpoint-written' ? [1] : [1, 2]) {
      it(`${step} (#${occurrence}) leaves the old or the cleaned content, and no temporary file after open`, async () => {
        const log = await openLog();
        await fill(log, 150, 5);
        const before = await readAllRecords(log);
        const dir = dirOf(log);
        let seen = 0;
        await expect(
          log.clean({
            nowMs: clock.nowMs(),
            upperBoundOffset: log.logEndOffset,
            onSwapStep: (at) => {
              if (at === step && ++seen === occurrence) throw new Error(`injected crash at ${step}`);
            },
          }),
        ).rejects.toThrow('injected crash');
        await log.closeWithoutMarker();
        const reopened = await openLog(dir);
        const after = await readAllRecords(reopened);
        // Every key's latest value is there, at its offset; whatever else is there is original content.
        expect(lastPerKey(after)).toEqual(lastPerKey(before));
        const original = new Map(before.map((record) => [record.offset, record]));
        for (const record of after) expect(original.get(record.offset)).toEqual(record);
        expect(reopened.logEndOffset).toBe(150);
        expect((await readdir(dir)).filter((name) => /\.(cleaned|swap|deleted)$/.test(name))).toEqual([]);
        // And a later pass finishes the job.
        await reopened.clean({ nowMs: clock.nowMs(), upperBoundOffset: reopened.logEndOffset });
        const cleaned = await readAllRecords(reopened);
        const active = cleaned.filter(
          (record) => record.offset >= (reopened.cleanableState(0, 150)?.firstDirtyOffset ?? 0),
        );
        expect(cleaned.length - active.length).toBeLessThanOrEqual(5);
      });
    }
  }
});
