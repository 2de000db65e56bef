/**
 * Which client quota applies to a request, as Kafka resolves it (KIP-55, ClientQuotaManager's
 * DefaultQuotaCallback): the first entity in this order that has a value for the quota key wins.
 *
 *   1. user + client id          5. default user + default client id
 *   2. user + default client id  6. default user
 *   3. user                      7. client id
 *   4. default user + client id  8. default client id
 *
 * No match: the request is not limited. The usage (the rate the quota is compared with) is shared by every
 * request resolved to the same usage key, which names the request's own user and/or client id in the shape
 * of the matched entity, as Kafka's quota metric tags do: a quota on `user=alice` is shared by all of
 * alice's clients; a default-user quota gives each user a rate of their own; a quota on `client-id=app`
 * is shared by every user of app.
 */
import type { QuotaEntity, QuotaKey } from './types.js';

/** Where the quotas are read: the metadata image's ClientQuotasImage, or a map in tests. */
export interface QuotaLookup {
  quotasOf(entity: QuotaEntity): ReadonlyMap<QuotaKey, number> | undefined;
}

/** Who makes a request, for quotas: the principal's name (without `User:`) and the client id sent. */
export interface QuotaClient {
  readonly user: string;
  readonly clientId: string;
}

export interface ResolvedQuota {
  readonly key: QuotaKey;
  /** The bound: bytes per second, or percent of one request-handling thread. */
  readonly quota: number;
  /** The configured entity the quota came from. */
  readonly entity: QuotaEntity;
  /** The requests that share one rate: the client's own names in the matched entity's shape. */
  readonly usage: QuotaEntity;
  /** A string naming `key` and `usage`, for maps and metrics. */
  readonly usageKey: string;
}

/** Which parts of the client's names the usage keeps, per precedence level. */
type UsageShape = 'user-and-client' | 'user' | 'client';

interface Level {
  readonly entity: (client: QuotaClient) => QuotaEntity;
  readonly usage: UsageShape;
}

/** KIP-55's eight levels, most specific first (`null` is Kafka's `<default>`). */
export const QUOTA_PRECEDENCE: readonly Level[] = [
  { entity: (c) => ({ user: c.user, clientId: c.clientId }), usage: 'user-and-client' },
  { entity: (c) => ({ user: c.user, clientId: null }), usage: 'user-and-client' },
  { entity: (c) => ({ user: c.user }), usage: 'user' },
  { entity: (c) => ({ user: null, clientId: c.clientId }), usage: 'user-and-client' },
  { entity: () => ({ user: null, clientId: null }), usage: 'user-and-client' },
  { entity: () => ({ user: null }), usage: 'user' },
  { entity: (c) => ({ clientId: c.clientId }), usage: 'client' },
  { entity: () => ({ clientId: null }), usage: 'client' },
];

function usageOf(shape: UsageShape, client: QuotaClient): QuotaEntity {
  switch (shape) {
    case 'user-and-client':
      return { user: client.user, clientId: client.clientId };
    case 'user':
      return { user: client.user };
    case 'client':
      return { clientId: client.clientId };
  }
}

/** The quota of `key` for this client and where it came from; null when no entity sets one (unlimited). */
export function resolveQuota(lookup: QuotaLookup, client: QuotaClient, key: QuotaKey): ResolvedQuota | null {
  for (const level of QUOTA_PRECEDENCE) {
    const entity = level.entity(client);
    const quota = lookup.quotasOf(entity)?.get(key);
    if (quota === undefined) continue;
    const usage = usageOf(level.usage, client);
    return { key, quota, entity, usage, usageKey: usageKeyOf(key, usage) };
  }
  return null;
}

/** `key|["alice",false]`: a part absent from the usage is `false`, so no name can collide with it. */
export function usageKeyOf(key: QuotaKey, usage: QuotaEntity): string {
  const part = (value: string | null | undefined): string | false =>
    typeof value === 'string' ? value : false;
  return `${key}|${JSON.stringify([part(usage.user), part(usage.clientId)])}`;
}
