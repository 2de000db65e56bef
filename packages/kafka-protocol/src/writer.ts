/**
 * Builds an encoded message as a list of chunks: small fields are copied into a scratch buffer, while
 * large byte strings (record batches in a Fetch response) are kept as chunks of their own, so the
 * records read from a log reach the socket without being copied (socket.writev takes the list).
 */
import { assert } from '@tributary/core';

/** Byte strings at least this long become chunks of their own instead of being copied. */
const ZERO_COPY_BYTES_MIN = 1024;
const SCRATCH_BYTES = 4096;

export class Writer {
  readonly #chunks: Buffer[] = [];
  #scratch: Buffer = Buffer.allocUnsafe(SCRATCH_BYTES);
  #pos = 0;
  /** Bytes in #chunks (the scratch's #pos bytes are not counted yet). */
  #flushed = 0;

  get size(): number {
    return this.#flushed + this.#pos;
  }

  #room(bytes: number): Buffer {
    if (this.#scratch.length - this.#pos < bytes) {
      this.#flush();
      if (this.#scratch.length < bytes) this.#scratch = Buffer.allocUnsafe(Math.max(bytes, SCRATCH_BYTES));
    }
    return this.#scratch;
  }

  #flush(): void {
    if (this.#pos === 0) return;
    this.#chunks.push(this.#scratch.subarray(0, this.#pos));
    this.#flushed += this.#pos;
    this.#scratch = this.#scratch.subarray(this.#pos);
    if (this.#scratch.length < 64) this.#scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
    this.#pos = 0;
  }

  int8(value: number): void {
    assert(Number.isInteger(value) && value >= -128 && value <= 127, () => `int8 ${value} out of range`);
    this.#pos = this.#room(1).writeInt8(value, this.#pos);
  }

  int16(value: number): void {
    assert(
      Number.isInteger(value) && value >= -32_768 && value <= 32_767,
      () => `int16 ${value} out of range`,
    );
    this.#pos = this.#room(2).writeInt16BE(value, this.#pos);
  }

  uint16(value: number): void {
    assert(Number.isInteger(value) && value >= 0 && value <= 0xffff, () => `uint16 ${value} out of range`);
    this.#pos = this.#room(2).writeUInt16BE(value, this.#pos);
  }

  int32(value: number): void {
    assert(
      Number.isInteger(value) && value >= -0x8000_0000 && value <= 0x7fff_ffff,
      () => `int32 ${value} out of range`,
    );
    this.#pos = this.#room(4).writeInt32BE(value, this.#pos);
  }

  uint32(value: number): void {
    assert(
      Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff,
      () => `uint32 ${value} out of range`,
    );
    this.#pos = this.#room(4).writeUInt32BE(value, this.#pos);
  }

  int64(value: number): void {
    assert(Number.isSafeInteger(value), () => `int64 ${value} is not a safe integer`);
    this.#pos = this.#room(8).writeBigInt64BE(BigInt(value), this.#pos);
  }

  float64(value: number): void {
    this.#pos = this.#room(8).writeDoubleBE(value, this.#pos);
  }

  uvarint(value: number): void {
    assert(
      Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff,
      () => `unsigned varint ${value} out of range`,
    );
    const scratch = this.#room(5);
    let rest = value;
    while (rest >= 0x80) {
      scratch[this.#pos++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    scratch[this.#pos++] = rest;
  }

  bytes(value: Uint8Array): void {
    if (value.length >= ZERO_COPY_BYTES_MIN) {
      this.#flush();
      this.#chunks.push(
        Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length),
      );
      this.#flushed += value.length;
      return;
    }
    const scratch = this.#room(value.length);
    scratch.set(value, this.#pos);
    this.#pos += value.length;
  }

  /** The encoded chunks, in order. The writer must not be used afterwards. */
  finish(): Buffer[] {
    this.#flush();
    return this.#chunks;
  }

  /** The encoded bytes as one buffer (copies when there is more than one chunk). */
  toBuffer(): Buffer {
    const chunks = this.finish();
    return chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, this.#flushed);
  }
}
