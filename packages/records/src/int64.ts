import { assert } from '@tributary/core';
import { RecordBatchError } from './errors.js';

const TWO_POW_32 = 0x1_0000_0000;

/**
 * Reads a big-endian int64 as a JS number without allocating a bigint (this runs on the broker's hot
 * path). hi * 2^32 is exact for any int32 hi, and any sum that rounds is beyond 2^53, so the
 * safe-integer check below catches every value a number cannot hold exactly.
 */
export function readInt64(buf: Buffer, position: number, what: string): number {
  const hi = buf.readInt32BE(position);
  const lo = buf.readUInt32BE(position + 4);
  const value = hi * TWO_POW_32 + lo;
  if (!Number.isSafeInteger(value)) {
    const exact = buf.readBigInt64BE(position);
    throw new RecordBatchError('OUT_OF_RANGE', position, `${what} ${exact} is not a safe integer`);
  }
  return value;
}

export function writeInt64(buf: Buffer, position: number, value: number, what: string): void {
  assert(Number.isSafeInteger(value), () => `${what} must be a safe integer, got ${value}`);
  const hi = Math.floor(value / TWO_POW_32);
  const lo = value - hi * TWO_POW_32;
  buf.writeInt32BE(hi, position);
  buf.writeUInt32BE(lo, position + 4);
}
