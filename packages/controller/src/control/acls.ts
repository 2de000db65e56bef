/**
 * ACL commands (KRaft's AclControlManager), Kafka-shaped so the Kafka listener's CreateAcls, DescribeAcls
 * and DeleteAcls map onto them directly:
 *
 * - createAcls: each creation is validated alone (the security package's validateAclEntry) and answered
 *   alone; one that equals an existing entry in every field but the id succeeds without a record and
 *   answers the existing id, as Kafka's createAcls skips ACLs it already has. New entries get a fresh id.
 * - deleteAcls: each filter (Kafka's AclBindingFilter: any field may be "any"; pattern type Match selects
 *   every pattern that would match the named resource) removes the entries it matches; an entry matched
 *   by an earlier filter of the same request is removed once and reported under that filter only.
 * - describeAcls: the entries one filter matches.
 */
import { type ErrorCode, LIMITS, TributaryError } from '@tributary/core';
import type { MetadataImage, MetadataRecord } from '@tributary/metadata';
import {
  type AclBindingFilter,
  type AclEntry,
  aclMatchesFilter,
  validateAclEntry,
} from '@tributary/security';
import type { ControlResult } from './context.js';

/** An ACL as CreateAcls gives it: every field but the id, which the controller assigns. */
export type NewAcl = Omit<AclEntry, 'id'>;

export interface AclItemError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Where new ACL ids come from: the controller's id source (a UUID in production, a counter in tests). */
export interface AclIdSource {
  newAclId(): string;
}

export interface CreateAclsRequest {
  readonly creations: readonly NewAcl[];
}

export interface AclCreationResult {
  readonly error: AclItemError | null;
  /** The new entry's id, or the existing identical entry's; null on error. */
  readonly id: string | null;
  /** Whether this creation wrote a new entry (false when it already existed, or on error). */
  readonly created: boolean;
}

export interface CreateAclsResponse {
  /** One per creation, in request order. */
  readonly results: readonly AclCreationResult[];
}

export interface DeleteAclsRequest {
  readonly filters: readonly AclBindingFilter[];
}

export interface AclFilterResult {
  readonly error: AclItemError | null;
  /** The entries this filter removes. */
  readonly deleted: readonly AclEntry[];
}

export interface DeleteAclsResponse {
  /** One per filter, in request order. */
  readonly results: readonly AclFilterResult[];
}

/** What makes two ACLs the same binding: every field but the id. */
function bindingKey(acl: NewAcl): string {
  return JSON.stringify([
    acl.resourceType,
    acl.resourceName,
    acl.patternType,
    acl.principal,
    acl.host,
    acl.operation,
    acl.permission,
  ]);
}

function requireCount(count: number, what: string): void {
  if (count > LIMITS.aclsPerRequestMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${count} ${what} in one request; the limit is ${LIMITS.aclsPerRequestMax}`,
    );
  }
}

export function createAcls(
  image: MetadataImage,
  request: CreateAclsRequest,
  ids: AclIdSource,
): ControlResult<CreateAclsResponse> {
  requireCount(request.creations.length, 'ACL creations');
  // Kafka compares a creation with every stored ACL; one pass builds the lookup (bounded by aclEntriesMax).
  const existing = new Map<string, string>();
  if (request.creations.length > 0) {
    for (const acl of image.acls.byId.values()) existing.set(bindingKey(acl), acl.id);
  }
  let stored = image.acls.size;
  const records: MetadataRecord[] = [];
  const results = request.creations.map((creation): AclCreationResult => {
    const key = bindingKey(creation);
    const problems = validateAclEntry({ ...creation, id: '' });
    if (problems.length > 0) {
      return { error: { code: 'INVALID_REQUEST', message: problems.join('; ') }, id: null, created: false };
    }
    const known = existing.get(key);
    if (known !== undefined) return { error: null, id: known, created: false };
    if (stored >= LIMITS.aclEntriesMax) {
      const message = `the cluster holds ${stored} ACLs; the limit is ${LIMITS.aclEntriesMax}`;
      return { error: { code: 'POLICY_VIOLATION', message }, id: null, created: false };
    }
    const id = ids.newAclId();
    records.push({ type: 'AccessControlEntry', id, ...copyAcl(creation) });
    existing.set(key, id);
    stored++;
    return { error: null, id, created: true };
  });
  return { records, response: { results } };
}

/** The fields of an ACL only (a request object may carry more). */
function copyAcl(acl: NewAcl): NewAcl {
  const { resourceType, resourceName, patternType, principal, host, operation, permission } = acl;
  return { resourceType, resourceName, patternType, principal, host, operation, permission };
}

/** What is wrong with a filter's strings (its enums are typed), or null. */
function filterProblem(filter: AclBindingFilter): string | null {
  const checks: [string, string | null, number][] = [
    ['resource name', filter.resourceName, LIMITS.aclResourceNameLengthMax],
    ['principal', filter.principal, LIMITS.aclPrincipalLengthMax],
    ['host', filter.host, LIMITS.aclHostLengthMax],
  ];
  for (const [field, value, max] of checks) {
    if (value !== null && value.length > max)
      return `${field} is ${value.length} characters; the limit is ${max}`;
  }
  return null;
}

export function deleteAcls(
  image: MetadataImage,
  request: DeleteAclsRequest,
): ControlResult<DeleteAclsResponse> {
  if (request.filters.length > LIMITS.aclFiltersPerRequestMax) {
    throw new TributaryError(
      'INVALID_REQUEST',
      `${request.filters.length} filters in one request; the limit is ${LIMITS.aclFiltersPerRequestMax}`,
    );
  }
  const removed = new Set<string>();
  const records: MetadataRecord[] = [];
  const results = request.filters.map((filter): AclFilterResult => {
    const problem = filterProblem(filter);
    if (problem !== null) return { error: { code: 'INVALID_REQUEST', message: problem }, deleted: [] };
    const deleted: AclEntry[] = [];
    for (const acl of image.acls.byId.values()) {
      if (removed.has(acl.id) || !aclMatchesFilter(acl, filter)) continue;
      removed.add(acl.id);
      deleted.push(acl);
      records.push({ type: 'RemoveAccessControlEntry', id: acl.id });
    }
    return { error: null, deleted: sortAcls(deleted) };
  });
  return { records, response: { results } };
}

/** The entries `filter` matches, sorted by resource, then principal, host, operation and permission. */
export function describeAcls(image: MetadataImage, filter: AclBindingFilter): AclEntry[] {
  const problem = filterProblem(filter);
  if (problem !== null) throw new TributaryError('INVALID_REQUEST', problem);
  const matched: AclEntry[] = [];
  for (const acl of image.acls.byId.values()) if (aclMatchesFilter(acl, filter)) matched.push(acl);
  return sortAcls(matched);
}

function sortAcls(acls: AclEntry[]): AclEntry[] {
  const key = (acl: AclEntry): string[] => [
    acl.resourceType,
    acl.resourceName,
    acl.patternType,
    acl.principal,
    acl.host,
    acl.operation,
    acl.permission,
    acl.id,
  ];
  return acls.sort((a, b) => {
    const left = key(a);
    const right = key(b);
    for (let i = 0; i < left.length; i++) {
      const x = left[i] ?? '';
      const y = right[i] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
