/**
 * Issue 14's size check: a compacted log written with 1,000,000 updates over 1,000 keys shrinks to about
 * 1,000 records after cleaning (the slowest of the cleaner's tests: batches of 1,000 records written straight
 * to a PartitionLog, then one pass).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { encodeRecordBatch } from '@tributary/records';
import { expect, it } from 'vitest';
import { PartitionLog } from '../partition-log.js';
import { readAllRecords } from './test-records.js';

const UPDATES = 1_000_000;
const KEYS = 1_000;
const BATCH_RECORDS = 1_000;

it('1,000,000 updates over 1,000 keys shrink to the last value of each key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tributary-cleaner-million-'));
  const clock = new ManualClock(1_000_000);
  const log = await PartitionLog.open({
    dir,
    config: { segmentBytes: 4 * 1024 * 1024, cleanupPolicy: 'compact', indexIntervalBytes: 64 * 1024 },
    clock,
  });
  try {
    const keys = Array.from({ length: KEYS }, (_, k) => Buffer.from(`key-${k}`));
    for (let start = 0; start < UPDATES; start += BATCH_RECORDS) {
      const records = Array.from({ length: BATCH_RECORDS }, (_, i) => ({
        key: keys[(start + i) % KEYS] ?? null,
        value: Buffer.from(`value-${start + i}`),
        timestampMs: clock.nowMs(),
      }));
      await log.append(encodeRecordBatch({ records }), { leaderEpoch: 0, assignOffsets: true });
    }
    // Roll, so that every update lies below the active segment (which the cleaner never touches).
    log.reconfigure({ segmentBytes: 1024, cleanupPolicy: 'compact', indexIntervalBytes: 64 * 1024 });
    await log.append(
      encodeRecordBatch({ records: [{ key: keys[0] ?? null, value: null, timestampMs: 0 }] }),
      {
        leaderEpoch: 0,
        assignOffsets: true,
      },
    );
    const sizeBefore = log.sizeBytes;
    const result = await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
    expect(result.recordsRemoved).toBe(UPDATES - KEYS);
    const records = await readAllRecords(log);
    expect(records.length).toBe(KEYS + 1);
    // Each key's survivor is its last update, at its original offset.
    for (const record of records.slice(0, KEYS)) {
      const k = Number(record.key?.slice('key-'.length));
      expect(record.value).toBe(`value-${record.offset}`);
      expect(record.offset).toBe(UPDATES - KEYS + k);
    }
    expect(log.logEndOffset).toBe(UPDATES + 1);
    expect(log.sizeBytes).toBeLessThan(sizeBefore / 100);
  } finally {
    await log.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
