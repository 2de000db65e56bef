/**
 * Disk faults for a broker that is down (between a SIGKILL and its restart): the torn-tail cases a log must
 * survive after a crash. It picks a random partition directory under `DATA_DIR/logs/<topic>-<partition>` and
 * damages the end of its active (last) segment:
 * - `append-garbage`: random bytes after the last whole batch (a write torn mid-batch, or a stray page);
 * - `append-zeros`: zero bytes after the last batch (a file extended but never written: a preallocated tail);
 * - `flip-last-batch`: flip one byte inside the last batch's CRC-covered bytes, only when that batch starts at or
 *   above the partition's high-watermark checkpoint (so nothing the broker had checkpointed as committed is hurt).
 * Recovery must cut each of these off. Bytes before the high-watermark checkpoint are never touched. (The
 * broker keeps that checkpoint, `replication-offset-checkpoint`, in `DATA_DIR/logs` next to the partitions.)
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Random } from '@tributary/core';
import { RECORD_BATCH_V2_LAYOUT } from '@tributary/records';

export const TAIL_DAMAGE_KINDS = ['append-garbage', 'append-zeros', 'flip-last-batch'] as const;
export type TailDamageKind = (typeof TAIL_DAMAGE_KINDS)[number];

export const DATA_FAULT_LIMITS = {
  /** Bytes appended by an append fault, at most (and at least 1). */
  appendedBytesMax: 4_096,
  /** Batches scanned to find the last one; a longer segment is left alone. */
  batchesScannedMax: 1_000_000,
} as const;

/** What was done, for the FaultRecord's detail; undefined when the broker had no partition data. */
export interface TailDamage {
  readonly kind: TailDamageKind;
  readonly partitionDir: string;
  readonly segmentFile: string;
  readonly detail: string;
}

const SEGMENT_NAME = /^\d{20}\.log$/;
const PARTITION_DIR_NAME = /^.+-\d+$/;
const HIGH_WATERMARK_CHECKPOINT_FILE = 'replication-offset-checkpoint';

/** Damages the tail of a random partition's active segment in a stopped broker's data dir. */
export async function damagePartitionTail(
  dataDir: string,
  random: Random,
  wanted?: TailDamageKind,
): Promise<TailDamage | undefined> {
  const logsDir = join(dataDir, 'logs');
  // Partition directories only: the high-watermark checkpoint file lives next to them.
  const partitions = (await listDir(logsDir)).filter((name) => PARTITION_DIR_NAME.test(name)).sort();
  if (partitions.length === 0) return undefined;
  const partitionName = partitions[random.int(0, partitions.length)] ?? '';
  const partitionDir = join(logsDir, partitionName);
  const segments = (await listDir(partitionDir)).filter((name) => SEGMENT_NAME.test(name)).sort();
  const last = segments[segments.length - 1];
  if (last === undefined) return undefined;
  const segmentFile = join(partitionDir, last);
  const kind = wanted ?? TAIL_DAMAGE_KINDS[random.int(0, TAIL_DAMAGE_KINDS.length)] ?? 'append-garbage';
  if (kind === 'flip-last-batch') {
    const checkpoint = await highWatermarkOf(logsDir, partitionName);
    const flipped = await flipLastBatch(segmentFile, checkpoint, random);
    if (flipped !== undefined) return { kind, partitionDir, segmentFile, detail: flipped };
    // Nothing above the checkpoint to damage: fall back to a torn append, which is always safe.
    return appendTail(partitionDir, segmentFile, 'append-garbage', random);
  }
  return appendTail(partitionDir, segmentFile, kind, random);
}

async function appendTail(
  partitionDir: string,
  segmentFile: string,
  kind: 'append-garbage' | 'append-zeros',
  random: Random,
): Promise<TailDamage> {
  const length = random.int(1, DATA_FAULT_LIMITS.appendedBytesMax + 1);
  const bytes = Buffer.alloc(length);
  if (kind === 'append-garbage') for (let i = 0; i < length; i++) bytes[i] = random.int(0, 256);
  const before = (await stat(segmentFile)).size;
  const file = await open(segmentFile, 'a');
  try {
    await file.write(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  return { kind, partitionDir, segmentFile, detail: `${kind}: ${length} bytes after byte ${before}` };
}

/** The base offset and file position of the last whole batch, by walking the length fields. */
export async function lastBatchOf(
  segmentFile: string,
): Promise<{ position: number; baseOffset: number; size: number } | undefined> {
  const file = await open(segmentFile, 'r');
  try {
    const { size: fileSize } = await file.stat();
    const header = Buffer.alloc(RECORD_BATCH_V2_LAYOUT.lengthFieldEnd);
    let position = 0;
    let last: { position: number; baseOffset: number; size: number } | undefined;
    for (let count = 0; count < DATA_FAULT_LIMITS.batchesScannedMax; count++) {
      if (position + header.length > fileSize) return last;
      await file.read(header, 0, header.length, position);
      const batchLength = header.readInt32BE(RECORD_BATCH_V2_LAYOUT.batchLength);
      const size = RECORD_BATCH_V2_LAYOUT.lengthFieldEnd + batchLength;
      if (batchLength <= 0 || position + size > fileSize) return last;
      const baseOffset = Number(header.readBigInt64BE(RECORD_BATCH_V2_LAYOUT.baseOffset));
      last = { position, baseOffset, size };
      position += size;
    }
    return undefined;
  } finally {
    await file.close();
  }
}

async function flipLastBatch(
  segmentFile: string,
  highWatermark: number,
  random: Random,
): Promise<string | undefined> {
  const last = await lastBatchOf(segmentFile);
  if (last === undefined || last.baseOffset < highWatermark) return undefined;
  // A byte the CRC covers (attributes onwards), so the damage is detectable rather than silently wrong.
  const from = last.position + RECORD_BATCH_V2_LAYOUT.attributes;
  const at = random.int(from, last.position + last.size);
  const file = await open(segmentFile, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await file.read(byte, 0, 1, at);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await file.write(byte, 0, 1, at);
    await file.sync();
  } finally {
    await file.close();
  }
  return `flip-last-batch: byte ${at} of the batch at offset ${last.baseOffset} (checkpoint ${highWatermark})`;
}

/**
 * The checkpointed high watermark of `topic-partition`. Without a readable checkpoint entry nothing is known to
 * be safe to flip, so the answer is "above everything" and the caller appends instead.
 */
async function highWatermarkOf(logsDir: string, partitionName: string): Promise<number> {
  let text: string;
  try {
    const file = await open(join(logsDir, HIGH_WATERMARK_CHECKPOINT_FILE), 'r');
    try {
      text = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
  const dash = partitionName.lastIndexOf('-');
  const wanted = `${partitionName.slice(0, dash)} ${partitionName.slice(dash + 1)} `;
  const line = text.split('\n').find((candidate) => candidate.startsWith(wanted));
  if (line === undefined) return Number.MAX_SAFE_INTEGER;
  const value = Number(line.slice(wanted.length));
  return Number.isSafeInteger(value) && value >= 0 ? value : Number.MAX_SAFE_INTEGER;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
