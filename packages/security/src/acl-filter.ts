/**
 * ACL binding filters for DescribeAcls and DeleteAcls (`trib acls list|delete`), as Kafka's
 * AclBindingFilter = ResourcePatternFilter + AccessControlEntryFilter (clients/common/acl, resource):
 *
 * - every field may be "any" ('Any' for enums, null for strings);
 * - patternType 'Any' matches literal and prefixed patterns whose name EQUALS the filter's name;
 * - patternType 'Match' matches every pattern that would match a resource of that name: the literal name,
 *   the literal `*`, and each prefix of it (kafka-acls.sh --resource-pattern-type match);
 * - principal and host compare exactly: a filter for `User:alice` does not select `User:*` entries.
 */
import type { AclEntry, Operation, PatternType, Permission, ResourceType } from './types.js';
import { WILDCARD } from './types.js';

export type PatternTypeFilter = PatternType | 'Any' | 'Match';

export interface AclBindingFilter {
  readonly resourceType: ResourceType | 'Any';
  /** null: any name. */
  readonly resourceName: string | null;
  readonly patternType: PatternTypeFilter;
  /** null: any principal. */
  readonly principal: string | null;
  /** null: any host. */
  readonly host: string | null;
  readonly operation: Operation | 'Any';
  readonly permission: Permission | 'Any';
}

/** Matches every ACL (Kafka's AclBindingFilter.ANY). */
export const ACL_BINDING_FILTER_ANY: AclBindingFilter = {
  resourceType: 'Any',
  resourceName: null,
  patternType: 'Any',
  principal: null,
  host: null,
  operation: 'Any',
  permission: 'Any',
};

/** Kafka's ResourcePatternFilter.matches(ResourcePattern). */
export function resourcePatternMatchesFilter(entry: AclEntry, filter: AclBindingFilter): boolean {
  if (filter.resourceType !== 'Any' && filter.resourceType !== entry.resourceType) return false;
  const pattern = filter.patternType;
  if (pattern !== 'Any' && pattern !== 'Match' && pattern !== entry.patternType) return false;
  if (filter.resourceName === null) return true;
  if (pattern !== 'Match') return filter.resourceName === entry.resourceName;
  switch (entry.patternType) {
    case 'Literal':
      return filter.resourceName === entry.resourceName || entry.resourceName === WILDCARD;
    case 'Prefixed':
      return filter.resourceName.startsWith(entry.resourceName);
  }
}

/** Kafka's AccessControlEntryFilter.matches(AccessControlEntry). */
export function accessControlEntryMatchesFilter(entry: AclEntry, filter: AclBindingFilter): boolean {
  return (
    (filter.principal === null || filter.principal === entry.principal) &&
    (filter.host === null || filter.host === entry.host) &&
    (filter.operation === 'Any' || filter.operation === entry.operation) &&
    (filter.permission === 'Any' || filter.permission === entry.permission)
  );
}

export function aclMatchesFilter(entry: AclEntry, filter: AclBindingFilter): boolean {
  return resourcePatternMatchesFilter(entry, filter) && accessControlEntryMatchesFilter(entry, filter);
}

/** The entries a filter selects, in the order given. */
export function filterAcls(entries: Iterable<AclEntry>, filter: AclBindingFilter): AclEntry[] {
  const selected: AclEntry[] = [];
  for (const entry of entries) if (aclMatchesFilter(entry, filter)) selected.push(entry);
  return selected;
}
