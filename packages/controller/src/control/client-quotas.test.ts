import { LIMITS } from '@tributary/core';
import { decodeSnapshot, encodeSnapshot, MetadataImage } from '@tributary/metadata';
import type { QuotaEntity } from '@tributary/security';
import { describe, expect, it } from 'vitest';
import {
  alterClientQuotas,
  type ClientQuotaFilter,
  describeClientQuotas,
  type QuotaAlteration,
} from './client-quotas.js';
import { commit, expectCode } from './testing.js';

const MB = 1_048_576;

function alter(image: MetadataImage, entries: readonly QuotaAlteration[], validateOnly = false) {
  return alterClientQuotas(image, { entries, validateOnly });
}

/** alice; the default user; alice with the default client; client app alone; the default user with app. */
function quotas(): MetadataImage {
  return commit(
    MetadataImage.EMPTY,
    alter(MetadataImage.EMPTY, [
      { entity: { user: 'alice' }, ops: [{ key: 'producer_byte_rate', value: MB }] },
      { entity: { user: null }, ops: [{ key: 'consumer_byte_rate', value: 2 * MB }] },
      { entity: { user: 'alice', clientId: null }, ops: [{ key: 'request_percentage', value: 12.5 }] },
      { entity: { clientId: 'app' }, ops: [{ key: 'producer_byte_rate', value: 3 * MB }] },
      { entity: { user: null, clientId: 'app' }, ops: [{ key: 'producer_byte_rate', value: 4 * MB }] },
    ]),
  );
}

describe('alterClientQuotas', () => {
  it('sets, changes and removes keys; only real changes become records', () => {
    const image = quotas();
    expect(image.clientQuotas.byEntity.size).toBe(5);
    const change = alter(image, [
      {
        entity: { user: 'alice' },
        ops: [
          { key: 'producer_byte_rate', value: MB },
          { key: 'consumer_byte_rate', value: 5 * MB },
        ],
      },
      { entity: { clientId: 'app' }, ops: [{ key: 'producer_byte_rate', value: null }] },
      { entity: { clientId: 'nobody' }, ops: [{ key: 'producer_byte_rate', value: null }] },
    ]);
    expect(change.records).toEqual([
      { type: 'ClientQuota', entity: { user: 'alice' }, key: 'consumer_byte_rate', value: 5 * MB },
      { type: 'ClientQuota', entity: { clientId: 'app' }, key: 'producer_byte_rate', value: null },
    ]);
    const after = commit(image, change);
    expect(after.clientQuotas.quotasOf({ clientId: 'app' })).toBeUndefined();
    expect(Object.fromEntries(after.clientQuotas.quotasOf({ user: 'alice' }) ?? [])).toEqual({
      producer_byte_rate: MB,
      consumer_byte_rate: 5 * MB,
    });
    expect(
      alter(after, [{ entity: { user: 'alice' }, ops: [{ key: 'producer_byte_rate', value: MB }] }]).records,
    ).toEqual([]);
  });

  it('checks everything but writes nothing with validateOnly', () => {
    const result = alter(
      MetadataImage.EMPTY,
      [{ entity: { user: 'a' }, ops: [{ key: 'producer_byte_rate', value: 10 }] }],
      true,
    );
    expect(result.records).toEqual([]);
    expect(result.response.results[0]?.error).toBeNull();
  });

  it.each([
    [
      'an entity with no part',
      {},
      [{ key: 'producer_byte_rate', value: 1 }],
      'neither a user nor a client id',
    ],
    ['an empty user name', { user: '' }, [{ key: 'producer_byte_rate', value: 1 }], 'the default is null'],
    [
      'a long client id',
      { clientId: 'c'.repeat(LIMITS.quotaEntityNameLengthMax + 1) },
      [{ key: 'producer_byte_rate', value: 1 }],
      'the limit is',
    ],
    ['an unknown key', { user: 'a' }, [{ key: 'controller_mutation_rate', value: 1 }], 'unknown quota key'],
    ['a zero rate', { user: 'a' }, [{ key: 'producer_byte_rate', value: 0 }], 'greater than 0'],
    [
      'a fractional byte rate',
      { user: 'a' },
      [{ key: 'consumer_byte_rate', value: 1.5 }],
      'whole bytes per second',
    ],
    [
      'an infinite share',
      { user: 'a' },
      [{ key: 'request_percentage', value: Number.POSITIVE_INFINITY }],
      'greater than 0',
    ],
    [
      'a key changed twice',
      { user: 'a' },
      [
        { key: 'producer_byte_rate', value: 1 },
        { key: 'producer_byte_rate', value: null },
      ],
      'changed twice',
    ],
  ] as const)('refuses %s with INVALID_REQUEST, that entry alone', (_what, entity, ops, fragment) => {
    const result = alter(MetadataImage.EMPTY, [
      { entity: entity as QuotaEntity, ops },
      { entity: { user: 'ok' }, ops: [{ key: 'producer_byte_rate', value: 1 }] },
    ]);
    expect(result.response.results[0]?.error?.code).toBe('INVALID_REQUEST');
    expect(result.response.results[0]?.error?.message).toContain(fragment);
    expect(result.response.results[1]?.error).toBeNull();
    expect(result.records).toHaveLength(1);
  });

  it('refuses an entity given twice, and bounds the entries per request', () => {
    const entry = { entity: { user: 'a' }, ops: [{ key: 'producer_byte_rate', value: 1 }] };
    const result = alter(MetadataImage.EMPTY, [entry, entry]);
    expect(result.response.results[1]?.error?.message).toContain('given twice');
    const many = Array.from({ length: LIMITS.quotaChangesPerRequestMax + 1 }, () => entry);
    expectCode(() => alter(MetadataImage.EMPTY, many), 'INVALID_REQUEST', 'quota entries in one request');
  });
});

