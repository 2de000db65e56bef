/**
 * Every body of every version of the group-coordinator and admin APIs, cut short anywhere, is refused
 * (TRUNCATED, or BAD_LENGTH when a count no longer fits the bytes left), and so is a body followed by
 * one byte more (TRAILING_BYTES). The cases particular to one API (nulls a version does not allow,
 * oversized counts, tags) sit beside its wire checks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApiDefinition,
  contextOf,
  decodeRequestBytes,
  decodeResponseBytes,
  encodeRequestBody,
  encodeResponseBody,
} from '../api.js';
import { arbitraryRequest, arbitraryResponse } from '../testing/arbitraries.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import { AlterConfigs, DescribeConfigs, IncrementalAlterConfigs } from './configs.js';
import { FindCoordinator } from './find-coordinator.js';
import { DeleteGroups, DescribeGroups, ListGroups } from './group-admin.js';
import { Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from './group-membership.js';
import { OffsetCommit, OffsetDelete, OffsetFetch } from './group-offsets.js';
import { CreatePartitions, CreateTopics, DeleteTopics } from './topic-admin.js';

const SEED = Number(process.env.KAFKA_CODEC_SEED ?? 20261207);
const RUNS = 25;

const APIS = [
  OffsetCommit,
  OffsetFetch,
  FindCoordinator,
  JoinGroup,
  Heartbeat,
  LeaveGroup,
  SyncGroup,
  DescribeGroups,
  ListGroups,
  CreateTopics,
  DeleteTopics,
  DescribeConfigs,
  AlterConfigs,
  CreatePartitions,
  DeleteGroups,
  IncrementalAlterConfigs,
  OffsetDelete,
] as unknown as readonly ApiDefinition[];

type Side = 'request' | 'response';

function encodedBodies(api: ApiDefinition, version: number, side: Side): fc.Arbitrary<Buffer> {
  const { flexible } = contextOf(api, version);
  return side === 'request'
    ? arbitraryRequest(api, version, flexible).map((v) =>
        encodeRequestBody(api, version, v as never).toBuffer(),
      )
    : arbitraryResponse(api, version, flexible).map((v) =>
        encodeResponseBody(api, version, v as never).toBuffer(),
      );
}

function decoder(api: ApiDefinition, version: number, side: Side): (bytes: Buffer) => unknown {
  return side === 'request'
    ? (bytes) => decodeRequestBytes(api, version, bytes)
    : (bytes) => decodeResponseBytes(api, version, bytes);
}

describe('every body of every version, cut short or followed by a byte, is refused', () => {
  for (const api of APIS) {
    for (let version = api.versions.min; version <= api.versions.max; version++) {
      it(`${api.name} v${version} (seed ${SEED})`, () => {
        for (const side of ['request', 'response'] as const) {
          const decode = decoder(api, version, side);
          fc.assert(
            fc.property(encodedBodies(api, version, side), fc.nat(), (body, cut) => {
              // ListGroups v0-2 requests are empty: nothing to cut.
              if (body.length > 0) {
                const code = decodeErrorCode(() => decode(body.subarray(0, cut % body.length)));
                expect(['TRUNCATED', 'BAD_LENGTH']).toContain(code);
              }
              expect(decodeErrorCode(() => decode(Buffer.concat([body, Buffer.of(0)])))).toBe(
                'TRAILING_BYTES',
              );
            }),
            { seed: SEED, numRuns: RUNS },
          );
        }
      });
    }
  }
});
