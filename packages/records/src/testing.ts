/**
 * Shared helpers for this package's tests (excluded from the build in tsconfig.json): sample records,
 * batches whose records section is replaced by hand-made compressed bytes, fixtures from testdata/.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { readBatchHeader } from './batch-header.js';
import { encodeRecordBatch, type RecordInput } from './encode.js';
import { type BatchProblem, RecordBatchError } from './errors.js';
import { BATCH_HEADER_BYTES, COMPRESSION_CODECS, type CompressionCodec } from './layout.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

export function sampleRecords(count: number): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    key: bytes(`key-${i % 7}`),
    value: bytes(`value ${i} `.repeat(10)),
    headers: i % 3 === 0 ? [{ key: 'h', value: bytes('x') }] : [],
    timestampMs: 1_700_000_000_000 + i,
  }));
}

const WORDS = ['order', 'user', 'id=', '42', 'click', 'GET ', '/api', 'ok', '200', 'ms'] as const;

/**
 * `count` records of `valueBytes` text-like bytes (seeded words from a small vocabulary): compressible
 * like real payloads, unlike zeros (one long match) or random bytes (stored raw).
 */
export function textRecords(count: number, valueBytes: number, seed = 1): RecordInput[] {
  let state = seed;
  const nextWord = (): string => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return WORDS[state % WORDS.length] ?? '';
  };
  return Array.from({ length: count }, (_, i) => {
    let value = '';
    while (value.length < valueBytes) value += nextWord();
    return { key: null, value: bytes(value.slice(0, valueBytes)), timestampMs: 1_700_000_000_000 + i };
  });
}

/** The plain records section (everything after the 61-byte header) of an uncompressed batch. */
export function plainRecordsSection(records: readonly RecordInput[]): Buffer {
  return encodeRecordBatch({ records }).subarray(BATCH_HEADER_BYTES);
}

/** A batch whose records section is replaced by `blob` under `codec`; lengths and CRC made right. */
export function withBlob(codec: CompressionCodec, blob: Buffer, recordCount = 1): Buffer {
  const header = encodeRecordBatch({ records: sampleRecords(1) }).subarray(0, BATCH_HEADER_BYTES);
  const buf = Buffer.concat([header, blob]);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt16BE(COMPRESSION_CODECS.indexOf(codec), 21);
  const view = readBatchHeader(buf);
  view.setRecordCount(recordCount);
  view.setLastOffsetDelta(Math.max(recordCount - 1, 0));
  view.updateCrc();
  return buf;
}

/** The RecordBatchError `fn` throws, or undefined; anything else thrown fails the test. */
export function batchErrorOf(fn: () => unknown): RecordBatchError | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof RecordBatchError) return error;
    throw error;
  }
}

export function problemOf(fn: () => unknown): BatchProblem | 'none' {
  return batchErrorOf(fn)?.problem ?? 'none';
}

/** A testdata/ hex file: '#' starts a comment, whitespace is ignored. */
export function readHexFixture(name: string): Buffer {
  const text = readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8');
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

/** Buffer.equals, not toEqual: vitest compares buffers element by element, slowly. */
export function expectBytes(actual: Uint8Array, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(expected.equals(actual)).toBe(true);
}
