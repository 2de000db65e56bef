/**
 * The two checks of a hand-derived wire test: the definition encodes `value` to exactly the bytes
 * spelled out from the protocol guide, and decodes those bytes back to `value` (which carries the
 * defaults of the fields its version lacks; a decoded value is also an encodable one). Not part of the build (tsconfig excludes src/testing).
 */
import { expect } from 'vitest';
import {
  type ApiDefinition,
  decodeRequestBytes,
  decodeResponseBytes,
  encodeRequestBody,
  encodeResponseBody,
} from '../api.js';
import type { Fields, StructInput, StructValue } from '../schema.js';

export function expectRequestWire<Req extends Fields>(
  api: ApiDefinition<Req, Fields>,
  version: number,
  value: StructValue<Req> & StructInput<Req>,
  wire: Buffer,
): void {
  expect(encodeRequestBody(api, version, value).toBuffer().toString('hex')).toBe(wire.toString('hex'));
  expect(decodeRequestBytes(api, version, wire)).toEqual(value);
}

export function expectResponseWire<Res extends Fields>(
  api: ApiDefinition<Fields, Res>,
  version: number,
  value: StructValue<Res> & StructInput<Res>,
  wire: Buffer,
): void {
  expect(encodeResponseBody(api, version, value).toBuffer().toString('hex')).toBe(wire.toString('hex'));
  expect(decodeResponseBytes(api, version, wire)).toEqual(value);
}
