/**
 * Reads what a broker actually stored: the fixed RecordBatch v2 header of every batch in a partition's
 * segment files (`<data-dir>/logs/<topic>-<partition>/<base offset>.log`, whole batches back to back).
 * It gives the benchmark a record count that trusts neither producing tool, and the batch sizes each tool
 * chose, which the brokers' cost per record depends on. Only headers are read, with positional reads.
 *
 * The offsets are Kafka's fixed batch header (KIP-98), the same as @tributary/records' layout; they are
 * spelled out here because the bench reads headers only and does not depend on the records package.
 */
import { type FileHandle, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const BATCH_LENGTH_OFFSET = 8;
const MAGIC_OFFSET = 16;
const PRODUCER_ID_OFFSET = 43;
const RECORD_COUNT_OFFSET = 57;
/** baseOffset + batchLength + … + recordCount: the fixed header before the first record. */
export const BATCH_HEADER_BYTES = 61;
/** baseOffset and batchLength are not counted in batchLength. */
const LOG_OVERHEAD_BYTES = 12;
const MAGIC_V2 = 2;
/** One scan reads at most this many batches per partition (≥ the bench's largest record count). */
const BATCHES_PER_PARTITION_MAX = 10_000_000;

const SEGMENT_NAME = /^\d{20}\.log$/;

export interface LogScan {
  readonly batches: number;
  readonly records: number;
  /** Bytes of the batches, headers included. */
  readonly bytes: number;
  /** Batches with a producer id (written by an idempotent producer). */
  readonly idempotentBatches: number;
}

export const EMPTY_SCAN: LogScan = { batches: 0, records: 0, bytes: 0, idempotentBatches: 0 };

export function addScans(a: LogScan, b: LogScan): LogScan {
  return {
    batches: a.batches + b.batches,
    records: a.records + b.records,
    bytes: a.bytes + b.bytes,
    idempotentBatches: a.idempotentBatches + b.idempotentBatches,
  };
}

/** Walks one segment file's batch headers; a torn tail (a partial last batch) ends the walk. */
async function scanSegment(file: FileHandle, sizeBytes: number, batchesMax: number): Promise<LogScan> {
  const header = Buffer.alloc(BATCH_HEADER_BYTES);
  let scan = EMPTY_SCAN;
  let position = 0;
  while (position + BATCH_HEADER_BYTES <= sizeBytes) {
    if (scan.batches >= batchesMax) throw new Error(`more than ${batchesMax} batches in one partition`);
    const { bytesRead } = await file.read(header, 0, BATCH_HEADER_BYTES, position);
    if (bytesRead < BATCH_HEADER_BYTES) break;
    const batchBytes = header.readInt32BE(BATCH_LENGTH_OFFSET) + LOG_OVERHEAD_BYTES;
    const magic = header.readInt8(MAGIC_OFFSET);
    if (magic !== MAGIC_V2 || batchBytes < BATCH_HEADER_BYTES) {
      throw new Error(`not a RecordBatch v2 at byte ${position} (magic ${magic}, ${batchBytes} bytes)`);
    }
    if (position + batchBytes > sizeBytes) break;
    scan = addScans(scan, {
      batches: 1,
      records: header.readInt32BE(RECORD_COUNT_OFFSET),
      bytes: batchBytes,
      idempotentBatches: header.readBigInt64BE(PRODUCER_ID_OFFSET) >= 0n ? 1 : 0,
    });
    position += batchBytes;
  }
  return scan;
}

/** Every batch in the partition directory's segment files. */
export async function scanPartitionDir(dir: string): Promise<LogScan> {
  const names = (await readdir(dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
  let scan = EMPTY_SCAN;
  for (const name of names) {
    const file = await open(join(dir, name), 'r');
    try {
      const { size } = await file.stat();
      scan = addScans(scan, await scanSegment(file, size, BATCHES_PER_PARTITION_MAX - scan.batches));
    } finally {
      await file.close();
    }
  }
  return scan;
}

/** Where a broker keeps a partition's segments (packages/broker: `<data-dir>/logs/<topic>-<partition>`). */
export function partitionDir(brokerDataDir: string, topic: string, partition: number): string {
  return join(brokerDataDir, 'logs', `${topic}-${partition}`);
}
