/**
 * `trib acls` flags -> ACL bindings and filters, as kafka-acls.sh (Kafka's AclCommand) reads them. Pure:
 * every bad combination is a ConfigError (one line, exit 2) before anything is sent.
 *
 * - create: (allow principals × allow hosts, Allow) and (deny principals × deny hosts, Deny), hosts `*`
 *   unless given, times each resource and its operations: --operation (default All), or the --producer
 *   and --consumer expansions (AclCommand.getProducerResourceFilterToAcls / getConsumerResource...).
 * - delete: one filter per resource (and principal, host and operation when given; absent ones match
 *   anything); with --producer/--consumer, exactly the bindings create would have made.
 * - list: one filter per resource and --principal; no resource lists every resource.
 * The Cluster resource's name is fixed (`kafka-cluster`), so it is always a literal pattern.
 */
import type { AclBindingFilterSpec, NewAclBinding } from '@tributary/client';
import { ConfigError } from '@tributary/core/config';
import {
  CLUSTER_RESOURCE_NAME,
  OPERATIONS,
  type Operation,
  operationSupported,
  type PatternType,
  type PatternTypeFilter,
  type Permission,
  parseOperation,
  parsePatternTypeFilter,
  type ResourceType,
  SUPPORTED_OPERATIONS,
  validateAclEntry,
  WILDCARD,
} from '@tributary/security';

/** The flags of `trib acls create|list|delete`, as commander collects them. */
export interface AclFlags {
  readonly allowPrincipal: readonly string[];
  readonly denyPrincipal: readonly string[];
  readonly allowHost: readonly string[];
  readonly denyHost: readonly string[];
  readonly operation: readonly string[];
  readonly topic: readonly string[];
  readonly group: readonly string[];
  readonly cluster?: boolean;
  readonly transactionalId: readonly string[];
  readonly resourcePatternType?: string;
  readonly producer?: boolean;
  readonly consumer?: boolean;
  readonly idempotent?: boolean;
  /** list only: principals to filter on. */
  readonly principal?: readonly string[];
}

export const EMPTY_ACL_FLAGS: AclFlags = {
  allowPrincipal: [],
  denyPrincipal: [],
  allowHost: [],
  denyHost: [],
  operation: [],
  topic: [],
  group: [],
  transactionalId: [],
};

interface Resource {
  readonly resourceType: ResourceType;
  readonly resourceName: string;
}

/** A resource with the operations to grant or deny on it. */
interface ResourceOperations extends Resource {
  readonly operations: readonly Operation[];
}

function usage(message: string): ConfigError {
  return new ConfigError(message);
}

export function parseOperations(texts: readonly string[]): Operation[] {
  return texts.map((text) => {
    const operation = parseOperation(text);
    if (operation === undefined) {
      throw usage(`--operation ${JSON.stringify(text)} is not one of ${OPERATIONS.join(', ')}`);
    }
    return operation;
  });
}

/** --resource-pattern-type: literal|prefixed for create, also any|match for filters. */
export function parsePatternTypeFlag(
  text: string | undefined,
  forFilter: boolean,
): PatternTypeFilter | undefined {
  if (text === undefined) return undefined;
  const parsed = parsePatternTypeFilter(text);
  const allowed = forFilter ? 'literal, prefixed, any or match' : 'literal or prefixed';
  if (parsed === undefined || (!forFilter && (parsed === 'Any' || parsed === 'Match'))) {
    throw usage(`--resource-pattern-type ${JSON.stringify(text)} is not ${allowed}`);
  }
  return parsed;
}

function resourcesOf(flags: AclFlags): Resource[] {
  const named = (resourceType: ResourceType, names: readonly string[]): Resource[] =>
    names.map((resourceName) => {
      if (resourceName === '') throw usage(`an empty ${resourceType} name`);
      return { resourceType, resourceName };
    });
  return [
    ...named('Topic', flags.topic),
    ...named('Group', flags.group),
    ...named('TransactionalId', flags.transactionalId),
    ...(flags.cluster === true
      ? [{ resourceType: 'Cluster' as const, resourceName: CLUSTER_RESOURCE_NAME }]
      : []),
  ];
}

