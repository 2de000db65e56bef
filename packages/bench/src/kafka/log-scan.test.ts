import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCH_HEADER_BYTES, partitionDir, scanPartitionDir } from './log-scan.js';

/** A batch with a valid fixed header and `bodyBytes` of (unread) record bytes. */
function batch(
  baseOffset: number,
  records: number,
  bodyBytes: number,
  producerId: bigint,
  magic = 2,
): Buffer {
  const out = Buffer.alloc(BATCH_HEADER_BYTES + bodyBytes);
  out.writeBigInt64BE(BigInt(baseOffset), 0);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt8(magic, 16);
  out.writeInt32BE(records - 1, 23);
  out.writeBigInt64BE(producerId, 43);
  out.writeInt32BE(records, 57);
  return out;
}

async function withDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kafka-bench-log-'));
  try {
    await test(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('scanPartitionDir', () => {
  it('counts batches, records, bytes and idempotent batches over every segment, ignoring other files', () =>
    withDir(async (dataDir) => {
      const dir = partitionDir(dataDir, 'topic-a', 3);
      expect(dir).toBe(join(dataDir, 'logs', 'topic-a-3'));
      await mkdir(dir, { recursive: true });
      const first = Buffer.concat([batch(0, 10, 500, 7n), batch(10, 5, 100, 7n)]);
      // The second segment ends with a torn batch: its header promises more bytes than the file has.
      const torn = batch(20, 4, 80, -1n).subarray(0, BATCH_HEADER_BYTES + 10);
      const second = Buffer.concat([batch(15, 5, 200, -1n), torn]);
      await writeFile(join(dir, '00000000000000000000.log'), first);
      await writeFile(join(dir, '00000000000000000015.log'), second);
      await writeFile(join(dir, '00000000000000000000.index'), Buffer.alloc(64, 1));
      await writeFile(join(dir, 'leader-epoch-checkpoint'), '0\n1\n0 0\n');
      expect(await scanPartitionDir(dir)).toEqual({
        batches: 3,
        records: 20,
        bytes: first.length + second.length - torn.length,
        idempotentBatches: 2,
      });
    }));

  it('refuses bytes that are not RecordBatch v2', () =>
    withDir(async (dir) => {
      await writeFile(join(dir, '00000000000000000000.log'), batch(0, 1, 10, -1n, 1));
      await expect(scanPartitionDir(dir)).rejects.toThrow(/not a RecordBatch v2/);
    }));
});
