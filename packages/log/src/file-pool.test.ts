import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@tributary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyedBatch, readAllRecords } from './cleaner/test-records.js';
import { FilePool, PooledFile } from './file-pool.js';
import type { LogFile } from './log-fs.js';
import { PartitionLog } from './partition-log.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-pool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function contentOf(handle: LogFile): Promise<string> {
  const bytes = Buffer.alloc((await handle.stat()).sizeBytes);
  const read = await handle.read(bytes, 0, bytes.length, 0);
  return bytes.subarray(0, read).toString();
}

async function text(file: PooledFile): Promise<string> {
  return file.use(contentOf);
}

describe('FilePool', () => {
  it('keeps at most its bound of idle files open, least recently used closed first, and reopens on use', async () => {
    const pool = new FilePool(2);
    const files: PooledFile[] = [];
    for (let i = 0; i < 5; i++) {
      await writeFile(join(dir, `f${i}`), `file ${i}`);
      files.push(await PooledFile.open(pool, join(dir, `f${i}`), 'r+'));
      expect(pool.openCount).toBeLessThanOrEqual(2);
    }
    // Every file still reads its own bytes, each use opening it again when the pool had closed it.
    for (const [i, file] of files.entries()) expect(await text(file)).toBe(`file ${i}`);
    expect(pool.openCount).toBe(2);
    await files[0]?.use((handle) => handle.write(Buffer.from('FILE'), 0, 4, 0));
    expect(await readFile(join(dir, 'f0'), 'utf8')).toBe('FILE 0');
    for (const file of files) await file.close();
    expect(pool.openCount).toBe(0);
    await expect(text(files[0] as PooledFile)).rejects.toThrow(/is closed/);
  });

  it('never closes a file in use or a pinned one; an unpinned file reopens at its new path', async () => {
    const pool = new FilePool(1);
    await writeFile(join(dir, 'busy'), 'busy');
    await writeFile(join(dir, 'pinned'), 'pinned');
    const busy = await PooledFile.open(pool, join(dir, 'busy'), 'r+');
    const pinned = await PooledFile.open(pool, join(dir, 'pinned'), 'r+', { pinned: true });
    let release = (): void => undefined;
    const held = busy.use(async (handle) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return contentOf(handle); // still open although the pool is over its bound
    });
    const others: PooledFile[] = [];
    for (let i = 0; i < 3; i++) {
      await writeFile(join(dir, `o${i}`), `o${i}`);
      others.push(await PooledFile.open(pool, join(dir, `o${i}`), 'r+'));
      expect(await text(others[i] as PooledFile)).toBe(`o${i}`);
    }
    // Renamed while pinned: its descriptor follows the file; unpinned, it may be closed and reopened there.
    await rename(join(dir, 'pinned'), join(dir, 'moved'));
    expect(await text(pinned)).toBe('pinned');
    pinned.unpin(join(dir, 'moved'));
    for (const other of others) await text(other);
    expect(await text(pinned)).toBe('pinned');
    release();
    expect(await held).toBe('busy');
    expect(pool.openCount).toBe(1);
    for (const file of [busy, pinned, ...others]) await file.close();
  });

  it('pinning a file the pool had closed opens it again first, so a later rename cannot swap another file in', async () => {
    const pool = new FilePool(1);
    await writeFile(join(dir, 'old'), 'old bytes');
    await writeFile(join(dir, 'other'), 'other');
    const old = await PooledFile.open(pool, join(dir, 'old'), 'r+');
    const other = await PooledFile.open(pool, join(dir, 'other'), 'r+');
    await text(other); // the pool closed old's descriptor to stay at one
    await old.pin();
    // What a cleaner's swap does: the old file goes, a new one takes its name.
    await rename(join(dir, 'old'), join(dir, 'old.deleted'));
    await rm(join(dir, 'old.deleted'));
    await writeFile(join(dir, 'old'), 'new bytes');
    await text(other);
    expect(await text(old)).toBe('old bytes');
    await old.close();
    await other.close();
  });

  it('fails a use whose reopen fails (the file is gone) and keeps counting right; the next use tries again', async () => {
    const pool = new FilePool(1);
    await writeFile(join(dir, 'gone'), 'gone');
    await writeFile(join(dir, 'other'), 'other');
    const gone = await PooledFile.open(pool, join(dir, 'gone'), 'r+');
    const other = await PooledFile.open(pool, join(dir, 'other'), 'r+');
    await text(other); // the pool closed gone's descriptor
    await rm(join(dir, 'gone'));
    await expect(text(gone)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(pool.openCount).toBe(1);
    await writeFile(join(dir, 'gone'), 'back');
    expect(await text(gone)).toBe('back');
    await gone.close();
    await other.close();
    expect(pool.openCount).toBe(0);
  });

  it('serves many logs through a one-file pool: appends, reads, compaction and a reopen keep every record', async () => {
    const pool = new FilePool(1);
    const clock = new ManualClock(1_000_000);
    const config = { segmentBytes: 1024, indexIntervalBytes: 128, cleanupPolicy: 'compact' as const };
    const open = (index: number): Promise<PartitionLog> =>
      PartitionLog.open({ dir: join(dir, `log-${index}`), clock, config, filePool: pool });
    const logs = await Promise.all([0, 1, 2].map(open));
    for (let i = 0; i < 150; i++) {
      for (const [index, log] of logs.entries()) {
        const records = [{ key: `k${i % 5}`, value: `log${index}-v${i}` }];
        await log.append(keyedBatch({ records, timestampMs: clock.nowMs() }), {
          leaderEpoch: 0,
          assignOffsets: true,
        });
      }
    }
    for (const log of logs) {
      expect(log.segmentCount).toBeGreaterThan(3);
      await log.clean({ nowMs: clock.nowMs(), upperBoundOffset: log.logEndOffset });
    }
    const before = await Promise.all(logs.map((log) => readAllRecords(log)));
    expect(pool.openCount).toBeLessThanOrEqual(1);
    for (const log of logs) await log.close();
    const reopened = await Promise.all([0, 1, 2].map(open));
    for (const [index, log] of reopened.entries()) {
      const records = await readAllRecords(log);
      expect(records).toEqual(before[index]);
      // The last value of every key survived compaction: log<index>-v145..149.
      const last = new Map(records.map((record) => [record.key, record.value]));
      expect([...last.values()].sort()).toEqual(
        [145, 146, 147, 148, 149].map((i) => `log${index}-v${i}`).sort(),
      );
      await log.close();
    }
    expect(pool.openCount).toBe(0);
  });
});
