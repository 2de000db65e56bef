import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, TributaryError } from '@tributary/core';
import { waitFor } from '@tributary/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogConfig } from '../config.js';
import { PartitionLog } from '../partition-log.js';
import { LogCleaner, type LogCleanerOptions } from './log-cleaner.js';
import { keyedBatch, readAllRecords } from './test-records.js';
import type { Sleep } from './throttle.js';

let dirs: string[];
let clock: ManualClock;
let logs: PartitionLog[];
let cleaners: LogCleaner[];

beforeEach(() => {
  dirs = [];
  clock = new ManualClock(1_000_000);
  logs = [];
  cleaners = [];
});

afterEach(async () => {
  for (const cleaner of cleaners) await cleaner.close();
  for (const log of logs) await log.close().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function openLog(config: Partial<LogConfig> = {}): Promise<PartitionLog> {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-log-cleaner-'));
  dirs.push(dir);
  const log = await PartitionLog.open({
    dir,
    config: { segmentBytes: 1024, indexIntervalBytes: 128, cleanupPolicy: 'compact', ...config },
    clock,
  });
  logs.push(log);
  return log;
}

/** `count` single-record batches over `keys` keys (key k<i % keys> = v<i>): several 1 KiB segments. */
async function fill(log: PartitionLog, count: number, keys: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const batch = keyedBatch({
      records: [{ key: `k${i % keys}`, value: `v${i}` }],
      timestampMs: clock.nowMs(),
    });
    await log.append(batch, { leaderEpoch: 0, assignOffsets: true });
  }
}

/** Time only moves through the throttle's sleeps, so the clock shows how long the throttle held the cleaner. */
const advancingSleep: Sleep = async (ms) => clock.advance(ms);

function cleaner(options: Partial<LogCleanerOptions> = {}): LogCleaner {
  const created = new LogCleaner({ clock, backoffMs: 10_000, sleep: advancingSleep, ...options });
  cleaners.push(created);
  return created;
}

/** Registered with the whole log as cleanable (a leader whose high watermark is its log end). */
function register(target: LogCleaner, key: string, log: PartitionLog): void {
  target.register(key, log, () => log.logEndOffset);
}

/** Keys of the records a consumer from the start reads, with the last value it sees per key. */
async function lastValues(log: PartitionLog): Promise<Map<string | null, string | null>> {
  const values = new Map<string | null, string | null>();
  for (const record of await readAllRecords(log)) values.set(record.key, record.value);
  return values;
}

describe('LogCleaner', () => {
  it('cleans the dirtiest cleanable log first, one at a time with one thread', async () => {
    // Both logs cleaned once, then given new records: few keys and many new records make `mostly` dirtier.
    const mostly = await openLog({ minCleanableDirtyRatio: 0.1 });
    const slightly = await openLog({ minCleanableDirtyRatio: 0.1 });
    await fill(mostly, 100, 3);
    await fill(slightly, 100, 90);
    for (const log of [mostly, slightly])
      await log.clean({ nowMs: clock.wallMs(), upperBoundOffset: log.logEndOffset });
    await fill(mostly, 60, 3, 100);
    await fill(slightly, 60, 90, 100);
    const notCompacted = await openLog({ cleanupPolicy: 'delete' });
    await fill(notCompacted, 100, 3);
    const target = cleaner({ threads: 1 });
    register(target, 'slightly', slightly);
    register(target, 'mostly', mostly);
    register(target, 'delete', notCompacted);

    expect(target.tick()).toEqual(['mostly']);
    expect(target.tick()).toEqual([]);
    const ratios = target.stats().dirtyRatios;
    expect(ratios.get('mostly')).toBeGreaterThan(ratios.get('slightly') ?? 1);
    expect(ratios.has('delete')).toBe(false);
    expect(target.stats().maxDirtyRatio).toBe(ratios.get('mostly'));
    await target.whenIdle();
    expect(target.tick()).toEqual(['slightly']);
    await target.whenIdle();
    expect(target.tick()).toEqual([]);

    const stats = target.stats();
    expect(stats.cleansTotal).toBe(2);
    expect(stats.errorsTotal).toBe(0);
    expect(stats.recordsRemovedTotal).toBeGreaterThan(0);
    expect(stats.bytesReadTotal).toBeGreaterThan(stats.bytesWrittenTotal);
    expect(stats.lastCleanWallMs).toBe(clock.wallMs());
    // The delete-policy log is never touched; the compacted ones keep the last value of every key.
    expect((await readAllRecords(notCompacted)).length).toBe(100);
    expect(await lastValues(mostly)).toEqual(
      new Map([
        ['k0', 'v159'],
        ['k1', 'v157'],
        ['k2', 'v158'],
      ]),
    );
  });

  it('runs at most `threads` cleans at once and starts the rest as they finish', async () => {
    const target = cleaner({ threads: 2 });
    for (const key of ['a', 'b', 'c']) {
      const log = await openLog();
      await fill(log, 80, 4);
      register(target, key, log);
    }
    const first = target.tick();
    expect(first).toHaveLength(2);
    expect(target.stats().cleansInProgress).toBe(2);
    expect(target.tick()).toEqual([]);
    await target.whenIdle();
    const second = target.tick();
    expect(second).toHaveLength(1);
    expect([...first, ...second].sort()).toEqual(['a', 'b', 'c']);
    await target.whenIdle();
    expect(target.stats().cleansTotal).toBe(3);
  });

  it('leaves a log below its min.cleanable.dirty.ratio until max.compaction.lag.ms makes it overdue', async () => {
    const log = await openLog({ minCleanableDirtyRatio: 0.9, maxCompactionLagMs: 60_000 });
    await fill(log, 100, 60);
    await log.clean({ nowMs: clock.wallMs(), upperBoundOffset: log.logEndOffset });
    await fill(log, 40, 60, 100);
    const target = cleaner();
    register(target, 'lagging', log);
    expect(target.tick()).toEqual([]);
    const ratio = target.stats().dirtyRatios.get('lagging');
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(0.9);
    clock.advance(60_001);
    expect(target.tick()).toEqual(['lagging']);
    await target.whenIdle();
    expect(target.stats().cleansTotal).toBe(1);
  });

  it('cleans only below the upper bound it is given (the high watermark)', async () => {
    const log = await openLog();
    await fill(log, 100, 3);
    const target = cleaner();
    let highWatermark = 0;
    target.register('bounded', log, () => highWatermark);
    expect(target.tick()).toEqual([]);
    highWatermark = 50;
    expect(target.tick()).toEqual(['bounded']);
    await target.whenIdle();
    const offsets = (await readAllRecords(log)).map((record) => record.offset);
    // Everything from the bound's segment on is still there, record for record.
    const kept = offsets.filter((offset) => offset >= 50);
    expect(kept).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    expect(offsets.filter((offset) => offset < 50).length).toBeLessThan(50);
  });

  it('counts the bytes a clean reads as it reads them, before the clean ends', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let sleeps = 0;
    // The second wait of the throttle holds the clean until the test opens the gate.
    const gatedSleep: Sleep = async (ms) => {
      sleeps++;
      if (sleeps > 1) await gate;
      clock.advance(ms);
    };
    const throttled = cleaner({ ioMaxBytesPerSecond: 2048, sleep: gatedSleep });
    const log = await openLog();
    await fill(log, 200, 5);
    register(throttled, 'held', log);
    expect(throttled.tick()).toEqual(['held']);
    await waitFor('the throttle holding the clean', () => sleeps > 1);
    const during = throttled.stats();
    expect(during.cleansInProgress).toBe(1);
    expect(during.cleansTotal).toBe(0);
    expect(during.bytesReadTotal).toBeGreaterThan(0);
    open();
    await throttled.whenIdle();
    const after = throttled.stats();
    expect(after.cleansTotal).toBe(1);
    expect(after.bytesReadTotal).toBeGreaterThan(during.bytesReadTotal);
  });

  it('holds its reads and writes to io max bytes per second', async () => {
    const rate = 2048;
    const throttled = cleaner({ ioMaxBytesPerSecond: rate });
    const log = await openLog();
    await fill(log, 200, 5);
    register(throttled, 'slow', log);
    const startMs = clock.nowMs();
    expect(throttled.tick()).toEqual(['slow']);
    await throttled.whenIdle();
    const stats = throttled.stats();
    const elapsedMs = clock.nowMs() - startMs;
    // Only the throttle's sleeps move the clock; every byte written went through it, beyond one burst.
    expect(elapsedMs).toBe(stats.throttledMsTotal);
    expect(elapsedMs).toBeGreaterThanOrEqual(
      ((stats.bytesReadTotal + stats.bytesWrittenTotal - 2 * rate) * 1000) / rate / 2,
    );
    expect(elapsedMs).toBeGreaterThanOrEqual(((stats.bytesWrittenTotal - rate) * 1000) / rate);

    const unlimited = cleaner();
    const other = await openLog();
    await fill(other, 200, 5);
    register(unlimited, 'fast', other);
    const before = clock.nowMs();
    unlimited.tick();
    await unlimited.whenIdle();
    expect(clock.nowMs()).toBe(before);
    expect(unlimited.stats().cleansTotal).toBe(1);
  });

  it('unregister aborts a clean in progress and waits for it; the log is left as it was', async () => {
    // A throttle whose sleeps last until aborted: the clean stalls after its first burst.
    const stalling: Sleep = (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const target = cleaner({ ioMaxBytesPerSecond: 1024, sleep: stalling });
    const log = await openLog();
    await fill(log, 200, 5);
    const before = await readAllRecords(log);
    register(target, 'doomed', log);
    expect(target.tick()).toEqual(['doomed']);
    expect(target.isCleaning('doomed')).toBe(true);
    await target.unregister('doomed');
    expect(target.isCleaning('doomed')).toBe(false);
    expect(target.stats()).toMatchObject({ cleansTotal: 0, errorsTotal: 0, cleansInProgress: 0 });
    expect(await readAllRecords(log)).toEqual(before);
    // The cleaner no longer knows the log: nothing starts, and the log closes normally.
    expect(target.tick()).toEqual([]);
    await log.close();
  });

  it('close aborts every clean in progress', async () => {
    const stalling: Sleep = (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const target = cleaner({ ioMaxBytesPerSecond: 1024, sleep: stalling, threads: 2 });
    for (const key of ['x', 'y']) {
      const log = await openLog();
      await fill(log, 200, 5);
      register(target, key, log);
    }
    expect(target.tick()).toHaveLength(2);
    await target.close();
    expect(target.stats()).toMatchObject({ cleansInProgress: 0, errorsTotal: 0 });
    expect(target.tick()).toEqual([]);
  });

  it('a failing clean is counted and its log skipped for a backoff; the others are still cleaned', async () => {
    const target = cleaner({ threads: 1, backoffMs: 10_000 });
    // The broken log's directory is gone: its clean cannot write the cleaned segment.
    const broken = await openLog();
    await fill(broken, 100, 3);
    await rm(dirs[dirs.length - 1] ?? '', { recursive: true, force: true });
    // The healthy log was cleaned once and is less dirty, so the broken one is always picked first.
    const healthy = await openLog();
    await fill(healthy, 100, 50);
    await healthy.clean({ nowMs: clock.wallMs(), upperBoundOffset: healthy.logEndOffset });
    await fill(healthy, 60, 50, 100);
    register(target, 'broken', broken);
    register(target, 'healthy', healthy);

    expect(target.tick()).toEqual(['broken']);
    await target.whenIdle();
    expect(target.stats().errorsTotal).toBe(1);
    expect(target.tick()).toEqual(['healthy']);
    await target.whenIdle();
    expect(target.stats().cleansTotal).toBe(1);
    expect(target.tick()).toEqual([]);
    clock.advance(10_000);
    expect(target.tick()).toEqual(['broken']);
    await target.whenIdle();
    expect(target.stats()).toMatchObject({ errorsTotal: 2, cleansTotal: 1 });
  });

  it('refuses settings outside their bounds', () => {
    expect(() => new LogCleaner({ clock, threads: 0 })).toThrow(TributaryError);
    expect(() => new LogCleaner({ clock, backoffMs: 0 })).toThrow(TributaryError);
    expect(() => new LogCleaner({ clock, ioMaxBytesPerSecond: 1 })).toThrow(TributaryError);
  });
});
