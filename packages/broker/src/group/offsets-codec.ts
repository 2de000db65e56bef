/**
 * The records of __consumer_offsets: one record per committed offset, keyed by (group, topic, partition),
 * a null value being a tombstone. Binary, in the layout of Kafka's OffsetCommitKey v1 and
 * OffsetCommitValue v3 (big-endian; strings as int16 length + UTF-8): the format is Kafka's proven one,
 * compact and exactly sized, so a strict decoder can refuse anything with a wrong version or length
 * instead of guessing. Pure.
 */
import { TributaryError } from '@tributary/core';

/** Kafka's key versions 0 and 1 are offset commits (2 is group metadata, which groups here never write). */
export const OFFSET_COMMIT_KEY_VERSION = 1;
export const OFFSET_COMMIT_VALUE_VERSION = 3;

const INT16_MAX = 0x7fff;

export interface OffsetCommitKey {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

export interface OffsetCommitValue {
  /** The next offset to consume. */
  readonly offset: number;
  /** -1 when unknown. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  /** Wall-clock milliseconds of the commit (retention counts from it). */
  readonly commitTimestampMs: number;
}

function corrupt(message: string): TributaryError {
  return new TributaryError('CORRUPT_MESSAGE', `__consumer_offsets record: ${message}`);
}

function stringBytes(value: string, what: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > INT16_MAX)
    throw new TributaryError('INVALID_REQUEST', `${what} is longer than ${INT16_MAX} bytes`);
  return bytes;
}

function checkInt(value: number, what: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${what} must be an integer in [${min}, ${max}], got ${value}`,
    );
  }
}

export function encodeOffsetKey(key: OffsetCommitKey): Buffer {
  checkInt(key.partition, 'partition', 0, 0x7fff_ffff);
  const group = stringBytes(key.group, 'group id');
  const topic = stringBytes(key.topic, 'topic');
  const out = Buffer.alloc(2 + 2 + group.length + 2 + topic.length + 4);
  let at = out.writeInt16BE(OFFSET_COMMIT_KEY_VERSION, 0);
  at = out.writeInt16BE(group.length, at);
  at += group.copy(out, at);
  at = out.writeInt16BE(topic.length, at);
  at += topic.copy(out, at);
  out.writeInt32BE(key.partition, at);
  return out;
}

export function encodeOffsetValue(value: OffsetCommitValue): Buffer {
  checkInt(value.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
  checkInt(value.leaderEpoch, 'leader epoch', -1, 0x7fff_ffff);
  checkInt(value.commitTimestampMs, 'commit timestamp', 0, Number.MAX_SAFE_INTEGER);
  const metadata = stringBytes(value.metadata, 'metadata');
  const out = Buffer.alloc(2 + 8 + 4 + 2 + metadata.length + 8);
  let at = out.writeInt16BE(OFFSET_COMMIT_VALUE_VERSION, 0);
  at = out.writeBigInt64BE(BigInt(value.offset), at);
  at = out.writeInt32BE(value.leaderEpoch, at);
  at = out.writeInt16BE(metadata.length, at);
  at += metadata.copy(out, at);
  out.writeBigInt64BE(BigInt(value.commitTimestampMs), at);
  return out;
}

/** Reads fields in order and refuses short or long input. */
class Reader {
  #at = 0;
  constructor(readonly bytes: Buffer) {}

  need(n: number, what: string): void {
    if (this.#at + n > this.bytes.length)
      throw corrupt(`${what} runs past the end (${this.bytes.length} bytes)`);
  }
  int16(what: string): number {
    this.need(2, what);
    const value = this.bytes.readInt16BE(this.#at);
    this.#at += 2;
    return value;
  }
  int32(what: string): number {
    this.need(4, what);
    const value = this.bytes.readInt32BE(this.#at);
    this.#at += 4;
    return value;
  }
  int64(what: string): number {
    this.need(8, what);
    const value = this.bytes.readBigInt64BE(this.#at);
    this.#at += 8;
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
      throw corrupt(`${what} ${value} is out of range`);
    return Number(value);
  }
  string(what: string): string {
    const length = this.int16(`${what} length`);
    if (length < 0) throw corrupt(`${what} has a negative length`);
    this.need(length, what);
    const value = this.bytes.toString('utf8', this.#at, this.#at + length);
    this.#at += length;
    return value;
  }
  end(what: string): void {
    if (this.#at !== this.bytes.length)
      throw corrupt(`${this.bytes.length - this.#at} bytes after the ${what}`);
  }
}

/** The key's version, or null when the record is not an offset commit (the loader skips those). */
export function offsetKeyVersion(bytes: Uint8Array): number | null {
  if (bytes.length < 2) throw corrupt('key shorter than its version');
  const version = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readInt16BE(0);
  return version === 0 || version === 1 ? version : null;
}

export function decodeOffsetKey(bytes: Uint8Array): OffsetCommitKey {
  const reader = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  const version = reader.int16('key version');
  if (version !== 0 && version !== 1) throw corrupt(`unknown key version ${version}`);
  const group = reader.string('group');
  const topic = reader.string('topic');
  const partition = reader.int32('partition');
  if (partition < 0) throw corrupt(`negative partition ${partition}`);
  reader.end('key');
  return { group, topic, partition };
}

export function decodeOffsetValue(bytes: Uint8Array): OffsetCommitValue {
  const reader = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  const version = reader.int16('value version');
  if (version !== OFFSET_COMMIT_VALUE_VERSION) throw corrupt(`unknown value version ${version}`);
  const offset = reader.int64('offset');
  const leaderEpoch = reader.int32('leader epoch');
  if (leaderEpoch < -1) throw corrupt(`leader epoch ${leaderEpoch}`);
  const metadata = reader.string('metadata');
  const commitTimestampMs = reader.int64('commit timestamp');
  reader.end('value');
  return { offset, leaderEpoch, metadata, commitTimestampMs };
}
