/**
 * The declarative form of a Kafka message: a struct is an ordered set of named fields, each with the
 * versions it exists in, the versions it may be null in, and (for KIP-482 tagged fields) its tag. The
 * encoder and decoder of every API and version are derived from these definitions (struct()), and so
 * are the TypeScript types of decoded and encodable values.
 */
import { assert } from '@tributary/core';
import { KafkaProtocolError } from './errors.js';
import { KAFKA_LIMITS } from './limits.js';
import type { Reader } from './reader.js';
import { inRange, NO_VERSIONS, parseVersions, type VersionRange, type VersionSpec } from './versions.js';
import type { CodecContext, WireType } from './wire-type.js';
import { Writer } from './writer.js';

export interface Field<T, TIn = T, Tagged extends boolean = boolean> {
  readonly type: WireType<unknown, unknown>;
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange;
  /** KIP-482 tag: the field travels in the tagged-field section of flexible versions only. */
  readonly tag: number | undefined;
  readonly defaultValue: () => T;
  /** Phantom members carrying the value types for inference; never set. */
  readonly __value?: T;
  readonly __input?: TIn;
  readonly __tagged?: Tagged;
}

interface FieldOptions<T> {
  /** The value decoded in versions without the field (default: the type's zero). */
  readonly default?: T;
}

/** A field present in `versions`, never null. */
export function field<T, TIn>(
  type: WireType<T, TIn>,
  versions: VersionSpec,
  options: FieldOptions<T> = {},
): Field<T, TIn, false> {
  const fallback = options.default;
  return {
    type,
    versions: parseVersions(versions),
    nullableVersions: NO_VERSIONS,
    tag: undefined,
    defaultValue: fallback === undefined ? () => type.defaultValue() : () => fallback,
  };
}

/** A field present in `versions` that may be null in `nullable` (default value: null). */
export function nullable<T, TIn>(
  type: WireType<T, TIn>,
  versions: VersionSpec,
  nullableVersions: VersionSpec,
  options: FieldOptions<T | null> = {},
): Field<T | null, TIn | null, false> {
  const fallback = options.default === undefined ? null : options.default;
  return {
    type,
    versions: parseVersions(versions),
    nullableVersions: parseVersions(nullableVersions),
    tag: undefined,
    defaultValue: () => fallback,
  };
}

/** A KIP-482 tagged field: written only when not its default, in flexible versions within `versions`. */
export function tagged<T, TIn>(
  type: WireType<T, TIn>,
  versions: VersionSpec,
  tag: number,
  options: FieldOptions<T> = {},
): Field<T, TIn, true> {
  const fallback = options.default;
  return {
    type,
    versions: parseVersions(versions),
    nullableVersions: NO_VERSIONS,
    tag,
    defaultValue: fallback === undefined ? () => type.defaultValue() : () => fallback,
  };
}

/**
 * A KIP-482 tagged field that may be null in `options.nullable` (default value: null, so a null is
 * simply left out). Kafka has these: Fetch v12's request ClusterId is a nullable string with tag 0.
 */
