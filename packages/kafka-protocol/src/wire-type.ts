/**
 * The wire types of Kafka's message definitions (the protocol guide's "Protocol Primitive Types") and
 * how each is read and written in classic and flexible (KIP-482) versions. Definitions (schema.ts)
 * are built from these; nothing encodes a message by hand.
 */
import { KafkaProtocolError } from './errors.js';
import { KAFKA_LIMITS } from './limits.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

/** What every read and write needs to know: the message version and whether it is flexible. */
export interface CodecContext {
  readonly version: number;
  readonly flexible: boolean;
}

/**
 * A wire type. `read` returns null only for types that can be null on the wire (strings, bytes,
 * records, arrays); whether null is allowed in a version is the field's business (schema.ts).
 * `TIn` is what encoding accepts (structs accept their tagged fields as optional).
 */
export interface WireType<T, TIn = T> {
  /** Kafka's name of the type, for messages and the docs table. */
  readonly kind: string;
  read(reader: Reader, context: CodecContext): T | null;
  write(writer: Writer, value: TIn | null, context: CodecContext): void;
  defaultValue(): T;
  /** The fewest bytes one value takes in this context: bounds array counts before allocating. */
  minBytes(context: CodecContext): number;
}

function fixed<T>(
  kind: string,
  bytes: number,
  read: (r: Reader) => T,
  write: (w: Writer, v: T) => void,
  zero: T,
): WireType<T> {
  return {
    kind,
    read: (reader) => read(reader),
    write: (writer, value) => {
      if (value === null) throw new TypeError(`${kind} cannot be null`);
      write(writer, value);
    },
    defaultValue: () => zero,
    minBytes: () => bytes,
  };
}

export const int8 = fixed(
  'int8',
  1,
  (r) => r.int8(),
  (w, v: number) => w.int8(v),
  0,
);
export const int16 = fixed(
  'int16',
  2,
  (r) => r.int16(),
  (w, v: number) => w.int16(v),
  0,
);
export const uint16 = fixed(
  'uint16',
  2,
  (r) => r.uint16(),
  (w, v: number) => w.uint16(v),
  0,
);
export const int32 = fixed(
  'int32',
  4,
  (r) => r.int32(),
  (w, v: number) => w.int32(v),
  0,
);
export const uint32 = fixed(
  'uint32',
  4,
  (r) => r.uint32(),
  (w, v: number) => w.uint32(v),
  0,
);
export const int64 = fixed(
  'int64',
  8,
  (r) => r.int64(),
  (w, v: number) => w.int64(v),
  0,
);
export const float64 = fixed(
  'float64',
  8,
  (r) => r.float64(),
  (w, v: number) => w.float64(v),
  0,
);

export const bool: WireType<boolean> = fixed(
  'bool',
  1,
  (r) => {
    const at = r.position;
    const byte = r.int8();
    if (byte !== 0 && byte !== 1)
      throw new KafkaProtocolError('BAD_VALUE', at, `bool is ${byte}, not 0 or 1`);
    return byte === 1;
  },
  (w, v: boolean) => w.int8(v ? 1 : 0),
  false,
);

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Kafka's uuid: 16 bytes on the wire, the canonical 8-4-4-4-12 lowercase hex form here. */
export const uuid: WireType<string> = fixed(
  'uuid',
  16,
  (r) => {
    const hex = r.bytes(16, 'uuid').toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  },
  (w, v: string) => {
    if (!UUID_PATTERN.test(v)) throw new TypeError(`not a canonical uuid: ${v}`);
    w.bytes(Buffer.from(v.replaceAll('-', ''), 'hex'));
  },
  ZERO_UUID,
);

export function isCanonicalUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/**
 * A length or count prefix: int16/int32 with -1 for null in classic versions, an unsigned varint of
 * length + 1 with 0 for null in flexible ones. Returns -1 for null.
 */
