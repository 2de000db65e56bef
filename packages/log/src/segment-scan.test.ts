import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeLogFileSystem } from './log-fs.js';
import { readAt, SYNC_IO_BYTES_MAX, writeAt } from './segment-scan.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tributary-scan-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pattern(length: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('readAt / writeAt', () => {
  it('round-trip small (synchronous) and large (asynchronous) transfers at any position', async () => {
    const file = await nodeLogFileSystem.open(join(dir, 'data'), 'w+');
    try {
      const small = pattern(170, 1);
      const large = pattern(SYNC_IO_BYTES_MAX + 4_096, 2);
      await writeAt(file, 0, small);
      await writeAt(file, small.length, large);
      expect(await readAt(file, 0, small.length)).toEqual(small);
      expect(await readAt(file, small.length, large.length)).toEqual(large);
      expect(await readAt(file, 100, 70)).toEqual(small.subarray(100));
      // Past the end: shorter, never padded.
      const end = small.length + large.length;
      expect((await readAt(file, end - 10, 100)).length).toBe(10);
      expect((await readAt(file, end - 10, SYNC_IO_BYTES_MAX + 1)).length).toBe(10);
    } finally {
      await file.close();
    }
  });

  it('fail on a closed file', async () => {
    const file = await nodeLogFileSystem.open(join(dir, 'closed'), 'w+');
    await file.close();
    await expect(writeAt(file, 0, pattern(10, 3))).rejects.toThrow();
    await expect(readAt(file, 0, 10)).rejects.toThrow();
  });
});
