/**
 * Metadata snapshots: the records that rebuild an image, plus the offset it was taken at.
 *
 * Layout, version 1 (all integers big-endian):
 *
 *   magic    4 bytes   "TMDS" (Tributary MetaData Snapshot)
 *   version  u8        1
 *   offset   i64       the image's offset (-1 for the empty image)
 *   count    u32       number of records
 *   records  count x (u32 length, that many bytes of encodeRecord())
 *   crc32    u32       CRC-32 (IEEE 802.3, as zlib/gzip/PNG) of every byte before it
 *
 * Replaying the records in order onto MetadataImage.EMPTY, all at the snapshot's offset, yields an
 * image equal to the one the snapshot was taken from (the round-trip test checks this).
 */
import { assert, TributaryError } from '@tributary/core';
import { decodeRecord, encodeRecordText } from './codec.js';
import { MetadataDelta } from './delta.js';
import { MetadataImage, parseConfigResourceKey } from './image.js';
import type { MetadataRecord } from './records.js';

export const SNAPSHOT_MAGIC = 'TMDS';
export const SNAPSHOT_VERSION = 1;
const HEADER_BYTES = 4 + 1 + 8 + 4;
const TRAILER_BYTES = 4;

/**
 * The records that rebuild `image` from EMPTY: brokers, then topics with their partitions, configs, ids,
 * then ACLs, SCRAM credentials and client quotas (an image without them snapshots to the same bytes as
 * before they existed).
 */
export function imageToRecords(image: MetadataImage): MetadataRecord[] {
  return [...imageRecords(image)];
}

/** imageToRecords one record at a time, so a snapshot of a large image never holds them all at once. */
export function* imageRecords(image: MetadataImage): Generator<MetadataRecord, undefined, unknown> {
  for (const id of image.brokerIds()) {
    const broker = image.brokers.get(id);
    assert(broker !== undefined, 'broker listed but missing');
    yield { type: 'RegisterBroker', ...broker };
  }
  for (const topic of image.topicsById.values()) {
    yield { type: 'Topic', name: topic.name, topicId: topic.topicId };
    for (const state of topic.partitions.values()) yield { type: 'Partition', ...state };
  }
  for (const [key, values] of image.configs) {
    const { resourceType, resourceName } = parseConfigResourceKey(key);
    for (const [name, value] of values) yield { type: 'Config', resourceType, resourceName, name, value };
  }
  if (image.producerIds !== null) yield { type: 'ProducerIds', ...image.producerIds };
  for (const acl of image.acls.byId.values()) yield { type: 'AccessControlEntry', ...acl };
  for (const credentials of image.scram.users.values()) {
    for (const credential of credentials.values()) yield { type: 'UserScramCredential', ...credential };
  }
  for (const { entity, values } of image.clientQuotas.byEntity.values()) {
    for (const [key, value] of values) yield { type: 'ClientQuota', entity, key, value };
  }
  return undefined;
}

/** Bytes of one buffer of encoded records while a snapshot is written (one more is started when full). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Length-prefixed records appended to a list of buffers: each record's text is written straight into the
 * current buffer, so encoding holds the encoded bytes once (plus the final copy), not a Uint8Array per
 * record and the record objects besides.
 */
class RecordChunks {
  readonly chunks: Buffer[] = [];
  #current: Buffer = Buffer.allocUnsafe(0);
  #used = 0;
  count = 0;
  bytes = 0;

  append(text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    const needed = 4 + length;
    if (this.#used + needed > this.#current.length) {
      this.#seal();
      this.#current = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, needed));
    }
    this.#current.writeUInt32BE(length, this.#used);
    const written = this.#current.write(text, this.#used + 4, 'utf8');
    assert(written === length, 'record text shorter than its UTF-8 length');
    this.#used += needed;
    this.bytes += needed;
    this.count++;
  }

  finish(): Buffer[] {
    this.#seal();
    return this.chunks;
  }

  #seal(): void {
    if (this.#used > 0) this.chunks.push(this.#current.subarray(0, this.#used));
    this.#current = Buffer.allocUnsafe(0);
    this.#used = 0;
  }
}

export function encodeSnapshot(image: MetadataImage): Uint8Array {
  const encoder = new SnapshotEncoder(image);
  while (!encoder.step(Number.MAX_SAFE_INTEGER));
  return encoder.finish();
}

/**
 * encodeSnapshot a slice at a time, for a shell that must not stop for the whole encoding: images are
 * immutable, so the one captured here can be encoded between other work while newer images are built.
 * At 100,000 partitions a whole encoding is about half a second of CPU, longer than a Raft election
 * timeout; a slice of a few thousand records is a few milliseconds.
 */
export class SnapshotEncoder {
  readonly #offset: number;
  readonly #records: Iterator<MetadataRecord, undefined>;
  readonly #chunks = new RecordChunks();
  #done = false;

