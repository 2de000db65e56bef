import { assert } from '@tributary/core';
import { type BatchCodec, type BatchInfo, batchSizeAt, readBatchInfo } from './batch-codec.js';
import { LOG_LIMITS } from './limits.js';
import type { LogFile } from './log-fs.js';

export type ScanVerdict = 'continue' | 'stop' | 'invalid';

export interface ScanResult {
  /** Where the scan ended: the end, the batch the visitor stopped before, or the first invalid batch. */
  readonly position: number;
  readonly outcome: 'end' | 'stopped' | 'invalid';
  readonly reason: string;
}

export interface ScanOptions {
  readonly codec: BatchCodec;
  readonly fromPosition: number;
  readonly endPosition: number;
  /** Check magic, lengths and CRC of every batch (recovery), not only the header lengths. */
  readonly validate: boolean;
  readonly chunkBytes?: number;
}

/**
 * Reads `[fromPosition, endPosition)` of a segment file in bounded chunks and hands each batch header to
 * `visit`. A header that does not fit, an impossible length or (when validating) a bad CRC ends the scan with
 * outcome 'invalid' at that batch's position: everything from there on is a torn or corrupt tail.
 */
export async function scanBatches(
  file: LogFile,
  options: ScanOptions,
  visit: (info: BatchInfo) => ScanVerdict,
): Promise<ScanResult> {
  const { codec, endPosition, validate } = options;
  const chunkBytes = Math.min(options.chunkBytes ?? LOG_LIMITS.scanChunkBytes, LOG_LIMITS.scanChunkBytes);
  let chunkStart = options.fromPosition;
  while (chunkStart < endPosition) {
    let chunk = await readAt(file, chunkStart, Math.min(chunkBytes, endPosition - chunkStart));
    let at = 0;
    while (chunkStart + at < endPosition) {
      const position = chunkStart + at;
      if (position + codec.headerSize > endPosition) return invalid(position, 'torn batch header');
      if (at + codec.headerSize > chunk.length) {
        if (at === 0) return invalid(position, 'short read');
        break;
      }
      const size = batchSizeAt(codec, chunk, at);
      if (size < 0) return invalid(position, 'impossible batch length');
      if (position + size > endPosition) return invalid(position, 'torn batch');
      if (at + size > chunk.length) {
        if (at > 0) break;
        chunk = await readAt(file, position, size);
        if (chunk.length < size) return invalid(position, 'short read');
      }
      if (validate && !codec.isValid(chunk, at, size))
        return invalid(position, 'invalid batch (CRC or magic)');
      const verdict = visit(readBatchInfo(codec, chunk, at, position));
      if (verdict === 'stop') return { position, outcome: 'stopped', reason: 'stopped' };
      if (verdict === 'invalid') return invalid(position, 'batch offsets out of sequence');
      at += size;
    }
    assert(at > 0, 'scan makes progress');
    chunkStart += at;
  }
  return { position: endPosition, outcome: 'end', reason: 'end' };
}

function invalid(position: number, reason: string): ScanResult {
  return { position, outcome: 'invalid', reason };
}

/**
 * Positional reads and writes up to this size use the synchronous calls: a copy to or from the page cache
 * takes microseconds, where a libuv thread-pool round trip costs ~0.1-0.5 ms, several ms when the CPUs are
 * busy, and sits on the acks=all path three times per record (leader append, replica read, follower
 * append). Larger transfers (catch-up reads, recovery scans, big batches) stay asynchronous.
 */
export const SYNC_IO_BYTES_MAX = 64 * 1024;

/** Reads up to `length` bytes at `position`; shorter only at the end of the file. */
export async function readAt(file: LogFile, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  const sync = length <= SYNC_IO_BYTES_MAX;
  while (filled < length) {
    const bytesRead = sync
      ? file.readSync(buf, filled, length - filled, position + filled)
      : await file.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buf : buf.subarray(0, filled);
}

export async function writeAt(file: LogFile, position: number, bytes: Buffer): Promise<void> {
  let written = 0;
  const sync = bytes.length <= SYNC_IO_BYTES_MAX;
  while (written < bytes.length) {
    written += sync
      ? file.writeSync(bytes, written, bytes.length - written, position + written)
      : await file.write(bytes, written, bytes.length - written, position + written);
  }
}
