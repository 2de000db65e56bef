/**
 * Reads a whole topic back through @tributary/client, at either isolation level: what a consumer from the
 * beginning sees up to the end (the last stable offset under read_committed, the high watermark otherwise).
 * A fresh Consumer per read, so that read_committed's aborted-producer state starts empty, as a new
 * consumer's would. Bounded in rounds; a read that stops advancing before the end is an error.
 */
import type { TributaryClient } from '@tributary/client';
import { TXN_E2E_LIMITS } from './limits.js';

export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
}

export interface ReadOptions {
  readonly readCommitted: boolean;
  /** Default: every partition of the topic. */
  readonly partitions?: readonly number[];
}

const text = (bytes: Uint8Array | null): string | null =>
  bytes === null ? null : Buffer.from(bytes).toString('utf8');

/** Every record of `topic` in offset order per partition, partitions in order. */
export async function readTopic(
  client: TributaryClient,
  topic: string,
  options: ReadOptions,
): Promise<ReadRecord[]> {
  const consumer = client.consumer();
  const ends = await consumer.listOffsets(topic, options.partitions, 'latest', {
    readCommitted: options.readCommitted,
  });
  const records: ReadRecord[] = [];
  for (const [partition, end] of [...ends].sort(([a], [b]) => a - b)) {
    let offset = 0;
    for (let round = 0; offset < end; round++) {
      if (round >= TXN_E2E_LIMITS.readRoundsMax) {
        throw new Error(`${topic}-${partition}: no end after ${round} fetch rounds (at ${offset} of ${end})`);
      }
      const fetched = await consumer.fetch(topic, partition, offset, {
        readCommitted: options.readCommitted,
        maxWaitMs: 0,
        maxBytes: TXN_E2E_LIMITS.readMaxBytes,
      });
      for (const record of fetched.records) {
        if (record.offset < offset || record.offset >= end) continue;
        records.push({ partition, offset: record.offset, key: text(record.key), value: text(record.value) });
      }
      if (fetched.nextOffset <= offset) {
        throw new Error(`${topic}-${partition}: the read stopped at ${offset}, before its end ${end}`);
      }
      offset = fetched.nextOffset;
    }
  }
  return records;
}

/** The values read, in order (records without a value left out). */
export async function readValues(
  client: TributaryClient,
  topic: string,
  options: ReadOptions,
): Promise<string[]> {
  return (await readTopic(client, topic, options)).flatMap((r) => (r.value === null ? [] : [r.value]));
}
