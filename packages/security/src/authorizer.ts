/**
 * The ACL authorizer, as Kafka's StandardAuthorizer decides (metadata/authorizer/StandardAuthorizerData):
 *
 *   1. a super user (`super.users`, compared as the `Type:name` string) is allowed everything;
 *   2. among the ACLs whose pattern matches the resource, one matches the request when its principal is
 *      the request's or `User:*`, its host is the client's or `*`, and its operation applies (below);
 *   3. any matching Deny wins over every Allow; else any matching Allow allows;
 *   4. else, if NO ACL at all has a pattern matching the resource (whatever its principal, host or
 *      operation), `allow.everyone.if.no.acl.found` decides; if the resource has ACLs, even only for
 *      other principals, the request is denied (KAFKA-14435 was an authorizer that let an unlisted
 *      principal in there).
 *
 * Operations (StandardAuthorizerData.findResult): an ACL for All applies to every operation; an Allow of
 * Read, Write, Delete or Alter also allows Describe, and an Allow of AlterConfigs also allows
 * DescribeConfigs; a Deny applies only to its own operation (a Deny of Read does not deny Describe).
 */
import { assert } from '@tributary/core';
import { type AclIndex, canonicalHost, type IndexedAcl } from './acl-index.js';
import type { AclEntry, Operation, Permission, ResourceType } from './types.js';

/** `User:*`: the ACL principal that matches every principal (Kafka's WILDCARD_PRINCIPAL). */
export const WILDCARD_PRINCIPAL = 'User:*';

export interface AuthorizerConfig {
  /** `super.users`, each `Type:name` (see parseSuperUsers). */
  readonly superUsers: ReadonlySet<string>;
  /** `allow.everyone.if.no.acl.found`: false (deny) unless set, as in Kafka. */
  readonly allowEveryoneIfNoAclFound: boolean;
}

export interface AuthorizeRequest {
  /** `User:NAME`, as the listener authenticated it. */
  readonly principal: string;
  /** The client's IP address as Node reports it (IPv4-mapped IPv6 is fine: it is put in canonical form). */
  readonly host: string;
  /** A concrete operation: a request never asks for All. */
  readonly operation: Exclude<Operation, 'All'>;
  readonly resource: { readonly type: ResourceType; readonly name: string };
}

export type AuthorizeReason = 'super-user' | 'allow-acl' | 'deny-acl' | 'no-acl-found' | 'no-matching-allow';

export interface AuthorizeResult {
  readonly allowed: boolean;
  readonly reason: AuthorizeReason;
  /** The ACL that decided, for 'allow-acl' and 'deny-acl' (for audit logs). */
  readonly matched?: AclEntry;
}

/** Operations an Allow implies besides its own (StandardAuthorizerData's IMPLIES_DESCRIBE and IMPLIES_DESCRIBE_CONFIGS). */
const IMPLIED_BY_ALLOW: ReadonlyMap<Operation, ReadonlySet<Operation>> = new Map<
  Operation,
  ReadonlySet<Operation>
>([
  ['Describe', new Set<Operation>(['Describe', 'Read', 'Write', 'Delete', 'Alter'])],
  ['DescribeConfigs', new Set<Operation>(['DescribeConfigs', 'AlterConfigs'])],
]);

/**
 * Whether an ACL with `aclOperation` and `permission` applies to a request for `requested`
 * (StandardAuthorizerData.findResult's operation rule).
 */
export function aclOperationApplies(
  aclOperation: Operation,
  permission: Permission,
  requested: Operation,
): boolean {
  if (aclOperation === 'All') return true;
  if (permission === 'Allow') {
    const implying = IMPLIED_BY_ALLOW.get(requested);
    if (implying !== undefined) return implying.has(aclOperation);
  }
  return aclOperation === requested;
}

function applies(acl: IndexedAcl, host: string, operation: Operation): boolean {
  return (
    (acl.host === '*' || acl.host === host) &&
    aclOperationApplies(acl.entry.operation, acl.entry.permission, operation)
  );
}

const SUPER_USER: AuthorizeResult = { allowed: true, reason: 'super-user' };

export function authorize(
  index: AclIndex,
  request: AuthorizeRequest,
  config: AuthorizerConfig,
): AuthorizeResult {
  assert(request.operation !== ('All' as Operation), 'a request names a concrete operation, never All');
  if (config.superUsers.has(request.principal)) return SUPER_USER;
  const host = canonicalHost(request.host);
  const principals =
    request.principal === WILDCARD_PRINCIPAL ? [WILDCARD_PRINCIPAL] : [request.principal, WILDCARD_PRINCIPAL];
  const buckets = index.matchingBuckets(request.resource.type, request.resource.name);
  let allow: AclEntry | undefined;
  for (const bucket of buckets) {
    for (const principal of principals) {
      for (const acl of bucket.byPrincipal.get(principal) ?? []) {
        if (!applies(acl, host, request.operation)) continue;
        if (acl.entry.permission === 'Deny')
          return { allowed: false, reason: 'deny-acl', matched: acl.entry };
        allow ??= acl.entry;
      }
    }
  }
  if (allow !== undefined) return { allowed: true, reason: 'allow-acl', matched: allow };
  // A bucket exists only with entries in it: any bucket means the resource has ACLs (KAFKA-14435).
  if (buckets.length === 0) return { allowed: config.allowEveryoneIfNoAclFound, reason: 'no-acl-found' };
  return { allowed: false, reason: 'no-matching-allow' };
}

export interface VisibleResourcesQuery {
  readonly principal: string;
  readonly host: string;
  readonly operation: Exclude<Operation, 'All'>;
  readonly resourceType: ResourceType;
  readonly names: Iterable<string>;
}

/**
 * The names the principal may `operation` (for Metadata and list calls, which show only the topics a
 * principal may Describe, as Kafka's do), in the order given.
 */
export function visibleResources(
  index: AclIndex,
  query: VisibleResourcesQuery,
  config: AuthorizerConfig,
): string[] {
  const visible: string[] = [];
  for (const name of query.names) {
    const request: AuthorizeRequest = {
      principal: query.principal,
      host: query.host,
      operation: query.operation,
      resource: { type: query.resourceType, name },
    };
    if (authorize(index, request, config).allowed) visible.push(name);
  }
  return visible;
}
