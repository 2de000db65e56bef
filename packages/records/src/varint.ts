import { assert } from '@tributary/core';
import { RecordBatchError } from './errors.js';

/**
 * Zigzag varints as in Kafka's ByteUtils (and protobuf's sint32/sint64): small magnitudes of either sign
 * take few bytes. A varint holds an int32 in at most 5 bytes; a varlong an int64 in at most 10. Varlongs
 * here are JS numbers, so they are limited to zigzag values below 2^53 (|n| < 2^52): ample for timestamp
 * deltas, and anything larger is refused as out of range rather than silently rounded.
 */
export const VARINT_BYTES_MAX = 5;
export const VARLONG_BYTES_MAX = 10;
/** |n| must stay below this for a varlong to round-trip through a JS number. */
export const VARLONG_MAGNITUDE_LIMIT = 2 ** 52;

const TWO_POW_53 = 2 ** 53;

export function zigzagEncode32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

export function zigzagDecode32(u: number): number {
  return (u >>> 1) ^ -(u & 1);
}

export function sizeOfVarint(n: number): number {
  let u = zigzagEncode32(n);
  let bytes = 1;
  while (u >= 0x80) {
    u >>>= 7;
    bytes++;
  }
  return bytes;
}

function zigzagEncode64(n: number): number {
  assert(Number.isInteger(n) && Math.abs(n) < VARLONG_MAGNITUDE_LIMIT, () => `varlong ${n} is outside ±2^52`);
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

export function sizeOfVarlong(n: number): number {
  let u = zigzagEncode64(n);
  let bytes = 1;
  while (u >= 0x80) {
    u = Math.floor(u / 128);
    bytes++;
  }
  return bytes;
}

/** Writes into `buf` at `position`; returns the position after the varint. */
export function writeVarint(buf: Buffer, position: number, n: number): number {
  assert(Number.isInteger(n) && n >= -0x8000_0000 && n <= 0x7fff_ffff, () => `varint ${n} is not an int32`);
  let u = zigzagEncode32(n);
  let pos = position;
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

export function writeVarlong(buf: Buffer, position: number, n: number): number {
  let u = zigzagEncode64(n);
  let pos = position;
  while (u >= 0x80) {
    buf[pos++] = (u % 128) | 0x80;
    u = Math.floor(u / 128);
  }
  buf[pos++] = u;
  return pos;
}

/**
 * A cursor over one record batch's records section. Every read checks the end first, so a corrupt
 * length can never read past the batch (into the next one) or past the buffer.
 */
export class ByteReader {
  constructor(
    readonly buf: Buffer,
    public position: number,
    readonly end: number,
  ) {
    assert(position >= 0 && position <= end && end <= buf.length, 'ByteReader range is inside the buffer');
  }

  remaining(): number {
    return this.end - this.position;
  }

  private need(bytes: number, what: string): void {
    if (this.end - this.position < bytes) {
      throw new RecordBatchError(
        'BAD_RECORD',
        this.position,
        `${what} needs ${bytes} bytes but the record section has ${this.end - this.position} left`,
      );
    }
  }

  readInt8(what: string): number {
    this.need(1, what);
    return this.buf.readInt8(this.position++);
  }

  readVarint(what: string): number {
    const start = this.position;
    let u = 0;
    for (let i = 0; i < VARINT_BYTES_MAX; i++) {
      this.need(1, what);
      const byte = this.buf[this.position++] ?? 0;
      // The fifth byte carries the top 4 bits of a 32-bit value; anything above them overflows.
      if (i === VARINT_BYTES_MAX - 1 && byte > 0x0f) break;
      u = (u | ((byte & 0x7f) << (7 * i))) >>> 0;
      if (byte < 0x80) return zigzagDecode32(u);
    }
    throw new RecordBatchError('BAD_VARINT', start, `${what} is a varint longer than 32 bits`);
  }

  readVarlong(what: string): number {
    const start = this.position;
    let u = 0;
    let scale = 1;
    for (let i = 0; i < VARLONG_BYTES_MAX; i++) {
      this.need(1, what);
      const byte = this.buf[this.position++] ?? 0;
      u += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (u >= TWO_POW_53) {
          throw new RecordBatchError('OUT_OF_RANGE', start, `${what} does not fit in ±2^52`);
        }
        return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      }
      scale *= 128;
    }
    throw new RecordBatchError('BAD_VARINT', start, `${what} is a varlong longer than 64 bits`);
  }

  /** A zero-copy view of the next `length` bytes. */
  readBytes(length: number, what: string): Buffer {
    this.need(length, what);
    const view = this.buf.subarray(this.position, this.position + length);
    this.position += length;
    return view;
  }
}
