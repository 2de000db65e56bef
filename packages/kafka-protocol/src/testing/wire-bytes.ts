/**
 * Hand-written encodings of the protocol guide's primitive types ("Protocol Primitive Types"), for
 * tests that spell a message out field by field from the guide's BNF. They deliberately share nothing
 * with reader.ts, writer.ts or wire-type.ts: a definition checked against these bytes is checked
 * against the guide, not against the codec itself. Not part of the build (tsconfig excludes src/testing).
 */

export function int8(value: number): Buffer {
  const out = Buffer.alloc(1);
  out.writeInt8(value);
  return out;
}

export function int16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeInt16BE(value);
  return out;
}

export function int32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeInt32BE(value);
  return out;
}

export function int64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigInt64BE(BigInt(value));
  return out;
}

export function bool(value: boolean): Buffer {
  return Buffer.of(value ? 1 : 0);
}

/** UNSIGNED_VARINT: 7 bits a byte, least significant group first, high bit = more follows. */
export function uvarint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
}

/** UUID: the 16 bytes of the canonical form's hex digits. */
export function uuid(value: string): Buffer {
  return Buffer.from(value.replaceAll('-', ''), 'hex');
}

/** STRING / NULLABLE_STRING: int16 length (-1 = null), then UTF-8. */
export function string(value: string | null): Buffer {
  if (value === null) return int16(-1);
  const utf8 = Buffer.from(value, 'utf8');
  return Buffer.concat([int16(utf8.length), utf8]);
}

/** COMPACT_STRING / COMPACT_NULLABLE_STRING: unsigned varint length + 1 (0 = null), then UTF-8. */
export function compactString(value: string | null): Buffer {
  if (value === null) return uvarint(0);
  const utf8 = Buffer.from(value, 'utf8');
  return Buffer.concat([uvarint(utf8.length + 1), utf8]);
}

/** BYTES / NULLABLE_BYTES / RECORDS: int32 length (-1 = null), then the bytes. */
export function bytes(value: Uint8Array | null): Buffer {
  if (value === null) return int32(-1);
  return Buffer.concat([int32(value.length), value]);
}

/** COMPACT_BYTES / COMPACT_RECORDS: unsigned varint length + 1 (0 = null), then the bytes. */
export function compactBytes(value: Uint8Array | null): Buffer {
  if (value === null) return uvarint(0);
  return Buffer.concat([uvarint(value.length + 1), value]);
}

/** ARRAY: an int32 count (-1 = null) followed by the elements. */
export function array(...elements: readonly Buffer[]): Buffer {
  return Buffer.concat([int32(elements.length), ...elements]);
}

export const NULL_ARRAY: Buffer = int32(-1);

/** COMPACT_ARRAY: unsigned varint count + 1 (0 = null) followed by the elements. */
export function compactArray(...elements: readonly Buffer[]): Buffer {
  return Buffer.concat([uvarint(elements.length + 1), ...elements]);
}

export const COMPACT_NULL_ARRAY: Buffer = uvarint(0);

/** TAG_BUFFER (KIP-482): a count, then for each field its tag, its size and its bytes. */
export function tagBuffer(...fields: readonly (readonly [tag: number, body: Buffer])[]): Buffer {
  const parts: Buffer[] = [uvarint(fields.length)];
  for (const [tag, body] of fields) parts.push(uvarint(tag), uvarint(body.length), body);
  return Buffer.concat(parts);
}

/** An empty TAG_BUFFER: the single 0 byte closing every struct of a flexible version. */
export const NO_TAGS: Buffer = uvarint(0);

export function concat(...parts: readonly Buffer[]): Buffer {
  return Buffer.concat(parts);
}