  constructor(image: MetadataImage) {
    this.#offset = image.offset;
    this.#records = imageRecords(image);
  }

  /** The offset of the image being encoded. */
  get offset(): number {
    return this.#offset;
  }

  /** Encodes up to `recordsMax` more records; true once every record is encoded. */
  step(recordsMax: number): boolean {
    assert(recordsMax > 0, 'a slice encodes at least one record');
    for (let i = 0; i < recordsMax && !this.#done; i++) {
      const next = this.#records.next();
      if (next.done === true) this.#done = true;
      else this.#chunks.append(encodeRecordText(next.value));
    }
    return this.#done;
  }

  /** The snapshot's bytes; only once step() has returned true. */
  finish(): Uint8Array {
    assert(this.#done, 'finish() before every record was encoded');
    const records = this.#chunks;
    const chunks = records.finish();
    const out = new Uint8Array(HEADER_BYTES + records.bytes + TRAILER_BYTES);
    const view = new DataView(out.buffer);
    out.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
    view.setUint8(4, SNAPSHOT_VERSION);
    view.setBigInt64(5, BigInt(this.#offset));
    view.setUint32(13, records.count);
    let position = HEADER_BYTES;
    for (const chunk of chunks) {
      out.set(chunk, position);
      position += chunk.length;
    }
    view.setUint32(position, crc32(out.subarray(0, position)));
    return out;
  }
}

function corrupt(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', `metadata snapshot: ${message}`);
}

/** What the header says, once the magic, version and CRC are checked; the records are not decoded. */
export interface SnapshotHeader {
  readonly offset: number;
  /** Records the snapshot says it holds. */
  readonly count: number;
}

/**
 * Checks a snapshot's magic, version and CRC and reads its header, without decoding a record: O(bytes),
 * for a receiver that wants to know what it got before it replaces its image with it.
 */
export function readSnapshotHeader(bytes: Uint8Array): SnapshotHeader {
  if (bytes.length < HEADER_BYTES + TRAILER_BYTES) throw corrupt(`only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = new TextDecoder().decode(bytes.subarray(0, 4));
  if (magic !== SNAPSHOT_MAGIC) throw corrupt(`bad magic ${JSON.stringify(magic)}`);
  const version = view.getUint8(4);
  if (version !== SNAPSHOT_VERSION) throw corrupt(`unsupported version ${version}`);
  const crcPosition = bytes.length - TRAILER_BYTES;
  const expectedCrc = view.getUint32(crcPosition);
  const actualCrc = crc32(bytes.subarray(0, crcPosition));
  if (expectedCrc !== actualCrc) {
    throw corrupt(`checksum mismatch (stored ${hex(expectedCrc)}, computed ${hex(actualCrc)})`);
  }
  const offset = Number(view.getBigInt64(5));
  if (!Number.isSafeInteger(offset) || offset < -1) throw corrupt(`bad offset ${offset}`);
  return { offset, count: view.getUint32(13) };
}

/** The snapshot's records, decoded one at a time (after readSnapshotHeader's checks). */
function* snapshotRecords(bytes: Uint8Array, count: number): Generator<MetadataRecord, undefined, unknown> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crcPosition = bytes.length - TRAILER_BYTES;
  let position = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (position + 4 > crcPosition) throw corrupt(`record ${i} of ${count} runs past the end`);
    const length = view.getUint32(position);
    if (position + 4 + length > crcPosition) throw corrupt(`record ${i} of ${count} runs past the end`);
    yield decodeRecord(bytes.subarray(position + 4, position + 4 + length));
    position += 4 + length;
  }
  if (position !== crcPosition) throw corrupt(`${crcPosition - position} stray bytes after the records`);
  return undefined;
}

/** Checks and decodes a snapshot into its offset and records, without replaying them. */
export function decodeSnapshotRecords(bytes: Uint8Array): { offset: number; records: MetadataRecord[] } {
  const { offset, count } = readSnapshotHeader(bytes);
  return { offset, records: [...snapshotRecords(bytes, count)] };
}

/** The image a snapshot rebuilds; each record is replayed as it is decoded (never all held at once). */
export function decodeSnapshot(bytes: Uint8Array): MetadataImage {
  const { offset, count } = readSnapshotHeader(bytes);
  const delta = new MetadataDelta(MetadataImage.EMPTY);
  delta.advanceTo(offset);
  for (const record of snapshotRecords(bytes, count)) delta.replay(record, offset);
  return delta.apply();
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/**
 * CRC-32/ISO-HDLC (reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF), the CRC of zlib and
 * gzip; crc32("123456789") = 0xCBF43926. Written out because zlib.crc32 arrived only in Node 22.
 */
const CRC32_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (CRC32_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
