import { assert } from '@tributary/core';
import { LOG_LIMITS } from './limits.js';

/**
 * The sparse indexes of one segment, held in memory in their file layout (Kafka's) and written to their
 * files as is: `.index` entries are (relativeOffset u32, position u32), 8 bytes; `.timeindex` entries are
 * (timestamp i64, relativeOffset u32), 12 bytes. Both are strictly increasing in every field, so lookups
 * are binary searches over the buffer.
 */
export const OFFSET_ENTRY_BYTES = 8;
export const TIME_ENTRY_BYTES = 12;
const INITIAL_CAPACITY_ENTRIES = 64;

/** A growable buffer of fixed-size entries. */
class EntryBuffer {
  private buf: Buffer;
  length = 0;

  constructor(
    private readonly entryBytes: number,
    initial?: Buffer,
  ) {
    this.buf = initial ?? Buffer.alloc(INITIAL_CAPACITY_ENTRIES * entryBytes);
    if (initial !== undefined) this.length = initial.length / entryBytes;
  }

  /** Byte offset of a new entry at the end, growing the buffer when full. */
  push(): number {
    if ((this.length + 1) * this.entryBytes > this.buf.length) {
      const grown = Buffer.alloc(Math.max(this.buf.length * 2, INITIAL_CAPACITY_ENTRIES * this.entryBytes));
      this.buf.copy(grown, 0, 0, this.length * this.entryBytes);
      this.buf = grown;
    }
    return this.length++ * this.entryBytes;
  }

  get bytes(): Buffer {
    return this.buf;
  }

  slice(fromEntry: number): Buffer {
    return Buffer.from(this.buf.subarray(fromEntry * this.entryBytes, this.length * this.entryBytes));
  }

  /** First entry index for which `isAtOrAfter` holds (entries are sorted by the probed field). */
  search(isAtOrAfter: (at: number) => boolean): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAtOrAfter(mid * this.entryBytes)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

export class OffsetIndex {
  private readonly entries: EntryBuffer;

  constructor(initial?: Buffer) {
    this.entries = new EntryBuffer(OFFSET_ENTRY_BYTES, initial);
  }

  get length(): number {
    return this.entries.length;
  }

  relativeOffsetAt(i: number): number {
    return this.entries.bytes.readUInt32BE(i * OFFSET_ENTRY_BYTES);
  }

  positionAt(i: number): number {
    return this.entries.bytes.readUInt32BE(i * OFFSET_ENTRY_BYTES + 4);
  }

  append(relativeOffset: number, position: number): void {
    assert(relativeOffset >= 0 && relativeOffset <= LOG_LIMITS.relativeOffsetMax, 'relative offset in u32');
    assert(position >= 0 && position <= 0xffff_ffff, 'position in u32');
    const n = this.length;
    if (n > 0) {
      assert(relativeOffset > this.relativeOffsetAt(n - 1), 'offset index: offsets increase');
      assert(position > this.positionAt(n - 1), 'offset index: positions increase');
    }
    const at = this.entries.push();
    this.entries.bytes.writeUInt32BE(relativeOffset, at);
    this.entries.bytes.writeUInt32BE(position, at + 4);
  }

  /** Position of the last indexed batch whose base offset is <= relativeOffset; 0 when none. */
  floorPosition(relativeOffset: number): number {
    const bytes = this.entries.bytes;
    const i = this.entries.search((at) => bytes.readUInt32BE(at) > relativeOffset) - 1;
    return i < 0 ? 0 : this.positionAt(i);
  }

  /** Keeps entries for batches that start before `position`. */
  truncateToPosition(position: number): void {
    const bytes = this.entries.bytes;
    this.entries.length = this.entries.search((at) => bytes.readUInt32BE(at + 4) >= position);
  }

  encode(fromEntry: number): Buffer {
    return this.entries.slice(fromEntry);
  }

  /** Parses an index file; null when its shape is inconsistent with a segment of `segmentBytes`. */
  static decode(buf: Buffer, segmentBytes: number): OffsetIndex | null {
    if (buf.length % OFFSET_ENTRY_BYTES !== 0) return null;
    for (let at = 0; at < buf.length; at += OFFSET_ENTRY_BYTES) {
      if (buf.readUInt32BE(at + 4) >= segmentBytes) return null;
      if (at > 0 && buf.readUInt32BE(at) <= buf.readUInt32BE(at - OFFSET_ENTRY_BYTES)) return null;
      if (at > 0 && buf.readUInt32BE(at + 4) <= buf.readUInt32BE(at - OFFSET_ENTRY_BYTES + 4)) return null;
    }
    return new OffsetIndex(buf);
  }
}

export class TimeIndex {
  private readonly entries: EntryBuffer;

  constructor(initial?: Buffer) {
    this.entries = new EntryBuffer(TIME_ENTRY_BYTES, initial);
  }

  get length(): number {
    return this.entries.length;
  }

  timestampAt(i: number): number {
    return Number(this.entries.bytes.readBigInt64BE(i * TIME_ENTRY_BYTES));
  }

  relativeOffsetAt(i: number): number {
    return this.entries.bytes.readUInt32BE(i * TIME_ENTRY_BYTES + 8);
  }

  lastTimestamp(): number {
    return this.length === 0 ? -1 : this.timestampAt(this.length - 1);
  }

  /** Only a timestamp larger than every earlier one is indexed (Kafka: the max timestamp so far). */
  maybeAppend(timestamp: number, relativeOffset: number): void {
    const n = this.length;
    if (n > 0 && timestamp <= this.lastTimestamp()) return;
    if (n > 0) assert(relativeOffset > this.relativeOffsetAt(n - 1), 'time index: offsets increase');
    const at = this.entries.push();
    this.entries.bytes.writeBigInt64BE(BigInt(timestamp), at);
    this.entries.bytes.writeUInt32BE(relativeOffset, at + 8);
  }

  /**
   * The relative offset of the last entry whose timestamp is strictly below `timestamp`: every batch before
   * that entry's batch has a smaller timestamp, so a scan for the first batch >= timestamp may start there.
   * -1 when the scan must start at the segment's beginning.
   */
  scanStartFor(timestamp: number): number {
    const bytes = this.entries.bytes;
    const i = this.entries.search((at) => Number(bytes.readBigInt64BE(at)) >= timestamp) - 1;
    return i < 0 ? -1 : this.relativeOffsetAt(i);
  }

  /** Keeps entries that refer to offsets below `relativeOffsetEnd`. */
  truncateToRelativeOffset(relativeOffsetEnd: number): void {
    const bytes = this.entries.bytes;
    this.entries.length = this.entries.search((at) => bytes.readUInt32BE(at + 8) >= relativeOffsetEnd);
  }

  encode(fromEntry: number): Buffer {
    return this.entries.slice(fromEntry);
  }

  static decode(buf: Buffer, relativeOffsetEnd: number): TimeIndex | null {
    if (buf.length % TIME_ENTRY_BYTES !== 0) return null;
    for (let at = 0; at < buf.length; at += TIME_ENTRY_BYTES) {
      if (buf.readUInt32BE(at + 8) >= relativeOffsetEnd) return null;
      if (at === 0) continue;
      const previous = at - TIME_ENTRY_BYTES;
      if (buf.readBigInt64BE(at) <= buf.readBigInt64BE(previous)) return null;
      if (buf.readUInt32BE(at + 8) <= buf.readUInt32BE(previous + 8)) return null;
    }
    return new TimeIndex(buf);
  }
}

/** First index whose element is > value in an ascending array. */
export function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
