/**
 * One Kafka API: its key, the versions this codec implements, which of them are flexible (KIP-482),
 * and the request and response structs. Request and response encoders/decoders for every version are
 * derived from the structs; the header versions follow from flexibility (headers.ts).
 */
import { assert } from '@tributary/core';
import { KafkaProtocolError } from './errors.js';
import { Reader } from './reader.js';
import { type Fields, type StructInput, type StructType, type StructValue, struct } from './schema.js';
import { inRange, parseVersions, type VersionRange, type VersionSpec } from './versions.js';
import type { CodecContext } from './wire-type.js';
import { Writer } from './writer.js';

export interface ApiDefinition<Req extends Fields = Fields, Res extends Fields = Fields> {
  readonly key: number;
  readonly name: string;
  /** The versions this codec can decode and encode. */
  readonly versions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly request: StructType<Req>;
  readonly response: StructType<Res>;
}

export type RequestOf<A> = A extends ApiDefinition<infer Req, Fields> ? StructValue<Req> : never;
export type RequestInputOf<A> = A extends ApiDefinition<infer Req, Fields> ? StructInput<Req> : never;
export type ResponseOf<A> = A extends ApiDefinition<Fields, infer Res> ? StructValue<Res> : never;
export type ResponseInputOf<A> = A extends ApiDefinition<Fields, infer Res> ? StructInput<Res> : never;

export function defineApi<Req extends Fields, Res extends Fields>(definition: {
  readonly key: number;
  readonly name: string;
  readonly versions: VersionSpec;
  readonly flexible: VersionSpec;
  readonly request: Req;
  readonly response: Res;
}): ApiDefinition<Req, Res> {
  const versions = parseVersions(definition.versions);
  assert(Number.isFinite(versions.max), `${definition.name}: the implemented versions need an upper bound`);
  return {
    key: definition.key,
    name: definition.name,
    versions,
    flexibleVersions: parseVersions(definition.flexible),
    request: struct(definition.request),
    response: struct(definition.response),
  };
}

export function contextOf(api: ApiDefinition, version: number): CodecContext {
  assert(inRange(api.versions, version), () => `${api.name} v${version} is not implemented`);
  return { version, flexible: inRange(api.flexibleVersions, version) };
}

function decodeBody<F extends Fields>(
  type: StructType<F>,
  context: CodecContext,
  reader: Reader,
  what: string,
): StructValue<F> {
  const value = type.read(reader, context);
  assert(value !== null, 'a struct never decodes to null');
  if (reader.remaining() !== 0) {
    throw new KafkaProtocolError(
      'TRAILING_BYTES',
      reader.position,
      `${reader.remaining()} bytes after the ${what}`,
    );
  }
  return value;
}

export function decodeRequestBody<Req extends Fields>(
  api: ApiDefinition<Req, Fields>,
  version: number,
  reader: Reader,
): StructValue<Req> {
  return decodeBody(api.request, contextOf(api, version), reader, `${api.name} v${version} request`);
}

export function decodeResponseBody<Res extends Fields>(
  api: ApiDefinition<Fields, Res>,
  version: number,
  reader: Reader,
): StructValue<Res> {
  return decodeBody(api.response, contextOf(api, version), reader, `${api.name} v${version} response`);
}

export function encodeRequestBody<Req extends Fields>(
  api: ApiDefinition<Req, Fields>,
  version: number,
  body: StructInput<Req>,
  writer: Writer = new Writer(),
): Writer {
  api.request.write(writer, body, contextOf(api, version));
  return writer;
}

export function encodeResponseBody<Res extends Fields>(
  api: ApiDefinition<Fields, Res>,
  version: number,
  body: StructInput<Res>,
  writer: Writer = new Writer(),
): Writer {
  api.response.write(writer, body, contextOf(api, version));
  return writer;
}

/** Decodes a whole buffer as one request body (tests, fuzzing). */
export function decodeRequestBytes<Req extends Fields>(
  api: ApiDefinition<Req, Fields>,
  version: number,
  bytes: Buffer,
): StructValue<Req> {
  return decodeRequestBody(api, version, new Reader(bytes));
}

/** Decodes a whole buffer as one response body (tests, the tools that act as a client). */
export function decodeResponseBytes<Res extends Fields>(
  api: ApiDefinition<Fields, Res>,
  version: number,
  bytes: Buffer,
): StructValue<Res> {
  return decodeResponseBody(api, version, new Reader(bytes));
}