function describeKeys(image: MetadataImage, filter: ClientQuotaFilter): QuotaEntity[] {
  return describeClientQuotas(image, filter).map((entry) => entry.entity);
}

describe('describeClientQuotas (Kafka entity filters)', () => {
  const user = (match: ClientQuotaFilter['components'][number]['match']) => ({
    entityType: 'user' as const,
    match,
  });
  const client = (match: ClientQuotaFilter['components'][number]['match']) => ({
    entityType: 'client-id' as const,
    match,
  });

  it.each([
    ['no component: everything', [], false, 5],
    ['no component, strict: nothing', [], true, 0],
    ['user alice (with or without a client part)', [user({ kind: 'exact', name: 'alice' })], false, 2],
    ['user alice alone (strict)', [user({ kind: 'exact', name: 'alice' })], true, 1],
    ['the default user', [user({ kind: 'default' })], false, 2],
    ['any user, the default included', [user({ kind: 'any' })], false, 4],
    ['any user and the default client', [user({ kind: 'any' }), client({ kind: 'default' })], false, 1],
    ['client app', [client({ kind: 'exact', name: 'app' })], false, 2],
    ['client app alone (strict)', [client({ kind: 'exact', name: 'app' })], true, 1],
    ['an unknown user', [user({ kind: 'exact', name: 'zed' })], false, 0],
  ] as const)('%s', (_what, components, strict, count) => {
    expect(describeKeys(quotas(), { components, strict })).toHaveLength(count);
  });

  it('answers entities with their values, ordered; refuses a type named twice', () => {
    const described = describeClientQuotas(quotas(), {
      components: [user({ kind: 'exact', name: 'alice' })],
      strict: false,
    });
    expect(described.map((entry) => [entry.entity, Object.fromEntries(entry.values)])).toEqual([
      [{ user: 'alice' }, { producer_byte_rate: MB }],
      [{ user: 'alice', clientId: null }, { request_percentage: 12.5 }],
    ]);
    expectCode(
      () =>
        describeClientQuotas(quotas(), {
          components: [user({ kind: 'any' }), user({ kind: 'default' })],
          strict: false,
        }),
      'INVALID_REQUEST',
      'appears twice',
    );
  });

  it('leaves a snapshot that round-trips', () => {
    const image = quotas();
    expect(decodeSnapshot(encodeSnapshot(image))).toEqual(image);
  });
});
