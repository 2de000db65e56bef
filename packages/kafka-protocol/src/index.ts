/**
 * The Kafka wire protocol (DESIGN §9) as a pure codec: message definitions written in this package's
 * declarative form (schema.ts), encoders and decoders derived from them, request/response frames and
 * headers. No sockets: the broker's Kafka listener owns the I/O.
 */
export {
  type ApiDefinition,
  contextOf,
  decodeRequestBody,
  decodeRequestBytes,
  decodeResponseBody,
  decodeResponseBytes,
  defineApi,
  encodeRequestBody,
  encodeResponseBody,
  type RequestInputOf,
  type RequestOf,
  type ResponseInputOf,
  type ResponseOf,
} from './api.js';
export * from './apis/index.js';
export { KafkaProtocolError, type KafkaProtocolErrorCode } from './errors.js';
export {
  API_VERSIONS_KEY,
  type DecodedRequest,
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  FRAME_SIZE_BYTES,
  type RequestHeader,
  responseHeaderVersion,
} from './frame.js';
export { KAFKA_LIMITS } from './limits.js';
export { Reader } from './reader.js';
export {
  type Field,
  type Fields,
  field,
  nullable,
  nullableTagged,
  type StructInput,
  type StructType,
  type StructValue,
  struct,
  tagged,
} from './schema.js';
export { inRange, parseVersions, type VersionRange, type VersionSpec } from './versions.js';
export * from './wire-type.js';
export { Writer } from './writer.js';