/** Kafka's --producer and --consumer expansions over the named resources. */
export function convenienceOperations(flags: AclFlags): ResourceOperations[] {
  const resources = resourcesOf(flags);
  const of = (type: ResourceType) => resources.filter((r) => r.resourceType === type);
  const out: ResourceOperations[] = [];
  if (flags.producer === true) {
    if (flags.topic.length === 0 && flags.transactionalId.length === 0) {
      throw usage('--producer needs --topic (or --transactional-id)');
    }
    for (const topic of of('Topic')) out.push({ ...topic, operations: ['Write', 'Describe', 'Create'] });
    for (const id of of('TransactionalId')) out.push({ ...id, operations: ['Write', 'Describe'] });
    if (flags.idempotent === true) {
      out.push({
        resourceType: 'Cluster',
        resourceName: CLUSTER_RESOURCE_NAME,
        operations: ['IdempotentWrite'],
      });
    }
  }
  if (flags.consumer === true) {
    if (flags.topic.length === 0 || flags.group.length === 0)
      throw usage('--consumer needs --topic and --group');
    for (const topic of of('Topic')) out.push({ ...topic, operations: ['Read', 'Describe'] });
    for (const group of of('Group')) out.push({ ...group, operations: ['Read'] });
  }
  return out;
}

function requireConvenienceFlagsFit(flags: AclFlags): void {
  const convenience = flags.producer === true || flags.consumer === true;
  if (flags.idempotent === true && flags.producer !== true) throw usage('--idempotent goes with --producer');
  if (convenience && flags.operation.length > 0) {
    throw usage('--operation does not go with --producer or --consumer (they choose the operations)');
  }
  if (convenience && flags.cluster === true) {
    throw usage('--cluster does not go with --producer or --consumer (use --idempotent)');
  }
}

/** Each resource with --operation's operations (default All), each checked against the resource type. */
function explicitOperations(flags: AclFlags, defaultAll: boolean): ResourceOperations[] {
  const operations = parseOperations(flags.operation);
  const chosen: Operation[] = operations.length > 0 ? operations : defaultAll ? ['All'] : [];
  return resourcesOf(flags).map((resource) => {
    for (const operation of chosen) {
      if (!operationSupported(resource.resourceType, operation)) {
        const supported = ['All', ...SUPPORTED_OPERATIONS[resource.resourceType]].join(', ');
        throw usage(
          `${resource.resourceType} does not support operation ${operation} (it supports ${supported})`,
        );
      }
    }
    return { ...resource, operations: chosen };
  });
}

interface Grant {
  readonly principal: string;
  readonly host: string;
  readonly permission: Permission;
}

/** (allow principals × allow hosts) and (deny principals × deny hosts); a host without its principal is an error. */
function grantsOf(flags: AclFlags): Grant[] {
  if (flags.allowHost.length > 0 && flags.allowPrincipal.length === 0)
    throw usage('--allow-host needs --allow-principal');
  if (flags.denyHost.length > 0 && flags.denyPrincipal.length === 0)
    throw usage('--deny-host needs --deny-principal');
  const side = (principals: readonly string[], hosts: readonly string[], permission: Permission): Grant[] =>
    principals.flatMap((principal) =>
      (hosts.length > 0 ? hosts : [WILDCARD]).map((host) => ({ principal, host, permission })),
    );
  return [
    ...side(flags.allowPrincipal, flags.allowHost, 'Allow'),
    ...side(flags.denyPrincipal, flags.denyHost, 'Deny'),
  ];
}

function patternFor(resource: Resource, patternType: PatternType): PatternType {
  return resource.resourceType === 'Cluster' ? 'Literal' : patternType;
}

function bindingKey(binding: NewAclBinding): string {
  return JSON.stringify([
    binding.resourceType,
    binding.resourceName,
    binding.patternType,
    binding.principal,
    binding.host,
    binding.operation,
    binding.permission,
  ]);
}