export function nullableTagged<T, TIn>(
  type: WireType<T, TIn>,
  versions: VersionSpec,
  tag: number,
  options: FieldOptions<T | null> & { readonly nullable: VersionSpec },
): Field<T | null, TIn | null, true> {
  const fallback = options.default === undefined ? null : options.default;
  return {
    type,
    versions: parseVersions(versions),
    nullableVersions: parseVersions(options.nullable),
    tag,
    defaultValue: () => fallback,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the phantom type parameters are inferred, never used as values
type AnyField = Field<any, any, boolean>;
export type Fields = Readonly<Record<string, AnyField>>;

type ValueOf<F> = F extends Field<infer T, unknown, boolean> ? T : never;
type InputOf<F> = F extends Field<unknown, infer TIn, boolean> ? TIn : never;
type TaggedKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends Field<unknown, unknown, true> ? K : never;
}[keyof F];
type UntaggedKeys<F extends Fields> = Exclude<keyof F, TaggedKeys<F>>;

/** A decoded struct: every field, with its default where the version lacks it. */
export type StructValue<F extends Fields> = { [K in keyof F]: ValueOf<F[K]> };
/** What encoding a struct takes: every untagged field; tagged ones may be left out (= default). */
export type StructInput<F extends Fields> = { readonly [K in UntaggedKeys<F>]: InputOf<F[K]> } & {
  readonly [K in TaggedKeys<F>]?: InputOf<F[K]>;
};

export interface StructType<F extends Fields> extends WireType<StructValue<F>, StructInput<F>> {
  readonly fields: F;
}

function isDefault(value: unknown, fallback: unknown): boolean {
  if (value === fallback) return true;
  if (Array.isArray(value) && Array.isArray(fallback)) return value.length === 0 && fallback.length === 0;
  if (Buffer.isBuffer(value) && Buffer.isBuffer(fallback)) return value.equals(fallback);
  // Struct-valued tagged fields (Fetch's CurrentLeader, DivergingEpoch): equal when every value is.
  if (typeof value === 'object' && typeof fallback === 'object' && value !== null && fallback !== null) {
    return JSON.stringify(value) === JSON.stringify(fallback);
  }
  return false;
}

/** A struct of `fields`, in their declared order; tagged fields follow in flexible versions. */
export function struct<F extends Fields>(fields: F): StructType<F> {
  const entries = Object.entries(fields);
  const untagged = entries.filter(([, f]) => f.tag === undefined);
  const taggedByTag = new Map<number, [string, AnyField]>();
  for (const entry of entries) {
    const tag = entry[1].tag;
    if (tag === undefined) continue;
    assert(!taggedByTag.has(tag), `tag ${tag} is used twice in one struct`);
    taggedByTag.set(tag, entry);
  }
  const taggedSorted = [...taggedByTag.entries()].sort((a, b) => a[0] - b[0]);

  const readField = (name: string, f: AnyField, reader: Reader, context: CodecContext): unknown => {
    const at = reader.position;
    const value = f.type.read(reader, context);
    if (value === null && !inRange(f.nullableVersions, context.version)) {
      throw new KafkaProtocolError(
        'BAD_VALUE',
        at,
        `${name} is null, which v${context.version} does not allow`,
      );
    }
    return value;
  };

  return {
    kind: 'struct',
    fields,
    read(reader, context) {
      const out: Record<string, unknown> = {};
      for (const [name, f] of entries) out[name] = f.defaultValue();
      for (const [name, f] of untagged) {
        if (inRange(f.versions, context.version)) out[name] = readField(name, f, reader, context);
      }
      if (context.flexible) readTaggedFields(reader, context, taggedByTag, out, readField);
      return out as StructValue<F>;
    },
    write(writer, value, context) {
      if (value === null) throw new TypeError('a struct cannot be null');
      const input = value as Readonly<Record<string, unknown>>;
      for (const [name, f] of untagged) {
        if (!inRange(f.versions, context.version)) continue;
        const v = input[name];
        assert(v !== undefined, () => `field ${name} is missing (v${context.version})`);
        assert(
          v !== null || inRange(f.nullableVersions, context.version),
          () => `field ${name} may not be null in v${context.version}`,
        );
        f.type.write(writer, v, context);
      }
      if (context.flexible) writeTaggedFields(writer, context, taggedSorted, input);
    },
    defaultValue() {
      const out: Record<string, unknown> = {};
      for (const [name, f] of entries) out[name] = f.defaultValue();
      return out as StructValue<F>;
    },
    minBytes(context) {
      let total = context.flexible ? 1 : 0;
      for (const [, f] of untagged) {
        if (inRange(f.versions, context.version)) total += f.type.minBytes(context);
      }
      return total;
    },
  };
}

function readTaggedFields(
  reader: Reader,
  context: CodecContext,
  taggedByTag: ReadonlyMap<number, [string, AnyField]>,
  out: Record<string, unknown>,
  readField: (name: string, f: AnyField, reader: Reader, context: CodecContext) => unknown,
): void {
  const at = reader.position;
  const count = reader.uvarint();
  if (count > KAFKA_LIMITS.taggedFieldsMax || count * 2 > reader.remaining()) {
    throw new KafkaProtocolError('BAD_LENGTH', at, `${count} tagged fields cannot fit in the bytes left`);
  }
  let previousTag = -1;
  for (let i = 0; i < count; i++) {
    const tagAt = reader.position;
    const tag = reader.uvarint();
    if (tag <= previousTag) {
      throw new KafkaProtocolError(
        'BAD_TAG',
        tagAt,
        `tag ${tag} follows tag ${previousTag}; tags must ascend`,
      );
    }
    previousTag = tag;
    const size = reader.uvarint();
    const body = reader.sub(size, `tagged field ${tag}`);
    const known = taggedByTag.get(tag);
    // KIP-482: a tag this version does not know is skipped, so newer clients can add fields.
    if (known === undefined || !inRange(known[1].versions, context.version)) continue;
    out[known[0]] = readField(known[0], known[1], body, context);
    if (body.remaining() !== 0) {
      throw new KafkaProtocolError(
        'TRAILING_BYTES',
        body.position,
        `tagged field ${tag} has ${body.remaining()} bytes after its value`,
      );
    }
  }
}

function writeTaggedFields(
  writer: Writer,
  context: CodecContext,
  taggedSorted: readonly [number, [string, AnyField]][],
  input: Readonly<Record<string, unknown>>,
): void {
  const present: [number, AnyField, unknown][] = [];
  for (const [tag, [name, f]] of taggedSorted) {
    if (!inRange(f.versions, context.version)) continue;
    const value = input[name];
    if (value === undefined || isDefault(value, f.defaultValue())) continue;
    present.push([tag, f, value]);
  }
  writer.uvarint(present.length);
  for (const [tag, f, value] of present) {
    const body = new Writer();
    f.type.write(body, value, context);
    writer.uvarint(tag);
    writer.uvarint(body.size);
    for (const chunk of body.finish()) writer.bytes(chunk);
  }
}
