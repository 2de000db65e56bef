/**
 * The partition log when the wall clock jumps (issue 16 item 3; segment-age.ts has the rule): retention.ms,
 * min/max.compaction.lag.ms and segment.ms on a real log in a temp dir, with a manual clock whose wall clock
 * jumps a day forwards or backwards while the monotonic clock keeps real time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogConfig } from './config.js';
import { PartitionLog } from './partition-log.js';
import { buildBatch } from './test-batches.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

let dir: string;
let clock: ManualClock;
let logs: PartitionLog[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-clock-'));
  clock = new ManualClock(1_796_000_000_000);
  logs = [];
});

afterEach(async () => {
  for (const log of logs) await log.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function openLog(config: Partial<LogConfig>): Promise<PartitionLog> {
  const log = await PartitionLog.open({ dir, config: { segmentBytes: 1024, ...config }, clock });
  logs.push(log);
  return log;
}

/** Batches stamped by a producer whose clock is right (the wall clock before any jump, plus real time). */
async function appendNow(log: PartitionLog, count: number, trueNowMs: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await log.append(buildBatch({ fill: i % 256, timestampMs: trueNowMs }), {
      leaderEpoch: 0,
      assignOffsets: true,
    });
  }
}

describe('retention.ms when the wall clock jumps', () => {
  it('deletes nothing when the wall clock jumps a day forwards, and deletes once the data is that old', async () => {
    const log = await openLog({ retentionMs: HOUR_MS });
    await appendNow(log, 30, clock.wallMs());
    const segments = log.segmentCount;
    expect(segments).toBeGreaterThan(2);
    clock.advance(60_000);
    clock.jumpWall(DAY_MS);
    // Kafka's rule (wall now - newest timestamp > retention.ms) would delete every closed segment here.
    expect((await log.applyRetention(clock.wallMs())).deletedSegments).toBe(0);
    expect(log.logStartOffset).toBe(0);
    clock.advance(HOUR_MS);
    expect((await log.applyRetention(clock.wallMs())).deletedSegments).toBe(segments - 1);
  });

  it('deletes data that really is old at once, whatever the jump', async () => {
    const log = await openLog({ retentionMs: HOUR_MS });
    const trueNowMs = clock.wallMs();
    await appendNow(log, 30, trueNowMs - 2 * HOUR_MS);
    const segments = log.segmentCount;
    expect(segments).toBeGreaterThan(2);
    clock.jumpWall(DAY_MS);
    expect((await log.applyRetention(clock.wallMs())).deletedSegments).toBe(segments - 1);
  });

  it('keeps data longer, never shorter, when the wall clock jumps a day backwards', async () => {
    const log = await openLog({ retentionMs: HOUR_MS });
    await appendNow(log, 30, clock.wallMs());
    clock.jumpWall(-DAY_MS);
    clock.advance(2 * HOUR_MS);
    expect((await log.applyRetention(clock.wallMs())).deletedSegments).toBe(0);
    // The clock put right again: the data is two hours old by real time and goes.
    clock.jumpWall(DAY_MS);
    expect((await log.applyRetention(clock.wallMs())).deletedSegments).toBeGreaterThan(0);
  });

  it('judges by the wall clock of the open after a restart (the documented limit)', async () => {
    const log = await openLog({ retentionMs: HOUR_MS });
    await appendNow(log, 30, clock.wallMs());
    clock.jumpWall(DAY_MS);
    await log.close();
    const reopened = await openLog({ retentionMs: HOUR_MS });
    expect((await reopened.applyRetention(clock.wallMs())).deletedSegments).toBeGreaterThan(0);
  });
});

describe('compaction lags when the wall clock jumps', () => {
  it('neither compacts records min.compaction.lag.ms protects nor makes the log overdue', async () => {
    const log = await openLog({
      retentionMs: -1,
      cleanupPolicy: 'compact',
      minCompactionLagMs: HOUR_MS,
      maxCompactionLagMs: 2 * HOUR_MS,
    });
    await appendNow(log, 30, clock.wallMs());
    clock.jumpWall(DAY_MS);
    const jumped = log.cleanableState(clock.wallMs(), log.logEndOffset);
    expect(jumped?.dirtyBytes).toBe(0);
    expect(jumped?.overdue).toBe(false);
    clock.advance(HOUR_MS + 1);
    const lagged = log.cleanableState(clock.wallMs(), log.logEndOffset);
    expect(lagged?.dirtyBytes).toBeGreaterThan(0);
    expect(lagged?.overdue).toBe(false);
    clock.advance(HOUR_MS);
    expect(log.cleanableState(clock.wallMs(), log.logEndOffset)?.overdue).toBe(true);
  });
});

describe('segment.ms when the wall clock jumps', () => {
  it('rolls by monotonic time only: a day-forward jump rolls nothing', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024, segmentMs: HOUR_MS });
    await appendNow(log, 2, clock.wallMs());
    clock.jumpWall(DAY_MS);
    await appendNow(log, 2, clock.wallMs());
    expect(log.segmentCount).toBe(1);
    clock.advance(HOUR_MS);
    await appendNow(log, 1, clock.wallMs());
    expect(log.segmentCount).toBe(2);
  });
});
