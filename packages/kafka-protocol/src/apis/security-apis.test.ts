/**
 * Wire checks of the security APIs (SaslHandshake, SaslAuthenticate, CreateAcls, DescribeAcls, DeleteAcls,
 * DescribeUserScramCredentials, AlterUserScramCredentials, DescribeClientQuotas, AlterClientQuotas),
 * spelled out from the protocol guide's BNF at classic and flexible versions; captured.test.ts pins them
 * to real clients' bytes.
 */
import { describe, expect, it } from 'vitest';
import { decodeRequestBytes } from '../api.js';
import { decodeErrorCode } from '../testing/decode-error.js';
import * as w from '../testing/wire-bytes.js';
import { expectRequestWire, expectResponseWire } from '../testing/wire-check.js';
import { CreateAcls, DeleteAcls, DescribeAcls } from './acls.js';
import { AlterClientQuotas, DescribeClientQuotas } from './client-quotas.js';
import { KAFKA_APIS } from './index.js';
import { SaslAuthenticate, SaslHandshake } from './sasl.js';
import { AlterUserScramCredentials, DescribeUserScramCredentials } from './scram-credentials.js';

const { NO_TAGS } = w;

function float64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeDoubleBE(value);
  return out;
}

describe('SASL', () => {
  it('SaslHandshake v1: Mechanism; ErrorCode [Mechanisms]', () => {
    expectRequestWire(SaslHandshake, 1, { mechanism: 'SCRAM-SHA-256' }, w.string('SCRAM-SHA-256'));
    expectResponseWire(
      SaslHandshake,
      1,
      { errorCode: 33, mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-512'] },
      w.concat(w.int16(33), w.array(w.string('SCRAM-SHA-256'), w.string('SCRAM-SHA-512'))),
    );
  });

  it('SaslAuthenticate v0 and v1 (session lifetime), v2 flexible', () => {
    const token = Buffer.from('n,,n=alice,r=abc');
    expectRequestWire(SaslAuthenticate, 0, { authBytes: token }, w.bytes(token));
    expectResponseWire(
      SaslAuthenticate,
      0,
      { errorCode: 58, errorMessage: 'no', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 },
      w.concat(w.int16(58), w.string('no'), w.bytes(Buffer.alloc(0))),
    );
    expectResponseWire(
      SaslAuthenticate,
      1,
      { errorCode: 0, errorMessage: null, authBytes: token, sessionLifetimeMs: 3_600_000 },
      w.concat(w.int16(0), w.string(null), w.bytes(token), w.int64(3_600_000)),
    );
    expectRequestWire(SaslAuthenticate, 2, { authBytes: token }, w.concat(w.compactBytes(token), NO_TAGS));
  });
});

const binding = {
  resourceType: 2,
  resourceName: 'orders',
  resourcePatternType: 4,
  principal: 'User:alice',
  host: '*',
  operation: 3,
  permissionType: 3,
};

describe('ACLs', () => {
  it('CreateAcls v0 has no pattern type (literal); v1 has it', () => {
    const v0 = w.array(
      w.concat(w.int8(2), w.string('orders'), w.string('User:alice'), w.string('*'), w.int8(3), w.int8(3)),
    );
    expectRequestWire(CreateAcls, 0, { creations: [{ ...binding, resourcePatternType: 3 }] }, v0);
    expectRequestWire(
      CreateAcls,
      1,
      { creations: [binding] },
      w.array(
        w.concat(
          w.int8(2),
          w.string('orders'),
          w.int8(4),
          w.string('User:alice'),
          w.string('*'),
          w.int8(3),
          w.int8(3),
        ),
      ),
    );
    expect(decodeRequestBytes(CreateAcls, 0, v0).creations[0]?.resourcePatternType).toBe(3);
    expectResponseWire(
      CreateAcls,
      1,
      { throttleTimeMs: 0, results: [{ errorCode: 42, errorMessage: 'bad' }] },
      w.concat(w.int32(0), w.array(w.concat(w.int16(42), w.string('bad')))),
    );
  });

  it('CreateAcls v2+ is flexible', () => {
    expectResponseWire(
      CreateAcls,
      3,
      { throttleTimeMs: 0, results: [{ errorCode: 0, errorMessage: null }] },
      w.concat(w.int32(0), w.compactArray(w.concat(w.int16(0), w.compactString(null), NO_TAGS)), NO_TAGS),
    );
  });

  const filter = {
    resourceTypeFilter: 1,
    resourceNameFilter: null,
    patternTypeFilter: 1,
    principalFilter: 'User:alice',
    hostFilter: null,
    operation: 1,
    permissionType: 1,
  };

  it('DescribeAcls v1: a filter with null names; resources with their ACLs', () => {
    expectRequestWire(
      DescribeAcls,
      1,
      filter,
      w.concat(
        w.int8(1),
        w.string(null),
        w.int8(1),
        w.string('User:alice'),
        w.string(null),
        w.int8(1),
        w.int8(1),
      ),
    );
    expectResponseWire(
      DescribeAcls,
      1,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        resources: [
          {
            resourceType: 2,
            resourceName: 'orders',
            patternType: 3,
            acls: [{ principal: 'User:alice', host: '*', operation: 3, permissionType: 3 }],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.int16(0),
        w.string(null),
        w.array(
          w.concat(
            w.int8(2),
            w.string('orders'),
            w.int8(3),
            w.array(w.concat(w.string('User:alice'), w.string('*'), w.int8(3), w.int8(3))),
          ),
        ),
      ),
    );
  });

  it('DeleteAcls v2 (flexible): filters; per filter the matching ACLs', () => {
    expectRequestWire(
      DeleteAcls,
      2,
      { filters: [filter] },
      w.concat(
        w.compactArray(
          w.concat(
            w.int8(1),
            w.compactString(null),
            w.int8(1),
            w.compactString('User:alice'),
            w.compactString(null),
            w.int8(1),
            w.int8(1),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      DeleteAcls,
      0,
      {
        throttleTimeMs: 0,
        filterResults: [
          {
            errorCode: 0,
            errorMessage: null,
            matchingAcls: [
              {
                errorCode: 0,
                errorMessage: null,
                resourceType: 2,
                resourceName: 'orders',
                patternType: 3,
                principal: 'User:alice',
                host: '*',
                operation: 3,
                permissionType: 3,
              },
            ],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.array(
          w.concat(
            w.int16(0),
            w.string(null),
            w.array(
              w.concat(
                w.int16(0),
                w.string(null),
                w.int8(2),
                w.string('orders'),
                w.string('User:alice'),
                w.string('*'),
                w.int8(3),
                w.int8(3),
              ),
            ),
          ),
        ),
      ),
    );
  });
});

describe('SCRAM credentials', () => {
  it('DescribeUserScramCredentials v0: null users = every user', () => {
    expectRequestWire(
      DescribeUserScramCredentials,
      0,
      { users: null },
      w.concat(w.COMPACT_NULL_ARRAY, NO_TAGS),
    );
    expectResponseWire(
      DescribeUserScramCredentials,
      0,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        results: [
          {
            user: 'alice',
            errorCode: 0,
            errorMessage: null,
            credentialInfos: [{ mechanism: 2, iterations: 8192 }],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.int16(0),
        w.compactString(null),
        w.compactArray(
          w.concat(
            w.compactString('alice'),
            w.int16(0),
            w.compactString(null),
            w.compactArray(w.concat(w.int8(2), w.int32(8192), NO_TAGS)),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
  });

  it('AlterUserScramCredentials v0: deletions, upsertions with salt and salted password', () => {
    const salt = Buffer.from('0123456789abcdef');
    const salted = Buffer.alloc(32, 7);
    expectRequestWire(
      AlterUserScramCredentials,
      0,
      {
        deletions: [{ name: 'bob', mechanism: 1 }],
        upsertions: [{ name: 'alice', mechanism: 1, iterations: 4096, salt, saltedPassword: salted }],
      },
      w.concat(
        w.compactArray(w.concat(w.compactString('bob'), w.int8(1), NO_TAGS)),
        w.compactArray(
          w.concat(
            w.compactString('alice'),
            w.int8(1),
            w.int32(4096),
            w.compactBytes(salt),
            w.compactBytes(salted),
            NO_TAGS,
          ),
        ),
        NO_TAGS,
      ),
    );
  });
});

describe('client quotas', () => {
  it('DescribeClientQuotas v0: components and strict; entries with float64 values', () => {
    expectRequestWire(
      DescribeClientQuotas,
      0,
      { components: [{ entityType: 'user', matchType: 1, match: null }], strict: true },
      w.concat(w.array(w.concat(w.string('user'), w.int8(1), w.string(null))), w.bool(true)),
    );
    expectResponseWire(
      DescribeClientQuotas,
      0,
      {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        entries: [
          {
            entity: [{ entityType: 'user', entityName: null }],
            values: [{ key: 'producer_byte_rate', value: 1048576.5 }],
          },
        ],
      },
      w.concat(
        w.int32(0),
        w.int16(0),
        w.string(null),
        w.array(
          w.concat(
            w.array(w.concat(w.string('user'), w.string(null))),
            w.array(w.concat(w.string('producer_byte_rate'), float64(1048576.5))),
          ),
        ),
      ),
    );
  });

  it('AlterClientQuotas v1 (flexible): ops with remove; results per entity', () => {
    expectRequestWire(
      AlterClientQuotas,
      1,
      {
        entries: [
          {
            entity: [{ entityType: 'client-id', entityName: 'app' }],
            ops: [{ key: 'consumer_byte_rate', value: 0, remove: true }],
          },
        ],
        validateOnly: false,
      },
      w.concat(
        w.compactArray(
          w.concat(
            w.compactArray(w.concat(w.compactString('client-id'), w.compactString('app'), NO_TAGS)),
            w.compactArray(
              w.concat(w.compactString('consumer_byte_rate'), float64(0), w.bool(true), NO_TAGS),
            ),
            NO_TAGS,
          ),
        ),
        w.bool(false),
        NO_TAGS,
      ),
    );
    expectResponseWire(
      AlterClientQuotas,
      0,
      {
        throttleTimeMs: 0,
        entries: [
          { errorCode: 0, errorMessage: null, entity: [{ entityType: 'user', entityName: 'alice' }] },
        ],
      },
      w.concat(
        w.int32(0),
        w.array(w.concat(w.int16(0), w.string(null), w.array(w.concat(w.string('user'), w.string('alice'))))),
      ),
    );
  });
});

describe('the registry', () => {
  it('holds every security API by its key', () => {
    for (const [key, api] of [
      [17, SaslHandshake],
      [36, SaslAuthenticate],
      [29, DescribeAcls],
      [30, CreateAcls],
      [31, DeleteAcls],
      [48, DescribeClientQuotas],
      [49, AlterClientQuotas],
      [50, DescribeUserScramCredentials],
      [51, AlterUserScramCredentials],
    ] as const) {
      expect(KAFKA_APIS.get(key)).toBe(api);
    }
  });

  it('refuses a null mechanism and truncated SASL bytes', () => {
    expect(decodeErrorCode(() => decodeRequestBytes(SaslHandshake, 1, w.string(null)))).toBe('BAD_VALUE');
    expect(
      decodeErrorCode(() =>
        decodeRequestBytes(SaslAuthenticate, 0, w.concat(w.int32(10), Buffer.from('abc'))),
      ),
    ).not.toBe(undefined);
  });
});
