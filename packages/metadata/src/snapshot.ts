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
import { decodeRecord, encodeRecord } from './codec.js';
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
  const records: MetadataRecord[] = [];
  for (const id of image.brokerIds()) {
    const broker = image.brokers.get(id);
    assert(broker !== undefined, 'broker listed but missing');
    records.push({ type: 'RegisterBroker', ...broker });
  }
  for (const topic of image.topicsById.values()) {
    records.push({ type: 'Topic', name: topic.name, topicId: topic.topicId });
    for (const state of topic.partitions.values()) records.push({ type: 'Partition', ...state });
  }
  for (const [key, values] of image.configs) {
    const { resourceType, resourceName } = parseConfigResourceKey(key);
    for (const [name, value] of values)
      records.push({ type: 'Config', resourceType, resourceName, name, value });
  }
  if (image.producerIds !== null) records.push({ type: 'ProducerIds', ...image.producerIds });
  for (const acl of image.acls.byId.values()) records.push({ type: 'AccessControlEntry', ...acl });
  for (const credentials of image.scram.users.values()) {
    for (const credential of credentials.values())
      records.push({ type: 'UserScramCredential', ...credential });
  }
  for (const { entity, values } of image.clientQuotas.byEntity.values()) {
    for (const [key, value] of values) records.push({ type: 'ClientQuota', entity, key, value });
  }
  return records;
}

export function encodeSnapshot(image: MetadataImage): Uint8Array {
  const encoded = imageToRecords(image).map(encodeRecord);
  const size = HEADER_BYTES + encoded.reduce((sum, bytes) => sum + 4 + bytes.length, 0) + TRAILER_BYTES;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
  view.setUint8(4, SNAPSHOT_VERSION);
  view.setBigInt64(5, BigInt(image.offset));
  view.setUint32(13, encoded.length);
  let position = HEADER_BYTES;
  for (const bytes of encoded) {
    view.setUint32(position, bytes.length);
    out.set(bytes, position + 4);
    position += 4 + bytes.length;
  }
  view.setUint32(position, crc32(out.subarray(0, position)));
  return out;
}

function corrupt(message: string): TributaryError {
  return new TributaryError('INVALID_REQUEST', `metadata snapshot: ${message}`);
}

/** Checks and decodes a snapshot into its offset and records, without replaying them. */
export function decodeSnapshotRecords(bytes: Uint8Array): { offset: number; records: MetadataRecord[] } {
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
  const count = view.getUint32(13);
  const records: MetadataRecord[] = [];
  let position = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (position + 4 > crcPosition) throw corrupt(`record ${i} of ${count} runs past the end`);
    const length = view.getUint32(position);
    if (position + 4 + length > crcPosition) throw corrupt(`record ${i} of ${count} runs past the end`);
    records.push(decodeRecord(bytes.subarray(position + 4, position + 4 + length)));
    position += 4 + length;
  }
  if (position !== crcPosition) throw corrupt(`${crcPosition - position} stray bytes after the records`);
  return { offset, records };
}

export function decodeSnapshot(bytes: Uint8Array): MetadataImage {
  const { offset, records } = decodeSnapshotRecords(bytes);
  const delta = new MetadataDelta(MetadataImage.EMPTY);
  delta.advanceTo(offset);
  for (const record of records) delta.replay(record, offset);
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
