/**
 * Framing of one Raft 'normal' entry's data: the batch of encoded metadata records that one command
 * produced. The controller proposes each command's records as ONE entry, so a command is applied
 * atomically (all of its records or none).
 *
 * Layout (all integers unsigned 32-bit big-endian):
 *
 *   version (1 byte, = 1) | record count | { record length | record bytes } * count
 *
 * The records themselves are opaque here (packages/metadata's encodeRecord/decodeRecord). An empty
 * batch is legal (count 0). A malformed batch is a bug or corruption and throws.
 */
import { assert } from '@tributary/core';

export const ENTRY_BATCH_VERSION = 1;

/**
 * Records one entry may hold: a topic with the maximum partition count, plus its topic and config
 * records, fits with room to spare.
 */
export const RECORDS_PER_ENTRY_MAX = 200_000;

const HEADER_BYTES = 5;
const LENGTH_BYTES = 4;

export function encodeEntryBatch(records: readonly Uint8Array[]): Uint8Array {
  assert(
    records.length <= RECORDS_PER_ENTRY_MAX,
    () => `entry batch of ${records.length} records is too large`,
  );
  let size = HEADER_BYTES;
  for (const record of records) size += LENGTH_BYTES + record.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[0] = ENTRY_BATCH_VERSION;
  view.setUint32(1, records.length);
  let offset = HEADER_BYTES;
  for (const record of records) {
    view.setUint32(offset, record.length);
    offset += LENGTH_BYTES;
    out.set(record, offset);
    offset += record.length;
  }
  assert(offset === size, 'entry batch size mismatch');
  return out;
}

/** Splits an entry's data back into record byte arrays (views into `data`, not copies). */
export function decodeEntryBatch(data: Uint8Array): Uint8Array[] {
  if (data.length === 0) return [];
  if (data.length < HEADER_BYTES) throw new RangeError(`entry batch of ${data.length} bytes has no header`);
  if (data[0] !== ENTRY_BATCH_VERSION) {
    throw new RangeError(`entry batch version ${String(data[0])} is not ${ENTRY_BATCH_VERSION}`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const count = view.getUint32(1);
  if (count > RECORDS_PER_ENTRY_MAX) throw new RangeError(`entry batch claims ${count} records`);
  const records: Uint8Array[] = [];
  let offset = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (offset + LENGTH_BYTES > data.length) throw new RangeError(`entry batch truncated at record ${i}`);
    const length = view.getUint32(offset);
    offset += LENGTH_BYTES;
    if (offset + length > data.length) throw new RangeError(`entry batch record ${i} overruns the entry`);
    records.push(data.subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== data.length) throw new RangeError(`entry batch has ${data.length - offset} trailing bytes`);
  return records;
}
