import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type QuotaLookup, resolveQuota, usageKeyOf } from './quota-resolution.js';
import type { QuotaEntity, QuotaKey } from './types.js';

/** A lookup over a list of (entity, key, value) as the metadata image would hold them. */
function lookupOf(settings: readonly (readonly [QuotaEntity, QuotaKey, number])[]): QuotaLookup {
  const key = (e: QuotaEntity) =>
    JSON.stringify([e.user === undefined ? false : e.user, e.clientId === undefined ? false : e.clientId]);
  const map = new Map<string, Map<QuotaKey, number>>();
  for (const [entity, quotaKey, value] of settings) {
    const values = map.get(key(entity)) ?? new Map<QuotaKey, number>();
    values.set(quotaKey, value);
    map.set(key(entity), values);
  }
  return { quotasOf: (entity) => map.get(key(entity)) };
}

const ALICE_APP = { user: 'alice', clientId: 'app' };

/** Every level of KIP-55, from least to most specific, with the usage each one shares. */
const LEVELS: readonly (readonly [string, QuotaEntity, QuotaEntity])[] = [
  ['default client', { clientId: null }, { clientId: 'app' }],
  ['client', { clientId: 'app' }, { clientId: 'app' }],
  ['default user', { user: null }, { user: 'alice' }],
  ['default user + default client', { user: null, clientId: null }, ALICE_APP],
  ['default user + client', { user: null, clientId: 'app' }, ALICE_APP],
  ['user', { user: 'alice' }, { user: 'alice' }],
  ['user + default client', { user: 'alice', clientId: null }, ALICE_APP],
  ['user + client', { user: 'alice', clientId: 'app' }, ALICE_APP],
];

describe('resolveQuota (KIP-55 precedence)', () => {
  it('is null (unlimited) when no entity has the key', () => {
    const lookup = lookupOf([[{ user: 'alice' }, 'consumer_byte_rate', 10]]);
    expect(resolveQuota(lookup, ALICE_APP, 'producer_byte_rate')).toBeNull();
  });

  // Adding the levels one by one, each more specific than every one before: the newest always wins.
  it.each(LEVELS.map((level, index) => [level[0], index] as const))(
    '%s wins over every less specific level',
    (_, index) => {
      const settings = LEVELS.slice(0, index + 1).map(
        ([, entity], i) => [entity, 'producer_byte_rate', 1000 + i] as const,
      );
      const resolved = resolveQuota(lookupOf(settings), ALICE_APP, 'producer_byte_rate');
      const [, entity, usage] = LEVELS[index] as (typeof LEVELS)[number];
      expect(resolved).toEqual({
        key: 'producer_byte_rate',
        quota: 1000 + index,
        entity,
        usage,
        usageKey: usageKeyOf('producer_byte_rate', usage),
      });
    },
  );

  it('resolves each key on its own', () => {
    const lookup = lookupOf([
      [{ user: 'alice' }, 'producer_byte_rate', 1],
      [{ clientId: 'app' }, 'consumer_byte_rate', 2],
    ]);
    expect(resolveQuota(lookup, ALICE_APP, 'producer_byte_rate')?.entity).toEqual({ user: 'alice' });
    expect(resolveQuota(lookup, ALICE_APP, 'consumer_byte_rate')?.entity).toEqual({ clientId: 'app' });
  });

  it('shares a client-id quota among users and a user quota among clients, not a default one', () => {
    const lookup = lookupOf([
      [{ clientId: 'app' }, 'producer_byte_rate', 1],
      [{ user: null }, 'consumer_byte_rate', 1],
    ]);
    const bob = { user: 'bob', clientId: 'app' };
    expect(resolveQuota(lookup, ALICE_APP, 'producer_byte_rate')?.usageKey).toBe(
      resolveQuota(lookup, bob, 'producer_byte_rate')?.usageKey,
    );
    expect(resolveQuota(lookup, ALICE_APP, 'consumer_byte_rate')?.usageKey).not.toBe(
      resolveQuota(lookup, bob, 'consumer_byte_rate')?.usageKey,
    );
  });

  it('matches a naive reference on random quota sets (seed printed by fast-check on failure)', () => {
    const name = fc.constantFrom('alice', 'bob', 'app', 'x');
    const part = fc.option(fc.option(name, { nil: null }), { nil: undefined });
    const entity = fc
      .record({ user: part, clientId: part })
      .filter((e) => e.user !== undefined || e.clientId !== undefined)
      .map(
        (e): QuotaEntity => ({
          ...(e.user === undefined ? {} : { user: e.user }),
          ...(e.clientId === undefined ? {} : { clientId: e.clientId }),
        }),
      );
    const key = fc.constantFrom<QuotaKey>('producer_byte_rate', 'consumer_byte_rate', 'request_percentage');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(entity, key, fc.nat(1000))),
        name,
        name,
        key,
        (settings, user, clientId, wanted) => {
          const resolved = resolveQuota(lookupOf(settings), { user, clientId }, wanted);
          // Reference: score each matching entity by KIP-55's order (user specificity first, then client's).
          const rank = (e: QuotaEntity): number => {
            const u = e.user === user ? 3 : e.user === null ? 2 : e.user === undefined ? 1 : 0;
            const c =
              e.clientId === clientId ? 3 : e.clientId === null ? 2 : e.clientId === undefined ? 1 : 0;
            if (u === 0 || c === 0 || (u === 1 && c === 1)) return -1;
            // user levels (u 3, 2) rank above client-only levels (u 1); within a user level: client, default, none.
            return u * 10 + c;
          };
          let best: { rank: number; value: number } | null = null;
          for (const [e, k, v] of settings) {
            if (k !== wanted || rank(e) < 0) continue;
            // One rank is one entity; a later setting of it replaces the earlier (the image is a map).
            if (best === null || rank(e) >= best.rank) best = { rank: rank(e), value: v };
          }
          expect(resolved?.quota ?? null).toBe(best?.value ?? null);
        },
      ),
      { numRuns: 500 },
    );
  });
});
