import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, TributaryError } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog } from './partition-log.js';
import { setStorageFaultHook } from './storage-faults.js';
import { buildBatch } from './test-batches.js';

let dir: string;
const clock = new ManualClock(1_000_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-log-faults-'));
});

afterEach(async () => {
  setStorageFaultHook(null);
  await rm(dir, { recursive: true, force: true });
});

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

const append = (log: PartitionLog, fill: number) =>
  log.append(buildBatch({ fill }), { leaderEpoch: 0, assignOffsets: true });

describe('storage faults', () => {
  it('a failed write fails the append, turns the log failed and tells its owner once', async () => {
    const log = await PartitionLog.open({ dir, clock });
    const failures: unknown[] = [];
    log.onStorageFailure = (error) => failures.push(error);
    await append(log, 1);
    setStorageFaultHook((path, operation) => {
      if (path.startsWith(dir) && operation === 'write') throw enospc();
    });
    await expect(append(log, 2)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(log.logEndOffset).toBe(1); // the failed batch was not counted
    // Later mutations are refused with a typed error and do not report again.
    await expect(append(log, 3)).rejects.toBeInstanceOf(TributaryError);
    expect(failures).toHaveLength(1);
    await log.closeWithoutMarker();
  });

  it('a failed fsync fails the flush the same way; the log reopens with what was written', async () => {
    const log = await PartitionLog.open({ dir, clock });
    const failures: unknown[] = [];
    log.onStorageFailure = (error) => failures.push(error);
    await append(log, 1);
    await append(log, 2);
    setStorageFaultHook((path, operation) => {
      if (path.startsWith(dir) && operation === 'sync') {
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      }
    });
    await expect(log.flush()).rejects.toMatchObject({ code: 'EIO' });
    expect(failures).toHaveLength(1);
    await log.closeWithoutMarker();
    setStorageFaultHook(null);
    const reopened = await PartitionLog.open({ dir, clock });
    expect(reopened.logEndOffset).toBe(2);
    await reopened.close();
  });

  it('a failed read fails that read only: the log stays open (its owner decides)', async () => {
    const log = await PartitionLog.open({ dir, clock });
    const failures: unknown[] = [];
    log.onStorageFailure = (error) => failures.push(error);
    await append(log, 1);
    setStorageFaultHook((path, operation) => {
      if (path.startsWith(dir) && operation === 'read') {
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      }
    });
    await expect(log.read(0, { maxBytes: 1024 })).rejects.toMatchObject({ code: 'EIO' });
    expect(failures).toEqual([]);
    setStorageFaultHook(null);
    expect((await log.read(0, { maxBytes: 1024 })).nextOffset).toBe(1);
    await log.close();
  });

  it('a hook for another directory leaves this log alone', async () => {
    const log = await PartitionLog.open({ dir, clock });
    setStorageFaultHook((path) => {
      if (path.startsWith(join(dir, 'elsewhere'))) throw enospc();
    });
    await append(log, 1);
    await log.flush();
    expect(log.logEndOffset).toBe(1);
    await log.close();
  });
});
