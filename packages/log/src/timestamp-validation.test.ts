import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { describe, expect, it } from 'vitest';
import { LogAppendError } from './append-validation.js';
import { PartitionLog } from './partition-log.js';
import { buildBatch } from './test-batches.js';
import { checkBatchTimestamps } from './timestamp-validation.js';

const HOUR_MS = 3_600_000;
const NOW_MS = 1_796_000_000_000;

function batch(baseTimestamp: number, maxTimestamp = baseTimestamp, isControl = false) {
  return { position: 0, baseTimestamp, maxTimestamp, isControl };
}

describe('checkBatchTimestamps (KIP-937)', () => {
  const bounds = { nowWallMs: NOW_MS, beforeMaxMs: 2 * HOUR_MS, afterMaxMs: HOUR_MS };
  const rows = [
    { name: 'now', at: batch(NOW_MS), ok: true },
    { name: 'exactly after.max ahead', at: batch(NOW_MS + HOUR_MS), ok: true },
    {
      name: 'one ms past after.max',
      at: batch(NOW_MS, NOW_MS + HOUR_MS + 1),
      ok: false,
      why: /after the broker's clock/,
    },
    { name: 'exactly before.max behind', at: batch(NOW_MS - 2 * HOUR_MS), ok: true },
    {
      name: 'one ms past before.max (first record)',
      at: batch(NOW_MS - 2 * HOUR_MS - 1, NOW_MS),
      ok: false,
      why: /before the broker's clock/,
    },
    {
      name: 'a year ahead',
      at: batch(NOW_MS + 365 * 24 * HOUR_MS),
      ok: false,
      why: /message.timestamp.after.max.ms is 3600000/,
    },
    { name: 'no timestamp (-1)', at: batch(-1), ok: true },
    { name: 'a control batch is not a client’s', at: batch(0, 0, true), ok: true },
  ];
  it.each(rows)('$name', ({ at, ok, why }) => {
    const check = () => checkBatchTimestamps([at], bounds);
    if (ok) expect(check).not.toThrow();
    else {
      expect(check).toThrow(LogAppendError);
      expect(check).toThrow(why ?? /./);
      try {
        check();
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_TIMESTAMP', failure: 'INVALID_TIMESTAMP' });
      }
    }
  });

  it('bounds nothing with the unbounded value', () => {
    const open = {
      nowWallMs: NOW_MS,
      beforeMaxMs: Number.MAX_SAFE_INTEGER,
      afterMaxMs: Number.MAX_SAFE_INTEGER,
    };
    expect(() => checkBatchTimestamps([batch(0), batch(NOW_MS * 2)], open)).not.toThrow();
  });
});

describe('the leader append checks timestamps against its wall clock', () => {
  it('refuses a producer a day ahead, takes it back within the bound, and follows the wall clock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-timestamps-'));
    const clock = new ManualClock(NOW_MS);
    const log = await PartitionLog.open({
      dir,
      clock,
      config: { messageTimestampBeforeMaxMs: 24 * HOUR_MS, messageTimestampAfterMaxMs: HOUR_MS },
    });
    try {
      const append = (timestampMs: number) =>
        log.append(buildBatch({ timestampMs }), { leaderEpoch: 0, assignOffsets: true });
      await expect(append(NOW_MS + 24 * HOUR_MS)).rejects.toMatchObject({ code: 'INVALID_TIMESTAMP' });
      await expect(append(NOW_MS - 25 * HOUR_MS)).rejects.toMatchObject({ code: 'INVALID_TIMESTAMP' });
      expect(log.logEndOffset).toBe(0);
      await append(NOW_MS + 30 * 60_000);
      // The broker's own wall clock decides: set a day back, today's records are from its future.
      clock.jumpWall(-24 * HOUR_MS);
      await expect(append(NOW_MS)).rejects.toMatchObject({ code: 'INVALID_TIMESTAMP' });
      expect(log.logEndOffset).toBe(1);
      // A follower keeps what its leader accepted, whatever its own clock says.
      await log.appendAsFollower(buildBatch({ timestampMs: NOW_MS + 48 * HOUR_MS, baseOffset: 1 }));
      expect(log.logEndOffset).toBe(2);
    } finally {
      await log.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
