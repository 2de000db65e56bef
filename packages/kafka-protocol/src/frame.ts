/**
 * Request and response frames: the int32 size prefix, the headers (request header v1 or v2, response
 * header v0 or v1, chosen by whether the API version is flexible) and the body. The protocol guide:
 * request header v2 still writes ClientId as a classic nullable string, and ApiVersions responses
 * always use response header v0 so that a client can read them before it knows the broker's versions.
 */
import {
  type ApiDefinition,
  decodeRequestBody,
  decodeResponseBody,
  encodeRequestBody,
  encodeResponseBody,
} from './api.js';
import { KafkaProtocolError } from './errors.js';
import { Reader } from './reader.js';
import type { Fields, StructInput, StructValue } from './schema.js';
import { inRange } from './versions.js';
import { string as stringType } from './wire-type.js';
import { Writer } from './writer.js';

/** API key of ApiVersions, whose responses keep header v0 in every version. */
export const API_VERSIONS_KEY = 18;
/** The int32 size prefix of every frame. */
export const FRAME_SIZE_BYTES = 4;

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

export type DecodedRequest =
  | {
      readonly kind: 'request';
      readonly header: RequestHeader;
      readonly api: ApiDefinition;
      readonly body: StructValue<Fields>;
    }
  /** An API key this broker does not know, or a version its codec does not implement. */
  | { readonly kind: 'unsupported'; readonly header: RequestHeader; readonly api: ApiDefinition | undefined };

function isFlexible(api: ApiDefinition, version: number): boolean {
  return inRange(api.flexibleVersions, version);
}

export function responseHeaderVersion(api: ApiDefinition, version: number): 0 | 1 {
  return api.key !== API_VERSIONS_KEY && isFlexible(api, version) ? 1 : 0;
}

/**
 * Reads the request header and, when the API and version are implemented, the body. `frame` is the
 * bytes after the size prefix. Throws KafkaProtocolError for anything malformed.
 */
export function decodeRequestFrame(frame: Buffer, apis: ReadonlyMap<number, ApiDefinition>): DecodedRequest {
  const reader = new Reader(frame);
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  // Header v1 and v2 both carry ClientId as a classic (int16-length) nullable string.
  const clientId = stringType.read(reader, { version: 0, flexible: false });
  const header: RequestHeader = { apiKey, apiVersion, correlationId, clientId };
  const api = apis.get(apiKey);
  if (api === undefined || !inRange(api.versions, apiVersion)) return { kind: 'unsupported', header, api };
  if (isFlexible(api, apiVersion)) skipHeaderTaggedFields(reader);
  return { kind: 'request', header, api, body: decodeRequestBody(api, apiVersion, reader) };
}

/** Request header v2's tagged fields: none is defined for requests here, so all are skipped. */
function skipHeaderTaggedFields(reader: Reader): void {
  const at = reader.position;
  const count = reader.uvarint();
  if (count * 2 > reader.remaining()) {
    throw new KafkaProtocolError('BAD_LENGTH', at, `${count} header tagged fields cannot fit`);
  }
  for (let i = 0; i < count; i++) {
    reader.uvarint();
    reader.skip(reader.uvarint(), 'header tagged field');
  }
}

/** A response frame as chunks (size prefix first) for socket.writev; record bytes are not copied. */
export function encodeResponseFrame<Res extends Fields>(
  api: ApiDefinition<Fields, Res>,
  version: number,
  correlationId: number,
  body: StructInput<Res>,
): Buffer[] {
  const writer = new Writer();
  writer.int32(0); // the size, patched below
  writer.int32(correlationId);
  if (responseHeaderVersion(api as ApiDefinition, version) === 1) writer.uvarint(0);
  encodeResponseBody(api, version, body, writer);
  return withSize(writer);
}

function withSize(writer: Writer): Buffer[] {
  const size = writer.size - FRAME_SIZE_BYTES;
  const chunks = writer.finish();
  const first = chunks[0];
  if (first === undefined) throw new RangeError('an empty frame');
  first.writeInt32BE(size, 0);
  return chunks;
}

/** A request frame (size prefix included): for the tests and tools that act as a Kafka client. */
export function encodeRequestFrame<Req extends Fields>(
  api: ApiDefinition<Req, Fields>,
  version: number,
  header: { readonly correlationId: number; readonly clientId: string | null },
  body: StructInput<Req>,
): Buffer {
  const writer = new Writer();
  writer.int32(0);
  writer.int16(api.key);
  writer.int16(version);
  writer.int32(header.correlationId);
  stringType.write(writer, header.clientId, { version: 0, flexible: false });
  if (isFlexible(api as ApiDefinition, version)) writer.uvarint(0);
  encodeRequestBody(api, version, body, writer);
  return Buffer.concat(withSize(writer));
}

/** Reads a response frame (without its size prefix) of `api` at `version`. */
export function decodeResponseFrame<Res extends Fields>(
  api: ApiDefinition<Fields, Res>,
  version: number,
  frame: Buffer,
): { readonly correlationId: number; readonly body: StructValue<Res> } {
  const reader = new Reader(frame);
  const correlationId = reader.int32();
  if (responseHeaderVersion(api as ApiDefinition, version) === 1) skipHeaderTaggedFields(reader);
  return { correlationId, body: decodeResponseBody(api, version, reader) };
}
