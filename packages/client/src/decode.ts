/** Pure: the records of a Fetch answer for one partition, from the requested offset on. */
import { TributaryError } from '@tributary/core';
import { type DecodedHeader, decodeControlRecord, decodeRecordBatch, splitBatches } from '@tributary/records';
import type { FetchFilter } from './read-committed.js';

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly DecodedHeader[];
}

export interface DecodedFetch {
  readonly records: ConsumedRecord[];
  /** Where the next fetch starts: after the last whole batch returned (or `fetchOffset` if none). */
  readonly nextOffset: number;
}

/**
 * Decodes whole batches; the broker returns batches that may start before `fetchOffset`, so records
 * below it are skipped. A batch cut short at the end (the broker's byte limit) is left for the next
 * fetch; a corrupt batch is an error. Control batches (transaction markers) are never records; with a
 * read_committed `filter` the batches of aborted transactions are dropped too (read-committed.ts).
 */
export function decodeFetched(
  bytes: Uint8Array,
  where: { readonly topic: string; readonly partition: number; readonly fetchOffset: number },
  filter?: FetchFilter,
): DecodedFetch {
  const split = splitBatches(bytes, { verifyCrc: false });
  if (split.end.kind === 'corrupt') {
    throw new TributaryError(
      'CORRUPT_MESSAGE',
      `${where.topic}-${where.partition}: corrupt batch at byte ${split.end.position}: ${split.end.error.message}`,
    );
  }
  const records: ConsumedRecord[] = [];
  let nextOffset = where.fetchOffset;
  for (const header of split.batches) {
    const batch = decodeRecordBatch(header.bytes());
    const lastOffset = batch.baseOffset + batch.lastOffsetDelta;
    nextOffset = Math.max(nextOffset, lastOffset + 1);
    if (filter !== undefined) {
      const [first] = batch.records;
      const marker = batch.isControl && first !== undefined ? controlMarker(first, where) : undefined;
      if (!filter.admit({ ...batch, lastOffset }, marker)) continue;
    }
    if (batch.isControl) continue;
    for (const record of batch.records) {
      if (record.offset < where.fetchOffset) continue;
      records.push({
        topic: where.topic,
        partition: where.partition,
        offset: record.offset,
        timestampMs: record.timestampMs,
        key: record.key,
        value: record.value,
        headers: record.headers,
      });
    }
  }
  filter?.finish(nextOffset);
  return { records, nextOffset };
}

function controlMarker(
  record: { readonly key: Uint8Array | null; readonly value: Uint8Array | null },
  where: { readonly topic: string; readonly partition: number },
): 'commit' | 'abort' {
  try {
    return decodeControlRecord(record.key, record.value).marker;
  } catch (error) {
    throw new TributaryError(
      'CORRUPT_MESSAGE',
      `${where.topic}-${where.partition}: unreadable transaction marker: ${(error as Error).message}`,
    );
  }
}
