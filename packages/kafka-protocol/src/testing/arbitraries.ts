/**
 * fast-check arbitraries derived from the definitions themselves: a value of any struct at any version,
 * with nulls only where that version allows them. Used by the round-trip property tests here and by the
 * listener's fuzz suite. Not part of the build (tsconfig excludes src/testing).
 */
import fc from 'fast-check';
import type { ApiDefinition } from '../api.js';
import type { Field, Fields, StructType } from '../schema.js';
import { inRange } from '../versions.js';
import type { ArrayType, CodecContext, WireType } from '../wire-type.js';

const ARRAY_LENGTH_MAX = 4;
const INT64_SAFE = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

function arbitraryFor(
  type: WireType<unknown, unknown>,
  context: CodecContext,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32_768, max: 32_767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'int32':
      return fc.integer();
    case 'uint32':
      return fc.integer({ min: 0, max: 0xffff_ffff });
    case 'int64':
      return fc.oneof(fc.integer({ min: -3, max: 1_000 }), fc.integer(INT64_SAFE));
    case 'float64':
      return fc.double({ noNaN: true });
    case 'bool':
      return fc.boolean();
    case 'uuid':
      return fc.uuid();
    case 'string':
      return fc.string({ maxLength: 20, unit: 'grapheme' });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
    case 'struct':
      return arbitraryStruct(type as StructType<Fields>, context, depth + 1);
    default: {
      const element = (type as ArrayType<unknown, unknown>).element;
      if (element === undefined) throw new Error(`no arbitrary for wire type ${type.kind}`);
      return fc.array(arbitraryFor(element, context, depth + 1), {
        maxLength: depth > 2 ? 1 : ARRAY_LENGTH_MAX,
      });
    }
  }
}

function arbitraryField(f: Field<unknown>, context: CodecContext, depth: number): fc.Arbitrary<unknown> {
  if (!inRange(f.versions, context.version) || (f.tag !== undefined && !context.flexible)) {
    return fc.constant(f.defaultValue());
  }
  const value = arbitraryFor(f.type, context, depth);
  return inRange(f.nullableVersions, context.version) ? fc.option(value, { nil: null }) : value;
}

/** Values of `type` at `context`, with defaults in the fields that version lacks (so they round-trip). */
export function arbitraryStruct(
  type: StructType<Fields>,
  context: CodecContext,
  depth = 0,
): fc.Arbitrary<unknown> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, f] of Object.entries(type.fields)) record[name] = arbitraryField(f, context, depth);
  return fc.record(record);
}

export function arbitraryRequest(
  api: ApiDefinition,
  version: number,
  flexible: boolean,
): fc.Arbitrary<unknown> {
  return arbitraryStruct(api.request, { version, flexible });
}

export function arbitraryResponse(
  api: ApiDefinition,
  version: number,
  flexible: boolean,
): fc.Arbitrary<unknown> {
  return arbitraryStruct(api.response, { version, flexible });
}
