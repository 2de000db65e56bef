import { TributaryError } from '@tributary/core';
import { kafkaV2BatchCodec, ParsedAppend } from '@tributary/log';
import { crc32c, encodeRecordBatch, RECORD_BATCH_V2_LAYOUT } from '@tributary/records';
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

/** What the leader's append hands the checks: the batches as the log parsed them (CRC checked). */
function parsed(bytes: Buffer): ParsedAppend {
  return ParsedAppend.parse(kafkaV2BatchCodec, bytes);
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
      checkRecordsHaveKeys(parsed(Buffer.concat([batch(['a', 'b']), batch(['c'], 'gzip')]))),
    ).not.toThrow();
    // An empty key is a key (Kafka refuses only a null one).
    expect(() => checkRecordsHaveKeys(parsed(batch([''])))).not.toThrow();
  });

  it('refuses a keyless record anywhere in the request with INVALID_RECORD', () => {
    expect(codeOf(() => checkRecordsHaveKeys(parsed(batch([null]))))).toBe('INVALID_RECORD');
    expect(
      codeOf(() => checkRecordsHaveKeys(parsed(Buffer.concat([batch(['a']), batch(['b', null], 'gzip')])))),
    ).toBe('INVALID_RECORD');
  });

  it('reports a mangled payload as CORRUPT_MESSAGE, not a storage error', () => {
    const bytes = batch(['a', 'b'], 'gzip');
    bytes.fill(0xff, bytes.length - 8);
    // With the CRC recomputed, as a producer that mangled the payload before checksumming it would send.
    const layout = RECORD_BATCH_V2_LAYOUT;
    bytes.writeUInt32BE(crc32c(bytes.subarray(layout.attributes)) >>> 0, layout.crc);
    expect(codeOf(() => checkRecordsHaveKeys(parsed(bytes)))).toBe('CORRUPT_MESSAGE');
  });
});
