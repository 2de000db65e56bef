import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contextOf,
  decodeRequestBytes,
  decodeResponseBytes,
  encodeRequestBody,
  encodeResponseBody,
} from './api.js';
import { KAFKA_APIS } from './apis/index.js';
import { arbitraryRequest, arbitraryResponse } from './testing/arbitraries.js';

const SEED = Number(process.env.KAFKA_CODEC_SEED ?? 20261207);

describe('every API and version round-trips (values derived from the definitions)', () => {
  for (const api of KAFKA_APIS.values()) {
    for (let version = api.versions.min; version <= api.versions.max; version++) {
      const { flexible } = contextOf(api, version);
      it(`${api.name} v${version} request and response (seed ${SEED})`, () => {
        fc.assert(
          fc.property(arbitraryRequest(api, version, flexible), (value) => {
            const bytes = encodeRequestBody(api, version, value as never).toBuffer();
            expect(decodeRequestBytes(api, version, bytes)).toEqual(value);
          }),
          { seed: SEED, numRuns: 50 },
        );
        fc.assert(
          fc.property(arbitraryResponse(api, version, flexible), (value) => {
            const bytes = encodeResponseBody(api, version, value as never).toBuffer();
            expect(decodeResponseBytes(api, version, bytes)).toEqual(value);
          }),
          { seed: SEED, numRuns: 50 },
        );
      });
    }
  }
});
