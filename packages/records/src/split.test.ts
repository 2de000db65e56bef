import { describe, expect, it } from 'vitest';
import { readBatchHeader, stampBatch } from './batch-header.js';
import { decodeRecordBatch } from './decode.js';
import { encodeRecordBatch } from './encode.js';
import { splitBatches } from './split.js';

/** A log segment's bytes: three batches stamped with consecutive offsets, back to back. */
function segment(): { log: Buffer; sizes: number[] } {
  const batches: Buffer[] = [];
  let nextOffset = 0;
  for (const recordCount of [3, 1, 5]) {
    const batch = encodeRecordBatch({
      records: Array.from({ length: recordCount }, (_, i) => ({
        key: Buffer.from(`key-${i}`),
        value: Buffer.from(`value-${nextOffset + i}`),
        timestampMs: 1_000 + i,
      })),
    });
    stampBatch(batch, { baseOffset: nextOffset, partitionLeaderEpoch: 2 });
    nextOffset += recordCount;
    batches.push(batch);
  }
  return { log: Buffer.concat(batches), sizes: batches.map((b) => b.length) };
}

describe('splitBatches', () => {
  it('walks batches stored back to back', () => {
    const { log, sizes } = segment();
    const result = splitBatches(log);
    expect(result.end).toEqual({ kind: 'complete' });
    expect(result.validBytes).toBe(log.length);
    expect(result.batches.map((h) => [h.position, h.sizeBytes, h.baseOffset, h.lastOffset])).toEqual([
      [0, sizes[0], 0, 2],
      [sizes[0], sizes[1], 3, 3],
      [(sizes[0] ?? 0) + (sizes[1] ?? 0), sizes[2], 4, 8],
    ]);
    const values = result.batches.flatMap((h) => decodeRecordBatch(h.bytes()).records.map((r) => r.offset));
    expect(values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('an empty buffer is complete with no batches', () => {
    expect(splitBatches(Buffer.alloc(0))).toEqual({ batches: [], validBytes: 0, end: { kind: 'complete' } });
  });

  it('a log cut anywhere inside its last batch ends in a torn tail after the valid prefix', () => {
    const { log, sizes } = segment();
    const lastStart = (sizes[0] ?? 0) + (sizes[1] ?? 0);
    for (let cut = lastStart + 1; cut < log.length; cut++) {
      const result = splitBatches(log.subarray(0, cut));
      expect(result.end, `cut at ${cut}`).toEqual({
        kind: 'torn-tail',
        position: lastStart,
        bytesAvailable: cut - lastStart,
      });
      expect(result.validBytes).toBe(lastStart);
      expect(result.batches).toHaveLength(2);
    }
  });

  it('a damaged batch in the middle is corruption, distinct from a torn tail', () => {
    const { log, sizes } = segment();
    const second = sizes[0] ?? 0;
    log[second + 70] = (log[second + 70] ?? 0) ^ 0x40;
    const result = splitBatches(log);
    expect(result.validBytes).toBe(second);
    expect(result.batches).toHaveLength(1);
    expect(result.end.kind).toBe('corrupt');
    if (result.end.kind === 'corrupt') {
      expect(result.end.position).toBe(second);
      expect(result.end.error.problem).toBe('CRC_MISMATCH');
    }
  });

  it('a zero-filled tail (preallocated file space) is corruption with a bad length', () => {
    const { log } = segment();
    const result = splitBatches(Buffer.concat([log, Buffer.alloc(100)]));
    expect(result.validBytes).toBe(log.length);
    expect(result.end.kind === 'corrupt' && result.end.error.problem).toBe('BAD_LENGTH');
  });

  it('verifyCrc: false checks framing only; deep also parses records', () => {
    const { log, sizes } = segment();
    const first = sizes[0] ?? 0;
    log[first - 1] = 0x7e; // the first batch's last byte: its headers count
    expect(splitBatches(log, { verifyCrc: false }).end).toEqual({ kind: 'complete' });
    expect(splitBatches(log).end.kind).toBe('corrupt');
    readBatchHeader(log, 0).updateCrc();
    expect(splitBatches(log).end).toEqual({ kind: 'complete' });
    const deep = splitBatches(log, { deep: true });
    expect(deep.end.kind === 'corrupt' && deep.end.error.problem).toBe('BAD_RECORD');
    expect(deep.validBytes).toBe(0);
  });
});