function readLength(reader: Reader, context: CodecContext, classic: 'int16' | 'int32', what: string): number {
  const at = reader.position;
  const length = context.flexible
    ? reader.uvarint() - 1
    : classic === 'int16'
      ? reader.int16()
      : reader.int32();
  if (length < -1) throw new KafkaProtocolError('BAD_LENGTH', at, `${what} length ${length} is negative`);
  return length;
}

function writeLength(
  writer: Writer,
  context: CodecContext,
  classic: 'int16' | 'int32',
  length: number,
): void {
  if (context.flexible) writer.uvarint(length + 1);
  else if (classic === 'int16') writer.int16(length);
  else writer.int32(length);
}

/** STRING / COMPACT_STRING and their nullable forms: UTF-8 with an int16 (classic) length. */
export const string: WireType<string> = {
  kind: 'string',
  read(reader, context) {
    const length = readLength(reader, context, 'int16', 'string');
    return length === -1 ? null : reader.utf8(length, 'string');
  },
  write(writer, value, context) {
    if (value === null) return writeLength(writer, context, 'int16', -1);
    const bytes = Buffer.from(value, 'utf8');
    if (!context.flexible && bytes.length > 0x7fff) {
      throw new RangeError(`a classic string holds at most 32767 bytes, got ${bytes.length}`);
    }
    writeLength(writer, context, 'int16', bytes.length);
    writer.bytes(bytes);
  },
  defaultValue: () => '',
  minBytes: (context) => (context.flexible ? 1 : 2),
};

/** BYTES / COMPACT_BYTES and their nullable forms (a view into the frame, never a copy). */
export const bytes: WireType<Buffer, Uint8Array> = {
  kind: 'bytes',
  read(reader, context) {
    const length = readLength(reader, context, 'int32', 'bytes');
    return length === -1 ? null : reader.bytes(length, 'bytes');
  },
  write(writer, value, context) {
    if (value === null) return writeLength(writer, context, 'int32', -1);
    writeLength(writer, context, 'int32', value.length);
    writer.bytes(value);
  },
  defaultValue: () => Buffer.alloc(0),
  minBytes: (context) => (context.flexible ? 1 : 4),
};

/** RECORDS: nullable bytes holding record batches (Produce, Fetch), kept opaque end to end. */
export const records: WireType<Buffer, Uint8Array> = { ...bytes, kind: 'records' };

/** ARRAY / COMPACT_ARRAY of `element`; counts are checked against the bytes left and a cap first. */
export interface ArrayType<T, TIn> extends WireType<T[], readonly TIn[]> {
  readonly element: WireType<T, TIn>;
}

export function array<T, TIn>(element: WireType<T, TIn>): ArrayType<T, TIn> {
  return {
    kind: `[]${element.kind}`,
    element,
    read(reader, context) {
      const at = reader.position;
      const count = readLength(reader, context, 'int32', 'array');
      if (count === -1) return null;
      const elementBytes = element.minBytes(context);
      if (count > KAFKA_LIMITS.arrayElementsMax || count * elementBytes > reader.remaining()) {
        throw new KafkaProtocolError(
          'BAD_LENGTH',
          at,
          `array of ${count} ${element.kind} cannot fit in ${reader.remaining()} bytes (or passes ${KAFKA_LIMITS.arrayElementsMax})`,
        );
      }
      const values: T[] = [];
      for (let i = 0; i < count; i++) {
        const value = element.read(reader, context);
        if (value === null)
          throw new KafkaProtocolError('BAD_VALUE', reader.position, `null ${element.kind} in an array`);
        values.push(value);
      }
      return values;
    },
    write(writer, values, context) {
      if (values === null) return writeLength(writer, context, 'int32', -1);
      writeLength(writer, context, 'int32', values.length);
      for (const value of values) element.write(writer, value, context);
    },
    defaultValue: () => [],
    minBytes: (context) => (context.flexible ? 1 : 4),
  };
}
