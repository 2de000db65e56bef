import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, type LogConfig, reconfiguredLogConfig } from './config.js';
import { PartitionLog } from './partition-log.js';
import { buildBatch } from './test-batches.js';

let dir: string;
let clock: ManualClock;
let logs: PartitionLog[];
let messages: { message: string; fields: Readonly<Record<string, unknown>> }[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-log-reconf-'));
  clock = new ManualClock(1_000_000);
  logs = [];
  messages = [];
});

afterEach(async () => {
  for (const log of logs) await log.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function openLog(config: Partial<LogConfig>): Promise<PartitionLog> {
  const log = await PartitionLog.open({
    dir,
    config,
    clock,
    logger: (_level, message, fields) => messages.push({ message, fields }),
  });
  logs.push(log);
  return log;
}

/** Batches of 61 + 100 = 161 bytes. */
async function appendN(log: PartitionLog, count: number, timestampMs = 1_000): Promise<void> {
  for (let i = 0; i < count; i++) {
    await log.append(buildBatch({ payloadBytes: 100, timestampMs }), { leaderEpoch: 0, assignOffsets: true });
  }
}

const BATCH_BYTES = 161;

describe('PartitionLog.reconfigure', () => {
  it('rolls the active segment at the new segment size; older segments stay', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024, indexIntervalBytes: 256 });
    await appendN(log, 20);
    expect(log.segmentCount).toBe(1);
    const changes = log.reconfigure({ segmentBytes: 1024, indexIntervalBytes: 256 });
    expect(changes).toEqual([{ key: 'segmentBytes', from: 1024 * 1024, to: 1024 }]);
    expect(messages.some((m) => m.message === 'log reconfigured')).toBe(true);
    // The first append after the change rolls (the active segment is already past 1024 bytes).
    await appendN(log, 1);
    expect(log.segmentCount).toBe(2);
    // Later segments hold at most floor(1024 / 161) = 6 batches each.
    await appendN(log, 18);
    expect(log.segmentCount).toBe(2 + Math.ceil((19 - 6) / 6));
    expect(log.logEndOffset).toBe(39);
    const all = await log.read(0, { maxBytes: 64 * 1024 });
    expect(all.nextOffset).toBe(39);
    expect(all.bytes.length).toBe(39 * BATCH_BYTES);
  });

  it('applies a new retention.ms without reopening', async () => {
    const log = await openLog({ segmentBytes: 1024, retentionMs: -1 });
    await appendN(log, 30, 1_000);
    await appendN(log, 6, 500_000);
    const segments = log.segmentCount;
    expect((await log.applyRetention(600_000)).deletedSegments).toBe(0);
    log.reconfigure({ segmentBytes: 1024, retentionMs: 200_000 });
    const result = await log.applyRetention(600_000);
    // Every segment of the 1_000 ms batches is older than 200 s; the newer ones stay.
    expect(result.deletedSegments).toBe(5);
    expect(log.segmentCount).toBe(segments - 5);
    expect(log.logStartOffset).toBe(30);
  });

  it('applies a new retention.bytes without reopening, and removing it restores the default', async () => {
    const log = await openLog({ segmentBytes: 1024, retentionMs: -1 });
    await appendN(log, 60);
    log.reconfigure({ segmentBytes: 1024, retentionMs: -1, retentionBytes: 2_000 });
    expect(log.currentConfig.retentionBytes).toBe(2_000);
    const result = await log.applyRetention(clock.wallMs());
    expect(result.deletedSegments).toBeGreaterThan(0);
    expect(log.sizeBytes).toBeGreaterThanOrEqual(2_000);
    expect(log.sizeBytes).toBeLessThan(2_000 + 1024);
    const changes = log.reconfigure({ segmentBytes: 1024, retentionMs: -1 });
    expect(changes).toEqual([{ key: 'retentionBytes', from: 2_000, to: DEFAULT_LOG_CONFIG.retentionBytes }]);
    expect(log.currentConfig.retentionBytes).toBe(-1);
  });

  it('refuses bad values and keeps the config in force', async () => {
    const log = await openLog({ segmentBytes: 4096 });
    expect(() => log.reconfigure({ segmentBytes: 10 })).toThrow(/segmentBytes/);
    expect(() => log.reconfigure({ retentionMs: -2 })).toThrow(/retentionMs/);
    expect(() => log.reconfigure({ segmentMs: 0 })).toThrow(/segmentMs/);
    expect(() => log.reconfigure({ retentionBytes: 1.5 })).toThrow(/retentionBytes/);
    expect(log.currentConfig.segmentBytes).toBe(4096);
  });

  it('keeps the settings fixed at open and reports no change when nothing changed', () => {
    const current: LogConfig = { ...DEFAULT_LOG_CONFIG, indexIntervalBytes: 128, segmentMs: 5_000 };
    const { config, changes } = reconfiguredLogConfig(current, { indexIntervalBytes: 999, segmentMs: 5_000 });
    expect(config.indexIntervalBytes).toBe(128);
    expect(changes).toEqual([]);
    const removed = reconfiguredLogConfig(current, {});
    expect(removed.changes).toEqual([{ key: 'segmentMs', from: 5_000, to: undefined }]);
    expect(removed.config.segmentMs).toBeUndefined();
  });

  it('rolls by the new segment.ms', async () => {
    const log = await openLog({ segmentBytes: 1024 * 1024 });
    await appendN(log, 2);
    log.reconfigure({ segmentBytes: 1024 * 1024, segmentMs: 1_000 });
    clock.advance(1_000);
    await appendN(log, 1);
    expect(log.segmentCount).toBe(2);
  });

  it('refuses to reconfigure a closed log', async () => {
    const log = await openLog({});
    await log.close();
    expect(() => log.reconfigure({})).toThrow(/closed/);
  });
});
