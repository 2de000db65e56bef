/**
 * Shared broker id lists for partition states. A cluster has few distinct replica lists and ISRs (3
 * brokers with replication factor 3 have six orderings), yet every partition state holds at least two, and
 * every decoded record brings fresh arrays: at 100,000 partitions that is 200,000 small arrays per image.
 * States keep one frozen array per distinct list instead (frozen, so a mutation through a cast fails loudly
 * instead of changing every partition that shares it).
 */
import type { BrokerId } from '@tributary/core';

/** Distinct lists kept; past it lists are not shared (a bound, far above what placement produces). */
export const SHARED_BROKER_ID_LISTS_MAX = 65_536;

const shared = new Map<string, readonly BrokerId[]>();

/** The shared list equal to `ids` (element by element, in order), or `ids` itself once the table is full. */
export function sharedBrokerIds(ids: readonly BrokerId[]): readonly BrokerId[] {
  const key = ids.join(',');
  const found = shared.get(key);
  if (found !== undefined) return found;
  if (shared.size >= SHARED_BROKER_ID_LISTS_MAX) return ids;
  const list = Object.freeze([...ids]);
  shared.set(key, list);
  return list;
}
