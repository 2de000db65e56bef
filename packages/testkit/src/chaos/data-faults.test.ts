import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeededRandom } from '@tributary/core';
import { encodeRecordBatch } from '@tributary/records';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../temp-dir.js';
import { damagePartitionTail, lastBatchOf } from './data-faults.js';

let temp: TempDir | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
});

/** A broker data dir with one partition "orders-0" of three batches (offsets 0, 2, 4), and its segment path. */
async function brokerDir(
  highWatermark: number | undefined,
): Promise<{ dataDir: string; segment: string; original: Buffer }> {
  temp = await makeTempDir('data-faults');
  const partitionDir = join(temp.path, 'logs', 'orders-0');
  await mkdir(partitionDir, { recursive: true });
  const batches = [0, 2, 4].map((baseOffset) =>
    encodeRecordBatch({
      baseOffset,
      records: [
        { key: null, value: Buffer.from(`a${baseOffset}`), timestampMs: 1 },
        { key: null, value: Buffer.from(`b${baseOffset}`), timestampMs: 1 },
      ],
    }),
  );
  const original = Buffer.concat(batches);
  const segment = join(partitionDir, `${'0'.padStart(20, '0')}.log`);
  await writeFile(segment, original);
  if (highWatermark !== undefined) {
    await writeFile(
      join(temp.path, 'logs', 'replication-offset-checkpoint'),
      `0\n1\norders 0 ${highWatermark}\n`,
    );
  }
  return { dataDir: temp.path, segment, original };
}

describe('damagePartitionTail', () => {
  it('finds the last whole batch by walking the length fields', async () => {
    const { segment, original } = await brokerDir(undefined);
    const last = await lastBatchOf(segment);
    expect(last?.baseOffset).toBe(4);
    expect((last?.position ?? 0) + (last?.size ?? 0)).toBe(original.length);
  });

  it('append-garbage and append-zeros leave every existing byte alone and add a tail', async () => {
    for (const kind of ['append-garbage', 'append-zeros'] as const) {
      const { dataDir, segment, original } = await brokerDir(6);
      const done = await damagePartitionTail(dataDir, new SeededRandom(7), kind);
      const after = await readFile(segment);
      expect(done?.kind).toBe(kind);
      expect(after.length).toBeGreaterThan(original.length);
      expect(after.subarray(0, original.length).equals(original)).toBe(true);
      if (kind === 'append-zeros') expect(after.subarray(original.length).every((b) => b === 0)).toBe(true);
      await temp?.remove();
      temp = undefined;
    }
  });

  it('flip-last-batch changes one byte inside the last batch when it lies above the checkpoint', async () => {
    const { dataDir, segment, original } = await brokerDir(4);
    const done = await damagePartitionTail(dataDir, new SeededRandom(3), 'flip-last-batch');
    const after = await readFile(segment);
    expect(done?.kind).toBe('flip-last-batch');
    expect(after.length).toBe(original.length);
    const changed = [...after.keys()].filter((i) => after[i] !== original[i]);
    expect(changed).toHaveLength(1);
    const last = await lastBatchOf(segment);
    expect(changed[0]).toBeGreaterThanOrEqual(last?.position ?? Number.MAX_SAFE_INTEGER);
  });

  it('never flips a batch below the high-watermark checkpoint (or without one): it appends instead', async () => {
    for (const highWatermark of [5, undefined]) {
      const { dataDir, segment, original } = await brokerDir(highWatermark);
      const done = await damagePartitionTail(dataDir, new SeededRandom(3), 'flip-last-batch');
      const after = await readFile(segment);
      expect(done?.kind).toBe('append-garbage');
      expect(after.subarray(0, original.length).equals(original)).toBe(true);
      await temp?.remove();
      temp = undefined;
    }
  });

  it('only ever picks a partition directory, never the checkpoint file beside them', async () => {
    const { dataDir } = await brokerDir(6);
    for (let seed = 1; seed <= 20; seed++) {
      const done = await damagePartitionTail(dataDir, new SeededRandom(seed), 'append-zeros');
      expect(done?.partitionDir.endsWith('orders-0'), `seed ${seed}`).toBe(true);
    }
  });

  it('does nothing to a broker without partition data', async () => {
    temp = await makeTempDir('data-faults');
    expect(await damagePartitionTail(temp.path, new SeededRandom(1))).toBeUndefined();
  });
});
