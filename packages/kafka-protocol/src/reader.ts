/**
 * A strict, bounded cursor over one frame. Every read checks the bytes left first, so a length field
 * can never make the decoder read past the frame or allocate more than the frame holds: byte strings
 * are views into the frame (no copy), and counts are checked against what is left before anything is
 * allocated for them.
 */
import { KafkaProtocolError } from './errors.js';

const INT64_SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
/** An unsigned varint for a 32-bit value takes at most 5 bytes (KIP-482 lengths and counts). */
const UVARINT32_BYTES_MAX = 5;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class Reader {
  readonly #buf: Buffer;
  #pos: number;
  readonly #end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.#buf = buf;
    this.#pos = start;
    this.#end = end;
  }

  get position(): number {
    return this.#pos;
  }

  remaining(): number {
    return this.#end - this.#pos;
  }

  #need(bytes: number, what: string): number {
    if (bytes > this.#end - this.#pos) {
      throw new KafkaProtocolError(
        'TRUNCATED',
        this.#pos,
        `${what} needs ${bytes} bytes, ${this.#end - this.#pos} left`,
      );
    }
    const at = this.#pos;
    this.#pos += bytes;
    return at;
  }

  int8(): number {
    return this.#buf.readInt8(this.#need(1, 'int8'));
  }

  int16(): number {
    return this.#buf.readInt16BE(this.#need(2, 'int16'));
  }

  uint16(): number {
    return this.#buf.readUInt16BE(this.#need(2, 'uint16'));
  }

  int32(): number {
    return this.#buf.readInt32BE(this.#need(4, 'int32'));
  }

  uint32(): number {
    return this.#buf.readUInt32BE(this.#need(4, 'uint32'));
  }

  /**
   * int64 as a JS number. Kafka's int64 fields here are offsets, timestamps, producer ids and
   * sentinels (-1, -2, -3), all far inside ±2^53; a value outside is refused rather than rounded.
   */
  int64(): number {
    const at = this.#need(8, 'int64');
    const value = this.#buf.readBigInt64BE(at);
    if (value > INT64_SAFE_MAX || value < INT64_SAFE_MIN) {
      throw new KafkaProtocolError('BAD_VALUE', at, `int64 ${value} is outside ±2^53`);
    }
    return Number(value);
  }

  float64(): number {
    return this.#buf.readDoubleBE(this.#need(8, 'float64'));
  }

  /** Unsigned varint of at most 32 bits (KIP-482's compact lengths, counts and tags). */
  uvarint(): number {
    const start = this.#pos;
    let value = 0;
    for (let i = 0; i < UVARINT32_BYTES_MAX; i++) {
      const byte = this.#buf[this.#need(1, 'unsigned varint')] ?? 0;
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (value > 0xffff_ffff) break;
        return value;
      }
    }
    throw new KafkaProtocolError('BAD_VALUE', start, 'unsigned varint is longer than 32 bits');
  }

  /** A view of the next `length` bytes (no copy). */
  bytes(length: number, what: string): Buffer {
    const at = this.#need(length, what);
    return this.#buf.subarray(at, at + length);
  }

  utf8(length: number, what: string): string {
    const at = this.#pos;
    const view = this.bytes(length, what);
    try {
      return UTF8.decode(view);
    } catch {
      throw new KafkaProtocolError('BAD_VALUE', at, `${what} is not valid UTF-8`);
    }
  }

  /** A reader over the next `length` bytes, which this reader skips. */
  sub(length: number, what: string): Reader {
    const at = this.#need(length, what);
    return new Reader(this.#buf, at, at + length);
  }

  skip(length: number, what: string): void {
    this.#need(length, what);
  }
}
