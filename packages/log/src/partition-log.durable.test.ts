/**
 * The log's durable end (issue 16, `--durability fsync`): what flushDurable fsynced, never past the log end,
 * lowered by truncation, and a group commit under concurrent appends.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog } from './partition-log.js';
import { buildBatch } from './test-batches.js';

let dir: string;
let logs: PartitionLog[];
const clock = new ManualClock(1_000_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-durable-'));
  logs = [];
});

afterEach(async () => {
  for (const log of logs) await log.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function openLog(): Promise<PartitionLog> {
  const log = await PartitionLog.open({ dir, config: { segmentBytes: 4096 }, clock });
  logs.push(log);
  return log;
}

function append(log: PartitionLog, fill = 1): Promise<unknown> {
  return log.append(buildBatch({ fill }), { leaderEpoch: 0, assignOffsets: true });
}

describe('PartitionLog durable end', () => {
  it('moves only when an fsync covers the appends, up to the log end it saw', async () => {
    const log = await openLog();
    expect(log.durableEndOffset).toBe(0);
    await append(log);
    await append(log);
    const end = log.logEndOffset;
    expect(end).toBeGreaterThan(0);
    expect(log.durableEndOffset).toBe(0);
    await expect(log.flushDurable()).resolves.toBe(end);
    expect(log.durableEndOffset).toBe(end);
    await append(log);
    expect(log.durableEndOffset).toBe(end);
  });

  it('fsyncs the data alone: the index files are written by flush() and close(), not by flushDurable()', async () => {
    const log = await openLog();
    await append(log);
    const index = join(dir, '00000000000000000000.index');
    await log.flushDurable();
    // Recovery rebuilds the active segment's indexes after a crash, so the durable fsync leaves them alone.
    expect(existsSync(index)).toBe(false);
    await log.flush();
    expect(existsSync(index)).toBe(true);
  });

  it('group-commits: appends landing while an fsync runs share the next one', async () => {
    const log = await openLog();
    // Every append asks for a flush as it lands, as a leader in fsync mode does.
    const flushes: Promise<number>[] = [];
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      appends.push(append(log, i).then(() => flushes.push(log.flushDurable())));
    }
    await Promise.all(appends);
    const durable = await Promise.all(flushes);
    expect(log.durableEndOffset).toBe(log.logEndOffset);
    expect(durable[durable.length - 1]).toBe(log.logEndOffset);
    // 50 requests, far fewer fsyncs (each covers every append before it started).
    expect(log.durableFlushCount).toBeLessThan(50);
  });

  it('is lowered by a truncation, so re-appended offsets are not taken as durable', async () => {
    const log = await openLog();
    for (let i = 0; i < 4; i++) await append(log, i);
    const end = await log.flushDurable();
    const cut = Math.floor(end / 2);
    await log.truncateTo(cut);
    expect(log.durableEndOffset).toBeLessThanOrEqual(log.logEndOffset);
    const afterCut = log.durableEndOffset;
    for (let i = 0; i < 4; i++) await append(log, i);
    expect(log.durableEndOffset).toBe(afterCut);
    await expect(log.flushDurable()).resolves.toBe(log.logEndOffset);
  });

  it('after a crash, starts at the recovery point, never at a log end that was not fsynced', async () => {
    const log = await openLog();
    for (let i = 0; i < 3; i++) await append(log, i);
    logs = [];
    await log.closeWithoutMarker();
    const reopened = await openLog();
    expect(reopened.logEndOffset).toBeGreaterThan(0);
    expect(reopened.durableEndOffset).toBe(0);
    await expect(reopened.flushDurable()).resolves.toBe(reopened.logEndOffset);
  });
});
