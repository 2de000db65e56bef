/** Pure: the records of a Fetch answer for one partition, from the requested offset on. */
import { TributaryError } from '@tributary/core';
import { type DecodedHeader, decodeRecordBatch, splitBatches } from '@tributary/records';

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
 * fetch; a corrupt batch is an error.
 */
export function decodeFetched(
  bytes: Uint8Array,
  where: { readonly topic: string; readonly partition: number; readonly fetchOffset: number },
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
    nextOffset = Math.max(nextOffset, batch.baseOffset + batch.lastOffsetDelta + 1);
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
  return { records, nextOffset };
}