/** The bindings `trib acls create` makes (also what --producer/--consumer delete removes). */
export function aclBindingsToCreate(flags: AclFlags): NewAclBinding[] {
  requireConvenienceFlagsFit(flags);
  const pattern = parsePatternTypeFlag(flags.resourcePatternType, false) ?? 'Literal';
  if (pattern === 'Any' || pattern === 'Match') throw usage('a pattern filter is not a pattern');
  const grants = grantsOf(flags);
  if (grants.length === 0) throw usage('give at least one --allow-principal or --deny-principal');
  const convenience = flags.producer === true || flags.consumer === true;
  const resources = convenience ? convenienceOperations(flags) : explicitOperations(flags, true);
  if (resources.length === 0) {
    throw usage('name a resource: --topic, --group, --cluster or --transactional-id');
  }
  const bindings = new Map<string, NewAclBinding>();
  for (const resource of resources) {
    for (const operation of resource.operations) {
      for (const grant of grants) {
        const binding: NewAclBinding = {
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          patternType: patternFor(resource, pattern),
          operation,
          ...grant,
        };
        const [problem] = validateAclEntry({ id: '', ...binding });
        if (problem !== undefined) throw usage(problem);
        bindings.set(bindingKey(binding), binding);
      }
    }
  }
  return [...bindings.values()];
}

function exactFilter(binding: NewAclBinding): AclBindingFilterSpec {
  return { ...binding };
}

/** The filters `trib acls delete` removes with; at least one resource is required (as kafka-acls.sh). */
export function aclFiltersToDelete(flags: AclFlags): AclBindingFilterSpec[] {
  if (flags.producer === true || flags.consumer === true) return aclBindingsToCreate(flags).map(exactFilter);
  requireConvenienceFlagsFit(flags);
  const pattern = parsePatternTypeFlag(flags.resourcePatternType, true) ?? 'Literal';
  const resources = explicitOperations(flags, false);
  if (resources.length === 0) {
    throw usage('name a resource to delete ACLs of: --topic, --group, --cluster or --transactional-id');
  }
  const grants = grantsOf(flags);
  const filters: AclBindingFilterSpec[] = [];
  for (const resource of resources) {
    const base: AclBindingFilterSpec = {
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
      patternType: resource.resourceType === 'Cluster' ? 'Literal' : pattern,
    };
    const operations: (Operation | undefined)[] =
      resource.operations.length > 0 ? [...resource.operations] : [undefined];
    for (const operation of operations) {
      const withOperation = operation === undefined ? base : { ...base, operation };
      if (grants.length === 0) filters.push(withOperation);
      for (const grant of grants) {
        const explicitHost =
          grant.permission === 'Allow' ? flags.allowHost.length > 0 : flags.denyHost.length > 0;
        filters.push({
          ...withOperation,
          principal: grant.principal,
          permission: grant.permission,
          ...(explicitHost ? { host: grant.host } : {}),
        });
      }
    }
  }
  return filters;
}

/** The filters `trib acls list` describes with (one per resource and --principal). */
export function aclFiltersToList(flags: AclFlags): AclBindingFilterSpec[] {
  const resources = resourcesOf(flags);
  const explicitPattern = parsePatternTypeFlag(flags.resourcePatternType, true);
  const principals: (string | undefined)[] =
    (flags.principal ?? []).length > 0 ? [...(flags.principal ?? [])] : [undefined];
  const bases: AclBindingFilterSpec[] =
    resources.length === 0
      ? [explicitPattern === undefined ? {} : { patternType: explicitPattern }]
      : resources.map((resource) => ({
          ...resource,
          patternType: resource.resourceType === 'Cluster' ? 'Literal' : (explicitPattern ?? 'Literal'),
        }));
  return bases.flatMap((base) =>
    principals.map((principal) => (principal === undefined ? base : { ...base, principal })),
  );
}
