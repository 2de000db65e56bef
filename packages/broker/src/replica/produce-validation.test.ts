import { TributaryError } from '@tributary/core';
import { encodeRecordBatch } from '@tributary/records';
import { describe, expect, it } from 'vitest';
import { checkRecordsHaveKeys } from './produce-validation.js';

function batch(keys: readonly (string | null)[], compression: 'none' | 'gzip' = 'none'): Buffer {
  return encodeRecordBatch({
    compression,
    records: keys.map((key) => ({
      key: key === null ? null : Buffer.from(key),
      value: Buffer.from('v'),
      timestampMs: 1,
    })),
  });
}

function codeOf(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof TributaryError) return error.code;
    throw error;
  }
  return undefined;
}

describe('checkRecordsHaveKeys (compacted topics)', () => {
  it('accepts batches whose every record has a key, compressed or not', () => {
    expect(() =>
      checkRecordsHaveKeys(Buffer.concat([batch(['a', 'b']), batch(['c'], 'gzip')])),
    ).not.toThrow();
    // An empty key is a key (Kafka refuses only a null one).
    expect(() => checkRecordsHaveKeys(batch(['']))).not.toThrow();
  });

  it('refuses a keyless record anywhere in the request with INVALID_RECORD', () => {
    expect(codeOf(() => checkRecordsHaveKeys(batch([null])))).toBe('INVALID_RECORD');
    expect(
      codeOf(() => checkRecordsHaveKeys(Buffer.concat([batch(['a']), batch(['b', null], 'gzip')]))),
    ).toBe('INVALID_RECORD');
  });

  it('reports a mangled payload as CORRUPT_MESSAGE, not a storage error', () => {
    const bytes = batch(['a', 'b'], 'gzip');
    bytes.fill(0xff, bytes.length - 8);
    expect(codeOf(() => checkRecordsHaveKeys(bytes))).toBe('CORRUPT_MESSAGE');
  });
});
